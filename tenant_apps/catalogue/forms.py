"""Forms of the provider area and the territory admin's review pages."""

from __future__ import annotations

import datetime
import re
from typing import Any, cast
from zoneinfo import ZoneInfo

from django import forms
from django.conf import settings
from django.contrib.gis.geos import Point
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import models
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from shared_apps.core.uploads import COVER_RULES, LOGO_RULES, clean_image
from tenant_apps.catalogue import schedule as sched
from tenant_apps.catalogue.fields import VENUE_FIELDS, Spec, copied_fields, editor_fields
from tenant_apps.catalogue.models import (
    FREE_WITH_PRICE,
    MAX_AGE,
    Activity,
    Interest,
    Provider,
    ProviderStaff,
    Venue,
)

IMAGE_ACCEPT = {"accept": "image/png,image/jpeg,image/webp"}
WEEKDAY_CHOICES = [
    (0, _("Monday")),
    (1, _("Tuesday")),
    (2, _("Wednesday")),
    (3, _("Thursday")),
    (4, _("Friday")),
    (5, _("Saturday")),
    (6, _("Sunday")),
]
MAX_NEW_SESSION_ROWS = 3


def language_choices(first: list[str]) -> list[tuple[str, str]]:
    names = dict(settings.LANGUAGES)
    ordered = [code for code in first if code in names]
    return [(code, str(names[code])) for code in ordered] + [
        (code, str(name)) for code, name in settings.LANGUAGES if code not in ordered
    ]


