"""Believable catalogues of any size, fast: the demo (1,000+ activities in Vilnius) and
the benchmarks (up to 100,000). Bulk inserts, then the same indexing SQL the app uses.

Deterministic for a given seed; dates are relative to today so a demo never goes stale.
Run inside the territory's schema.
"""

from __future__ import annotations

import dataclasses
import datetime
import random
from dataclasses import dataclass
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from django.contrib.gis.geos import Point
from django.db import connection, transaction
from django.utils import timezone
from django.utils.text import slugify

from shared_apps.accounts.models import User
from tenant_apps.catalogue import indexing
from tenant_apps.catalogue import schedule as sched
from tenant_apps.catalogue.demo_content import Language, Neighbourhood, content_for
from tenant_apps.catalogue.models import (
    OPEN_END,
    Activity,
    ActivitySession,
    Interest,
    Provider,
    ProviderStaff,
    Venue,
)
from tenant_apps.catalogue.search import territory_today
from tenants.models import Territory

BATCH = 2000
INDEX_BATCH = 5000
PRICES = [10, 15, 20, 25, 30, 35, 40, 50, 60]
# Metres of jitter around a neighbourhood's centre.
SPREAD_M = 700
# English titles for the translated share of a generated catalogue (the benchmark's
# searches in the visitor's language, issue 16 item 8); other interests get
# "<interest> club".
ENGLISH_TITLES = {
    "arts": ["Dance studio", "Painting workshop", "Drawing club", "Theatre group"],
    "music": ["Guitar lessons", "Choir", "Band practice", "Music production"],
    "sport": ["Basketball training", "Climbing", "Swimming lessons"],
    "digital": ["Programming basics", "Web design", "Game development"],
    "robotics": ["Robotics club", "LEGO robots", "Drone programming"],
    "nature": ["Nature club", "Birdwatching", "Gardening"],
}
ENGLISH_SUMMARY = "Open to beginners: come and try it with friends."


@dataclass(frozen=True)
class Report:
    providers: int
    venues: int
    activities: int
    public: int


def _jitter(rng: random.Random, place: Neighbourhood, dlat: float, dlon: float) -> Point:
    lat = place.lat + dlat + rng.uniform(-1, 1) * SPREAD_M / 111_000
    lon = place.lon + dlon + rng.uniform(-1, 1) * SPREAD_M / 65_000
    return Point(round(lon, 6), round(lat, 6), srid=4326)


def _provider_name(rng: random.Random, content: Language, place: Neighbourhood) -> tuple[str, str]:
    kind, pattern = rng.choice(content.provider_patterns)
    return kind, pattern.format(nb=place.label, word=rng.choice(content.words))


def clear_catalogue() -> None:
    """Delete every provider, venue and activity of the current territory (keeps the
    interest taxonomy). For the generator's --replace only."""
    with connection.cursor() as cursor:
        cursor.execute(
            "TRUNCATE catalogue_activitysession, catalogue_activity_interests, "
            "catalogue_savedactivity, catalogue_interestedlearner, catalogue_activity, "
            "catalogue_venue, catalogue_providerstaff, catalogue_provider, "
            "catalogue_searchword"
        )


def _schedule(rng: random.Random, today: datetime.date, tz: str) -> dict[str, Any]:
    roll = rng.random()
    if roll < 0.65:
        start = today - datetime.timedelta(days=rng.randint(0, 60))
        start_hour = rng.choice([14, 15, 16, 17, 18])
        return {
            "schedule_kind": Activity.ScheduleKind.WEEKLY,
            "starts_on": start,
            "ends_on": start + datetime.timedelta(days=rng.randint(90, 300)),
            "weekdays": sorted(rng.sample(range(6), rng.choice([1, 1, 2, 2, 3]))),
            "start_time": datetime.time(start_hour, rng.choice([0, 30])),
            "end_time": datetime.time(start_hour + rng.choice([1, 2]), 0),
            "exceptions": [],
        }
    if roll < 0.75:
        first = today + datetime.timedelta(days=rng.randint(0, 40))
        hour = rng.choice([10, 12, 15, 17])
        tzinfo = ZoneInfo(tz)
        sessions = [
            sched.Session(
                datetime.datetime.combine(
                    first + datetime.timedelta(days=7 * n), datetime.time(hour), tzinfo=tzinfo
                ),
                datetime.datetime.combine(
                    first + datetime.timedelta(days=7 * n), datetime.time(hour + 2), tzinfo=tzinfo
                ),
            )
            for n in range(rng.randint(1, 5))
        ]
        return {"schedule_kind": Activity.ScheduleKind.SESSIONS, "_sessions": sessions}
    if roll < 0.9:
        start = today + datetime.timedelta(days=rng.randint(3, 120))
        return {
            "schedule_kind": Activity.ScheduleKind.RANGE,
            "starts_on": start,
            "ends_on": start + datetime.timedelta(days=rng.randint(2, 9)),
            "start_time": datetime.time(9, 0),
            "end_time": datetime.time(rng.choice([13, 15, 17]), 0),
        }
    return {"schedule_kind": Activity.ScheduleKind.OPEN}


