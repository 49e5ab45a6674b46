"""Uploaded files: per-territory storage paths and image checks.

Every stored file name starts with the territory's schema name, so files of one
territory sit in their own folder (or S3 prefix) and URLs are the same from any host.
Names are random: nothing about the uploader or the original name is kept.
"""

from __future__ import annotations

import io
import uuid
from dataclasses import dataclass
from pathlib import PurePath
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageOps, UnidentifiedImageError

from shared_apps.core.db import tenant_connection


@deconstructible
class territory_upload_to:
    """``upload_to`` that stores under ``<schema>/<folder>/<random>.<ext>``.

    The schema is the instance's own (a Territory in the public schema) or the one
    the connection is in (a model of a territory schema).
    """

    def __init__(self, folder: str) -> None:
        self.folder = folder

    def __call__(self, instance: Any, filename: str) -> str:
        schema = getattr(instance, "schema_name", None) or tenant_connection().schema_name
        suffix = PurePath(filename).suffix.lower()[:8]
        return f"{schema}/{self.folder}/{uuid.uuid4().hex}{suffix}"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, territory_upload_to) and other.folder == self.folder

    def __hash__(self) -> int:
        return hash(self.folder)


@dataclass(frozen=True)
class ImageRules:
    max_bytes: int = 2 * 1024 * 1024
    max_side: int = 4096
    min_side: int = 16
    formats: tuple[str, ...] = ("PNG", "JPEG", "WEBP")
    # Stored at most this many pixels on the longer side (scaled down, proportions
    # kept): pages show covers at most ~1600 px wide and logos at most 160 px, and a
    # phone photo of 4000 px would weigh megabytes on a page meant to stay light.
    fit: int | None = None


LOGO_RULES = ImageRules(max_bytes=2 * 1024 * 1024, fit=512)
COVER_RULES = ImageRules(max_bytes=5 * 1024 * 1024, fit=1920)
_EXTENSIONS = {"PNG": ".png", "JPEG": ".jpg", "WEBP": ".webp"}


def clean_image(upload: UploadedFile, rules: ImageRules = LOGO_RULES) -> ContentFile[bytes]:
    """Check an uploaded image and return a re-encoded copy without metadata.

    Refuses files that are too big, not really images (a renamed HTML or SVG file),
    in another format, or of absurd dimensions; re-encoding drops EXIF data such as
    the GPS position of a phone photo.
    """
    if upload.size is not None and upload.size > rules.max_bytes:
        raise ValidationError(
            _("The file is %(size)s; the limit is %(limit)s."),
            code="file_too_big",
            params={
                "size": filesizeformat(upload.size),
                "limit": filesizeformat(rules.max_bytes),
            },
        )
    allowed = ", ".join(rules.formats)
    head = upload.read(512)
    upload.seek(0)
    if head.lstrip().startswith(b"<"):
        raise ValidationError(
            _("SVG and other text files are not accepted here. Upload a %(formats)s image."),
            code="svg_refused",
            params={"formats": allowed},
        )
    try:
        with Image.open(upload) as probe:
            image_format = probe.format or ""
            width, height = probe.size
            probe.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, Image.DecompressionBombError) as exc:
        raise ValidationError(
            _("This file is not an image we can read. Upload a %(formats)s image."),
            code="not_an_image",
            params={"formats": allowed},
        ) from exc
    if image_format not in rules.formats:
        raise ValidationError(
            _("%(format)s images are not accepted. Upload a %(formats)s image."),
            code="image_format",
            params={"format": image_format or "?", "formats": allowed},
        )
    if max(width, height) > rules.max_side or min(width, height) < rules.min_side:
        raise ValidationError(
            _("The image is %(width)d×%(height)d pixels; each side must be %(min)d to %(max)d."),  # noqa: RUF001
            code="image_dimensions",
            params={"width": width, "height": height, "min": rules.min_side, "max": rules.max_side},
        )
    upload.seek(0)
    with Image.open(upload) as image:
        upright = ImageOps.exif_transpose(image)
        if rules.fit is not None and max(upright.size) > rules.fit:
            upright.thumbnail((rules.fit, rules.fit), Image.Resampling.LANCZOS)
        out = io.BytesIO()
        if image_format == "JPEG":
            upright.convert("RGB").save(out, "JPEG", quality=88, optimize=True)
        elif image_format == "PNG":
            upright.save(out, "PNG", optimize=True)
        else:
            upright.save(out, "WEBP", quality=88)
    return ContentFile(out.getvalue(), name=f"image{_EXTENSIONS[image_format]}")
