"""Download my data, delete my account: complete in every schema, atomic, audited
without personal data."""

import json
from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.sessions.models import Session
from django.db import connection
from django.utils import timezone
from django_tenants.utils import schema_context, tenant_context

from shared_apps.accounts import data_rights
from shared_apps.accounts.actions import grant_membership
from shared_apps.accounts.models import User
from shared_apps.audit.models import AuditEntry
from shared_apps.guardians.models import GuardianConsent
from tenant_apps.badges import actions as badge_actions
from tenant_apps.badges.models import Award
from tenant_apps.catalogue.actions import mark_interested, save_for_later
from tenant_apps.catalogue.models import ProviderStaff, SavedActivity
from tenant_apps.playlists import actions as playlist_actions
from tenant_apps.playlists.models import Enrolment, Playlist
from tenants.models import Territory
from tests.conftest import ClientFor, HostClient
from tests.shared_apps.guardians.factories import just_turned, make_learner
from tests.tenant_apps.badges.factories import award, in_territory, make_badge
from tests.tenant_apps.catalogue.factories import make_activity, make_provider
from tests.tenant_apps.playlists.factories import join, make_playlist, steps_of

EMAIL = "leaver@example.org"
INT_TYPES = ("integer", "bigint", "smallint")
TEXT_TYPES = ("text", "character varying", "jsonb", "json")


def scan_every_schema(email: str, user_id: int) -> list[str]:
    """Every text column of every table of every schema that mentions the address, and
    every account-id column that holds the id."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT c.table_schema, c.table_name, c.column_name, c.data_type
            FROM information_schema.columns c
            JOIN information_schema.tables t
              ON t.table_schema = c.table_schema AND t.table_name = c.table_name
            WHERE t.table_type = 'BASE TABLE'
              AND c.table_schema NOT IN ('pg_catalog', 'information_schema')
              AND c.table_schema NOT LIKE 'pg\\_%%'
            """
        )
        columns = cursor.fetchall()
        hits = []
        schemas = set()
        for schema, table, column, data_type in columns:
            schemas.add(schema)
            where = None
            value: str | int = ""
            if data_type in TEXT_TYPES:
                where, value = f'"{column}"::text ILIKE %s', f"%{email}%"
            elif data_type in INT_TYPES and (
                column in ("user_id", "actor_id", "account_id") or column.endswith("_user_id")
            ):
                where, value = f'"{column}" = %s', user_id
            if where is None:
                continue
            cursor.execute(f'SELECT count(*) FROM "{schema}"."{table}" WHERE {where}', [value])  # noqa: S608
            if cursor.fetchone()[0]:
                hits.append(f"{schema}.{table}.{column}")
    assert {"public", "t_aurora", "t_borealis"} <= schemas or len(schemas) > 2
    return hits


@pytest.fixture
def leaver(
    territory_a: Territory,
    territory_b: Territory,
    user: Callable[[str], User],
    django_capture_on_commit_callbacks: Any,
) -> User:
    """An account with something in every app, in both territories."""
    person = make_learner(EMAIL, just_turned(13), territory_a)
    grant_membership(user=person, territory=territory_b, role="provider_staff")
    GuardianConsent.objects.create(
        user=person, guardian_email="parent.of.leaver@example.org", last_sent_at=timezone.now()
    )
    with django_capture_on_commit_callbacks(execute=True):
        for territory in (territory_a, territory_b):
            provider = make_provider(territory, f"Club {territory.slug}")
            activity = make_activity(territory, provider, "Chess club")
            with tenant_context(territory):
                ProviderStaff.objects.create(provider=provider, user=person)
                save_for_later(user=person, activity=activity)
                mark_interested(user=person, activity=activity, share_contact=True, point=None)
                save_for_later(user=user("ada"), activity=activity)
            with in_territory(territory):
                badge = make_badge(territory, f"Chess {territory.slug}")
                award(territory, badge, EMAIL)
                award(territory, badge, "ada@example.org")
                other = make_badge(territory, f"Applied {territory.slug}")
                badge_actions.apply_for_badge(
                    badge_class=other,
                    user=person,
                    statement=f"I, {EMAIL}, played chess.",
                    evidence=[badge_actions.EvidenceInput(note="Won twice")],
                )
            # Playlists: a followed one with evidence waiting, and a personal one.
            path = make_playlist(territory, user("anna"), f"Chess path {territory.slug}")
            join(territory, path, person)
            join(territory, path, user("ada"))
            with tenant_context(territory):
                playlist_actions.submit_evidence(
                    playlist=path,
                    step=steps_of(territory, path)[0],
                    territory=territory,
                    user=person,
                    text=f"Interviewed my neighbour; write to {EMAIL}",
                )
            make_playlist(territory, person, "My own chess plan", personal=True)
    return person


def _sessions_of(user_id: int, schema: str) -> int:
    with schema_context(schema):
        return sum(
            1
            for s in Session.objects.all()
            if str(s.get_decoded().get("_auth_user_id")) == str(user_id)
        )


