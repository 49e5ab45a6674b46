"""Releases, provisioning with an empty pool, and per-person work at 1,000 territories
(issue #17, items 1, 4 and 5).

1,000 territory schemas are made by copying one migrated schema (pg_dump of its DDL
and rows once, the name replaced, loaded with psql in batches by two processes); each
copy gets its Territory, Domain and SchemaState rows, as provisioning writes them. The
copies are complete schemas (tables, indexes, constraints, django_migrations rows).

Figures:
- ``noop_release_s``: `manage.py migrate_territories` (a fresh process, Django start-up
  included) when every schema is current; goal <= 30 s (before: `migrate_schemas
  --tenant` asks every schema, ~0.5 s each; ``migrate_schemas_per_schema_s`` is that
  cost measured here on a sample, and ``migrate_schemas_extrapolated_s`` the total).
- ``release_with_4_behind_s``: the same command when 4 schemas really lack a migration
  (2 worker processes): only those 4 are migrated.
- ``submit_answer_pool_empty_s``: the sign-up wizard's final submit with the standby
  pool empty (Django's test client through the full middleware stack, in this
  process); goal <= 1 s. ``submit_to_live_pool_empty_s``: until the territory is live
  (its schema built by the background thread).
- ``export_s``, ``withdraw_consent_s``, ``delete_account_s``: per-person work for a
  learner with rows in 3 of the territories; goal <= 1 s each.
  ``export_every_schema_s``: the same export walking every schema (the old way).

Run: `.venv/bin/python bench/bench_releases.py` (BENCH_TERRITORIES=1000 by default).
"""

from __future__ import annotations

import os
import re
import secrets
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.common import (
    PGPORT,
    ROOT,
    database_url,
    median,
    recreate_database,
    report,
    setup_django,
    wizard_answers,
)

DB = "cities_bench_releases"
TERRITORIES = int(os.environ.get("BENCH_TERRITORIES", "1000"))
PGBIN = os.environ.get("PG_BIN_DIR") or "/usr/lib/postgresql/15/bin"
PG_ARGS = ["-h", "127.0.0.1", "-p", PGPORT, "-U", "postgres"]


def psql(sql: str) -> None:
    subprocess.run(
        [f"{PGBIN}/psql", *PG_ARGS, "-d", DB, "-q", "-v", "ON_ERROR_STOP=1"],
        input=sql,
        text=True,
        check=True,
        capture_output=True,
    )


def clone_schemas(template: str, names: list[str]) -> None:
    """Copies of ``template`` under each name: one pg_dump, then psql in batches."""
    dump = subprocess.run(
        [f"{PGBIN}/pg_dump", *PG_ARGS, "-n", template, "--no-owner", "--no-privileges", DB],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    dump = "\n".join(
        line
        for line in dump.splitlines()
        if not line.startswith("SELECT pg_catalog.set_config('search_path'")
    )
    batches = [names[i : i + 25] for i in range(0, len(names), 25)]
    with ThreadPoolExecutor(max_workers=2) as executor:
        list(
            executor.map(
                lambda batch: psql("\n".join(dump.replace(template, name) for name in batch)),
                batches,
            )
        )


def run_command(*args: str, processes: int = 2) -> float:
    env = {
        **os.environ,
        "DATABASE_URL": database_url(DB),
        "DB_POOL": "0",
        "MIGRATION_PROCESSES": str(processes),
    }
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True, capture_output=True
    )
    return time.perf_counter() - started


