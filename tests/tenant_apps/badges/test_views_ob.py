"""Public Open Badges documents: stable URLs, right content, nothing private, per territory."""

import json
from collections.abc import Callable

from django.core.files.uploadedfile import SimpleUploadedFile
from pytest_django import DjangoAssertNumQueries

from shared_apps.accounts.models import User
from tenant_apps.badges import actions, baking
from tenants.models import Territory
from tests.conftest import ClientFor
from tests.tenant_apps.badges.factories import award, in_territory, make_badge


def test_assertion_badge_and_issuer_documents(
    territory_a: Territory, client_for: ClientFor
) -> None:
    with in_territory(territory_a):
        badge = make_badge(territory_a, "Volunteer")
        made = award(territory_a, badge, "ada@example.org")
    client = client_for(territory_a)
    response = client.get(f"/ob/v2/assertions/{made.uuid}", HTTP_ACCEPT="application/ld+json")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/ld+json"
    assert response["Access-Control-Allow-Origin"] == "*"
    assertion = response.json()
    assert assertion["id"] == f"http://aurora.localhost/ob/v2/assertions/{made.uuid}"
    assert assertion["recipient"]["hashed"] is True
    assert "ada@example.org" not in response.content.decode()
    badge_doc = client.get(assertion["badge"].replace("http://aurora.localhost", "")).json()
    assert badge_doc["name"] == "Volunteer"
    assert badge_doc["alignment"][0]["targetFramework"] == "EntreComp"
    issuer = client.get(badge_doc["issuer"].replace("http://aurora.localhost", "")).json()
    assert issuer["type"] == "Issuer" and issuer["email"]
    image = client.get(badge_doc["image"].replace("http://aurora.localhost", ""))
    assert image["Content-Type"] == "image/svg+xml"
    assert "script-src" not in image["Content-Security-Policy"]
    # A browser asking for HTML lands on the human page.
    html = client.get(f"/ob/v2/assertions/{made.uuid}", HTTP_ACCEPT="text/html,*/*;q=0.8")
    assert html.status_code == 302 and html["Location"].endswith(f"/badges/awards/{made.uuid}/")


def test_did_documents_list_every_key(territory_a: Territory, client_for: ClientFor) -> None:
    with in_territory(territory_a):
        issuer = actions.ensure_territory_issuer(territory_a)
        award(territory_a, make_badge(territory_a))
        actions.rotate_issuer_key(territory=territory_a, issuer=issuer, acting_user=None)
        provider = actions.create_provider_issuer(
            territory=territory_a, name="Makers", email="m@example.org"
        )
        award(territory_a, make_badge(territory_a, "P", issuer=provider))
    client = client_for(territory_a)
    did = client.get("/.well-known/did.json").json()
    assert did["id"] == "did:web:aurora.localhost"
    assert [m["id"] for m in did["verificationMethod"]] == [
        "did:web:aurora.localhost#key-1",
        "did:web:aurora.localhost#key-2",
    ]
    assert all(m["publicKeyMultibase"].startswith("z6Mk") for m in did["verificationMethod"])
    assert did["assertionMethod"] == [m["id"] for m in did["verificationMethod"]]
    assert set(did["verificationMethod"][0]) == {"id", "type", "controller", "publicKeyMultibase"}
    provider_did = client.get("/issuers/makers/did.json").json()
    assert provider_did["id"] == "did:web:aurora.localhost:issuers:makers"
    assert client.get("/issuers/nobody/did.json").status_code == 404


def test_revoked_award_is_410_and_downloads_stop(
    territory_a: Territory, client_for: ClientFor
) -> None:
    with in_territory(territory_a):
        made = award(territory_a, make_badge(territory_a))
        actions.revoke_award(territory=territory_a, award=made, reason="Mistake", acting_user=None)
    client = client_for(territory_a)
    response = client.get(f"/ob/v2/assertions/{made.uuid}")
    assert response.status_code == 410 and response.json()["revocationReason"] == "Mistake"
    assert client.get(f"/badges/awards/{made.uuid}/download/ob2.png").status_code == 410
    # The credential stays as signed; its status list says revoked.
    assert client.get(f"/ob/v3/credentials/{made.uuid}").status_code == 200


