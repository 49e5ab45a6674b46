"""The two forms of evidence: the learner's submission (text, link, file) and the
reviewer's decision. Features subclass them only to rename fields or relabel; the
checks stay here."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar, cast

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.base import File
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from shared_apps.core.evidence import CheckedEvidence, clean_evidence_file
from tenant_apps.evidence.review import APPROVE, IMPROVE, REJECT


@dataclass(frozen=True)
class Submission:
    """What a learner sent: the file (if any) already checked by its content."""

    text: str = ""
    url: str = ""
    file: File[bytes] | None = None
    content_type: str = ""

    @property
    def is_empty(self) -> bool:
        return not (self.text.strip() or self.url.strip() or self.file is not None)


class EvidenceForm(forms.Form):
    """Text, a link and a file. The file is typed by its content and re-encoded if an
    image (``shared_apps.core.evidence``: the one path of all evidence files).

    A feature names its fields as its pages always did by declaring them in a
    subclass (the base ones set to None) and pointing ``text_field`` etc. at them."""

    text_field: ClassVar[str] = "text"
    url_field: ClassVar[str] = "url"
    file_field: ClassVar[str] = "file"
    # Without a required text field, an empty submission is refused here.
    require_some: ClassVar[bool] = True

    text = forms.CharField(
        label=_("What did you do?"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    url = forms.URLField(label=_("Link"), required=False, max_length=500, assume_scheme="https")
    file = forms.FileField(
        label=_("File or photo"),
        required=False,
        help_text=_("A photo (JPEG, PNG, WebP) or a PDF, up to 10 MB."),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        upload = data.get(self.file_field)
        if upload is not None and not isinstance(upload, CheckedEvidence):
            try:
                data[self.file_field] = clean_evidence_file(upload)
            except ValidationError as error:
                self.add_error(self.file_field, error)
        if self.require_some and not self.errors and self.submission().is_empty:
            self.add_error(self.text_field, _("Describe what you did, add a link or a file."))
        return data

    def submission(self) -> Submission:
        """The cleaned submission (call after ``is_valid()``)."""
        data = self.cleaned_data
        checked = data.get(self.file_field)
        return Submission(
            text=(data.get(self.text_field) or "").strip(),
            url=(data.get(self.url_field) or "").strip(),
            file=checked.file if isinstance(checked, CheckedEvidence) else None,
            content_type=checked.content_type if isinstance(checked, CheckedEvidence) else "",
        )


class ReviewForm(forms.Form):
    """A reviewer's decision, with the feedback the learner needs to act on it (required
    to ask for improvement or to reject; ``review()`` enforces it for every caller)."""

    approve_label: ClassVar[str | Promise] = _("Approve")
    feedback_required: ClassVar[str | Promise] = _("Say what to improve, or why.")

    decision = forms.ChoiceField(label=_("Decision"), choices=(), widget=forms.RadioSelect)
    comment = forms.CharField(
        label=_("Comment for the learner"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Declared above as a ChoiceField; the cast only tells mypy.
        cast(forms.ChoiceField, self.fields["decision"]).choices = [
            (APPROVE, self.approve_label),
            (IMPROVE, _("Ask to improve")),
            (REJECT, _("Reject")),
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("decision") in (IMPROVE, REJECT) and not (data.get("comment") or "").strip():
            self.add_error("comment", str(self.feedback_required))
        return data
