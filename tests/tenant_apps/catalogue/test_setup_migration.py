"""Migration 0009 moves two facts out of the audit log, per territory: whether the
interest list was reviewed (the welcome checklist) and who last sent an activity for
review. Run here on the real tables of both test territories."""

import importlib
from typing import Any

from django.apps import apps
from django.db import connection
from django_tenants.utils import tenant_context

from shared_apps.audit.events import AuditEvent
from shared_apps.audit.models import AuditEntry
from tenant_apps.catalogue.models import Activity, CatalogueSetup
from tests.tenant_apps.catalogue.factories import make_activity

migration = importlib.import_module("tenant_apps.catalogue.migrations.0009_setup_and_submitter")


class SchemaEditor:
    """What RunPython hands the function: only its connection (and schema) is read."""

    connection: Any = connection


def submitted(activity: Activity, actor: Any, territory: Any) -> AuditEntry:
    return AuditEntry.objects.create(
        actor=actor,
        action=AuditEvent.ACTIVITY_SUBMITTED,
        territory=territory,
        target_type="catalogue.activity",
        target_id=str(activity.pk),
    )


def test_the_facts_move_from_the_log_into_each_territorys_catalogue(
    territory_a, territory_b, provider_a, provider_b, user
) -> None:
    first = AuditEntry.objects.create(action=AuditEvent.INTEREST_SAVED, territory=territory_a)
    AuditEntry.objects.create(action=AuditEvent.INTEREST_SAVED, territory=territory_a)
    drums = make_activity(territory_a, provider_a, "Drums", status=Activity.Status.SUBMITTED)
    chess = make_activity(territory_a, provider_a, "Chess", status=Activity.Status.SUBMITTED)
    seeded = make_activity(territory_a, provider_a, "Seeded", status=Activity.Status.SUBMITTED)
    submitted(drums, user("alan"), territory_a)
    submitted(drums, user("anna"), territory_a)  # sent again, by anna: she is the last
    submitted(chess, None, territory_a)  # by the system: nobody to name
    # borealis' log (its own ids, which may equal aurora's) must not reach aurora, and
    # borealis saved no interest.
    knit = make_activity(territory_b, provider_b, "Knitting", status=Activity.Status.SUBMITTED)
    submitted(knit, user("boris"), territory_b)
    # ... even when it names aurora's ids.
    submitted(seeded, user("bruno"), territory_b)

    for territory in (territory_a, territory_b):
        with tenant_context(territory):
            migration.from_the_audit_log(apps, SchemaEditor())

    with tenant_context(territory_a):
        assert CatalogueSetup.current().interests_reviewed_at == first.created_at
        senders = dict(Activity.objects.values_list("pk", "submitted_by_id"))
        assert senders[drums.pk] == user("anna").pk
        assert senders[chess.pk] is None and senders[seeded.pk] is None
        assert not {user("boris").pk, user("bruno").pk} & set(senders.values())
    with tenant_context(territory_b):
        assert CatalogueSetup.current().interests_reviewed_at is None
        assert Activity.objects.get(pk=knit.pk).submitted_by_id == user("boris").pk
