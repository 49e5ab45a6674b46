"""Turning file rows into catalogue rows, validated by the catalogue's own forms.

The fields an import can fill are the editor's form fields (ActivityForm, ProviderForm,
VenueForm), never a list of their own: a field added to the editor is importable, with
the same validation and the same translated messages. Nothing here writes; a checker
returns what would be written, and ``tenant_apps.imports.actions`` writes it through
the catalogue's actions.
"""

from __future__ import annotations

import datetime
import decimal
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, cast

from django import forms
from django.core.exceptions import ValidationError
from django.http import QueryDict
from django.utils import timezone
from django.utils.datastructures import MultiValueDict
from django.utils.translation import gettext as _

from tenant_apps.catalogue.actions import (
    ACTIVITY_FIELDS,
    ImportedActivity,
    check_venue_point,
    prepare_imported_activity,
    unique_slug,
)
from tenant_apps.catalogue.forms import ActivityForm, ProviderForm, VenueForm
from tenant_apps.catalogue.models import Activity, Interest, Provider, Venue
from tenant_apps.catalogue.search import territory_today
from tenant_apps.imports.models import Kind
from tenant_apps.imports.readers import FORMULA
from tenants.models import Territory

# Editor fields a file cannot carry (files, the editor's own widgets) or that the
# import resolves itself (the venue, from the venue columns).
_NOT_FROM_FILES = {"image", "remove_image", "venue", "logo"}
ACTIVITY_FORM_FIELDS = tuple(n for n in ActivityForm.base_fields if n not in _NOT_FROM_FILES)
PROVIDER_FORM_FIELDS = tuple(n for n in ProviderForm.base_fields if n not in _NOT_FROM_FILES)
VENUE_FORM_FIELDS = tuple(VenueForm.base_fields)
PROVIDER_PREFIX, VENUE_PREFIX = "provider_", "venue_"

PUBLISHED, DRAFT = Activity.Status.PUBLISHED.value, Activity.Status.DRAFT.value
TRUE = {"1", "true", "yes", "y", "x", "taip", "ja", "oui", "si", "sí", "kyllä", "da", "on"}
FALSE = {"", "0", "false", "no", "n", "ne", "nein", "non", "ei", "nee", "off"}
BOOLEAN_WORDS = TRUE | FALSE
WEEKDAYS = {name: n for n, name in enumerate(("mon", "tue", "wed", "thu", "fri", "sat", "sun"))}
SESSION = re.compile(r"^(\d{4}-\d{2}-\d{2})(?:[ T](\d{1,2}:\d{2})(?:\s*-\s*(\d{1,2}:\d{2}))?)?$")

# How a column of the site's own API (JSON, flattened with dots) maps to a field.
API_COLUMNS = {
    "id": "external_id",
    "provider.slug": "provider_external_id",
    "provider.name": "provider_name",
    "venue_detail.name": "venue_name",
    "venue_detail.address": "venue_address",
    "venue_detail.neighbourhood": "venue_neighbourhood",
    "venue_detail.lat": "venue_latitude",
    "venue_detail.lon": "venue_longitude",
    "venue_detail.opening_notes": "venue_opening_notes",
    "venue_detail.accessibility_notes": "venue_accessibility_notes",
    "schedule.kind": "schedule_kind",
    "schedule.starts_on": "starts_on",
    "schedule.ends_on": "ends_on",
    "schedule.weekdays": "weekdays",
    "schedule.start_time": "start_time",
    "schedule.end_time": "end_time",
    "schedule.exceptions": "exceptions",
    "schedule.note": "schedule_note",
    "slug": "external_id",
}


@dataclass(frozen=True)
class Target:
    name: str
    label: str


def _form_label(form_class: type[forms.Form] | type[forms.ModelForm[Any]], name: str) -> str:
    return str(form_class.base_fields[name].label or name)


