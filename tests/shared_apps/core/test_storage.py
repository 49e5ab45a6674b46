"""Public and private files: on disk, and on S3 (a real moto server on loopback)."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlparse

import boto3
import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.http import FileResponse, HttpResponse
from django.test import RequestFactory, override_settings
from django_tenants.utils import tenant_context

from shared_apps.core.storage import (
    PrivateFileSystemStorage,
    private_storage,
    serve_private_file,
)
from shared_apps.core.uploads import territory_upload_to
from tenants.models import Territory
from tests.servers import VENV_BIN, port, running

PDF = b"%PDF-1.4 evidence of a learner's project"


def request_on(territory: Territory | None) -> Any:
    request: Any = RequestFactory().get("/evidence/1/download")
    request.territory = territory
    return request


def stored_name(territory: Territory, folder: str = "evidence") -> str:
    with tenant_context(territory):
        return territory_upload_to(folder)(None, "project.pdf")


# ---- on disk -------------------------------------------------------------------------


@pytest.fixture
def private_root(tmp_path: Path) -> Iterator[Path]:
    storages = {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "private": {
            "BACKEND": "shared_apps.core.storage.PrivateFileSystemStorage",
            "OPTIONS": {"location": str(tmp_path)},
        },
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    with override_settings(STORAGES=storages, PRIVATE_MEDIA_ACCEL_PREFIX=""):
        yield tmp_path


def test_private_file_on_disk_is_streamed_to_its_territory(
    private_root: Path, territory_a: Territory
) -> None:
    name = private_storage().save(stored_name(territory_a), ContentFile(PDF))
    assert (private_root / name).read_bytes() == PDF
    assert name.startswith("t_aurora/evidence/")

    response = serve_private_file(request_on(territory_a), name, download_name="project.pdf")
    assert isinstance(response, FileResponse)
    assert b"".join(response.streaming_content) == PDF  # type: ignore[arg-type]
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["Cache-Control"] == "private, no-store"


def test_private_file_of_another_territory_is_404(
    private_root: Path, territory_a: Territory, territory_b: Territory
) -> None:
    from django.http import Http404

    name = private_storage().save(stored_name(territory_a), ContentFile(PDF))
    with pytest.raises(Http404):
        serve_private_file(request_on(territory_b), name)
    with pytest.raises(Http404):
        serve_private_file(request_on(None), name)  # nor from the network site
    with pytest.raises(Http404):
        serve_private_file(request_on(territory_a), "t_aurora/../t_borealis/x.pdf")
    with pytest.raises(Http404):
        serve_private_file(request_on(territory_a), "t_aurora/evidence/missing.pdf")


def test_behind_nginx_the_file_goes_out_through_x_accel_redirect(
    private_root: Path, territory_a: Territory
) -> None:
    name = private_storage().save(stored_name(territory_a), ContentFile(PDF))
    with override_settings(PRIVATE_MEDIA_ACCEL_PREFIX="/_private/"):
        response = serve_private_file(request_on(territory_a), name, as_attachment=False)
    assert response["X-Accel-Redirect"] == f"/_private/{name}"
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("inline;")
    assert isinstance(response, HttpResponse)
    assert response.content == b""  # nginx sends the body


def test_evidence_behind_nginx_keeps_its_checked_type_not_its_stored_name(
    private_root: Path, territory_a: Territory
) -> None:
    """nginx keeps Content-Type and Content-Disposition of an X-Accel-Redirect reply;
    the sandboxing CSP is added by its internal location (deploy/nginx)."""
    from shared_apps.core.evidence import serve_evidence

    # A row stored before the checks: an .html name holding PNG bytes.
    with tenant_context(territory_a):
        name = territory_upload_to("evidence")(None, "x.html")
    name = private_storage().save(name, ContentFile(b"\x89PNG\r\n\x1a\n<script>"))
    with override_settings(PRIVATE_MEDIA_ACCEL_PREFIX="/_private/"):
        image = serve_evidence(
            request_on(territory_a), name, content_type="image/png", download_stem="evidence-1"
        )
        unknown = serve_evidence(
            request_on(territory_a), name, content_type="text/html", download_stem="evidence-1"
        )
    assert image["X-Accel-Redirect"] == f"/_private/{name}"
    assert image["Content-Type"] == "image/png"
    assert image["Content-Disposition"] == "inline; filename*=UTF-8''evidence-1.png"
    assert unknown["Content-Type"] == "application/octet-stream"
    assert unknown["Content-Disposition"] == "attachment; filename*=UTF-8''evidence-1"
    for response in (image, unknown):
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Content-Security-Policy"] == "default-src 'none'; sandbox"


def test_private_files_on_disk_have_no_url(private_root: Path) -> None:
    from django.core.files.storage import storages

    assert isinstance(storages["private"], PrivateFileSystemStorage)
    with pytest.raises(NotImplementedError):
        private_storage().url("t_aurora/evidence/x.pdf")


# ---- on S3 (moto server) ---------------------------------------------------------------

PUBLIC_BUCKET, PRIVATE_BUCKET = "col-public-assets", "col-private-media"


@pytest.fixture(scope="module")
def moto_endpoint(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    log = tmp_path_factory.mktemp("moto") / "moto.log"
    number = port("moto")
    with running(
        [str(VENV_BIN / "moto_server"), "-H", "127.0.0.1", "-p", str(number)],
        listen_port=number,
        log=log,
    ):
        yield f"http://127.0.0.1:{number}"


def s3_options(endpoint: str, bucket: str, *, public: bool) -> dict[str, Any]:
    return {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": bucket,
            "region_name": "eu-central-1",
            "endpoint_url": endpoint,
            "addressing_style": "path",
            "signature_version": "s3v4",
            "default_acl": None,
            "file_overwrite": False,
            "querystring_auth": not public,
            "querystring_expire": 90,
            "object_parameters": {
                "CacheControl": (
                    "public, max-age=31536000, immutable" if public else "private, no-store"
                )
            },
        },
    }


@pytest.fixture
def s3(moto_endpoint: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    for key, value in {
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_DEFAULT_REGION": "eu-central-1",
    }.items():
        monkeypatch.setenv(key, value)
    client = boto3.client("s3", endpoint_url=moto_endpoint, region_name="eu-central-1")
    for bucket in (PUBLIC_BUCKET, PRIVATE_BUCKET):
        client.create_bucket(
            Bucket=bucket, CreateBucketConfiguration={"LocationConstraint": "eu-central-1"}
        )
    # As terraform/storage.tf does: anyone may read the public-assets bucket's objects.
    client.put_bucket_policy(
        Bucket=PUBLIC_BUCKET,
        Policy=json.dumps(
            {
                "Version": "2012-10-17",
                "Statement": [
                    {
                        "Effect": "Allow",
                        "Principal": "*",
                        "Action": "s3:GetObject",
                        "Resource": f"arn:aws:s3:::{PUBLIC_BUCKET}/*",
                    }
                ],
            }
        ),
    )
    storages = {
        "default": s3_options(moto_endpoint, PUBLIC_BUCKET, public=True),
        "private": s3_options(moto_endpoint, PRIVATE_BUCKET, public=False),
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    with override_settings(STORAGES=storages, PRIVATE_URL_SECONDS=90):
        yield client
    for bucket in (PUBLIC_BUCKET, PRIVATE_BUCKET):
        for item in client.list_objects_v2(Bucket=bucket).get("Contents", []):
            client.delete_object(Bucket=bucket, Key=item["Key"])
        client.delete_bucket(Bucket=bucket)


def keys(client: Any, bucket: str) -> list[str]:
    return [item["Key"] for item in client.list_objects_v2(Bucket=bucket).get("Contents", [])]


def test_territory_logo_goes_to_the_public_bucket_cacheable(
    s3: Any, territory_a: Territory, moto_endpoint: str
) -> None:
    territory_a.logo.save("logo.png", ContentFile(b"\x89PNG fake"), save=False)
    name = territory_a.logo.name
    assert name.startswith("t_aurora/branding/") and name.endswith(".png")
    assert keys(s3, PUBLIC_BUCKET) == [name]
    assert keys(s3, PRIVATE_BUCKET) == []
    head = s3.head_object(Bucket=PUBLIC_BUCKET, Key=name)
    assert head["CacheControl"] == "public, max-age=31536000, immutable"
    url = default_storage.url(name)
    assert url == f"{moto_endpoint}/{PUBLIC_BUCKET}/{name}"  # plain, unsigned, cacheable
    with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310  (loopback)
        assert response.read() == b"\x89PNG fake"


def test_private_file_on_s3_is_handed_out_as_short_lived_signed_url(
    s3: Any, territory_a: Territory, territory_b: Territory
) -> None:
    name = private_storage().save(stored_name(territory_a), ContentFile(PDF))
    assert keys(s3, PRIVATE_BUCKET) == [name]
    assert keys(s3, PUBLIC_BUCKET) == []
    assert s3.head_object(Bucket=PRIVATE_BUCKET, Key=name)["CacheControl"] == "private, no-store"

    response = serve_private_file(request_on(territory_a), name, download_name="My project.pdf")
    assert response.status_code == 302
    assert response["Cache-Control"] == "private, no-store"
    assert response["Referrer-Policy"] == "no-referrer"
    signed = urlparse(response["Location"])
    query = parse_qs(signed.query)
    assert signed.path == f"/{PRIVATE_BUCKET}/{name}"
    assert query["X-Amz-Expires"] == ["90"]
    assert query["X-Amz-Signature"]
    # Without the signature, the private bucket refuses the same object.
    unsigned = f"{signed.scheme}://{signed.netloc}{signed.path}"
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(unsigned, timeout=10)  # noqa: S310
    assert refused.value.code == 403
    with urllib.request.urlopen(response["Location"], timeout=10) as download:  # noqa: S310
        assert download.read() == PDF
        assert download.headers["Content-Disposition"] == (
            "attachment; filename*=UTF-8''My%20project.pdf"
        )

    from django.http import Http404

    with pytest.raises(Http404):
        serve_private_file(request_on(territory_b), name)
