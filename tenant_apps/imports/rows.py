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
from django.db.models.base import ModelState
from django.db.models.signals import post_init, pre_init
from django.http import QueryDict
from django.utils import timezone
from django.utils.datastructures import MultiValueDict
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from tenant_apps.catalogue.actions import (
    ACTIVITY_FIELDS,
    ImportedActivity,
    check_venue_point,
    prepare_imported_activity,
    unique_slug,
)
from tenant_apps.catalogue.forms import (
    ActivityForm,
    CommaListField,
    DateListField,
    ProviderForm,
    VenueForm,
)
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


# Field classes whose clean() reads nothing but the value and the field's own settings
# (no database, no other field, no request): the same input always gives the same
# value or the same error. Exact classes, not subclasses: a subclass may add its own
# state (ModelChoiceField is a ChoiceField that queries the database).
PURE_FIELD_TYPES: frozenset[type[forms.Field]] = frozenset(
    {
        forms.CharField,
        forms.URLField,
        forms.EmailField,
        forms.IntegerField,
        forms.FloatField,
        forms.DecimalField,
        forms.BooleanField,
        forms.ChoiceField,
        forms.TypedChoiceField,
        forms.MultipleChoiceField,
        forms.TypedMultipleChoiceField,
        forms.DateField,
        forms.TimeField,
        CommaListField,
        DateListField,
    }
)
# Inputs longer than this are cleaned every time (titles and descriptions are seldom
# repeated), and a field remembers this many inputs at most: memory stays bounded.
MEMO_MAX_LENGTH = 200
MEMO_MAX_ITEMS = 20
MEMO_MAX_ENTRIES = 5000

# A field's name, its input's name, the field, its widget's reader (and the same read
# directly from a MultiValueDict, or None), its clean_<name> method and its remembered
# answers.
_Step = tuple[str, str, forms.Field, Any, Any, Any, dict[Any, Any] | None]
# Marks an input that is not remembered (long, or of an unexpected type).
_UNCACHED = object()


class ImportActivityForm(ActivityForm):
    """The editor's form, with interests and the venue chosen from what the import
    loaded once (no query per row).

    One form checks every row of an import, and rows repeat their values (the same
    ages, days, times, prices in thousands of rows): a pure field's clean() runs once
    per distinct input and its answer (value or error) is reused; everything else,
    the form's clean() (rules across fields) included, runs for every row as in the
    editor. tests/tenant_apps/imports/test_rows.py compares it with the plain form."""

    memoize = True

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

    def _clean_fields(self) -> None:
        """Django's Form._clean_fields, with the answers of pure fields remembered per
        input (and per language: date formats and messages follow it)."""
        if not self.memoize:
            super()._clean_fields()  # type: ignore[misc]
            return
        data, files, cleaned = self.data, self.files, self.cleaned_data
        # The rows' own MultiValueDict is read directly (what the widgets' readers
        # would return, without their layers of calls); any other data through them.
        direct = data.__class__ is MultiValueDict
        for name, html_name, form_field, read, quick, method, seen in self._clean_plan():
            if seen is None:
                # Not a pure field: exactly as Django does it.
                try:
                    cleaned[name] = form_field._clean_bound_field(self[name])  # type: ignore[attr-defined]
                    if method is not None:
                        cleaned[name] = method()
                except ValidationError as error:
                    self.add_error(name, error)
                continue
            raw = quick(data, html_name) if direct and quick else read(data, files, html_name)
            kind = raw.__class__
            if kind is str:
                key = raw if len(raw) <= MEMO_MAX_LENGTH else _UNCACHED
            elif kind is list:
                key = (
                    tuple(raw)
                    if len(raw) <= MEMO_MAX_ITEMS and all(i.__class__ is str for i in raw)
                    else _UNCACHED
                )
            elif raw is None or kind is bool:
                key = (kind, raw)
            else:
                key = _UNCACHED
            answer = seen.get(key) if key is not _UNCACHED else None
            if answer is None:
                try:
                    answer = (True, form_field.clean(raw))
                except ValidationError as error:
                    answer = (False, error.with_traceback(None))
                if key is not _UNCACHED and len(seen) < MEMO_MAX_ENTRIES:
                    seen[key] = answer
            valid, value = answer
            if not valid:
                self.add_error(name, value)
                continue
            # Cleaned lists are the row's own (an activity's languages, weekdays).
            cleaned[name] = list(value) if value.__class__ is list else value
            if method is not None:
                try:
                    cleaned[name] = method()
                except ValidationError as error:
                    self.add_error(name, error)

    def _clean_plan(self) -> list[_Step]:
        """Per field, once per form and language: how its input is read, its
        clean_<name> method and its remembered answers (None: not pure, not
        remembered)."""
        language = get_language()
        plans = self.__dict__.setdefault("_clean_plans", {})
        plan = plans.get(language)
        if plan is None or plan[0] is not self.fields:
            steps: list[_Step] = []
            for name, field in self.fields.items():
                pure = not field.disabled and type(field) in PURE_FIELD_TYPES
                steps.append(
                    (
                        name,
                        self.add_prefix(name),
                        field,
                        field.widget.value_from_datadict,
                        _quick_reader(field.widget),
                        getattr(self, f"clean_{name}", None),
                        {} if pure else None,
                    )
                )
            plan = plans[language] = (self.fields, steps)
        return cast(list[_Step], plan[1])


def _read_one(data: MultiValueDict[str, Any], name: str) -> Any:
    """MultiValueDict.get(name), as Widget.value_from_datadict calls it: the last value,
    None when absent or empty."""
    values = dict.get(data, name)
    value = values[-1] if values else None
    return None if value == [] else value