def targets(kind: str) -> list[Target]:
    """The fields a column can be mapped to, labelled in the current language."""
    ext = Target("external_id", _("External id"))
    if kind == Kind.PROVIDERS:
        return [ext] + [Target(n, _form_label(ProviderForm, n)) for n in PROVIDER_FORM_FIELDS]
    provider, venue = _("Provider"), _("Venue")
    return [
        ext,
        Target("status", _("Status")),
        Target("sessions", _("Sessions")),
        *(Target(n, _form_label(ActivityForm, n)) for n in ACTIVITY_FORM_FIELDS),
        Target("provider_external_id", f"{provider}: {ext.label}"),
        *(
            Target(PROVIDER_PREFIX + n, f"{provider}: {_form_label(ProviderForm, n)}")
            for n in PROVIDER_FORM_FIELDS
        ),
        *(
            Target(VENUE_PREFIX + n, f"{venue}: {_form_label(VenueForm, n)}")
            for n in VENUE_FORM_FIELDS
        ),
    ]


def suggest_columns(kind: str, columns: Sequence[str], saved: Mapping[str, str]) -> dict[str, str]:
    """A field for each column: as saved last time, else by name, label or API shape."""
    by_key = {}
    for target in targets(kind):
        by_key[target.name.lower()] = target.name
        by_key.setdefault(target.label.lower(), target.name)
    names = {t.name for t in targets(kind)}
    suggested: dict[str, str] = {}
    for column in columns:
        if not column:
            continue
        choice = saved.get(column)
        if choice not in names:
            key = column.strip().lower()
            choice = by_key.get(key) or API_COLUMNS.get(key, "")
            if choice not in names:
                choice = ""
        suggested[column] = choice or ""
    return suggested


class ImportActivityForm(ActivityForm):
    """The editor's form, with interests and the venue chosen from what the import
    loaded once (no query per row)."""

    def __init__(self, *, interest_ids: Sequence[int], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.fields["interests"] = forms.TypedMultipleChoiceField(
            label=self.fields["interests"].label,
            choices=[(pk, str(pk)) for pk in interest_ids],
            coerce=int,
            required=False,
        )
        # "1" when the row names a venue: the editor's completeness check reads it.
        self.fields["venue"] = forms.CharField(required=False)

    def rebind(self, data: MultiValueDict[str, Any], *, require_complete: bool) -> None:
        """Validate another row with the same form: its fields are built once per
        import, not once per row (50,000 rows)."""
        self.data = data
        self.is_bound = True
        self._errors = None
        self.require_complete = require_complete
        # _session_rows only reads getlist(), which a MultiValueDict has.
        self.session_rows = self._session_rows(cast(QueryDict, data))
        self.sessions = []


def _messages(form: forms.BaseForm, prefix: str = "") -> list[str]:
    found = []
    for name, errors in form.errors.items():
        label = form.fields[name].label if name in form.fields else None
        for message in errors:
            text = f"{label}: {message}" if label else str(message)
            found.append(f"{prefix}{text}")
    return found


def _text(value: Any, form_field: forms.Field | None = None) -> str:
    if value is None:
        return ""
    if value is FORMULA:
        raise ValidationError(_("Formulas are not imported: write the value itself."))
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime.datetime):
        if isinstance(form_field, forms.TimeField):
            return value.strftime("%H:%M")
        if isinstance(form_field, forms.DateField) or value.time() == datetime.time(0, 0):
            return value.date().isoformat()
        return value.isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, datetime.time):
        return value.strftime("%H:%M")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, float | int | decimal.Decimal):
        return str(value)
    return str(value).strip()


def _form_data(
    form_class: type[forms.Form] | type[forms.ModelForm[Any]],
    values: Mapping[str, Any],
    fields: Sequence[str],
) -> tuple[MultiValueDict[str, Any], list[str]]:
    """The strings a browser would post for these fields, from a row's values."""
    data: MultiValueDict[str, Any] = MultiValueDict()
    errors: list[str] = []
    for name in fields:
        if name not in values:
            continue
        form_field = form_class.base_fields[name]
        try:
            text = _text(values[name], form_field)
        except ValidationError as error:
            errors.append(f"{form_field.label or name}: {error.messages[0]}")
            continue
        if isinstance(form_field, forms.BooleanField):
            lowered = text.lower()
            if lowered not in BOOLEAN_WORDS:
                yes_or_no = _("Write yes or no.")
                errors.append(f"{form_field.label or name}: {yes_or_no}")
                continue
            data[name] = "true" if lowered in TRUE else "false"
        elif isinstance(form_field, forms.MultipleChoiceField | forms.ModelMultipleChoiceField):
            items = [item for item in re.split(r"[,;\s]+", text) if item]
            if name == "weekdays":
                items = [str(WEEKDAYS.get(item.lower()[:3], item)) for item in items]
            data.setlist(name, items)
        else:
            data[name] = text
    return data, errors


