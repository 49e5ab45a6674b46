"""Learner pages: verification, applying with private evidence, claiming with a code."""

import json
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from shared_apps.accounts.models import User
from tenant_apps.badges import actions, baking
from tenant_apps.badges.models import Application, Award, BadgeClass, Evidence
from tenants.models import Territory
from tests.conftest import ClientFor, HostClient
from tests.tenant_apps.badges.factories import award, in_territory, make_badge, png_bytes


def english(client):
    client.cookies["django_language"] = "en"
    return client


def verify(client, **data):
    return client.post("/badges/verify/", data).content.decode()


def test_verify_by_url_json_and_image_with_email_check(
    territory_a: Territory, client_for: ClientFor
) -> None:
    with in_territory(territory_a):
        made = award(territory_a, make_badge(territory_a, "Volunteer", png=True), "ada@example.org")
    client = english(client_for(territory_a))
    url = f"http://aurora.localhost/ob/v2/assertions/{made.uuid}"
    page = verify(client, url=url, email="ada@example.org")
    assert "This badge is valid." in page and "The email matches" in page and "Volunteer" in page
    page = verify(client, url=url, email="eve@example.org")
    assert "The email does not match" in page
    credential_json = json.dumps(made.credential)
    page = verify(client, json=credential_json, email="ADA@example.org")
    assert (
        "This badge is valid." in page and "Open Badges 3.0" in page and "The email matches" in page
    )
    png = client.get(f"/badges/awards/{made.uuid}/download/ob2.png").content
    page = client.post(
        "/badges/verify/", {"image": SimpleUploadedFile("b.png", png, content_type="image/png")}
    ).content.decode()
    assert "This badge is valid." in page and "Open Badges 2.0" in page
    svg = client.get(f"/badges/awards/{made.uuid}/download/ob2.svg").content
    page = client.post(
        "/badges/verify/", {"image": SimpleUploadedFile("b.svg", svg)}
    ).content.decode()
    assert "This badge is valid." in page
    ob3 = client.get(f"/badges/awards/{made.uuid}/download/ob3.png").content
    page = client.post(
        "/badges/verify/", {"image": SimpleUploadedFile("c.png", ob3)}
    ).content.decode()
    assert "This badge is valid." in page and "Open Badges 3.0" in page


def test_verify_detects_tampered_revoked_expired_and_foreign(
    territory_a: Territory, territory_b: Territory, client_for: ClientFor
) -> None:
    with in_territory(territory_a):
        badge = make_badge(territory_a)
        made = award(territory_a, badge)
        revoked = award(territory_a, badge, "r@example.org")
        actions.revoke_award(
            territory=territory_a, award=revoked, reason="Cheated", acting_user=None
        )
        now = timezone.now()
        expired = award(
            territory_a,
            badge,
            "e@example.org",
            issued_on=now - timedelta(days=100),
            expires_on=now - timedelta(days=1),
        )
    client = english(client_for(territory_a))
    tampered = dict(made.credential, name="Astronaut")
    page = verify(client, json=json.dumps(tampered))
    assert "could not be verified" in page and "The signature is not valid" in page
    assertion = client.get(f"/ob/v2/assertions/{made.uuid}").json()
    page = verify(client, json=json.dumps(dict(assertion, issuedOn="2020-01-01T00:00:00Z")))
    assert "could not be verified" in page and "altered" in page
    page = verify(client, url=f"http://aurora.localhost/ob/v2/assertions/{revoked.uuid}")
    assert "This badge was revoked." in page and "Cheated" in page
    page = verify(client, json=json.dumps(revoked.credential))
    assert "This badge was revoked." in page
    page = verify(client, json=json.dumps(expired.credential))
    assert "This badge has expired." in page
    page = verify(client, url="https://badges.elsewhere.example/assertions/1")
    assert "not issued on this network" in page
    # Any territory verifies the network's badges (in its own language).
    page = client_for(territory_b).post(
        "/badges/verify/", {"url": f"http://aurora.localhost/ob/v2/assertions/{made.uuid}"}
    )
    assert page.status_code == 200 and "badge-status--good" in page.content.decode()
    assert verify(client) and "Give one of" in verify(client)
    bad_image = SimpleUploadedFile("x.png", png_bytes())
    assert "no badge baked" in client.post("/badges/verify/", {"image": bad_image}).content.decode()


