"""The one set of filters behind the activities page, the map layer and the API.

Everything lives in the query string (shareable links, the back button works):

    q=robot&interest=robotics&interest=digital&age=14&cost=free&cost=voucher
    &format=online&when=weekend&from=2026-09-01&to=2026-09-30&near=54.68,25.27
    &radius=5&lang=lt&access=step_free&sort=distance&page=2

A form validates it; the API answers 400 with its errors, the page shows them as a
message and searches with the valid part.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any, cast

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tenant_apps.catalogue.models import MAX_AGE, Interest

WHEN_CHOICES = [
    ("", _("Any time")),
    ("today", _("Today")),
    ("weekend", _("This weekend")),
    ("week", _("Next 7 days")),
    ("month", _("Next 30 days")),
    ("range", _("Between dates")),
]
COST_CHOICES = [("free", _("Free")), ("voucher", _("Municipal voucher accepted"))]
FORMAT_CHOICES = [
    ("local", _("At a venue")),
    ("online", _("Online")),
    ("hybrid", _("At a venue and online")),
]
ACCESS_CHOICES = [
    ("step_free", _("Step-free access")),
    ("accessible_toilet", _("Accessible toilet")),
    ("hearing_loop", _("Hearing loop")),
    ("quiet_space", _("Quiet space")),
]
SORT_CHOICES = [
    ("", _("Best match")),
    ("date", _("Soonest")),
    ("distance", _("Nearest")),
    ("new", _("Newest")),
]
RADIUS_CHOICES = [(1, "1 km"), (2, "2 km"), (5, "5 km"), (10, "10 km"), (25, "25 km")]
DEFAULT_RADIUS_KM = 5
# A date window, open or closed, spans at most this many days: the search expands it
# day by day, so an unbounded one (``date_to=9999-12-31``) would stall the server.
MAX_RANGE_DAYS = 366
# Dates further than this from today are refused (400 in the API): nothing is listed
# that far ahead, and the window arithmetic must never near date.min / date.max.
DATE_HORIZON_DAYS = 3 * 366
# Parameters that are the page's state but not filters.
NOT_FILTERS = ("page", "bbox", "zoom")


@dataclass(frozen=True)
class Filters:
    """Validated filters. Empty means "no filter"."""

    q: str = ""
    interests: tuple[str, ...] = ()
    age: int | None = None
    cost: tuple[str, ...] = ()
    formats: tuple[str, ...] = ()
    when: str = ""
    date_from: datetime.date | None = None
    date_to: datetime.date | None = None
    near: tuple[float, float] | None = None  # (lat, lon)
    radius_km: int = DEFAULT_RADIUS_KM
    languages: tuple[str, ...] = ()
    access: tuple[str, ...] = ()
    sort: str = ""
    provider: str = ""
    venue: int | None = None

    def for_log(self) -> dict[str, Any]:
        """The filters as stored in the anonymous search log: never the point."""
        logged: dict[str, Any] = {}
        for key in ("interests", "cost", "formats", "languages", "access"):
            value = getattr(self, key)
            if value:
                logged[key] = list(value)
        if self.age is not None:
            logged["age"] = self.age
        if self.when:
            logged["when"] = self.when
        if self.date_from or self.date_to:
            logged["dates"] = [str(self.date_from or ""), str(self.date_to or "")]
        if self.near is not None:
            logged["radius_km"] = self.radius_km
        if self.sort:
            logged["sort"] = self.sort
        if self.provider:
            logged["provider"] = self.provider
        if self.venue is not None:
            logged["venue"] = self.venue
        return logged

    @property
    def is_empty(self) -> bool:
        return self == Filters(sort=self.sort)


class NearField(forms.CharField):
    """``lat,lon`` in decimal degrees."""

    default_error_messages = {
        "invalid": _("Give a place as latitude,longitude, for example 54.687,25.279."),
    }

    def to_python(self, value: Any) -> tuple[float, float] | None:  # type: ignore[override]
        text = (super().to_python(value) or "").strip()
        if not text:
            return None
        try:
            lat_text, lon_text = text.split(",")
            lat, lon = float(lat_text), float(lon_text)
        except ValueError:
            raise ValidationError(self.error_messages["invalid"], code="invalid") from None
        if not (-90 <= lat <= 90 and -180 <= lon <= 180):
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        return (lat, lon)


class FilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), max_length=200, required=False)
    interest = forms.MultipleChoiceField(
        label=_("Interests"), required=False, widget=forms.CheckboxSelectMultiple
    )
    age = forms.IntegerField(label=_("Your age"), min_value=0, max_value=MAX_AGE, required=False)
    cost = forms.MultipleChoiceField(
        label=_("Cost"), choices=COST_CHOICES, required=False, widget=forms.CheckboxSelectMultiple
    )
    format = forms.MultipleChoiceField(
        label=_("Where"),
        choices=FORMAT_CHOICES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    when = forms.ChoiceField(label=_("When"), choices=WHEN_CHOICES, required=False)
    date_from = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    near = NearField(
        label=_("Near"),
        required=False,
        help_text=_("Latitude,longitude. Use your location or pick a point on the map."),
    )
    radius = forms.TypedChoiceField(
        label=_("Distance"), choices=RADIUS_CHOICES, coerce=int, required=False, empty_value=None
    )
    lang = forms.MultipleChoiceField(
        label=_("Language"),
        choices=settings.LANGUAGES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    access = forms.MultipleChoiceField(
        label=_("Accessibility"),
        choices=ACCESS_CHOICES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    sort = forms.ChoiceField(label=_("Sort by"), choices=SORT_CHOICES, required=False)
    provider = forms.SlugField(required=False, widget=forms.HiddenInput)
    venue = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)

    def __init__(
        self,
        data: QueryDict | dict[str, Any] | None,
        *,
        interests: list[Interest],
        languages: list[str] | None = None,
        today: datetime.date | None = None,
    ) -> None:
        super().__init__(data)
        # The territory's today (callers pass it); dates are judged against it.
        self.today = today or timezone.localdate()
        interest_field = cast(forms.MultipleChoiceField, self.fields["interest"])
        interest_field.choices = [(i.slug, i.name) for i in interests]
        if languages:
            lang_field = cast(forms.MultipleChoiceField, self.fields["lang"])
            names = dict(settings.LANGUAGES)
            # Every known language stays valid (shared links), the territory's first.
            lang_field.choices = [(code, names[code]) for code in languages if code in names] + [
                (code, name) for code, name in settings.LANGUAGES if code not in languages
            ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        horizon = datetime.timedelta(days=DATE_HORIZON_DAYS)
        for name in ("date_from", "date_to"):
            day = data.get(name)
            if day is not None and abs(day - self.today) > horizon:
                self.add_error(name, _("Choose a date within three years of today."))
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and end < start:
            self.add_error("date_to", _("The end date is before the start date."))
        elif end and (end - (start or self.today)).days > MAX_RANGE_DAYS:
            # An open start means today: the window is capped either way.
            self.add_error("date_to", _("Choose at most a year between the dates."))
        if data.get("sort") == "distance" and not data.get("near") and "near" not in self.errors:
            self.add_error("sort", _("To sort by distance, choose a place first."))
        return data

    def filters(self) -> Filters:
        """The valid part of the input (call after is_valid())."""
        data = self.cleaned_data
        when = data.get("when") or ""
        date_from, date_to = data.get("date_from"), data.get("date_to")
        if (date_from or date_to) and not when:
            when = "range"
        return Filters(
            q=" ".join((data.get("q") or "").split()),
            interests=tuple(data.get("interest") or ()),
            age=data.get("age"),
            cost=tuple(data.get("cost") or ()),
            formats=tuple(data.get("format") or ()),
            when=when,
            date_from=date_from,
            date_to=date_to,
            near=data.get("near"),
            radius_km=data.get("radius") or DEFAULT_RADIUS_KM,
            languages=tuple(data.get("lang") or ()),
            access=tuple(data.get("access") or ()),
            sort=data.get("sort") or "",
            provider=data.get("provider") or "",
            venue=data.get("venue"),
        )


def date_window(
    filters: Filters, today: datetime.date
) -> tuple[datetime.date, datetime.date] | None:
    """The days the "when" filter asks for (both included), in the territory's calendar."""
    if filters.when == "today":
        return today, today
    if filters.when == "weekend":
        saturday = today + datetime.timedelta(days=(5 - today.weekday()) % 7)
        if today.weekday() == 6:  # on Sunday, "this weekend" is today
            return today, today
        return saturday, saturday + datetime.timedelta(days=1)
    if filters.when == "week":
        return today, today + datetime.timedelta(days=6)
    if filters.when == "month":
        return today, today + datetime.timedelta(days=29)
    if filters.when == "range" and (filters.date_from or filters.date_to):
        start = filters.date_from or today
        # Second line of defence behind the form: never more than MAX_RANGE_DAYS days,
        # whatever built the Filters (and no overflow next to date.max).
        longest = datetime.timedelta(days=MAX_RANGE_DAYS)
        cap = start + longest if start <= datetime.date.max - longest else datetime.date.max
        end = min(filters.date_to or cap, cap)
        return start, end
    return None