def generate(
    *,
    territory: Territory,
    activities: int,
    providers: int,
    seed: int = 1,
    published_share: float = 0.92,
    pending_provider_share: float = 0.03,
    owner: User | None = None,
    translated_share: float = 0.0,
) -> Report:
    """Add ``providers`` providers (with 1-3 venues each) and ``activities`` activities
    to the current territory's schema, and index them."""
    rng = random.Random(seed)  # noqa: S311 - demo data, not security
    content = content_for(territory.default_language)
    centre = territory.map_center
    dlat = centre.y - content.neighbourhoods[0].lat
    dlon = centre.x - content.neighbourhoods[0].lon
    interests = {i.slug: i for i in Interest.objects.filter(is_active=True)}
    slugs_with_titles = [slug for slug in content.titles if slug in interests]
    today = territory_today(territory.timezone)
    now = timezone.now()
    taken = set(Provider.objects.values_list("slug", flat=True))

    provider_rows: list[Provider] = []
    provider_places: list[Neighbourhood] = []
    for n in range(providers):
        place = rng.choice(content.neighbourhoods)
        kind, name = _provider_name(rng, content, place)
        base = slugify(name)[:70] or "provider"
        slug, k = base, 2
        while slug in taken:
            slug, k = f"{base}-{k}", k + 1
        taken.add(slug)
        pending = n > 0 and rng.random() < pending_provider_share
        provider_rows.append(
            Provider(
                name=name,
                slug=slug,
                kind=kind,
                description=content.provider_about.format(name=name, nb=place.name),
                website=f"https://{slug}.example.org",
                email=f"info@{slug}.example.org",
                languages=[content.code],
                status=Provider.Status.PENDING if pending else Provider.Status.VERIFIED,
                trusted=not pending and rng.random() < 0.3,
                verified_at=None if pending else now,
            )
        )
        provider_places.append(place)

    with transaction.atomic():
        created = Provider.objects.bulk_create(provider_rows, batch_size=BATCH)
        if owner is not None and created:
            ProviderStaff.objects.get_or_create(
                provider=created[0], user=owner, defaults={"role": ProviderStaff.Role.OWNER}
            )
        venue_rows: list[Venue] = []
        for provider, place in zip(created, provider_places, strict=True):
            for v in range(rng.choice([1, 1, 1, 2, 2, 3])):
                venue_place = place if v == 0 else rng.choice(content.neighbourhoods)
                pattern = content.venue_patterns[min(v, len(content.venue_patterns) - 1)]
                venue_rows.append(
                    Venue(
                        provider=provider,
                        name=pattern.format(provider=provider.name, nb=venue_place.label),
                        address=f"{rng.choice(content.streets)} {rng.randint(1, 120)}",
                        neighbourhood=venue_place.name,
                        point=_jitter(rng, venue_place, dlat, dlon),
                        step_free=rng.random() < 0.6,
                        accessible_toilet=rng.random() < 0.4,
                        hearing_loop=rng.random() < 0.1,
                        quiet_space=rng.random() < 0.25,
                    )
                )
        venues = Venue.objects.bulk_create(venue_rows, batch_size=BATCH)
        venues_of: dict[int, list[Venue]] = {}
        for venue in venues:
            venues_of.setdefault(venue.provider_id, []).append(venue)

        activity_rows: list[Activity] = []
        activity_interests: list[list[int]] = []
        activity_sessions: list[list[sched.Session]] = []
        for n in range(activities):
            # Every provider gets at least one activity, the rest at random.
            provider = created[n % len(created)] if n < len(created) else rng.choice(created)
            slug = rng.choice(slugs_with_titles)
            title = rng.choice(content.titles[slug])
            suffix, age_min, age_max = rng.choice(content.levels)
            venue = rng.choice(venues_of[provider.pk])
            fmt = rng.choices(["local", "online", "hybrid"], weights=[80, 10, 10])[0]
            schedule = _schedule(rng, today, territory.timezone)
            sessions: list[sched.Session] = schedule.pop("_sessions", [])
            free = rng.random() < 0.45
            published = rng.random() < published_share
            status = (
                Activity.Status.PUBLISHED
                if published
                else rng.choice([Activity.Status.SUBMITTED, Activity.Status.DRAFT])
            )
            join_method = rng.choices(["link", "contact", "interested"], weights=[40, 30, 30])[0]
            full_title = f"{title} {suffix}".strip()
            translations: dict[str, dict[str, str]] = {}
            if translated_share and rng.random() < translated_share:
                english = ENGLISH_TITLES.get(slug) or [
                    f"{interests[slug].names.get('en', slug)} club"
                ]
                translations = {"en": {"title": rng.choice(english), "summary": ENGLISH_SUMMARY}}
            activity = Activity(
                provider=provider,
                venue=venue if fmt != "online" else None,
                title=full_title,
                translations=translations,
                summary=content.what[slug],
                description=content.description.format(
                    what=content.what[slug],
                    provider=provider.name,
                    venue=venue.name,
                    nb=venue.neighbourhood,
                ),
                format=fmt,
                online_url=f"{provider.website}/online" if fmt != "local" else "",
                age_min=age_min,
                age_max=age_max,
                is_free=free,
                price=None if free else Decimal(rng.choice(PRICES)),
                price_note="" if free else content.price_note,
                voucher=(not free) and content.voucher and rng.random() < 0.6,
                languages=[content.code]
                + ([rng.choice(content.second_languages)] if rng.random() < 0.15 else []),
                capacity=rng.choice([None, 10, 12, 15, 20, 25, 30]),
                join_method=join_method,
                join_url=f"{provider.website}/registracija" if join_method == "link" else "",
                join_contact=provider.email if join_method == "contact" else "",
                status=status,
                submitted_at=now if status != Activity.Status.DRAFT else None,
                published_at=(
                    now - datetime.timedelta(hours=rng.randint(1, 24 * 90)) if published else None
                ),
                **schedule,
            )
            sched_value = dataclasses.replace(
                activity.schedule(territory.timezone, sessions=[]), sessions=tuple(sessions)
            )
            columns = sched.index_columns(sched_value, today, open_end=OPEN_END)
            activity.days = columns.days
            activity.first_date, activity.last_date = columns.first, columns.last
            activity.next_date = columns.next
            activity_rows.append(activity)
            second = rng.choice(slugs_with_titles) if rng.random() < 0.35 else None
            activity_interests.append(
                [interests[slug].pk] + ([interests[second].pk] if second and second != slug else [])
            )
            activity_sessions.append(list(sessions))

        made = Activity.objects.bulk_create(activity_rows, batch_size=BATCH)
        Through = Activity.interests.through
        Through.objects.bulk_create(
            [
                Through(activity_id=activity.pk, interest_id=interest_id)
                for activity, ids in zip(made, activity_interests, strict=True)
                for interest_id in ids
            ],
            batch_size=BATCH * 2,
        )
        ActivitySession.objects.bulk_create(
            [
                ActivitySession(activity=activity, starts_at=s.starts_at, ends_at=s.ends_at)
                for activity, sessions in zip(made, activity_sessions, strict=True)
                for s in sessions
            ],
            batch_size=BATCH * 2,
        )
        ids = [a.pk for a in made]
        public = 0
        for start in range(0, len(ids), INDEX_BATCH):
            chunk = ids[start : start + INDEX_BATCH]
            rows = indexing.refresh(chunk, language=territory.default_language)
            public += sum(1 for r in rows if r.is_public)
            indexing.remember_words(chunk)
        indexing.remember_interest_words()
    return Report(providers=len(created), venues=len(venues), activities=len(made), public=public)