def _read_list(data: MultiValueDict[str, Any], name: str) -> Any:
    """MultiValueDict.getlist(name), as a multiple choice widget calls it: a copy."""
    values = dict.get(data, name, _UNCACHED)
    if values is _UNCACHED:
        return []
    return None if values is None else list(values)


def _quick_reader(widget: forms.Widget) -> Any:
    """A direct reader doing what this widget's value_from_datadict does on a
    MultiValueDict, for Django's own readers that only call get() or getlist(); None
    for any other (CheckboxInput's own rules, files, custom widgets)."""
    reader = type(widget).value_from_datadict
    if reader is forms.Widget.value_from_datadict:
        return _read_one
    if reader is forms.widgets.ChoiceWidget.value_from_datadict:
        return _read_list if getattr(widget, "allow_multiple_selected", False) else _read_one
    if reader is forms.SelectMultiple.value_from_datadict:
        return _read_list
    return None


def _messages(form: forms.BaseForm, prefix: str = "") -> list[str]:
    found = []
    for name, errors in form.errors.items():
        label = form.fields[name].label if name in form.fields else None
        for message in errors:
            text = f"{label}: {message}" if label else str(message)
            found.append(f"{prefix}{text}")
    return found


def _text(value: Any, form_field: forms.Field | None = None) -> str:
    if value.__class__ is str:
        # A CSV's every cell, so first (a str subclass takes the last branch).
        return cast(str, value).strip()
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
    # Lists per field, made a MultiValueDict at the end (the same content as its
    # __setitem__/setlist would store, without a method call per cell).
    lists: dict[str, list[Any]] = {}
    errors: list[str] = []
    kinds = _field_kinds(form_class)
    for name in fields:
        if name not in values:
            continue
        form_field, kind = kinds[name]
        try:
            text = _text(values[name], form_field)
        except ValidationError as error:
            errors.append(f"{form_field.label or name}: {error.messages[0]}")
            continue
        if kind is _BOOLEAN:
            lowered = text.lower()
            if lowered not in BOOLEAN_WORDS:
                yes_or_no = _("Write yes or no.")
                errors.append(f"{form_field.label or name}: {yes_or_no}")
                continue
            lists[name] = ["true" if lowered in TRUE else "false"]
        elif kind is _MULTIPLE:
            items = [item for item in _LIST_SEPARATORS.split(text) if item]
            if name == "weekdays":
                items = [str(WEEKDAYS.get(item.lower()[:3], item)) for item in items]
            lists[name] = items
        else:
            lists[name] = [text]
    return MultiValueDict(lists), errors


_BOOLEAN, _MULTIPLE, _SINGLE = "boolean", "multiple", "single"
_LIST_SEPARATORS = re.compile(r"[,;\s]+")


_KINDS: dict[type[forms.BaseForm], tuple[dict[str, forms.Field], dict[str, Any]]] = {}


def _field_kinds(
    form_class: type[forms.Form] | type[forms.ModelForm[Any]],
) -> dict[str, tuple[forms.Field, str]]:
    """Each field of a form class with how a cell becomes its input (looked up once,
    not once per cell; again if the class's fields were replaced)."""
    known = _KINDS.get(form_class)
    if known is not None and known[0] is form_class.base_fields:
        return cast(dict[str, tuple[forms.Field, str]], known[1])
    kinds = {}
    for name, form_field in form_class.base_fields.items():
        if isinstance(form_field, forms.BooleanField):
            kind = _BOOLEAN
        elif isinstance(form_field, forms.MultipleChoiceField | forms.ModelMultipleChoiceField):
            kind = _MULTIPLE
        else:
            kind = _SINGLE
        kinds[name] = (form_field, kind)
    _KINDS[form_class] = (form_class.base_fields, kinds)
    return kinds


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
        self._blank: tuple[dict[str, Any], list[tuple[str, Any]]] | None = None
        self.form = ImportActivityForm(
            interest_ids=sorted(set(self.interests.values())),
            provider=Provider(pk=0),
            territory_languages=territory.languages,
            timezone=territory.timezone,
        )

    def new_activity(self, *, provider: Provider, venue: Venue | None) -> Activity:
        """``Activity(provider=provider, venue=venue)``, made from a copy of a blank
        activity built once: the model's __init__ looks up the default of each of
        its 50-odd fields, a tenth of a row's checking. The fields with a callable or
        mutable default (lists, dicts) get their own fresh value, as __init__ gives."""
        if pre_init.has_listeners(Activity) or post_init.has_listeners(Activity):
            # Someone listens to new activities: let the model's own __init__ tell them.
            return Activity(provider=provider, venue=venue)
        if self._blank is None:
            blank = Activity()
            fresh = [
                (f.attname, f.get_default)
                for f in Activity._meta.concrete_fields
                if (f.has_default() and callable(f.default))
                or isinstance(blank.__dict__.get(f.attname), list | dict | set)
            ]
            self._blank = ({k: v for k, v in blank.__dict__.items() if k != "_state"}, fresh)
        values, fresh = self._blank
        activity = Activity.__new__(Activity)
        activity.__dict__.update(values)
        activity._state = ModelState()
        for attname, default in fresh:
            activity.__dict__[attname] = default()
        # Through the descriptors, as __init__ sets them (the ids and the cache).
        activity.provider = provider
        activity.venue = venue
        return activity

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
        activity = self.new_activity(provider=provider, venue=venue)
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
        if resolved.errors:
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
        if resolved.errors:
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
