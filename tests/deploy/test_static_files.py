"""Production static files build: collectstatic with the storages the deployments use
(deploy/Dockerfile and deploy/env.example: Django's manifest storage; terraform/ecs.tf:
whitenoise's compressed manifest storage), into a temporary STATIC_ROOT."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import override_settings

from tests.servers import ROOT

PRODUCTION_STORAGES = [
    "django.contrib.staticfiles.storage.ManifestStaticFilesStorage",
    "whitenoise.storage.CompressedManifestStaticFilesStorage",
]


def test_the_deployments_name_these_storages() -> None:
    """If a deployment changes its storage, this test must build the new one."""
    shipped = (
        (ROOT / "deploy/Dockerfile").read_text()
        + (ROOT / "deploy/env.example").read_text()
        + (ROOT / "terraform/ecs.tf").read_text()
    )
    for backend in PRODUCTION_STORAGES:
        assert backend in shipped


@pytest.mark.parametrize("backend", PRODUCTION_STORAGES)
def test_collectstatic_builds_with_the_production_storage(backend: str, tmp_path: Path) -> None:
    storages = {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "staticfiles": {"BACKEND": backend},
    }
    with override_settings(STATIC_ROOT=tmp_path, STORAGES=storages):
        call_command("collectstatic", "--noinput", "-v", "0", stdout=open(os.devnull, "w"))  # noqa: SIM115
    manifest = json.loads((tmp_path / "staticfiles.json").read_text())["paths"]
    # The map libraries' source maps are collected, so the references to them resolve.
    for name in (
        "vendor/leaflet/leaflet.js",
        "vendor/leaflet.markercluster/leaflet.markercluster.js",
    ):
        hashed = tmp_path / manifest[name]
        assert hashed.is_file()
        assert f"sourceMappingURL={Path(manifest[f'{name}.map']).name}" in hashed.read_text()
    assert (tmp_path / manifest["vendor/htmx/htmx.min.js"]).is_file()
