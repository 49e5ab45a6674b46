"""Minors and data rights figures (issue #10).

1. is_restricted(): the check every publishing place makes (one query), median and
   p95 over 500 calls.
2. Download my data and Delete my account for a learner with memberships, saved
   activities, "I'm interested" and awards in 3 of 10 territories: exporters and erasers
   run in every territory's schema, so the figure grows with the number of territories.
3. The retention run over 500 inactive minors' accounts (flag + two emails each).

Run: `make bench` (or `PGPORT=... .venv/bin/python bench/bench_guardians.py`).
"""

from __future__ import annotations

import datetime
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.common import median, percentile, recreate_database, report, setup_django

DB = "cities_bench_guardians"
TERRITORIES = 10
MINORS = 500


def main() -> None:
    os.environ["EMAIL_BACKEND"] = "django.core.mail.backends.locmem.EmailBackend"
    recreate_database(DB)
    setup_django(DB)
    from allauth.account.models import EmailAddress
    from django.conf import settings
    from django.contrib.auth.hashers import make_password
    from django.contrib.gis.geos import Point
    from django.core.management import call_command
    from django.db import transaction
    from django.utils import timezone
    from django_tenants.utils import tenant_context

    from shared_apps.accounts import data_rights
    from shared_apps.accounts.actions import ensure_learner_membership
    from shared_apps.accounts.models import User
    from shared_apps.guardians.actions import record_birth_month
    from shared_apps.guardians.models import AgeRecord
    from shared_apps.guardians.retention import apply_retention
    from shared_apps.guardians.selectors import is_restricted
    from tenant_apps.badges import actions, images
    from tenant_apps.badges.models import Award
    from tenant_apps.catalogue.actions import mark_interested
    from tenant_apps.catalogue.models import Activity, Provider
    from tenants.actions import provision_territory
    from tenants.models import Territory

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    call_command("migrate_schemas", shared=True, interactive=False, verbosity=0)
    territories = [
        provision_territory(
            name=f"Bench {n}",
            slug=f"bench{n}",
            country="LT",
            default_language="lt",
            timezone_name="Europe/Vilnius",
            map_center=Point(25.28, 54.69, srid=4326),
            status=Territory.Status.ACTIVE,
        )
        for n in range(TERRITORIES)
    ]
    today = timezone.localdate()
    learner = User.objects.create_user("bench.learner@example.org", "a long bench pass 2026")
    EmailAddress.objects.create(user=learner, email=learner.email, verified=True, primary=True)
    record_birth_month(
        user=learner, birth_year=today.year - 13, birth_month=1, territory=territories[0]
    )
    for territory in territories[:3]:
        ensure_learner_membership(user=learner, territory=territory)
        with tenant_context(territory):
            provider = Provider.objects.create(name="Club", slug="club", status="verified")
            for n in range(5):
                activity = Activity.objects.create(
                    provider=provider, title=f"Activity {n}", summary="x", status="published"
                )
                mark_interested(user=learner, activity=activity, share_contact=False, point=None)
            issuer = actions.ensure_territory_issuer(territory)
            for n in range(3):
                badge = actions.create_badge_class(
                    territory=territory,
                    issuer=issuer,
                    data=actions.BadgeClassData(
                        name=f"Badge {n}",
                        description="d",
                        criteria_narrative="c",
                        criteria_requirements=[],
                        tags=[],
                        alignments=[],
                        expires_after_days=None,
                        accepts_applications=False,
                        required_badges=[],
                    ),
                    image=images.from_template(label="B", primary="#1f4e79", accent="#f2b134"),
                    acting_user=None,
                )
                actions.award_badge(
                    territory=territory,
                    badge_class=badge,
                    recipient=actions.recipient_for_user(learner),
                    source=Award.Source.MANUAL,
                )

    figures: dict[str, object] = {"cores": os.cpu_count(), "territories": TERRITORIES}
    timings = []
    for _ in range(500):
        fresh = User.objects.get(pk=learner.pk)
        start = time.perf_counter()
        is_restricted(fresh)
        timings.append((time.perf_counter() - start) * 1000)
    figures["is_restricted_ms_p50"] = round(median(timings), 3)
    figures["is_restricted_ms_p95"] = round(percentile(timings, 95), 3)

    start = time.perf_counter()
    data = data_rights.export_user_data(learner)
    figures["export_ms"] = round((time.perf_counter() - start) * 1000, 1)
    figures["export_awards"] = sum(
        len(section.get("badges", {}).get("awards", [])) for section in data["territories"].values()
    )
    start = time.perf_counter()
    data_rights.delete_account(learner, via="self")
    figures["delete_ms"] = round((time.perf_counter() - start) * 1000, 1)

    long_ago = timezone.now() - datetime.timedelta(days=settings.MINOR_INACTIVE_DAYS + 10)
    unusable = make_password(None)
    with transaction.atomic():
        users = User.objects.bulk_create(
            [
                User(email=f"minor{n}@example.org", password=unusable, date_joined=long_ago)
                for n in range(MINORS)
            ]
        )
        AgeRecord.objects.bulk_create(
            [
                AgeRecord(user=u, birth_year=today.year - 15, birth_month=1, consent_age=14)
                for u in users
            ]
        )
    start = time.perf_counter()
    result = apply_retention()
    figures["retention_flag_ms"] = round((time.perf_counter() - start) * 1000, 1)
    figures["retention_flagged"] = result.flagged
    report("guardians", figures)


if __name__ == "__main__":
    main()