@dataclass
class RowOutcome:
    number: int
    errors: list[str]
    action: str = ""  # "create" or "update"
    plan: ImportedActivity | None = None
    provider: Provider | None = None
    venue: Venue | None = None


@dataclass
class _Resolved:
    obj: Any = None
    errors: list[str] = field(default_factory=list)


class ActivityChecker:
    """Checks activity rows one by one against the catalogue's forms. Providers and
    venues named by the rows are found, or planned once each (not saved)."""

    def __init__(self, *, territory: Territory, source: str, columns: Mapping[str, str]) -> None:
        self.territory = territory
        self.source = source
        self.columns = {column: name for column, name in columns.items() if name}
        self.today = territory_today(territory.timezone)
        self.interests: dict[str, int] = {}
        for interest in Interest.objects.all():
            for name in (interest.names or {}).values():
                self.interests.setdefault(str(name).strip().lower(), interest.pk)
            self.interests[interest.slug.lower()] = interest.pk
        providers = list(Provider.objects.all())
        self.providers_by_ext = {
            p.external_id: p for p in providers if p.external_id and p.external_source == source
        }
        self.providers_by_name = {p.name.strip().lower(): p for p in providers}
        self.venues = {(v.provider_id, v.name.strip().lower()): v for v in Venue.objects.all()}
        self.existing = {
            ext: (pk, status, published_at)
            for ext, pk, status, published_at in Activity.objects.filter(external_source=source)
            .exclude(external_id="")
            .values_list("external_id", "pk", "status", "published_at")
        }
        self.seen: set[str] = set()
        self.planned_providers: dict[str, _Resolved] = {}
        self.planned_venues: dict[tuple[str, str], _Resolved] = {}
        self.slugs: set[str] = set()
        self.form = ImportActivityForm(
            interest_ids=sorted(set(self.interests.values())),
            provider=Provider(pk=0),
            territory_languages=territory.languages,
            timezone=territory.timezone,
        )

    def _values(self, raw: Mapping[str, Any]) -> dict[str, Any]:
        return {name: raw.get(column) for column, name in self.columns.items()}

    def check(self, number: int, raw: Mapping[str, Any]) -> RowOutcome:
        values = self._values(raw)
        outcome = RowOutcome(number=number, errors=[])
        try:
            external_id = _text(values.get("external_id"))[:120]
            status = (_text(values.get("status")) or PUBLISHED).lower()
        except ValidationError as error:
            outcome.errors.extend(error.messages)
            return outcome
        if status not in (PUBLISHED, DRAFT):
            outcome.errors.append(_("Status: write “published” or “draft”."))
        if external_id:
            if external_id in self.seen:
                outcome.errors.append(_("This external id is used by an earlier row."))
            self.seen.add(external_id)
        provider = self._provider(values, outcome)
        venue = self._venue(values, provider, outcome)
        interests, unknown = self._interests(values)
        for name in unknown:
            label = _form_label(ActivityForm, "interests")
            message = _("Unknown interest “%(name)s”.") % {"name": name}
            outcome.errors.append(f"{label}: {message}")
        data, errors = _form_data(ActivityForm, values, ACTIVITY_FORM_FIELDS)
        outcome.errors.extend(errors)
        data.setlist("interests", [str(pk) for pk in interests])
        if venue is not None:
            data["venue"] = "1"
        self._sessions(values, data, outcome)
        for name, initial in (
            ("format", "local"),
            ("schedule_kind", "weekly"),
            ("join_method", "interested"),
        ):
            data.setdefault(name, initial)
        if not data.getlist("languages"):
            # As a new activity in the editor: taught in the territory's language.
            data.setlist("languages", [self.territory.default_language])
        if "is_free" not in data and not data.get("price"):
            # No price column or no price: free, as the editor's "Free of charge".
            data["is_free"] = "true"
        for name in ("age_min", "age_max"):
            if not data.get(name):
                data[name] = str(ActivityForm.base_fields[name].initial)
        publish = status == PUBLISHED
        self.form.rebind(data, require_complete=publish)
        if not self.form.is_valid():
            outcome.errors.extend(_messages(self.form))
        if outcome.errors or provider is None:
            return outcome
        cleaned = self.form.cleaned_data
        activity = Activity(provider=provider, venue=venue)
        existing = self.existing.get(external_id) if external_id else None
        if existing is not None:
            activity.pk, activity.status, activity.published_at = existing
        for name in ACTIVITY_FIELDS:
            if name in cleaned:
                setattr(activity, name, cleaned[name])
        activity.description = cleaned.get("description") or ""
        activity.price = None if activity.is_free else activity.price
        activity.external_source = self.source if external_id else ""
        activity.external_id = external_id
        prepare_imported_activity(
            activity, territory=self.territory, sessions=self.form.sessions, publish=publish
        )
        if publish and activity.last_date is not None and activity.last_date < self.today:
            outcome.errors.append(_("All its dates are in the past."))
            return outcome
        try:
            # The model's own rule (the form checked every field already; the model's
            # field-by-field check again would cost a third of the run).
            activity.clean()
        except ValidationError as error:
            outcome.errors.extend(error.messages)
            return outcome
        outcome.action = "update" if existing is not None else "create"
        outcome.plan = ImportedActivity(
            activity=activity, interest_ids=list(interests), sessions=list(self.form.sessions)
        )
        outcome.provider, outcome.venue = provider, venue
        return outcome

    def _interests(self, values: Mapping[str, Any]) -> tuple[list[int], list[str]]:
        text = _text(values.get("interests")) if values.get("interests") is not FORMULA else ""
        found, unknown = [], []
        for item in (i.strip() for i in re.split(r"[,;]", text)):
            if not item:
                continue
            pk = self.interests.get(item.lower())
            if pk is None:
                unknown.append(item[:60])
            else:
                found.append(pk)
        return list(dict.fromkeys(found)), unknown

    def _sessions(
        self, values: Mapping[str, Any], data: MultiValueDict[str, Any], outcome: RowOutcome
    ) -> None:
        try:
            text = _text(values.get("sessions"))
        except ValidationError as error:
            outcome.errors.extend(error.messages)
            return
        dates, starts, ends = [], [], []
        for item in (i.strip() for i in re.split(r"[;,]", text)):
            if not item:
                continue
            match = SESSION.match(item)
            date, start, end = match.groups() if match else (item, None, None)
            dates.append(date)
            starts.append(start or "")
            ends.append(end or "")
        data.setlist("session_date", dates)
        data.setlist("session_start", starts)
        data.setlist("session_end", ends)

    def _provider(self, values: Mapping[str, Any], outcome: RowOutcome) -> Provider | None:
        try:
            ext = _text(values.get("provider_external_id"))[:120]
            name = _text(values.get(PROVIDER_PREFIX + "name"))
        except ValidationError as error:
            outcome.errors.extend(error.messages)
            return None
        if not ext and not name:
            outcome.errors.append(_("Give the provider: its name or its external id."))
            return None
        found = self.providers_by_ext.get(ext) if ext else None
        found = found or self.providers_by_name.get(name.lower())
        if found is not None:
            return found
        key = f"ext:{ext}" if ext else f"name:{name.lower()}"
        resolved = self.planned_providers.get(key)
        if resolved is None:
            resolved = self._plan_provider(values, ext)
            self.planned_providers[key] = resolved
            if resolved.obj is not None:
                self.providers_by_name.setdefault(name.lower(), resolved.obj)
                if ext:
                    self.providers_by_ext[ext] = resolved.obj
        prefix = _("Provider") + ": "
        outcome.errors.extend(prefix + message for message in resolved.errors)
        return cast(Provider | None, resolved.obj)

    def _plan_provider(self, values: Mapping[str, Any], ext: str) -> _Resolved:
        own = {
            name: values[PROVIDER_PREFIX + name]
            for name in PROVIDER_FORM_FIELDS
            if PROVIDER_PREFIX + name in values
        }
        data, errors = _form_data(ProviderForm, own, PROVIDER_FORM_FIELDS)
        data.setdefault("kind", Provider.Kind.OTHER.value)
        form = ProviderForm(data, territory_languages=self.territory.languages)
        if errors or not form.is_valid():
            return _Resolved(errors=errors + _messages(form))
        cleaned = form.cleaned_data
        # No slug yet: save_imported_providers gives it (no query while checking).
        provider = provider_from_form(cleaned, slug="")
        provider.external_source, provider.external_id = (self.source, ext) if ext else ("", "")
        return _Resolved(obj=provider)

    def _venue(
        self, values: Mapping[str, Any], provider: Provider | None, outcome: RowOutcome
    ) -> Venue | None:
        own = {
            name: values[VENUE_PREFIX + name]
            for name in VENUE_FORM_FIELDS
            if VENUE_PREFIX + name in values
        }
        if not any(v not in (None, "") for v in own.values()) or provider is None:
            return None
        try:
            name = _text(own.get("name")).lower()
        except ValidationError as error:
            outcome.errors.extend(error.messages)
            return None
        if provider.pk is not None and (provider.pk, name) in self.venues:
            return self.venues[(provider.pk, name)]
        key = (str(id(provider)), name)
        resolved = self.planned_venues.get(key)
        if resolved is None:
            resolved = self._plan_venue(own)
            self.planned_venues[key] = resolved
        prefix = _("Venue") + ": "
        outcome.errors.extend(prefix + message for message in resolved.errors)
        return cast(Venue | None, resolved.obj)

    def _plan_venue(self, own: Mapping[str, Any]) -> _Resolved:
        data, errors = _form_data(VenueForm, own, VENUE_FORM_FIELDS)
        form = VenueForm(data)
        if errors or not form.is_valid():
            return _Resolved(errors=errors + _messages(form))
        point = form.point()
        try:
            check_venue_point(point, self.territory)
        except ValidationError as error:
            return _Resolved(errors=error.messages)
        venue = form.save(commit=False)
        venue.point = point
        return _Resolved(obj=venue)