def test_downloads_are_baked(territory_a: Territory, client_for: ClientFor) -> None:
    with in_territory(territory_a):
        made = award(territory_a, make_badge(territory_a, png=True))
    client = client_for(territory_a)
    png = client.get(f"/badges/awards/{made.uuid}/download/ob2.png").content
    assert json.loads(baking.unbake_png(png) or "")["id"].endswith(str(made.uuid))
    ob3 = client.get(f"/badges/awards/{made.uuid}/download/ob3.png").content
    assert json.loads(baking.unbake_png(ob3, baking.OB3_KEYWORD) or "") == made.credential
    svg = client.get(f"/badges/awards/{made.uuid}/download/ob2.svg")
    assert svg["Content-Type"] == "image/svg+xml"
    baked = baking.unbake_svg(svg.content)
    assert baked is not None and baked.verify.endswith(str(made.uuid))
    credential = client.get(f"/badges/awards/{made.uuid}/download/ob3.json")
    assert json.loads(credential.content) == made.credential
    assert client.get(f"/badges/awards/{made.uuid}/download/evil").status_code == 404


def test_another_territory_does_not_serve_this_territorys_badges(
    territory_a: Territory, territory_b: Territory, client_for: ClientFor
) -> None:
    with in_territory(territory_a):
        badge = make_badge(territory_a)
        made = award(territory_a, badge)
    other = client_for(territory_b)
    for path in (
        f"/ob/v2/assertions/{made.uuid}",
        f"/ob/v3/credentials/{made.uuid}",
        f"/ob/v2/badges/{badge.uuid}",
        f"/badges/awards/{made.uuid}/",
        f"/badges/awards/{made.uuid}/download/ob2.png",
        f"/badges/{badge.slug}/",
    ):
        assert other.get(path).status_code == 404, path


def test_status_list_is_a_signed_bitstring_status_list(
    territory_a: Territory, client_for: ClientFor
) -> None:
    with in_territory(territory_a):
        made = award(territory_a, make_badge(territory_a))
    url = made.credential["credentialStatus"]["statusListCredential"]
    status = client_for(territory_a).get(url.replace("http://aurora.localhost", "")).json()
    assert status["type"] == ["VerifiableCredential", "BitstringStatusListCredential"]
    assert status["credentialSubject"]["encodedList"].startswith("u")
    assert status["proof"][0]["cryptosuite"] == "eddsa-rdfc-2022"


def test_home_section_and_badge_list_pin_their_queries(
    territory_a: Territory, client_for: ClientFor, django_assert_num_queries: DjangoAssertNumQueries
) -> None:
    with in_territory(territory_a):
        for n in range(3):
            award(territory_a, make_badge(territory_a, f"Badge {n}"))
    client = client_for(territory_a)
    client.get("/badges/")  # warm caches (territory route)
    # SET search_path, then one query for the badges, however many there are.
    with django_assert_num_queries(2):
        first = client.get("/badges/")
    with in_territory(territory_a):
        for n in range(3, 8):
            make_badge(territory_a, f"Badge {n}")
    with django_assert_num_queries(2):
        second = client.get("/badges/")
    assert first.content.decode().count("badge-card__title") == 3
    assert second.content.decode().count("badge-card__title") == 8
    home = client.get("/").content.decode()
    assert "Badge 0" in home and "No badges yet" not in home


def test_badge_image_upload_svg_is_sanitised_in_the_manage_form(
    territory_a: Territory, client_for: ClientFor, user: Callable[[str], User]
) -> None:
    client = client_for(territory_a)
    client.sign_in(user("anna"))
    client.get("/manage/badges/")  # creates the territory's issuer
    with in_territory(territory_a):
        issuer = actions.ensure_territory_issuer(territory_a)
    svg = (
        b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64" onload="alert(1)">'
        b'<script>alert(2)</script><circle cx="32" cy="32" r="30" fill="#036"/></svg>'
    )
    response = client.post(
        "/manage/badges/new/",
        {
            "issuer": issuer.pk,
            "name": "Safe SVG",
            "description": "d",
            "criteria_narrative": "c",
            "template_shape": "circle",
            "image": SimpleUploadedFile("b.svg", svg, content_type="image/svg+xml"),
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    with in_territory(territory_a):
        from tenant_apps.badges.models import BadgeClass

        badge = BadgeClass.objects.get(name="Safe SVG")
        assert badge.image_source == "svg"
        stored = badge.image.read()
        assert b"script" not in stored and b"onload" not in stored and b"circle" in stored
        assert badge.image_png.read().startswith(b"\x89PNG")
