"""Network figures (issue #7).

1. Network search over 100 territories x 2,000 activities (200,000 index rows, inserted
   directly in bulk): p50/p95 of the search query (the selector, evaluated) and of the
   whole "across the network" page (Django test client in-process, territory host),
   over a mix of free-text searches and distances from several territories.
   Goal: p95 <= 50 ms.
2. Index consistency: N random publish / edit / unpublish / delete operations (and a
   few provider suspensions and re-verifications) in two real territories, each in its
   own committed transaction so the index is updated by the after-commit callbacks as
   in production; then the reconciliation (dry run) counts the differences between the
   index and the territories' own data. Goal: zero.

Run: `PGPORT=... .venv/bin/python bench/bench_network.py` (BENCH_OPS=10000 by default).
"""

from __future__ import annotations

import os
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.common import median, percentile, recreate_database, report, setup_django

DB = "cities_bench_network"
TERRITORIES = 100
PER_TERRITORY = 2000
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "10"))
OPS = int(os.environ.get("BENCH_OPS", "10000"))
SEARCHES = [
    ("robot", 50),
    ("music club", 100),
    ("dance", 25),
    ("", 50),
    ("programming basics", 100),
    ("art", 250),
    ("photo", 50),
    ("nothingmatcheshere", 50),
    ("club", 100),
    ("theatre workshop", 50),
    ("guit", 50),
    ("climate", 100),
]
# Topics and modifiers of the generated titles ("Robotics club for beginners"): each
# topic word is in ~1.7 % of activities, like a real network's vocabulary (the search
# terms above are among them).
TOPICS = [
    "robotics",
    "music",
    "dance",
    "theatre",
    "photo",
    "programming",
    "art",
    "football",
    "chess",
    "science",
    "nature",
    "cooking",
    "film",
    "writing",
    "design",
    "volunteering",
    "drawing",
    "painting",
    "sculpture",
    "pottery",
    "guitar",
    "piano",
    "drums",
    "singing",
    "choir",
    "orchestra",
    "jazz",
    "rap",
    "poetry",
    "journalism",
    "podcast",
    "radio",
    "video",
    "animation",
    "gaming",
    "esports",
    "coding",
    "electronics",
    "arduino",
    "drones",
    "astronomy",
    "biology",
    "chemistry",
    "physics",
    "mathematics",
    "history",
    "languages",
    "english",
    "german",
    "french",
    "spanish",
    "italian",
    "debate",
    "leadership",
    "entrepreneurship",
    "finance",
    "careers",
    "climate",
    "ecology",
    "gardening",
    "hiking",
    "climbing",
    "swimming",
    "sailing",
    "rowing",
    "cycling",
    "running",
    "athletics",
    "basketball",
    "volleyball",
    "handball",
    "tennis",
    "badminton",
    "judo",
    "karate",
    "boxing",
    "yoga",
    "fitness",
    "skateboarding",
    "parkour",
    "circus",
    "juggling",
    "magic",
    "crafts",
    "knitting",
    "sewing",
    "fashion",
    "woodwork",
    "carpentry",
    "welding",
    "mechanics",
    "cars",
    "bikes",
    "architecture",
    "urbanism",
    "mapping",
    "geography",
    "heritage",
    "museum",
    "library",
    "reading",
    "comics",
    "manga",
    "boardgames",
    "roleplay",
    "improv",
    "storytelling",
    "mediation",
    "firstaid",
    "babysitting",
    "cooking",
    "baking",
    "nutrition",
    "health",
    "psychology",
    "mindfulness",
    "photography",
    "printing",
    "makerspace",
    "3dprinting",
    "lasercutting",
    "webdesign",
    "apps",
    "ai",
    "data",
    "cybersecurity",
    "networking",
    "linux",
]
MODIFIERS = [
    "club",
    "workshop",
    "camp",
    "basics",
    "advanced",
    "studio",
    "lab",
    "team",
    "course",
    "school",
    "academy",
    "circle",
    "meetup",
    "project",
    "challenge",
    "marathon",
    "festival",
    "session",
]
WORDS = TOPICS + MODIFIERS