def test_apply_with_evidence_that_only_applicant_and_reviewers_can_open(
    territory_a: Territory,
    territory_b: Territory,
    client_for: ClientFor,
    user: Callable[[str], User],
) -> None:
    with in_territory(territory_a):
        badge = make_badge(territory_a)
    ada = client_for(territory_a)
    ada.sign_in(user("ada"))
    pdf = SimpleUploadedFile("work.pdf", b"%PDF-1.4 my work", content_type="application/pdf")
    response = ada.post(
        f"/badges/{badge.slug}/apply/",
        {
            "statement": "I built a robot",
            "evidence_url": "https://example.org/robot",
            "evidence_file": pdf,
        },
    )
    assert response.status_code == 302
    with in_territory(territory_a):
        evidence = Evidence.objects.get(application__badge_class=badge, file__gt="")
        application = evidence.application
        assert evidence.file.name.startswith("t_aurora/evidence/")
    path = f"/badges/evidence/{evidence.pk}/"
    opened = ada.get(path)
    assert opened.status_code == 200 and opened.getvalue() == b"%PDF-1.4 my work"
    assert opened["Cache-Control"] == "private, no-store"
    # Not guessable from the media URL either: the private storage has no public URL.
    assert client_for(territory_a).get(f"/media/{evidence.file.name}").status_code == 404
    alan = client_for(territory_a)
    alan.sign_in(user("alan"))  # provider staff: not a reviewer of territory badges
    assert alan.get(path).status_code == 404
    anna = client_for(territory_a)
    anna.sign_in(user("anna"))
    assert anna.get(path).status_code == 200
    bruno = client_for(territory_b)
    bruno.sign_in(user("bruno"))
    assert bruno.get(path).status_code == 404
    assert client_for(territory_a).get(path).status_code == 302  # to sign in
    # The review queue shows it, with the learner's name; the decision awards the badge.
    ada_account = user("ada")
    ada_account.display_name = "Ada Applicant"
    ada_account.save()
    queue = anna.get("/manage/badges/reviews/").content.decode()
    assert badge.name in queue and "Ada Applicant" in queue
    response = anna.post(
        f"/manage/badges/reviews/{application.pk}/", {"decision": "approve", "comment": ""}
    )
    assert response.status_code == 302
    with in_territory(territory_a):
        application.refresh_from_db()
        assert application.status == Application.Status.APPROVED
    assert bruno.get(f"/manage/badges/reviews/{application.pk}/").status_code == 404
    bad = SimpleUploadedFile("x.exe", b"MZ\x90\x00", content_type="application/pdf")
    response = ada.post(f"/badges/{badge.slug}/apply/", {"statement": "x", "evidence_file": bad})
    assert response.status_code == 400


def test_claim_page_sends_visitors_to_sign_in_then_claims(
    territory_a: Territory, client_for: ClientFor, user: Callable[[str], User]
) -> None:
    with in_territory(territory_a):
        badge = make_badge(territory_a)
        now = timezone.now()
        code = actions.create_claim_codes(
            territory=territory_a,
            badge_class=badge,
            valid_from=now,
            valid_until=now + timedelta(hours=2),
            acting_user=None,
        )[0]
    visitor = english(client_for(territory_a))
    page = visitor.get(f"/badges/claim/{code.code}/").content.decode()
    assert "Sign in" in page and f"next=/badges/claim/{code.code}/" in page
    assert visitor.post(f"/badges/claim/{code.code}/", {"code": code.code}).status_code == 302
    ada = english(client_for(territory_a))
    ada.sign_in(user("ada"))
    response = ada.post(f"/badges/claim/{code.code}/", {"code": code.code})
    assert response.status_code == 302 and "/badges/awards/" in response["Location"]
    again = ada.post("/badges/claim/", {"code": code.code})
    assert again.status_code == 400 and "already hold" in again.content.decode()
    with in_territory(territory_a):
        assert Award.objects.get(badge_class=badge).recipient_user_id == user("ada").pk


def test_award_page_shows_downloads_only_to_the_recipient(
    territory_a: Territory, client_for: ClientFor, user: Callable[[str], User]
) -> None:
    with in_territory(territory_a):
        made = award(territory_a, make_badge(territory_a), "ada@example.org")
    # Private until ada shares it (tests/tenant_apps/badges/test_award_page.py).
    assert client_for(territory_a).get(f"/badges/awards/{made.uuid}/").status_code == 404
    ada = client_for(territory_a)
    ada.sign_in(user("ada"))
    mine = ada.get(f"/badges/awards/{made.uuid}/").content.decode()
    assert "download/ob3.json" in mine and "download/ob2.png" in mine
    assert str(made.uuid) in ada.get("/badges/mine/").content.decode()