class ProviderForm(forms.Form):
    name = forms.CharField(label=_("Name of the organisation"), max_length=160)
    kind = forms.ChoiceField(label=_("Kind of organisation"), choices=Provider.Kind.choices)
    description = forms.CharField(
        label=_("About the organisation"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Plain text, or simple HTML: paragraphs, bold, lists and links."),
    )
    website = forms.URLField(label=_("Website"), required=False, assume_scheme="https")
    email = forms.EmailField(
        label=_("Public email"),
        required=False,
        help_text=_("Shown on your page, for young people and parents."),
    )
    phone = forms.CharField(label=_("Public phone"), max_length=40, required=False)
    languages = forms.MultipleChoiceField(
        label=_("Languages you work in"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    logo = forms.FileField(
        label=_("Logo"),
        required=False,
        help_text=_("PNG, JPEG or WebP, up to 2 MB."),
        widget=forms.ClearableFileInput(attrs=IMAGE_ACCEPT),
    )

    def __init__(self, *args: Any, territory_languages: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.MultipleChoiceField, self.fields["languages"]).choices = language_choices(
            territory_languages
        )

    def clean_logo(self) -> Any:
        upload = self.cleaned_data.get("logo")
        return clean_image(upload, LOGO_RULES) if isinstance(upload, UploadedFile) else None


class ProviderEditForm(ProviderForm):
    remove_logo = forms.BooleanField(label=_("Remove the current logo"), required=False)


class StaffForm(forms.Form):
    email = forms.EmailField(
        label=_("Email of their account"),
        help_text=_("They get an invitation by email and join when they accept it."),
    )
    role = forms.ChoiceField(label=_("Role"), choices=ProviderStaff.Role.choices)


class ProviderInvitationForm(forms.Form):
    """The territory admin invites a new organisation by email."""

    organisation_name = forms.CharField(label=_("Name of the organisation"), max_length=160)
    email = forms.EmailField(
        label=_("Email"),
        help_text=_("They get an invitation by email and join when they accept it."),
    )


class VenueForm(forms.ModelForm):
    latitude = forms.FloatField(
        label=_("Latitude"),
        min_value=-90,
        max_value=90,
        widget=forms.NumberInput(attrs={"step": "any"}),
    )
    longitude = forms.FloatField(
        label=_("Longitude"),
        min_value=-180,
        max_value=180,
        widget=forms.NumberInput(attrs={"step": "any"}),
        help_text=_("Pick the place on the map, or type its coordinates."),
    )

    class Meta:
        model = Venue
        fields = list(VENUE_FIELDS)
        widgets = {
            "opening_notes": forms.Textarea(attrs={"rows": 3}),
            "accessibility_notes": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        venue = self.instance
        if venue.pk and venue.point is not None and not self.is_bound:
            self.initial["latitude"] = round(venue.point.y, 6)
            self.initial["longitude"] = round(venue.point.x, 6)

    def point(self) -> Point:
        return Point(self.cleaned_data["longitude"], self.cleaned_data["latitude"], srid=4326)


class NewActivityForm(forms.Form):
    title = forms.CharField(
        label=_("Title"),
        max_length=160,
        help_text=_("Say what young people will do, e.g. “Robotics club for beginners”."),
    )


class CommaListField(forms.CharField):
    """Comma-separated words (skills)."""

    def to_python(self, value: Any) -> list[str]:  # type: ignore[override]
        text = super().to_python(value) or ""
        items = [item.strip()[:40] for item in text.split(",") if item.strip()]
        return list(dict.fromkeys(items))[:20]

    def prepare_value(self, value: Any) -> Any:
        return ", ".join(value) if isinstance(value, list | tuple) else value


class DateListField(forms.CharField):
    """Comma-separated dates (YYYY-MM-DD): days without a session."""

    default_error_messages = {
        "invalid": _("Write dates as YYYY-MM-DD, separated by commas."),
    }

    def to_python(self, value: Any) -> list[datetime.date]:  # type: ignore[override]
        text = super().to_python(value) or ""
        days = []
        for item in re.split(r"[,\s;]+", text):
            if not item:
                continue
            try:
                days.append(datetime.date.fromisoformat(item))
            except ValueError:
                raise ValidationError(self.error_messages["invalid"], code="invalid") from None
        return sorted(set(days))

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, list | tuple):
            return ", ".join(str(d) for d in value)
        return value


class InterestChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.name)


class ActivityForm(forms.Form):
    """The provider's activity editor. Drafts may be incomplete; what must be there
    before publication is checked on submission (and on every save of an activity
    that is public or waiting for review)."""

    title = forms.CharField(label=_("Title"), max_length=160)
    summary = forms.CharField(
        label=_("Summary"),
        max_length=300,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("One or two sentences shown in search results."),
    )
    description = forms.CharField(
        label=_("Description"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text=_("Plain text, or simple HTML: paragraphs, bold, lists and links."),
    )
    interests = InterestChoiceField(
        label=_("Interests"),
        queryset=Interest.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    skills = CommaListField(
        label=_("Skills"),
        required=False,
        help_text=_("Optional, separated by commas: teamwork, soldering, public speaking."),
    )
    format = forms.ChoiceField(
        label=_("Where"), choices=Activity.Format.choices, widget=forms.RadioSelect
    )
    venue = forms.ModelChoiceField(label=_("Venue"), queryset=Venue.objects.none(), required=False)
    online_url = forms.URLField(label=_("Online link"), required=False, assume_scheme="https")
    age_min = forms.IntegerField(label=_("Youngest age"), min_value=0, max_value=MAX_AGE, initial=0)
    age_max = forms.IntegerField(
        label=_("Oldest age"), min_value=0, max_value=MAX_AGE, initial=MAX_AGE
    )
    is_free = forms.BooleanField(label=_("Free of charge"), required=False)
    price = forms.DecimalField(
        label=_("Price"), required=False, min_value=0, max_digits=8, decimal_places=2
    )
    price_note = forms.CharField(
        label=_("Price details"),
        max_length=120,
        required=False,
        help_text=_("For example: per month, materials included."),
    )
    voucher = forms.BooleanField(
        label=_("The municipal education voucher can pay for it"), required=False
    )
    languages = forms.MultipleChoiceField(
        label=_("Languages of instruction"), widget=forms.CheckboxSelectMultiple, required=False
    )
    schedule_kind = forms.ChoiceField(
        label=_("When"), choices=Activity.ScheduleKind.choices, widget=forms.RadioSelect
    )
    starts_on = forms.DateField(
        label=_("First day"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    ends_on = forms.DateField(
        label=_("Last day"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    weekdays = forms.TypedMultipleChoiceField(
        label=_("Days of the week"),
        choices=WEEKDAY_CHOICES,
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    start_time = forms.TimeField(
        label=_("Starts at"), required=False, widget=forms.TimeInput(attrs={"type": "time"})
    )
    end_time = forms.TimeField(
        label=_("Ends at"), required=False, widget=forms.TimeInput(attrs={"type": "time"})
    )
    exceptions = DateListField(
        label=_("No session on"),
        required=False,
        help_text=_("Holidays: dates separated by commas, e.g. 2026-11-01, 2026-12-24."),
    )
    schedule_note = forms.CharField(label=_("Schedule notes"), max_length=200, required=False)
    capacity = forms.IntegerField(label=_("Places"), min_value=1, required=False)
    join_method = forms.ChoiceField(
        label=_("How to join"), choices=Activity.JoinMethod.choices, widget=forms.RadioSelect
    )
    join_url = forms.URLField(label=_("Sign-up link"), required=False, assume_scheme="https")
    join_contact = forms.CharField(
        label=_("Contact"),
        max_length=200,
        required=False,
        help_text=_("A name with an email or phone number of the organisation."),
    )
    image = forms.FileField(
        label=_("Image"),
        required=False,
        help_text=_("PNG, JPEG or WebP, up to 5 MB. Photos of people need their consent."),
        widget=forms.ClearableFileInput(attrs=IMAGE_ACCEPT),
    )
    image_alt = forms.CharField(
        label=_("Image description"),
        max_length=200,
        required=False,
        help_text=_("What the image shows, for people who cannot see it."),
    )
    remove_image = forms.BooleanField(label=_("Remove the current image"), required=False)

    def __init__(
        self,
        data: QueryDict | None = None,
        files: Any = None,
        *,
        provider: Provider,
        territory_languages: list[str],
        timezone: str,
        require_complete: bool = False,
        initial: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(data, files, initial=initial)
        self.timezone = timezone
        self.require_complete = require_complete
        interests = cast(InterestChoiceField, self.fields["interests"])
        interests.queryset = Interest.objects.filter(is_active=True)
        venue = cast(forms.ModelChoiceField, self.fields["venue"])
        venue.queryset = provider.venues.all()
        cast(forms.MultipleChoiceField, self.fields["languages"]).choices = language_choices(
            territory_languages
        )
        self.session_rows = self._session_rows(data)
        self.sessions: list[sched.Session] = []

    # ---- sessions: parallel lists session_date / session_start / session_end ---------

    def _session_rows(self, data: QueryDict | None) -> list[dict[str, str]]:
        if data is None:
            rows = list(self.initial.get("session_rows", []))
        else:
            dates = data.getlist("session_date")
            starts = data.getlist("session_start")
            ends = data.getlist("session_end")
            rows = [
                {
                    "date": d,
                    "start": starts[i] if i < len(starts) else "",
                    "end": ends[i] if i < len(ends) else "",
                }
                for i, d in enumerate(dates)
            ]
        filled = [row for row in rows if any(row.values())]
        return filled + [{"date": "", "start": "", "end": ""}] * MAX_NEW_SESSION_ROWS

    def _parse_sessions(self) -> list[sched.Session]:
        tz = ZoneInfo(self.timezone)
        sessions = []
        for row in self.session_rows:
            if not row["date"]:
                if row["start"] or row["end"]:
                    raise ValidationError(_("Each session needs a date."))
                continue
            try:
                day = datetime.date.fromisoformat(row["date"])
                start = datetime.time.fromisoformat(row["start"]) if row["start"] else None
                end = datetime.time.fromisoformat(row["end"]) if row["end"] else None
            except ValueError:
                raise ValidationError(
                    _("Write session dates as YYYY-MM-DD and times as HH:MM.")
                ) from None
            starts_at = datetime.datetime.combine(day, start or datetime.time(0, 0), tzinfo=tz)
            ends_at = datetime.datetime.combine(day, end, tzinfo=tz) if end else None
            sessions.append(sched.Session(starts_at, ends_at))
        return sorted(sessions, key=lambda s: s.starts_at)

    def clean_image(self) -> Any:
        upload = self.cleaned_data.get("image")
        return clean_image(upload, COVER_RULES) if isinstance(upload, UploadedFile) else None

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if (
            data.get("age_min") is not None
            and data.get("age_max") is not None
            and data["age_min"] > data["age_max"]
        ):
            self.add_error("age_max", _("The oldest age is below the youngest age."))
        if not data.get("is_free") and data.get("price") is None and self.require_complete:
            self.add_error("price", _("Give the price, or tick “Free of charge”."))
        if data.get("is_free") and data.get("price"):
            # Dropping the price silently published a 15 EUR activity as free: the
            # provider decides which of the two is true.
            self.add_error("price", FREE_WITH_PRICE)
        elif data.get("is_free"):
            data["price"] = None
        kind = data.get("schedule_kind")
        if kind == Activity.ScheduleKind.SESSIONS:
            try:
                self.sessions = self._parse_sessions()
            except ValidationError as error:
                self.add_error(None, error)
        if kind:
            schedule = sched.Schedule(
                kind=kind,
                timezone=self.timezone,
                starts_on=data.get("starts_on"),
                ends_on=data.get("ends_on"),
                weekdays=tuple(data.get("weekdays") or ()),
                start_time=data.get("start_time"),
                end_time=data.get("end_time"),
                exceptions=tuple(data.get("exceptions") or ()),
                sessions=tuple(self.sessions),
            )
            try:
                sched.validate(schedule, complete=self.require_complete)
            except sched.ScheduleError as error:
                field = error.field if error.field in self.fields else None
                self.add_error(field, error.message)
        if self.require_complete:
            self._check_complete(data)
        return data

    def _check_complete(self, data: dict[str, Any]) -> None:
        if not (data.get("summary") or "").strip():
            self.add_error("summary", _("Write a short summary."))
        if not data.get("interests"):
            self.add_error("interests", _("Choose at least one interest."))
        fmt = data.get("format")
        if fmt in (Activity.Format.LOCAL, Activity.Format.HYBRID) and not data.get("venue"):
            self.add_error("venue", _("Choose the venue where it takes place."))
        if fmt in (Activity.Format.ONLINE, Activity.Format.HYBRID) and not data.get("online_url"):
            self.add_error("online_url", _("Give the link to join online."))
        method = data.get("join_method")
        if method == Activity.JoinMethod.LINK and not data.get("join_url"):
            self.add_error("join_url", _("Give the sign-up link."))
        if method == Activity.JoinMethod.CONTACT and not data.get("join_contact"):
            self.add_error("join_contact", _("Say whom to contact to join."))


# The editor's own controls, not fields of the activity.
FORM_CONTROLS = ("remove_image",)


def editor_form_fields(
    declared: dict[str, forms.Field], spec: Spec = None
) -> dict[str, forms.Field]:
    """The editor's fields are the spec's editor fields (tenant_apps/catalogue/fields.py).
    Each keeps its declaration on ActivityForm (label, widget, validation), in the
    order declared (the error summary lists them in page order); a field the spec adds
    without a declaration gets its model field's own form field. A declared field the
    spec does not know is a mistake, refused at import."""
    names = editor_fields(spec)
    unknown = sorted(set(declared) - set(names) - set(FORM_CONTROLS))
    if unknown:
        raise ImproperlyConfigured(f"ActivityForm fields missing from the spec: {unknown}")
    fields = dict(declared)
    for name in names:
        if name not in fields:
            model_field = Activity._meta.get_field(name)
            field = model_field.formfield() if isinstance(model_field, models.Field) else None
            if field is None:
                raise ImproperlyConfigured(f"Activity.{name} has no form field to edit it with")
            fields[name] = field
    return fields


ActivityForm.base_fields = editor_form_fields(ActivityForm.declared_fields)


def activity_initial(activity: Activity, timezone: str) -> dict[str, Any]:
    """The editor's initial values from the saved activity."""
    tz = ZoneInfo(timezone)
    initial: dict[str, Any] = {
        name: getattr(activity, name) for name in (*copied_fields(), "description")
    }
    initial["venue"] = activity.venue_id
    initial["interests"] = [i.pk for i in activity.interests.all()]
    initial["session_rows"] = [
        {
            "date": s.starts_at.astimezone(tz).date().isoformat(),
            "start": s.starts_at.astimezone(tz).strftime("%H:%M"),
            "end": s.ends_at.astimezone(tz).strftime("%H:%M") if s.ends_at else "",
        }
        for s in activity.sessions.all()
    ]
    return initial


AUTOSAVE_SKIP = {"csrfmiddlewaretoken", "image", "remove_image"}
MULTI_VALUED = {
    "interests",
    "languages",
    "weekdays",
    "session_date",
    "session_start",
    "session_end",
}


def autosave_payload(data: QueryDict) -> dict[str, Any]:
    """The editor's raw input, as typed, for the autosave column."""
    payload: dict[str, Any] = {}
    for key in data:
        if key in AUTOSAVE_SKIP or len(key) > 40:
            continue
        values = [value[:20000] for value in data.getlist(key)][:200]
        payload[key] = values if key in MULTI_VALUED else (values[-1] if values else "")
    return payload


def initial_from_autosave(payload: dict[str, Any]) -> dict[str, Any]:
    """Autosaved raw input as the editor's initial values (shown, not yet validated)."""
    initial = {k: v for k, v in payload.items() if not k.startswith("session_")}
    dates = payload.get("session_date") or []
    starts = payload.get("session_start") or []
    ends = payload.get("session_end") or []
    initial["session_rows"] = [
        {
            "date": d,
            "start": starts[i] if i < len(starts) else "",
            "end": ends[i] if i < len(ends) else "",
        }
        for i, d in enumerate(dates)
    ]
    # Unticked checkboxes are absent from a form post.
    for box in ("is_free", "voucher"):
        initial[box] = payload.get(box) in ("on", "true", "1", True)
    return initial


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        help_text=_("The provider sees this. Say what to change."),
    )


class InterestedForm(forms.Form):
    share_contact = forms.BooleanField(
        label=_("Share my email address with the provider"), required=False
    )
    near = forms.CharField(required=False, widget=forms.HiddenInput)


class InterestForm(forms.Form):
    position = forms.IntegerField(label=_("Position"), min_value=0, max_value=10000, initial=0)
    is_active = forms.BooleanField(label=_("Offered in filters and forms"), required=False)

    def __init__(self, *args: Any, languages: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        names = dict(settings.LANGUAGES)
        self.languages = languages
        for code in reversed(languages):
            self.fields = {
                f"name_{code}": forms.CharField(
                    label=_("Name in %(language)s") % {"language": names.get(code, code)},
                    max_length=60,
                    required=code == languages[0],
                ),
                **self.fields,
            }

    def names(self) -> dict[str, str]:
        return {code: self.cleaned_data.get(f"name_{code}") or "" for code in self.languages}