INSERT_SQL = """
INSERT INTO netsearch_networkactivity
    (territory_id, activity_id, title, summary, interests, format, is_online, is_local,
     point, languages, path, fingerprint, updated_at)
SELECT t.id, g, s.title, s.summary, ARRAY[s.w1], s.fmt,
       s.fmt <> 'local', s.fmt <> 'online',
       CASE WHEN s.fmt <> 'online' THEN ST_SetSRID(ST_MakePoint(
           ST_X(t.map_center) + (random() - 0.5) * 0.4,
           ST_Y(t.map_center) + (random() - 0.5) * 0.3), 4326)::geography END,
       ARRAY[t.default_language], '/activities/' || g || '/', md5(g::text), now()
FROM tenants_territory t
CROSS JOIN generate_series(1, %(per)s) AS g
CROSS JOIN LATERAL (
    SELECT t[1 + floor(random() * cardinality(t))::int] AS w1,
           m[1 + floor(random() * cardinality(m))::int] AS w2,
           t[1 + floor(random() * cardinality(t))::int] AS w3,
           -- 8 in 10 at a venue, 1 in 10 online, 1 in 10 both.
           (ARRAY['local', 'local', 'local', 'local', 'local', 'local', 'local', 'local',
                  'online', 'hybrid'])[1 + floor(random() * 10)::int] AS fmt
    FROM (SELECT %(topics)s::text[] AS t, %(modifiers)s::text[] AS m) words
    WHERE g > 0
) r
CROSS JOIN LATERAL (
    SELECT initcap(r.w1) || ' ' || r.w2 AS title,
           'Learn ' || r.w1 || ' and some ' || r.w3 || ' with friends.' AS summary, r.fmt,
           r.w1
) s
WHERE t.slug LIKE 'town-%%'
"""


