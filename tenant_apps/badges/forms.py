"""Forms of the badge pages: they check input and say what is wrong, field by field."""

from __future__ import annotations

import csv
import io
from typing import Any, cast

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator, validate_email
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tenant_apps.badges.images import SHAPES
from tenant_apps.badges.models import BadgeClass, Issuer
from tenant_apps.evidence.forms import EvidenceForm
from tenant_apps.evidence.forms import ReviewForm as BaseReviewForm

ALIGNMENT_FRAMEWORKS = ["ESCO", "EntreComp", "DigComp", "LifeComp", "GreenComp"]


class BadgeClassForm(forms.Form):
    issuer = forms.ModelChoiceField(queryset=Issuer.objects.none(), label=_("Issuer"))
    name = forms.CharField(label=_("Name"), max_length=120)
    description = forms.CharField(label=_("Description"), widget=forms.Textarea(attrs={"rows": 3}))
    criteria_narrative = forms.CharField(
        label=_("How to earn it"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("What the learner does and shows to earn this badge."),
    )
    criteria_requirements = forms.CharField(
        label=_("Requirements, one per line"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    tags = forms.CharField(label=_("Tags, separated by commas"), required=False, max_length=400)
    alignments = forms.CharField(
        label=_("Skills and frameworks, one per line"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Framework | skill name | URL, for example: ESCO | teamwork | "
            "http://data.europa.eu/esco/skill/…"
        ),
    )
    expires_after_days = forms.IntegerField(
        label=_("Valid for (days)"),
        required=False,
        min_value=1,
        max_value=36500,
        help_text=_("Leave empty for a badge that does not expire."),
    )
    accepts_applications = forms.BooleanField(
        label=_("Learners may apply with evidence"), required=False, initial=True
    )
    required_badges = forms.ModelMultipleChoiceField(
        queryset=BadgeClass.objects.none(),
        required=False,
        label=_("Meta badge: awarded to whoever holds all of these badges"),
        widget=forms.CheckboxSelectMultiple,
    )
    image = forms.FileField(
        label=_("Image (PNG or SVG)"),
        required=False,
        help_text=_("Square, at least 64 pixels. Leave empty to make one from a template."),
    )
    template_shape = forms.ChoiceField(
        label=_("Template shape"),
        choices=[
            ("circle", _("Circle")),
            ("shield", _("Shield")),
            ("hexagon", _("Hexagon")),
            ("star", _("Star")),
        ],
        initial="circle",
    )

    def __init__(
        self, *args: Any, issuers: Any, badges: Any, editing: bool = False, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.editing = editing
        # The fields are declared above with these types; the casts only tell mypy.
        cast(forms.ModelChoiceField, self.fields["issuer"]).queryset = issuers
        cast(forms.ModelMultipleChoiceField, self.fields["required_badges"]).queryset = badges
        if editing:
            self.fields["template_shape"].required = False
            self.fields["issuer"].disabled = True

    def clean_tags(self) -> list[str]:
        return [tag.strip()[:40] for tag in self.cleaned_data["tags"].split(",") if tag.strip()]

    def clean_criteria_requirements(self) -> list[str]:
        lines = self.cleaned_data["criteria_requirements"].splitlines()
        return [line.strip()[:300] for line in lines if line.strip()]

    def clean_alignments(self) -> list[dict[str, str]]:
        result, validate = [], URLValidator(schemes=["http", "https"])
        for number, line in enumerate(self.cleaned_data["alignments"].splitlines(), start=1):
            if not line.strip():
                continue
            parts = [part.strip() for part in line.split("|")]
            if len(parts) != 3 or not all(parts):
                raise ValidationError(
                    _("Line %(n)d: write framework | skill name | URL."), params={"n": number}
                )
            framework, name, url = parts
            try:
                validate(url)
            except ValidationError:
                raise ValidationError(
                    _("Line %(n)d: “%(url)s” is not a web address."),
                    params={"n": number, "url": url},
                ) from None
            result.append({"framework": framework[:60], "name": name[:200], "url": url})
        return result

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("template_shape") and data["template_shape"] not in SHAPES:
            self.add_error("template_shape", _("Choose one of the shapes."))
        return data


def alignments_as_text(badge: BadgeClass) -> str:
    return "\n".join(f"{a['framework']} | {a['name']} | {a['url']}" for a in badge.alignments)


class AwardForm(forms.Form):
    email = forms.EmailField(label=_("Recipient's email"))


class RevokeForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=300)


class BulkAwardForm(forms.Form):
    csv_file = forms.FileField(
        label=_("CSV file"),
        help_text=_("One email address per row, in the first column. A header row is allowed."),
    )


def parse_recipients_csv(data: bytes, limit: int = 5000) -> tuple[list[str], list[dict[str, Any]]]:
    """Valid addresses, and an error per bad row (row number as in a spreadsheet)."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ValidationError(_("The file must be a CSV saved as UTF-8.")) from None
    try:
        dialect: Any = csv.Sniffer().sniff(text[:2048], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    emails: list[str] = []
    errors: list[dict[str, Any]] = []
    seen: set[str] = set()
    for number, row in enumerate(csv.reader(io.StringIO(text), dialect), start=1):
        value = (row[0] if row else "").strip()
        if not value:
            continue
        if number == 1 and "@" not in value:
            continue  # a header row
        if len(emails) >= limit:
            raise ValidationError(_("At most %(limit)d rows at a time."), params={"limit": limit})
        try:
            validate_email(value)
        except ValidationError:
            errors.append({"row": number, "value": value[:80], "error": _("not an email address")})
            continue
        address = value.lower()
        if address in seen:
            errors.append({"row": number, "value": value[:80], "error": _("appears twice")})
            continue
        seen.add(address)
        emails.append(address)
    return emails, errors


class ClaimCodeForm(forms.Form):
    label = forms.CharField(label=_("Event or note"), max_length=120, required=False)
    valid_from = forms.DateTimeField(
        label=_("Valid from"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    valid_until = forms.DateTimeField(
        label=_("Valid until"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    kind = forms.ChoiceField(
        label=_("Kind of code"),
        choices=[
            ("shared", _("One code for everyone")),
            ("single", _("One code per attendee")),
        ],
        widget=forms.RadioSelect,
        initial="shared",
    )
    max_uses = forms.IntegerField(
        label=_("Maximum number of claims (shared code)"),
        required=False,
        min_value=1,
        max_value=100000,
    )
    count = forms.IntegerField(
        label=_("Number of codes (one per attendee)"), required=False, min_value=1, max_value=1000
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("kind") == "single" and not data.get("count"):
            self.add_error("count", _("Say how many codes to make."))
        start, end = data.get("valid_from"), data.get("valid_until")
        if start and end and end <= start:
            self.add_error("valid_until", _("The end must be after the start."))
        if end and end <= timezone.now():
            self.add_error("valid_until", _("The end must be in the future."))
        return data


class ClaimForm(forms.Form):
    code = forms.CharField(label=_("Code"), max_length=40)


class ApplicationForm(EvidenceForm):
    """The shared evidence form (``tenant_apps.evidence``) under the names and labels
    the application pages have always used; a statement is required."""

    text_field, url_field, file_field = "statement", "evidence_url", "evidence_file"
    require_some = False
    text = url = file = None  # type: ignore[assignment]  # the base fields, renamed below

    statement = forms.CharField(
        label=_("What did you do?"),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=5000,
        help_text=_("Describe what you did and learned. Only you and the reviewers see this."),
    )
    evidence_url = forms.URLField(
        label=_("Link to your work (optional)"), required=False, assume_scheme="https"
    )
    evidence_file = forms.FileField(
        label=_("File (optional): PNG, JPEG or PDF, up to 10 MB"), required=False
    )


class ReviewForm(BaseReviewForm):
    approve_label = _("Approve and award the badge")
    feedback_required = _("Tell the learner why, so they can act on it.")


class IssuerForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=160)
    email = forms.EmailField(label=_("Public contact email"))
    url = forms.URLField(label=_("Website"), required=False, assume_scheme="https")
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class VerifyForm(forms.Form):
    url = forms.CharField(label=_("Badge web address"), required=False, max_length=500)
    image = forms.FileField(label=_("Badge image (PNG or SVG)"), required=False)
    json = forms.CharField(
        label=_("Badge JSON"), required=False, widget=forms.Textarea(attrs={"rows": 5})
    )
    email = forms.EmailField(
        label=_("Email of the person who shows the badge (optional)"),
        required=False,
        help_text=_("Checked against the badge's hidden recipient; never stored."),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        given = [bool(data.get("url")), data.get("image") is not None, bool(data.get("json"))]
        if sum(given) != 1:
            raise ValidationError(_("Give one of: a web address, an image or the JSON."))
        image = data.get("image")
        if image is not None and image.size and image.size > 2 * 1024 * 1024:
            self.add_error("image", _("The image is larger than 2 MB."))
        return data
