"""One declaration of an activity's fields: which the provider edits, which the open
API shows, which have texts in other languages.

The editor's form (``forms.ActivityForm``), the API's serializers
(``api.ActivitySerializer`` and ``ActivityDetailSerializer``), the editor's save
(``actions.update_activity``), the import (``tenant_apps.imports``, which fills the
editor's form fields) and the translations page all read this list; none keeps a list
of its own. A field added here is edited, saved, imported and published by all of them;
the editor's page lays its fields out by hand, so a new one also gets its place in
``studio/activity_form.html`` (tests/tenant_apps/catalogue/test_fields.py checks).

The order is the API's: it is the order of the keys in every JSON answer and in the
OpenAPI schema, so an existing field never moves.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import Enum


class Api(Enum):
    """Where the open API shows a field."""

    NO = "no"
    LIST = "list"  # the list and the detail
    DETAIL = "detail"  # the detail only (long texts, nested rows)


class Write(Enum):
    """How the editor's save writes a field it shows."""

    NO = "no"  # not edited by the provider
    COPY = "copy"  # copied as cleaned onto the model column of the same name
    OWN = "own"  # written by its own code: sanitized, checked, a relation or a file


@dataclass(frozen=True)
class ActivityField:
    name: str
    write: Write = Write.COPY
    api: Api = Api.LIST
    translated: bool = False


W, A = Write, Api

ACTIVITY_FIELDS: tuple[ActivityField, ...] = (
    ActivityField("id", write=W.NO),
    ActivityField("url", write=W.NO),  # the public page, on the territory's host
    ActivityField("title", translated=True),
    ActivityField("summary", translated=True),
    ActivityField("provider", write=W.NO),
    ActivityField("venue", write=W.OWN),  # one of the provider's own venues
    ActivityField("format"),
    ActivityField("online_url"),
    ActivityField("interests", write=W.OWN),  # many-to-many; slugs in the API
    ActivityField("skills"),
    ActivityField("age_min"),
    ActivityField("age_max"),
    ActivityField("is_free"),
    ActivityField("price"),
    ActivityField("currency", write=W.NO),  # the territory's
    ActivityField("price_note"),
    ActivityField("voucher"),
    ActivityField("languages"),
    ActivityField("schedule", write=W.NO),  # the schedule_* fields below, as one object
    ActivityField("next_date", write=W.NO),
    ActivityField("capacity"),
    ActivityField("join_method"),
    ActivityField("join_url"),
    ActivityField("join_contact"),
    ActivityField("image", write=W.OWN),  # checked and re-encoded, then stored
    ActivityField("image_alt"),
    ActivityField("published_at", write=W.NO),
    ActivityField("distance_m", write=W.NO),  # from the searcher's point
    ActivityField("description", write=W.OWN, api=A.DETAIL, translated=True),  # sanitized
    ActivityField("sessions", write=W.NO, api=A.DETAIL),  # the editor's session rows
    ActivityField("venue_detail", write=W.NO, api=A.DETAIL),
    ActivityField("schedule_kind", api=A.NO),
    ActivityField("starts_on", api=A.NO),
    ActivityField("ends_on", api=A.NO),
    ActivityField("weekdays", api=A.NO),
    ActivityField("start_time", api=A.NO),
    ActivityField("end_time", api=A.NO),
    ActivityField("exceptions", api=A.NO),
    ActivityField("schedule_note", api=A.NO),
)


# Each reader below takes the spec (``None``: ACTIVITY_FIELDS, looked up when called,
# so that a test can add a field and see every reader follow).
Spec = Iterable[ActivityField] | None


def _spec(spec: Spec) -> Iterable[ActivityField]:
    return ACTIVITY_FIELDS if spec is None else spec


def editor_fields(spec: Spec = None) -> tuple[str, ...]:
    """The fields of the provider's editor (and so an import's activity columns)."""
    return tuple(f.name for f in _spec(spec) if f.write is not Write.NO)


def copied_fields(spec: Spec = None) -> tuple[str, ...]:
    """The editor's fields its save copies onto the model as they are."""
    return tuple(f.name for f in _spec(spec) if f.write is Write.COPY)


def api_fields(spec: Spec = None, *, detail: bool = False) -> list[str]:
    """The keys of the API's activity, in order: the list's, or the detail's."""
    shown = (Api.LIST, Api.DETAIL) if detail else (Api.LIST,)
    return [f.name for f in _spec(spec) if f.api in shown]


def translated_fields(spec: Spec = None) -> tuple[str, ...]:
    """The texts staff add in the territory's other languages."""
    return tuple(f.name for f in _spec(spec) if f.translated)


# The venue's own fields, written by the venue form and copied by ``save_venue``: one
# list, so a field added here reaches both.
VENUE_FIELDS = (
    "name",
    "address",
    "neighbourhood",
    "opening_notes",
    "step_free",
    "accessible_toilet",
    "hearing_loop",
    "quiet_space",
    "accessibility_notes",
)
