"""The one check of evidence uploads: typed by content, images re-encoded."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from shared_apps.core.evidence import EVIDENCE_MAX_BYTES, clean_evidence_file, store_evidence_file


def _jpeg_with_exif() -> bytes:
    image = Image.new("RGB", (64, 64), (10, 200, 10))
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif)
    return out.getvalue()


def test_a_photo_named_html_is_a_re_encoded_jpeg_without_metadata() -> None:
    checked = clean_evidence_file(SimpleUploadedFile("x.html", _jpeg_with_exif()))
    assert checked.content_type == "image/jpeg"
    assert (checked.file.name or "").endswith(".jpg")
    data = checked.file.read()
    assert b"PhoneMaker" not in data


def test_a_pdf_keeps_its_bytes_under_a_safe_name() -> None:
    checked = clean_evidence_file(SimpleUploadedFile("x.svg", b"%PDF-1.7 content"))
    assert checked.content_type == "application/pdf"
    assert checked.file.name == "evidence.pdf"
    assert checked.file.read() == b"%PDF-1.7 content"


@pytest.mark.parametrize(
    "data",
    [
        b'<svg xmlns="http://www.w3.org/2000/svg"/>',
        b"\x89PNG\r\n\x1a\n<html><script>alert(1)</script>",
        b"<!doctype html><p>hello",
        b"GIF89a...",
        b"",
    ],
)
def test_anything_else_is_refused(data: bytes) -> None:
    with pytest.raises(ValidationError):
        clean_evidence_file(SimpleUploadedFile("x.png", data))


def test_too_big_is_refused_before_reading() -> None:
    upload = SimpleUploadedFile("x.pdf", b"%PDF-")
    upload.size = EVIDENCE_MAX_BYTES + 1
    with pytest.raises(ValidationError, match="limit"):
        clean_evidence_file(upload)


def test_only_checked_files_are_stored_and_under_their_checked_type() -> None:
    class Field:
        def save(self, name: str, content: object, save: bool) -> None:
            self.name = name

    field = Field()
    checked = clean_evidence_file(SimpleUploadedFile("x.html", b"%PDF-1.4"))
    store_evidence_file(field, checked.file, content_type=checked.content_type)
    assert field.name == "evidence.pdf"
    with pytest.raises(ValueError, match="clean_evidence_file"):
        store_evidence_file(field, SimpleUploadedFile("x.html", b"<p>"), content_type="text/html")
