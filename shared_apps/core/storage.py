"""Where uploaded files live, and how private ones are handed out.

Two storages, both configured in settings.STORAGES from the environment:

- ``default``: public assets (territory logos and covers, badge images). On S3 (the
  public-assets bucket) the objects get a year-long ``Cache-Control`` (their names are
  random, a new upload gets a new name) and plain, unsigned URLs; on disk nginx serves
  them from MEDIA_ROOT with the same headers.
- ``private``: evidence, exports and anything else that must not be reachable by
  URL guessing. On S3 it is a private bucket and files are handed out as presigned
  URLs valid for PRIVATE_URL_SECONDS; on disk it is PRIVATE_MEDIA_ROOT, which no URL
  maps to: files are streamed by Django or, behind nginx, through X-Accel-Redirect
  to an ``internal`` location.

Every stored name starts with the territory's schema (shared_apps.core.uploads.
territory_upload_to), which gives each territory its own prefix and lets
``serve_private_file`` refuse a file of another territory whatever the caller did.
"""

from __future__ import annotations

import logging
import mimetypes
from pathlib import PurePosixPath
from typing import Any
from urllib.parse import quote

from django.conf import settings
from django.core.files.storage import FileSystemStorage, Storage, storages
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.http.response import HttpResponseBase
from django.utils.functional import LazyObject, empty

logger = logging.getLogger(__name__)


class PrivateFileSystemStorage(FileSystemStorage):
    """Private files on disk: they have no URL; ``serve_private_file`` hands them out."""

    def url(self, name: str | None) -> str:
        raise NotImplementedError(
            "Private files have no public URL: serve them with "
            "shared_apps.core.storage.serve_private_file after a permission check."
        )


class _PrivateStorage(LazyObject):
    def _setup(self) -> None:
        self._wrapped = storages["private"]


_private = _PrivateStorage()


@receiver(setting_changed)
def _reset_private_storage(*, setting: str, **kwargs: Any) -> None:
    if setting == "STORAGES":
        _private._wrapped = empty  # type: ignore[assignment]  # LazyObject's sentinel


def private_storage() -> Storage:
    """The private storage, for ``FileField(storage=private_storage, ...)``.

    A callable, so migrations store a reference to it rather than the bucket or path
    of the environment they were made in.
    """
    return _private  # type: ignore[return-value]


def is_signed_url_storage(storage: Any) -> bool:
    """True for S3 storages that hand out presigned URLs (django-storages' S3Storage)."""
    return bool(getattr(storage, "querystring_auth", False)) and hasattr(storage, "bucket_name")


def territory_prefix(request: HttpRequest) -> str:
    territory = getattr(request, "territory", None)
    return f"{territory.schema_name}/" if territory is not None else "public/"


def _checked_name(request: HttpRequest, name: str) -> str:
    path = PurePosixPath(name)
    if not name or path.is_absolute() or ".." in path.parts:
        raise Http404("No such file")
    # Defence in depth: a view that looked up an object of another territory by
    # mistake still cannot hand out that territory's file.
    if not name.startswith(territory_prefix(request)):
        logger.warning("private file refused: stored for another territory")
        raise Http404("No such file")
    return name


def serve_private_file(
    request: HttpRequest,
    name: str | Any,
    *,
    download_name: str | None = None,
    as_attachment: bool = True,
    storage: Storage | None = None,
    content_type: str | None = None,
) -> HttpResponseBase:
    """Hand a private file to a request that has ALREADY passed its permission check.

    ``name`` is a stored name or a FieldFile. On S3: a redirect to a presigned URL that
    expires after PRIVATE_URL_SECONDS. On disk: an X-Accel-Redirect to nginx's internal
    location when PRIVATE_MEDIA_ACCEL_PREFIX is set (production), otherwise the file
    streamed by Django. Files outside the current territory's prefix are a 404.
    ``content_type``: the type checked at upload (shared_apps.core.evidence); without
    it, the type is guessed from ``download_name``.
    """
    storage = storage or private_storage()
    stored = _checked_name(request, str(getattr(name, "name", name) or ""))
    filename = download_name or PurePosixPath(stored).name
    content_type = content_type or mimetypes.guess_type(filename)[0] or "application/octet-stream"
    disposition = "attachment" if as_attachment else "inline"
    disposition_header = f"{disposition}; filename*=UTF-8''{quote(filename)}"

    if is_signed_url_storage(storage):
        url = storage.url(  # type: ignore[call-arg]
            stored,
            parameters={
                "ResponseContentDisposition": disposition_header,
                "ResponseContentType": content_type,
                "ResponseCacheControl": "private, no-store",
            },
            expire=settings.PRIVATE_URL_SECONDS,
        )
        response: HttpResponseBase = HttpResponseRedirect(url)
    else:
        if not storage.exists(stored):
            raise Http404("No such file")
        accel_prefix = settings.PRIVATE_MEDIA_ACCEL_PREFIX
        if accel_prefix:
            response = HttpResponse(content_type=content_type)
            response["X-Accel-Redirect"] = accel_prefix.rstrip("/") + "/" + quote(stored)
            response["Content-Disposition"] = disposition_header
        else:
            response = FileResponse(
                storage.open(stored, "rb"),
                as_attachment=as_attachment,
                filename=filename,
                content_type=content_type,
            )
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    # The signed URL must not leak to another site through the Referer header.
    response["Referrer-Policy"] = "no-referrer"
    return response
