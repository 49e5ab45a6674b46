import io
from collections.abc import Callable

import pytest
from django.contrib.gis.geos import Point
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.db import connection
from django_tenants.utils import schema_exists

from shared_apps.accounts.models import Membership, User
from shared_apps.audit.models import AuditEntry
from tenants import actions
from tenants.actions import provision_territory
from tenants.models import Domain, Territory
from tests.conftest import ClientFor


def provision(slug: str, **overrides: object) -> Territory:
    arguments: dict[str, object] = {
        "name": "Kaunas",
        "slug": slug,
        "country": "LT",
        "default_language": "lt",
        "languages": ["en"],
        "timezone_name": "Europe/Vilnius",
        "map_center": Point(23.90, 54.90, srid=4326),
    }
    arguments.update(overrides)
    return provision_territory(**arguments)  # type: ignore[arg-type]


def tables_in(schema: str) -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = %s", [schema]
        )
        return {row[0] for row in cursor.fetchall()}


def test_provisioning_creates_schema_domain_admin_and_audit(
    db: None, user: Callable[[str], User]
) -> None:
    admin = user("pat")
    territory = provision("kaunas", admin=admin, acting_user=admin)

    assert territory.schema_name == "t_kaunas"
    assert schema_exists("t_kaunas")
    assert {"django_session", "django_migrations"} <= tables_in("t_kaunas")
    domain = Domain.objects.get(tenant=territory)
    assert (domain.domain, domain.is_primary, domain.is_verified) == (
        "kaunas.localhost",
        True,
        True,
    )
    assert Membership.objects.get(territory=territory, user=admin).role == "territory_admin"
    assert AuditEntry.objects.filter(territory=territory, action="territory.provisioned").exists()
    assert territory.languages == ["lt", "en"]


def test_refused_slug_creates_nothing(db: None) -> None:
    before = Territory.objects.count()
    with pytest.raises(ValidationError) as excinfo:
        provision("aur0ra")  # confusable with the test network's "aurora"
    assert "aurora" in excinfo.value.message_dict["slug"][0]
    assert Territory.objects.count() == before
    assert not schema_exists("t_aur0ra")


def test_invalid_fields_are_all_reported(db: None) -> None:
    with pytest.raises(ValidationError) as excinfo:
        provision(
            "kaunas",
            default_language="xx",
            timezone_name="Mars/Olympus",
            primary_color="#ffff00",
            country="ZZ",
        )
    assert {"default_language", "timezone", "primary_color", "country"} <= set(
        excinfo.value.message_dict
    )
    assert not Territory.objects.filter(slug="kaunas").exists()


def test_failure_half_way_leaves_no_trace(
    db: None, user: Callable[[str], User], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The schema is migrated, then granting the admin fails: nothing may remain."""

    def explode(**kwargs: object) -> None:
        assert schema_exists("t_kaunas")  # we really are half-way
        raise RuntimeError("injected failure")

    monkeypatch.setattr(actions, "grant_membership", explode)
    with pytest.raises(RuntimeError):
        provision("kaunas", admin=user("pat"))

    assert not Territory.objects.filter(slug="kaunas").exists()
    assert not Domain.objects.filter(domain="kaunas.localhost").exists()
    assert not schema_exists("t_kaunas")
    assert not AuditEntry.objects.filter(details__slug="kaunas").exists()


def test_provisioned_territory_is_served(db: None, client_for: ClientFor) -> None:
    territory = provision("kaunas")
    response = client_for(territory).get("/")
    assert response.status_code == 200
    assert "Kaunas" in response.content.decode()


def test_provision_command(db: None) -> None:
    out = io.StringIO()
    call_command(
        "provision_territory",
        "--slug=kaunas",
        "--name=Kaunas",
        "--country=lt",
        "--language=lt",
        "--languages=en",
        "--timezone=Europe/Vilnius",
        "--center=54.8985,23.9036",
        "--admin-email=youth@kaunas.example",
        stdout=out,
    )
    territory = Territory.objects.get(slug="kaunas")
    assert territory.map_center.y == pytest.approx(54.8985)
    assert Membership.objects.get(territory=territory).user.email == "youth@kaunas.example"
    assert "kaunas.localhost" in out.getvalue()


def test_provision_command_refusal_says_why_and_leaves_no_account(db: None) -> None:
    with pytest.raises(CommandError) as excinfo:
        call_command(
            "provision_territory",
            "--slug=www",
            "--name=W",
            "--country=LT",
            "--language=lt",
            "--timezone=Europe/Vilnius",
            "--center=54.9,23.9",
            "--admin-email=nobody@kaunas.example",
        )
    assert "reserved" in str(excinfo.value)
    assert not User.objects.filter(email="nobody@kaunas.example").exists()


def test_provision_command_rejects_bad_coordinates(db: None) -> None:
    with pytest.raises(CommandError, match="latitude,longitude"):
        call_command(
            "provision_territory",
            "--slug=kaunas",
            "--name=K",
            "--country=LT",
            "--language=lt",
            "--timezone=Europe/Vilnius",
            "--center=north",
        )


def test_a_sign_up_losing_the_race_after_the_checks_is_told_the_address_is_taken(
    db: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The winner commits between our checks and our save: django-tenants refuses the
    schema name, and the loser hears why in words about the address."""
    winner = provision("kaunas")
    real_check = actions.check_new_slug
    calls = []

    def checks_before_the_winner_committed(slug: str) -> None:
        calls.append(slug)
        if len(calls) > 1:  # after the save: the winner is visible
            real_check(slug)

    monkeypatch.setattr(actions, "check_new_slug", checks_before_the_winner_committed)
    monkeypatch.setattr(actions, "schema_exists", lambda name: False)
    with pytest.raises(ValidationError) as refused:
        provision("kaunas")
    assert "already taken" in str(refused.value.message_dict["slug"])
    assert Territory.objects.filter(slug="kaunas").count() == 1
    assert Territory.objects.get(slug="kaunas").pk == winner.pk