def search_figures() -> dict[str, object]:
    from django.contrib.gis.geos import Point
    from django.db import connection
    from django.test import Client

    from shared_apps.netsearch.actions import VECTOR_EXPRESSION
    from shared_apps.netsearch.selectors import network_search
    from tenants.models import Domain, Territory

    started = time.perf_counter()
    for i in range(TERRITORIES):
        territory = Territory.objects.create(
            name=f"Town {i}",
            slug=f"town-{i}",
            slug_skeleton=f"town{i}",
            schema_name=f"t_town_{i}",
            country="FI",
            default_language="en",
            languages=["en"],
            timezone="Europe/Helsinki",
            # A 10 x 10 grid over Europe, ~1 degree apart: a few neighbours each.
            map_center=Point(5.0 + (i % 10) * 1.4, 45.0 + (i // 10) * 1.0, srid=4326),
            status=Territory.Status.ACTIVE,
        )
        Domain.objects.create(domain=territory.host, tenant=territory, is_verified=True)
    with connection.cursor() as cursor:
        cursor.execute(INSERT_SQL, {"per": PER_TERRITORY, "topics": TOPICS, "modifiers": MODIFIERS})
        cursor.execute(f"UPDATE netsearch_networkactivity SET search_vector = {VECTOR_EXPRESSION}")  # noqa: S608
        cursor.execute("VACUUM ANALYZE netsearch_networkactivity")
        cursor.execute("SELECT count(*) FROM netsearch_networkactivity")
        rows = cursor.fetchone()[0]
    setup_seconds = time.perf_counter() - started

    origins = list(Territory.objects.filter(slug__in=["town-0", "town-44", "town-55", "town-99"]))
    query_ms: list[float] = []
    page_ms: list[float] = []
    results: list[int] = []
    client = Client()
    for origin in origins:  # warm-up
        list(network_search(text="robot", near=origin.map_center, km=50, exclude=origin))
        client.get("/network/?q=robot", HTTP_HOST=origin.host)
    for _ in range(ROUNDS):
        for origin in origins:
            for text, km in SEARCHES:
                t0 = time.perf_counter()
                found = list(
                    network_search(text=text, near=origin.map_center, km=km, exclude=origin)
                )
                query_ms.append((time.perf_counter() - t0) * 1000)
                results.append(len(found))
                t0 = time.perf_counter()
                response = client.get(
                    "/network/", {"q": text, "km": str(km)}, HTTP_HOST=origin.host
                )
                page_ms.append((time.perf_counter() - t0) * 1000)
                if response.status_code != 200:
                    raise RuntimeError(f"search page answered {response.status_code}")
    return {
        "index_rows": rows,
        "index_setup_s": round(setup_seconds, 1),
        "searches_measured": len(query_ms),
        "search_query_p50_ms": round(median(query_ms), 2),
        "search_query_p95_ms": round(percentile(query_ms, 95), 2),
        "search_page_p50_ms": round(median(page_ms), 2),
        "search_page_p95_ms": round(percentile(page_ms, 95), 2),
        "mean_results": round(sum(results) / len(results), 1),
    }


def consistency_figures() -> dict[str, object]:
    from django.contrib.gis.geos import Point
    from django.db import transaction
    from django.utils import timezone
    from django_tenants.utils import tenant_context

    from shared_apps.netsearch.actions import reconcile_all
    from shared_apps.netsearch.models import NetworkActivity
    from tenant_apps.catalogue import actions, publishing
    from tenant_apps.catalogue.models import Activity, Interest, Provider, Venue
    from tenants.actions import provision_territory
    from tenants.models import Territory

    rng = random.Random(7)
    worlds = []
    for slug, lon, lat in (("alpha", 25.28, 54.69), ("beta", 14.51, 46.06)):
        territory = provision_territory(
            name=slug.title(),
            slug=slug,
            country="LT",
            default_language="en",
            timezone_name="Europe/Vilnius",
            map_center=Point(lon, lat, srid=4326),
            status=Territory.Status.ACTIVE,
        )
        with tenant_context(territory):
            providers = []
            for p in range(5):
                provider = Provider.objects.create(
                    name=f"Provider {p}", slug=f"provider-{p}", status=Provider.Status.VERIFIED
                )
                Venue.objects.create(
                    provider=provider,
                    name="Hall",
                    address="Main street 1",
                    point=Point(lon + p * 0.01, lat, srid=4326),
                )
                providers.append(provider.pk)
            interests = list(Interest.objects.values_list("pk", flat=True))
        worlds.append((territory, providers, interests))

    def refresh(territory: Territory, pk: int, content: bool = True) -> None:
        publishing.refresh_activities([pk], language="en", content_changed=content)

    counts = dict.fromkeys(["publish", "edit", "unpublish", "delete", "provider"], 0)
    started = time.perf_counter()
    for n in range(OPS):
        territory, providers, interests = rng.choice(worlds)
        op = rng.choices(
            ["publish", "edit", "unpublish", "delete", "provider"], [40, 30, 15, 14, 1]
        )[0]
        with tenant_context(territory), transaction.atomic():
            pk = (
                Activity.objects.order_by("?").values_list("pk", flat=True).first()
                if op != "publish" or rng.random() < 0.3
                else None
            )
            if op == "publish":
                if pk is not None:
                    Activity.objects.filter(pk=pk).update(
                        status=Activity.Status.PUBLISHED, published_at=timezone.now()
                    )
                    refresh(territory, pk, content=False)
                else:
                    provider_id = rng.choice(providers)
                    fmt = rng.choice(["local", "online", "hybrid"])
                    activity = Activity.objects.create(
                        provider_id=provider_id,
                        venue=None
                        if fmt == "online"
                        else Venue.objects.filter(provider_id=provider_id).first(),
                        title=f"{rng.choice(WORDS).title()} {rng.choice(WORDS)} {n}",
                        summary=f"Learn {rng.choice(WORDS)}.",
                        format=fmt,
                        status=Activity.Status.PUBLISHED,
                        published_at=timezone.now(),
                        languages=["en"],
                    )
                    activity.interests.set(rng.sample(interests, 2))
                    refresh(territory, activity.pk)
            elif pk is None:
                pass
            elif op == "edit":
                activity = Activity.objects.get(pk=pk)
                activity.title = f"{rng.choice(WORDS).title()} {rng.choice(WORDS)} e{n}"
                activity.format = rng.choice(["local", "online", "hybrid"])
                if activity.format != "online" and activity.venue_id is None:
                    activity.venue = Venue.objects.filter(provider_id=activity.provider_id).first()
                activity.save()
                activity.interests.set(rng.sample(interests, rng.randint(0, 3)))
                refresh(territory, pk)
            elif op == "unpublish":
                Activity.objects.filter(pk=pk).update(status=Activity.Status.ARCHIVED)
                refresh(territory, pk, content=False)
            elif op == "delete":
                actions.delete_activity(
                    activity=Activity.objects.get(pk=pk),
                    territory=territory,
                    acting_user=None,  # type: ignore[arg-type]  # the system, as from the CLI
                )
            elif op == "provider":
                provider = Provider.objects.get(pk=rng.choice(providers))
                provider.status = (
                    Provider.Status.SUSPENDED
                    if provider.status == Provider.Status.VERIFIED
                    else Provider.Status.VERIFIED
                )
                provider.save()
                ids = list(provider.activities.values_list("pk", flat=True))
                publishing.refresh_activities(ids, language="en", content_changed=False)
        counts[op] += 1
    ops_seconds = time.perf_counter() - started
    differences = reconcile_all(repair=False)
    indexed = NetworkActivity.objects.filter(territory__slug__in=["alpha", "beta"]).count()
    return {
        "operations": OPS,
        **{f"ops_{k}": v for k, v in counts.items()},
        "ops_per_second": round(OPS / ops_seconds, 1),
        "indexed_public_activities": indexed,
        "index_differences": sum(d.count for d in differences),
    }


def main() -> None:
    recreate_database(DB)
    setup_django(DB)
    from django.conf import settings
    from django.core.management import call_command

    # Provisioning migrates the two schemas itself; no background pool refill racing
    # the measured operations.
    settings.STANDBY_REFILL_AFTER_PROVISIONING = False

    call_command("migrate_schemas", shared=True, interactive=False, verbosity=0)
    figures: dict[str, object] = {}
    figures.update(consistency_figures())
    figures.update(search_figures())
    report("network", figures)


if __name__ == "__main__":
    main()