def main() -> None:
    # BENCH_REUSE=1: keep the database of an earlier run if it has the territories
    # (cloning 1,000 schemas takes ~10 minutes on a busy 2-core machine).
    reuse = os.environ.get("BENCH_REUSE") == "1"
    if not reuse:
        recreate_database(DB)
    os.environ["EMAIL_BACKEND"] = "django.core.mail.backends.locmem.EmailBackend"
    os.environ["STANDBY_POOL_SIZE"] = "1"
    setup_django(DB)
    from django.conf import settings
    from django.contrib.gis.geos import Point
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    from tenants import pool
    from tenants.models import Domain, SchemaState, StandbySchema, Territory
    from tenants.validation import confusable_skeleton

    settings.STANDBY_REFILL_AFTER_PROVISIONING = False
    figures: dict[str, object] = {"territories": TERRITORIES}
    call_command("migrate_schemas", shared=True, interactive=False, verbosity=0)
    territories = list(Territory.objects.filter(slug__startswith="filler-").order_by("slug"))
    if not reuse or len(territories) != TERRITORIES:
        pool.refill_pool(1)
        template = StandbySchema.objects.get().name
        StandbySchema.objects.filter(name=template).delete()  # kept as a schema, out of the pool

        started = time.perf_counter()
        slugs = [f"filler-{i:04d}" for i in range(TERRITORIES)]
        clone_schemas(template, ["t_" + slug.replace("-", "_") for slug in slugs])
        now = timezone.now()
        territories = Territory.objects.bulk_create(
            Territory(
                name=f"Filler {slug[-4:]}",
                slug=slug,
                slug_skeleton=confusable_skeleton(slug),
                schema_name="t_" + slug.replace("-", "_"),
                country="LT",
                default_language="lt",
                languages=["lt", "en"],
                timezone="Europe/Vilnius",
                map_center=Point(25.28, 54.69, srid=4326),
                status=Territory.Status.ACTIVE,
            )
            for slug in slugs
        )
        Domain.objects.bulk_create(
            Domain(domain=t.host, tenant=t, is_primary=True, is_verified=True, verified_at=now)
            for t in territories
        )
        SchemaState.objects.bulk_create(
            SchemaState(territory=t, fingerprint=pool.migrations_fingerprint(), migrated_at=now)
            for t in territories
        )
        figures["clone_seconds"] = round(time.perf_counter() - started, 1)

    # ---- 1. releases -------------------------------------------------------------
    sample = territories[:5]
    started = time.perf_counter()
    for territory in sample:
        call_command(
            "migrate_schemas",
            tenant=True,
            schema_name=territory.schema_name,
            interactive=False,
            verbosity=0,
        )
    per_schema = (time.perf_counter() - started) / len(sample)
    connection.set_schema_to_public()  # type: ignore[attr-defined]
    figures["migrate_schemas_per_schema_s"] = round(per_schema, 3)
    figures["migrate_schemas_extrapolated_s"] = round(per_schema * TERRITORIES, 1)

    figures["noop_release_s"] = round(run_command("migrate_territories"), 2)
    figures["load_average_at_release"] = round(os.getloadavg()[0], 1)
    figures["noop_release_verify_s"] = round(run_command("migrate_territories", "--verify"), 2)
    behind = territories[10:14]
    with connection.cursor() as cursor:
        for territory in behind:
            schema = territory.schema_name
            cursor.execute(f'DROP TABLE "{schema}".django_session')
            cursor.execute(f"DELETE FROM \"{schema}\".django_migrations WHERE app = 'sessions'")  # noqa: S608
    SchemaState.objects.filter(territory__in=behind).update(fingerprint="older-code")
    figures["release_with_4_behind_s"] = round(run_command("migrate_territories"), 2)
    states = SchemaState.objects.filter(territory__in=behind)
    if any(s.fingerprint != pool.migrations_fingerprint() for s in states):
        raise RuntimeError("the schemas behind were not migrated")

    # ---- 4. provisioning with the standby pool empty -------------------------------
    answers, lives = [], []
    run = secrets.token_hex(3)
    for n in range(3):
        StandbySchema.objects.all().delete()
        answer, live = sign_up(f"empty-pool-{run}-{n}")
        answers.append(answer)
        lives.append(live)
    # The first probe also pays this process's first imports and template loads.
    figures["submit_answer_pool_empty_s"] = {
        "p50": round(median(answers), 3),
        "max": round(max(answers), 3),
    }
    figures["submit_to_live_pool_empty_s"] = {
        "p50": round(median(lives), 2),
        "max": round(max(lives), 2),
    }
    figures["load_average_1min"] = round(os.getloadavg()[0], 1)

    # ---- 5. per-person work --------------------------------------------------------
    figures.update(per_person(territories))
    figures["territories_at_end"] = Territory.objects.count()
    report("releases", figures)