def provider_from_form(cleaned: Mapping[str, Any], *, slug: str) -> Provider:
    """A provider the territory's admin imported: verified, since the admin vouches for
    the file (as they would verify it by hand)."""
    return Provider(
        name=cleaned["name"].strip(),
        slug=slug,
        kind=cleaned["kind"],
        description=cleaned.get("description") or "",
        website=cleaned.get("website") or "",
        email=cleaned.get("email") or "",
        phone=cleaned.get("phone") or "",
        languages=list(cleaned.get("languages") or []),
        status=Provider.Status.VERIFIED,
        verified_at=timezone.now(),
    )


class ProviderChecker:
    """Checks provider rows (a providers-only file) against the provider form."""

    def __init__(self, *, territory: Territory, source: str, columns: Mapping[str, str]) -> None:
        self.territory = territory
        self.source = source
        self.columns = {column: name for column, name in columns.items() if name}
        self.existing = {
            p.external_id: p
            for p in Provider.objects.filter(external_source=source).exclude(external_id="")
        }
        self.seen: set[str] = set()
        self.slugs: set[str] = set()

    def check(self, number: int, raw: Mapping[str, Any]) -> tuple[RowOutcome, Provider | None]:
        values = {name: raw.get(column) for column, name in self.columns.items()}
        outcome = RowOutcome(number=number, errors=[])
        data, errors = _form_data(ProviderForm, values, PROVIDER_FORM_FIELDS)
        outcome.errors.extend(errors)
        data.setdefault("kind", Provider.Kind.OTHER.value)
        try:
            ext = _text(values.get("external_id"))[:120]
        except ValidationError as error:
            outcome.errors.extend(error.messages)
            ext = ""
        if ext in self.seen and ext:
            outcome.errors.append(_("This external id is used by an earlier row."))
        self.seen.add(ext)
        form = ProviderForm(data, territory_languages=self.territory.languages)
        if not form.is_valid():
            outcome.errors.extend(_messages(form))
        if outcome.errors:
            return outcome, None
        cleaned = form.cleaned_data
        provider = self.existing.get(ext) if ext else None
        if provider is None:
            slug = unique_slug(cleaned["name"], taken=self.slugs)
            self.slugs.add(slug)
            provider = provider_from_form(cleaned, slug=slug)
            provider.external_source, provider.external_id = (self.source, ext) if ext else ("", "")
            outcome.action = "create"
        else:
            for name in ("name", "kind", "description", "website", "email", "phone"):
                setattr(provider, name, (cleaned.get(name) or "").strip())
            provider.languages = list(cleaned.get("languages") or [])
            outcome.action = "update"
        outcome.provider = provider
        return outcome, provider