def test_download_holds_every_app_and_no_one_else(
    leaver: User, territory_a: Territory, client_for: ClientFor
) -> None:
    client = client_for(territory_a)
    client.sign_in(leaver)
    response = client.get("/account/my-data.json")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    data = json.loads(response.content)
    assert data["account"]["email"] == EMAIL
    assert {m["territory"] for m in data["network"]["account"]["memberships"]} == {
        "aurora",
        "borealis",
    }
    assert data["network"]["age_and_consent"]["consent_country"] == "LT"
    for slug in ("aurora", "borealis"):
        section = data["territories"][slug]
        assert section["catalogue"]["saved"][0]["activity"] == "Chess club"
        assert section["catalogue"]["provider_staff"]
        awards = section["badges"]["awards"]
        assert len(awards) == 1
        assert awards[0]["ob2_assertion"]["type"] == "Assertion"
        assert awards[0]["ob3_credential"]
        assert section["badges"]["applications"][0]["evidence"][0]["note"] == "Won twice"
        followed = section["playlists"]
        assert followed["followed"][0]["playlist"] == f"Chess path {slug}"
        assert followed["steps"][0]["state"] == "submitted"
        assert followed["personal_playlists"] == [
            {"title": "My own chess plan", "shared_by_link": False}
        ]
    assert "ada@example.org" not in response.content.decode()
    assert HostClient("localhost").get("/account/my-data.json").status_code == 302


def test_deletion_leaves_nothing_in_any_schema(
    leaver: User,
    territory_a: Territory,
    territory_b: Territory,
    client_for: ClientFor,
    network_client: HostClient,
    user: Callable[[str], User],
) -> None:
    user_id = leaver.pk
    client = client_for(territory_a)
    client.cookies["django_language"] = "en"
    client.sign_in(leaver)
    client_for(territory_b).sign_in(leaver)
    network_client.sign_in(leaver)
    assert scan_every_schema(EMAIL, user_id)  # the scan sees the data before
    award_counts = {}
    for territory in (territory_a, territory_b):
        with tenant_context(territory):
            award_counts[territory.slug] = Award.objects.count()

    refused = client.post("/account/", {"action": "delete", "confirm": "nope"})
    assert refused.status_code == 400 and User.objects.filter(pk=user_id).exists()

    response = client.post("/account/", {"action": "delete", "confirm": "DELETE"})
    assert response.status_code == 302
    assert not User.objects.filter(pk=user_id).exists()
    assert scan_every_schema(EMAIL, user_id) == []
    assert scan_every_schema("parent.of.leaver@example.org", user_id) == []
    for schema in ("public", "t_aurora", "t_borealis"):
        assert _sessions_of(user_id, schema) == 0
    for territory in (territory_a, territory_b):
        with tenant_context(territory):
            # The issuer's record and counts stay; the awards name no one and are revoked.
            assert Award.objects.count() == award_counts[territory.slug]
            assert Award.objects.filter(recipient_email__startswith="erased-").count() == 1
            assert Award.objects.get(recipient_email__startswith="erased-").is_revoked
            # Someone else's data in the same schema is untouched.
            assert SavedActivity.objects.filter(user_id=user("ada").pk).exists()
            assert Award.objects.filter(recipient_email="ada@example.org").exists()
            assert not Enrolment.objects.filter(user_id=user_id).exists()
            assert not Playlist.objects.filter(owner_id=user_id).exists()
            assert Enrolment.objects.filter(user_id=user("ada").pk).exists()
    entry = AuditEntry.objects.get(action="accounts.account_deleted")
    assert entry.actor is None and entry.details == {"via": "self"}
    assert client.get("/account/").status_code == 302  # signed out


def test_a_failing_eraser_leaves_every_schema_as_it_was(
    leaver: User, territory_a: Territory
) -> None:
    def broken(user: Any) -> None:
        raise RuntimeError("eraser failed")

    data_rights.register("zz_broken", scope=data_rights.PUBLIC, eraser=broken)
    try:
        with pytest.raises(RuntimeError):
            data_rights.delete_account(leaver, via="self")
    finally:
        data_rights._handlers.pop("zz_broken")
    assert User.objects.filter(pk=leaver.pk).exists()
    with tenant_context(territory_a):
        assert SavedActivity.objects.filter(user_id=leaver.pk).exists()
        assert Award.objects.filter(recipient_email=EMAIL, revoked_at__isnull=True).exists()


def test_guardian_can_download_and_delete_through_the_link(
    leaver: User, territory_a: Territory, client_for: ClientFor
) -> None:
    from shared_apps.guardians.tokens import make_token

    consent = GuardianConsent.objects.get(user=leaver)
    path = f"/account/guardian/{make_token(consent)}/"
    guardian = client_for(territory_a)
    guardian.cookies["django_language"] = "en"
    download = guardian.post(path, {"action": "download"})
    assert json.loads(download.content)["account"]["email"] == EMAIL
    deleted = guardian.post(path, {"action": "delete", "confirm": "DELETE"})
    assert deleted.status_code == 200 and "was deleted" in deleted.content.decode()
    assert not User.objects.filter(pk=leaver.pk).exists()
    assert AuditEntry.objects.get(action="accounts.account_deleted").details == {"via": "guardian"}
    assert guardian.get(path).status_code == 404


def test_contract_signatory_is_refused(territory_a: Territory, client_for: ClientFor) -> None:
    from shared_apps.onboarding.models import AgreementAcceptance

    person = make_learner("signer@example.org", just_turned(40), territory_a)
    AgreementAcceptance.objects.create(
        user=person,
        territory=territory_a,
        document="terms",
        version="x",
        accepted_at=timezone.now(),
    )
    client = client_for(territory_a)
    client.cookies["django_language"] = "en"
    client.sign_in(person)
    response = client.post("/account/", {"action": "delete", "confirm": "DELETE"})
    assert response.status_code == 400
    assert "transfer them" in response.content.decode()
    assert User.objects.filter(pk=person.pk).exists()