def test_badge_png_is_baked_from_a_real_image(
    territory_a: Territory, client_for: ClientFor
) -> None:
    with in_territory(territory_a):
        made = award(territory_a, make_badge(territory_a))
    png = client_for(territory_a).get(f"/badges/awards/{made.uuid}/download/ob2.png").content
    assert png.startswith(baking.PNG_SIGNATURE) and baking.unbake_png(png)


def _apply_with(client: HostClient, badge: BadgeClass, upload: SimpleUploadedFile) -> Any:
    return client.post(
        f"/badges/{badge.slug}/apply/",
        {"statement": "My work", "evidence_file": upload},
    )


def test_evidence_is_typed_by_its_content_not_its_name(
    territory_a: Territory, client_for: ClientFor, user: Callable[[str], User]
) -> None:
    """A PNG named x.html was served inline as text/html on the territory's origin."""
    with in_territory(territory_a):
        badge = make_badge(territory_a)
    ada = english(client_for(territory_a))
    ada.sign_in(user("ada"))
    png = SimpleUploadedFile("x.html", png_bytes(), content_type="text/html")
    assert _apply_with(ada, badge, png).status_code == 302
    with in_territory(territory_a):
        evidence = Evidence.objects.get(application__badge_class=badge, file__gt="")
        assert evidence.file.name.endswith(".png")
        assert evidence.content_type == "image/png"
    opened = ada.get(f"/badges/evidence/{evidence.pk}/")
    assert opened.status_code == 200
    assert opened["Content-Type"] == "image/png"
    assert opened["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in opened["Content-Security-Policy"]
    assert "default-src 'none'" in opened["Content-Security-Policy"]
    assert opened["Content-Disposition"].startswith("inline")
    assert f"evidence-{evidence.pk}.png" in opened["Content-Disposition"]
    # Re-encoded: what is served is a clean PNG, not the bytes sent.
    body = opened.getvalue()
    assert body.startswith(b"\x89PNG") and b"<" not in body[-64:]


def test_polyglots_and_svg_are_refused_as_evidence(
    territory_a: Territory, client_for: ClientFor, user: Callable[[str], User]
) -> None:
    with in_territory(territory_a):
        badge = make_badge(territory_a)
    ada = english(client_for(territory_a))
    ada.sign_in(user("ada"))
    polyglot = b"\x89PNG\r\n\x1a\n<html><script>alert(document.domain)</script></html>"
    svg = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
    for name, data in (("x.html", polyglot), ("x.svg", svg), ("x.png", svg)):
        response = _apply_with(ada, badge, SimpleUploadedFile(name, data))
        assert response.status_code == 400, name
    with in_territory(territory_a):
        assert not Evidence.objects.filter(application__badge_class=badge).exists()


def test_a_pdf_is_downloaded_never_shown_in_the_page(
    territory_a: Territory, client_for: ClientFor, user: Callable[[str], User]
) -> None:
    with in_territory(territory_a):
        badge = make_badge(territory_a)
    ada = client_for(territory_a)
    ada.sign_in(user("ada"))
    pdf = SimpleUploadedFile("work.svg", b"%PDF-1.4 my work", content_type="image/svg+xml")
    assert _apply_with(ada, badge, pdf).status_code == 302
    with in_territory(territory_a):
        evidence = Evidence.objects.get(application__badge_class=badge, file__gt="")
        assert evidence.file.name.endswith(".pdf")
    opened = ada.get(f"/badges/evidence/{evidence.pk}/")
    assert opened["Content-Type"] == "application/pdf"
    assert opened["Content-Disposition"].startswith("attachment")
    assert opened["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in opened["Content-Security-Policy"]


def test_evidence_stored_before_the_checks_is_a_sandboxed_download(
    territory_a: Territory, client_for: ClientFor, user: Callable[[str], User]
) -> None:
    """Rows stored by the old form kept the uploader's name (x.html): the name no
    longer decides how the file is served; an unknown type is a download."""
    from django.core.files.base import ContentFile

    with in_territory(territory_a):
        badge = make_badge(territory_a)
        application = Application.objects.create(
            badge_class=badge, applicant_user_id=user("ada").pk, statement="old"
        )
        evidence = Evidence(application=application, content_type="text/html")
        evidence.file.save("x.html", ContentFile(b"<script>alert(1)</script>"), save=True)
    ada = client_for(territory_a)
    ada.sign_in(user("ada"))
    opened = ada.get(f"/badges/evidence/{evidence.pk}/")
    assert opened["Content-Type"] == "application/octet-stream"
    assert opened["Content-Disposition"].startswith("attachment")
    assert f'"evidence-{evidence.pk}"' in opened["Content-Disposition"]
    assert "sandbox" in opened["Content-Security-Policy"]
