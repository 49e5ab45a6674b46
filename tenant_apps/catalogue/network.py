"""The catalogue's public interface for apps of the public schema (the network search):
a territory's public activities as plain values, never its models. ``register`` (called
by CatalogueConfig.ready()) hands them to shared_apps.netsearch, which imports no
territory app.

Call inside the territory's schema (``schema_context``); one query for all of them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.contrib.postgres.aggregates import ArrayAgg
from django.db.models import Q

from shared_apps.netsearch import actions as netsearch
from tenant_apps.catalogue.models import Activity
from tenant_apps.catalogue.publishing import on_activity_change

ONLINE_FORMATS = (Activity.Format.ONLINE.value, Activity.Format.HYBRID.value)
LOCAL_FORMATS = (Activity.Format.LOCAL.value, Activity.Format.HYBRID.value)
TRANSLATED_FIELDS = ("title", "summary")


@dataclass(frozen=True)
class PublicActivity:
    """What another app may know about a public activity. ``other_texts``: its title
    and summary in the other languages it was translated into, and its interests'
    names in every language (a search in any language finds it)."""

    activity_id: int
    title: str
    summary: str
    interests: tuple[str, ...]
    format: str
    point: tuple[float, float] | None  # (lon, lat)
    languages: tuple[str, ...]
    other_texts: str


def _other_texts(translations: object, interest_names: Sequence[object]) -> str:
    texts: list[str] = []
    if isinstance(translations, dict):
        for language in sorted(translations):
            fields = translations[language]
            if isinstance(fields, dict):
                texts.extend(str(fields.get(name) or "") for name in TRANSLATED_FIELDS)
    for names in interest_names:
        if isinstance(names, dict):
            # Each name once ("Sport" is the same in several languages).
            texts.extend(sorted({str(name) for name in names.values() if name}))
    return " ".join(text for text in texts if text)


def public_activities(ids: Sequence[int] | None = None) -> list[PublicActivity]:
    """The current schema's public activities (those of ``ids``, or all)."""
    activities = Activity.objects.filter(is_public=True)
    if ids is not None:
        activities = activities.filter(pk__in=list(ids))
    has_interest = Q(interests__isnull=False)
    rows = activities.annotate(
        interest_slugs=ArrayAgg(
            "interests__slug", order_by="interests__slug", filter=has_interest, default=[]
        ),
        interest_names=ArrayAgg(
            "interests__names", order_by="interests__slug", filter=has_interest, default=[]
        ),
    ).values_list(
        "pk",
        "title",
        "summary",
        "interest_slugs",
        "interest_names",
        "format",
        "location",
        "languages",
        "translations",
    )
    return [
        PublicActivity(
            activity_id=pk,
            title=title,
            summary=summary,
            interests=tuple(slugs),
            format=fmt,
            point=(location.x, location.y) if location is not None else None,
            languages=tuple(languages or ()),
            other_texts=_other_texts(translations, names),
        )
        for pk, title, summary, slugs, names, fmt, location, languages, translations in rows
    ]


def index_sources(ids: Sequence[int] | None = None) -> list[netsearch.Source]:
    """The current schema's public activities as the network index holds them."""
    return [
        netsearch.Source(
            activity_id=row.activity_id,
            title=row.title,
            summary=row.summary,
            interests=row.interests,
            format=row.format,
            point=row.point,
            languages=row.languages,
            other_texts=row.other_texts,
            online=row.format in ONLINE_FORMATS,
            local=row.format in LOCAL_FORMATS,
        )
        for row in public_activities(ids)
    ]


def register() -> None:
    """The network index reads public activities here and follows every change."""
    netsearch.register_source_reader(index_sources)
    on_activity_change(netsearch.on_change)
