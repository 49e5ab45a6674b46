"""Evidence files: the one upload and serving path of every feature that takes them.

Evidence (a badge application's file, a playlist step's photo) is uploaded by a
learner and opened by a reviewer on the territory's own origin, so a file that a
browser would render as a page (HTML, SVG, anything sniffed as such) would run as
the territory. Hence:

- the type is read from the content, never from the name the uploader gave;
- images are re-encoded (``clean_image``: drops EXIF, refuses SVG and polyglots
  that do not decode), PDFs are kept as sent; anything else is refused;
- the stored name's extension comes from the checked type, not the upload;
- files are served with the type that was checked, ``nosniff``, a sandboxing CSP
  (a document that is rendered anyway runs with no origin and no scripts), no
  caching, and ``attachment`` for everything but the re-encoded images.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.base import File
from django.core.files.uploadedfile import UploadedFile
from django.http import HttpRequest
from django.http.response import HttpResponseBase
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from shared_apps.core.storage import serve_private_file
from shared_apps.core.uploads import ImageRules, clean_image

EVIDENCE_MAX_BYTES = 10 * 1024 * 1024
EVIDENCE_IMAGE_RULES = ImageRules(max_bytes=EVIDENCE_MAX_BYTES)
# Checked type -> extension of the stored and downloaded name.
EXTENSIONS = {
    "image/png": ".png",
    "image/jpeg": ".jpg",
    "image/webp": ".webp",
    "application/pdf": ".pdf",
}
# Re-encoded raster images are safe to show in the page; the rest is downloaded.
INLINE_TYPES = frozenset({"image/png", "image/jpeg", "image/webp"})
# No origin, no scripts, no subresources, even if a browser renders the file.
EVIDENCE_CSP = "default-src 'none'; sandbox"


@dataclass(frozen=True)
class CheckedEvidence:
    """An uploaded file whose type was read from its content (and re-encoded if an
    image): store ``file`` and keep ``content_type`` beside it."""

    file: File[bytes]
    content_type: str


def clean_evidence_file(upload: UploadedFile) -> CheckedEvidence:
    """Check an evidence upload by its content: a PDF, or a PNG/JPEG/WebP image that
    is re-encoded. Raises ValidationError with a message for the learner otherwise."""
    if upload.size is not None and upload.size > EVIDENCE_MAX_BYTES:
        raise ValidationError(
            _("The file is %(size)s; the limit is %(limit)s."),
            code="file_too_big",
            params={
                "size": filesizeformat(upload.size),
                "limit": filesizeformat(EVIDENCE_MAX_BYTES),
            },
        )
    head = upload.read(5)
    upload.seek(0)
    if head == b"%PDF-":
        # The name given is dropped: the stored name's extension is the checked type's.
        upload.name = "evidence.pdf"
        return CheckedEvidence(file=upload, content_type="application/pdf")
    image = clean_image(upload, EVIDENCE_IMAGE_RULES)
    suffix = "." + (image.name or "").rsplit(".", 1)[-1]
    content_type = next(t for t, ext in EXTENSIONS.items() if ext == suffix)
    return CheckedEvidence(file=image, content_type=content_type)


def store_evidence_file(field: Any, file: File[bytes], *, content_type: str) -> None:
    """Save an evidence file checked by ``clean_evidence_file`` into ``field`` (a
    FieldFile, not saved to the database here). The stored name's extension is the
    checked type's, whatever name the file came with; an unchecked type is refused."""
    if content_type not in EXTENSIONS:
        raise ValueError("Evidence files are stored after clean_evidence_file only.")
    field.save(f"evidence{EXTENSIONS[content_type]}", file, save=False)


def serve_evidence(
    request: HttpRequest, file: Any, *, content_type: str, download_stem: str
) -> HttpResponseBase:
    """Hand out an evidence file to a request that has ALREADY passed its permission
    check. ``content_type`` is the one stored when the file was checked; an unknown
    or missing one (files stored before the checks) is served as a download of
    ``application/octet-stream``."""
    if content_type not in EXTENSIONS:
        content_type = "application/octet-stream"
    response = serve_private_file(
        request,
        file,
        download_name=f"{download_stem}{EXTENSIONS.get(content_type, '')}",
        as_attachment=content_type not in INLINE_TYPES,
        content_type=content_type,
        storage=getattr(file, "storage", None),
    )
    response["Cache-Control"] = "private, no-store"
    response["Content-Security-Policy"] = EVIDENCE_CSP
    response["X-Content-Type-Options"] = "nosniff"
    return response
