"""The shared evidence forms: the file is typed by its content, feedback is required
to ask for improvement or to reject."""

from __future__ import annotations

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils.datastructures import MultiValueDict
from PIL import Image

from tenant_apps.evidence.forms import EvidenceForm, ReviewForm


def _png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (32, 32), (10, 120, 200)).save(out, "PNG")
    return out.getvalue()


def test_a_file_that_lies_about_its_type_is_refused() -> None:
    page = b"<html><script>alert(document.cookie)</script></html>"
    upload = SimpleUploadedFile("photo.png", page, content_type="image/png")
    form = EvidenceForm(data={"text": "my photo"}, files=MultiValueDict({"file": [upload]}))
    assert not form.is_valid()
    assert list(form.errors) == ["file"]


def test_an_image_is_typed_by_its_content_whatever_its_name() -> None:
    upload = SimpleUploadedFile("notes.pdf", _png(), content_type="application/pdf")
    form = EvidenceForm(data={}, files=MultiValueDict({"file": [upload]}))
    assert form.is_valid(), form.errors
    sent = form.submission()
    assert sent.content_type == "image/png"
    assert sent.file is not None and (sent.file.name or "").endswith(".png")


def test_an_empty_submission_is_refused() -> None:
    form = EvidenceForm(data={"text": "  ", "url": ""})
    assert not form.is_valid()
    assert form.errors["text"] == ["Describe what you did, add a link or a file."]


def test_feedback_is_required_to_ask_for_improvement_or_to_reject() -> None:
    for decision in ("improve", "reject"):
        form = ReviewForm(data={"decision": decision, "comment": " "})
        assert not form.is_valid()
        assert form.errors["comment"] == ["Say what to improve, or why."]
    assert ReviewForm(data={"decision": "approve", "comment": ""}).is_valid()
    assert not ReviewForm(data={"decision": "award-everyone"}).is_valid()
