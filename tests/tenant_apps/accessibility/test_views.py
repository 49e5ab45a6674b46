"""The accessibility statement: public on every territory, its team's part edited by
the territory's admins only, never shown on another territory."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from django_tenants.utils import tenant_context

from shared_apps.accounts.models import User
from shared_apps.audit.models import AuditEntry
from tenant_apps.accessibility.models import AccessibilityStatement
from tenant_apps.accessibility.selectors import axe_version
from tenant_apps.badges.actions import ensure_territory_issuer
from tenant_apps.badges.models import Issuer
from tenants.models import Territory
from tests.conftest import ClientFor, HostClient

ROOT = Path(__file__).resolve().parents[3]
VALID = {
    "contact_email": "access@aurora.example",
    "known_issues": "Videos of the 2025 festival have no captions yet.",
    "enforcement_body": "Equal Opportunities Ombudsperson, Vilnius",
}


def english(client_for: ClientFor, territory: Territory) -> HostClient:
    client = client_for(territory)
    client.cookies["django_language"] = "en"
    return client


def signed_in(
    client_for: ClientFor, territory: Territory, user: Callable[[str], User], name: str
) -> HostClient:
    client = english(client_for, territory)
    client.sign_in(user(name))
    return client


def test_statement_before_the_team_saved_one(
    territory_a: Territory, client_for: ClientFor, django_assert_max_num_queries
) -> None:
    # Provisioning gives the territory its issuer (with a default address): a territory
    # without one (set up before that) has no address to show yet.
    with tenant_context(territory_a):
        Issuer.objects.filter(kind=Issuer.Kind.TERRITORY).delete()
    client = english(client_for, territory_a)
    with django_assert_max_num_queries(8):
        response = client.get("/accessibility/")
    page = response.content.decode()
    assert response.status_code == 200
    for heading in (
        "Compliance status",
        "Non-accessible content",
        "Preparation of this accessibility statement",
        "Feedback and contact information",
        "Enforcement procedure",
    ):
        assert f"<h2>{heading}</h2>" in page
    assert f"axe-core {axe_version()}" in page
    assert "has not given an address for feedback yet" in page
    # Once the territory has its public organisation address, feedback goes there.
    with tenant_context(territory_a):
        issuer = ensure_territory_issuer(territory_a)
    assert f'href="mailto:{issuer.email}"' in client.get("/accessibility/").content.decode()


def test_statement_is_linked_from_the_footer_in_the_readers_language(
    territory_a: Territory, client_for: ClientFor
) -> None:
    home = english(client_for, territory_a).get("/").content.decode()
    assert '<a href="/accessibility/">Accessibility statement</a>' in home
    lithuanian = client_for(territory_a)
    lithuanian.cookies["django_language"] = "lt"
    page = lithuanian.get("/accessibility/").content.decode()
    assert "Pareiškimas dėl prieinamumo" in page
    assert "Compliance status" not in page


def test_admin_saves_the_teams_part_and_it_is_audited(
    territory_a: Territory, client_for: ClientFor, user: Callable[[str], User]
) -> None:
    client = signed_in(client_for, territory_a, user, "anna")
    assert client.get("/manage/accessibility/").status_code == 200
    response = client.post("/manage/accessibility/", VALID)
    assert response.status_code == 302
    page = english(client_for, territory_a).get("/accessibility/").content.decode()
    assert 'href="mailto:access@aurora.example"' in page
    assert "no captions yet" in page
    assert "Equal Opportunities Ombudsperson" in page
    assert "last reviewed this statement" in page
    entry = AuditEntry.objects.get(territory=territory_a, action="accessibility.statement_saved")
    assert entry.actor == user("anna")
    # Saving again updates the one statement.
    client.post("/manage/accessibility/", {**VALID, "known_issues": ""})
    with tenant_context(territory_a):
        assert AccessibilityStatement.objects.count() == 1
        assert AccessibilityStatement.objects.get().known_issues == ""


def test_bad_input_is_refused_with_a_field_error_and_nothing_saved(
    territory_a: Territory, client_for: ClientFor, user: Callable[[str], User]
) -> None:
    client = signed_in(client_for, territory_a, user, "anna")
    response = client.post("/manage/accessibility/", {**VALID, "contact_email": "not an email"})
    assert response.status_code == 400
    assert "Enter a valid email address." in response.content.decode()
    with tenant_context(territory_a):
        assert not AccessibilityStatement.objects.exists()
    assert not AuditEntry.objects.filter(action="accessibility.statement_saved").exists()


def test_only_the_territorys_admins_edit_it(
    territory_a: Territory, client_for: ClientFor, user: Callable[[str], User]
) -> None:
    for name in ("ada", "alan", "bruno", "cora"):
        client = signed_in(client_for, territory_a, user, name)
        assert client.post("/manage/accessibility/", VALID).status_code in (302, 403)
        assert client.get("/manage/accessibility/").status_code in (302, 403)
    visitor = english(client_for, territory_a).get("/manage/accessibility/")
    assert visitor.status_code == 302
    assert "/accounts/login/" in visitor["Location"]
    with tenant_context(territory_a):
        assert not AccessibilityStatement.objects.exists()


def test_one_territorys_statement_never_shows_on_another(
    territory_a: Territory,
    territory_b: Territory,
    client_for: ClientFor,
    user: Callable[[str], User],
) -> None:
    signed_in(client_for, territory_a, user, "anna").post("/manage/accessibility/", VALID)
    response = english(client_for, territory_b).get("/accessibility/")
    other = response.content.decode()
    # borealis's own statement page (the default one, as the team saved none there).
    assert response.status_code == 200
    assert "Compliance status" in other
    assert "access@aurora.example" not in other
    assert "no captions yet" not in other
    with tenant_context(territory_b):
        assert not AccessibilityStatement.objects.exists()


def test_the_statement_names_the_axe_core_the_audit_runs() -> None:
    package = json.loads((ROOT / "package.json").read_text())
    assert axe_version() == package["devDependencies"]["axe-core"]
    installed = json.loads((ROOT / "node_modules" / "axe-core" / "package.json").read_text())
    assert installed["version"] == axe_version()
