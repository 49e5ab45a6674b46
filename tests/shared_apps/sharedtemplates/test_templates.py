"""Network templates: published by coordinators, adopted by territories, new versions
offered and never forced."""

import json
from collections.abc import Callable

from django_tenants.utils import tenant_context

from shared_apps.accounts.models import User
from shared_apps.audit.models import AuditEntry
from shared_apps.sharedtemplates.models import NetworkTemplate, TemplateAdoption
from tenant_apps.catalogue.models import Interest
from tenants.models import Territory
from tests.conftest import HostClient

V1 = [
    {"slug": "podcasting", "names": {"en": "Podcasting", "lt": "Podkastai"}},
    {"slug": "music", "names": {"en": "Music (network)"}},
]


def network_as(user: User) -> HostClient:
    client = HostClient("localhost")
    client.cookies["django_language"] = "en"
    client.sign_in(user)
    return client


def territory_as(territory: Territory, user: User) -> HostClient:
    client = HostClient(territory.host, territory)
    client.cookies["django_language"] = "en"
    client.sign_in(user)
    return client


def publish(user: User, payload: object, name: str = "Media interests") -> int:
    return (
        network_as(user)
        .post("/network-templates/", {"name": name, "payload": json.dumps(payload)})
        .status_code
    )


def test_only_coordinators_publish_and_bad_payloads_are_refused(
    db: None, user: Callable[[str], User]
) -> None:
    assert publish(user("anna"), V1) == 403
    assert publish(user("cora"), [{"slug": "Not a slug!", "names": {"en": "x"}}]) == 400
    assert publish(user("cora"), [{"slug": "x", "names": {"xx": "x"}}]) == 400
    assert not NetworkTemplate.objects.exists()
    assert publish(user("cora"), V1) == 302
    template = NetworkTemplate.objects.get()
    assert template.version == 1 and template.payload == V1
    assert AuditEntry.objects.filter(action="template.published").exists()


def test_adopt_copies_into_the_territory_and_new_versions_are_offered(
    territory_a: Territory, territory_b: Territory, user: Callable[[str], User]
) -> None:
    publish(user("cora"), V1)
    template = NetworkTemplate.objects.get()
    anna = territory_as(territory_a, user("anna"))
    assert "Adopt" in anna.get("/manage/templates/").content.decode()
    assert anna.post(f"/manage/templates/{template.pk}/adopt/").status_code == 302
    with tenant_context(territory_a):
        assert Interest.objects.get(slug="podcasting").names["lt"] == "Podkastai"
        assert Interest.objects.get(slug="music").names["en"] == "Music (network)"
    adoption = TemplateAdoption.objects.get(territory=territory_a)
    assert adoption.version == 1 and adoption.template == template
    # Only aurora got it.
    with tenant_context(territory_b):
        assert not Interest.objects.filter(slug="podcasting").exists()
    # A new version is offered, not forced.
    v2 = [*V1, {"slug": "film", "names": {"en": "Film"}}]
    edited = network_as(user("cora")).post(
        f"/network-templates/{template.pk}/", {"name": "Media interests", "payload": json.dumps(v2)}
    )
    assert edited.status_code == 302
    template.refresh_from_db()
    assert template.version == 2
    with tenant_context(territory_a):
        assert not Interest.objects.filter(slug="film").exists()
    assert "Update to version 2" in anna.get("/manage/templates/").content.decode()
    anna.post(f"/manage/templates/{template.pk}/adopt/")
    with tenant_context(territory_a):
        assert Interest.objects.filter(slug="film").exists()
    assert TemplateAdoption.objects.get(territory=territory_a).version == 2


def test_template_pages_are_for_admins_and_creators(
    territory_a: Territory, user: Callable[[str], User]
) -> None:
    publish(user("cora"), V1)
    template = NetworkTemplate.objects.get()
    alan = territory_as(territory_a, user("alan"))
    assert alan.post(f"/manage/templates/{template.pk}/adopt/").status_code == 403
    assert network_as(user("pat")).get(f"/network-templates/{template.pk}/").status_code == 200
    assert network_as(user("ada")).get(f"/network-templates/{template.pk}/").status_code == 403