def sign_up(slug: str) -> tuple[float, float]:
    """The wizard, step by step, then the final submit timed; then until live."""
    from django.test import Client

    from tenants.models import Territory

    wizard = Client(HTTP_HOST="localhost")
    wizard.post("/join/")
    steps = wizard_answers(slug)
    for step, data in steps.items():
        answer = wizard.post(f"/join/step/{step}/", data)
        if answer.status_code != 302:
            raise RuntimeError(f"{step}: {answer.status_code}")
        if answer["Location"] == "/join/step/administrator/code/":
            # The one-time code proving the address, read back from the outbox.
            from shared_apps.ops.models import OutboundEmail

            body = OutboundEmail.objects.filter(to=[data["email"]]).latest("created_at").body
            code = re.search(r"\b(\d{6})\b", body).group(1)  # type: ignore[union-attr]
            answer = wizard.post("/join/step/administrator/code/", {"code": code})
            if answer.status_code != 302:
                raise RuntimeError(f"code: {answer.status_code}")
    started = time.perf_counter()
    answer = wizard.post("/join/step/review/")
    answered = time.perf_counter() - started
    if answer.status_code != 302 or answer["Location"] != "/join/preparing/":
        raise RuntimeError(f"submit: {answer.status_code} {answer.get('Location')}")
    deadline = time.monotonic() + 120
    while True:
        page = wizard.get("/join/preparing/")
        if page.status_code == 302:
            break
        if time.monotonic() > deadline:
            raise RuntimeError("the territory never went live")
        time.sleep(0.1)
    live = time.perf_counter() - started
    if Territory.objects.get(slug=slug).status != Territory.Status.TRIAL:
        raise RuntimeError("not live")
    return answered, live


def per_person(territories: list[Any]) -> dict[str, object]:
    from allauth.account.models import EmailAddress
    from django_tenants.utils import tenant_context

    from shared_apps.accounts import data_rights
    from shared_apps.accounts.actions import grant_membership
    from shared_apps.accounts.models import User
    from shared_apps.guardians.actions import withdraw_consent
    from shared_apps.guardians.models import GuardianConsent
    from tenant_apps.catalogue.actions import mark_interested, save_for_later
    from tenant_apps.catalogue.generator import generate
    from tenant_apps.catalogue.models import Activity
    from tenants.models import Territory

    person = User.objects.create_user(
        f"learner-{secrets.token_hex(3)}@bench.example", "a long bench passphrase"
    )
    EmailAddress.objects.create(user=person, email=person.email, primary=True, verified=True)
    owner = User.objects.create_user(
        f"owner-{secrets.token_hex(3)}@bench.example", "a long bench passphrase"
    )
    member_of = [territories[1], territories[len(territories) // 2]]
    for territory in member_of:
        grant_membership(user=person, territory=territory, role="learner")
    # Rows in three territories: two where the learner is a member, one where not.
    for territory in [*member_of, territories[-2]]:
        with tenant_context(territory):
            generate(territory=territory, activities=5, providers=1, owner=owner)
            for activity in Activity.objects.filter(status=Activity.Status.PUBLISHED)[:3]:
                save_for_later(user=person, activity=activity)
                mark_interested(user=person, activity=activity, share_contact=True, point=None)
    consent = GuardianConsent.objects.create(
        user=person, guardian_email="parent@bench.example", status="confirmed"
    )

    # A web process has every app's modules loaded; this one has not imported the
    # badges' actions yet (cairosvg's first import alone takes ~1.5 s here).
    import tenant_apps.badges.actions  # noqa: F401

    figures: dict[str, object] = {}
    started = time.perf_counter()
    data = data_rights.export_user_data(person)
    figures["export_s"] = round(time.perf_counter() - started, 3)
    if len(data["territories"]) != 3:
        raise RuntimeError(f"export found {sorted(data['territories'])}")

    everything = data_rights._territories
    data_rights._territories = lambda user: list(Territory.objects.order_by("slug"))
    try:
        started = time.perf_counter()
        data_rights.export_user_data(person)
        figures["export_every_schema_s"] = round(time.perf_counter() - started, 2)
    finally:
        data_rights._territories = everything

    started = time.perf_counter()
    withdraw_consent(consent=consent)
    figures["withdraw_consent_s"] = round(time.perf_counter() - started, 3)

    started = time.perf_counter()
    data_rights.delete_account(person, via="self")
    figures["delete_account_s"] = round(time.perf_counter() - started, 3)
    return figures


if __name__ == "__main__":
    main()
