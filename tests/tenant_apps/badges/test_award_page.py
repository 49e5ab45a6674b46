"""The public page of an award, as good to share as Badgr's: private by default; once
shared, earner (adults only), criteria, issuer, evidence the learner chose to show,
preview tags, share links, a PDF certificate and the wallet offer to its recipient."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest

from shared_apps.accounts.models import User
from shared_apps.backpack.actions import set_sharing
from shared_apps.backpack.models import BackpackEntry
from tenant_apps.badges import actions, certificate
from tenant_apps.badges.models import Application, Award, Evidence
from tenants.models import Territory
from tests.conftest import ClientFor, HostClient
from tests.shared_apps.guardians.factories import just_turned, make_learner
from tests.tenant_apps.badges.factories import award, in_territory, make_badge

LITHUANIAN = "Šaunuolis: ąčęėįšųūž"


def english(client: HostClient) -> HostClient:
    client.cookies["django_language"] = "en"
    return client


@pytest.fixture
def adult(territory_a: Territory) -> User:
    grown = make_learner("grown@example.org", just_turned(30), territory_a)
    grown.display_name = "Grown Up"
    grown.save(update_fields=["display_name"])
    return grown


@pytest.fixture
def made(territory_a: Territory, adult: User, django_capture_on_commit_callbacks: Any) -> Award:
    with django_capture_on_commit_callbacks(execute=True), in_territory(territory_a):
        return award(
            territory_a,
            make_badge(territory_a, LITHUANIAN, criteria="Lead a workshop for ten people."),
            adult.email,
        )


def _share(owner: User, made: Award, *, evidence: bool | None = None) -> BackpackEntry:
    entry = BackpackEntry.objects.get(award_uuid=made.uuid)
    return set_sharing(user=owner, entry_id=entry.pk, public=True, evidence=evidence)


def _paths(made: Award) -> list[str]:
    return [f"/badges/awards/{made.uuid}/", f"/badges/awards/{made.uuid}/certificate.pdf"]


def test_an_award_is_private_until_its_learner_shares_it(
    territory_a: Territory, client_for: ClientFor, user: Callable[[str], User], made: Award
) -> None:
    ada = client_for(territory_a)
    ada.sign_in(user("ada"))
    for path in _paths(made):
        assert client_for(territory_a).get(path).status_code == 404, path
        assert ada.get(path).status_code == 404, path
    owner = english(client_for(territory_a))
    owner.sign_in(User.objects.get(email="grown@example.org"))
    page = owner.get(_paths(made)[0]).content.decode()
    assert "Only you can see this page." in page
    assert 'property="og:image"' not in page
    assert owner.get(_paths(made)[1])["Content-Type"] == "application/pdf"

    # The staff who manage the badge see it (their awards list links to it).
    anna = client_for(territory_a)
    anna.sign_in(user("anna"))
    assert anna.get(_paths(made)[0]).status_code == 200
    alan = client_for(territory_a)  # provider staff: not this badge's issuer
    alan.sign_in(user("alan"))
    assert alan.get(_paths(made)[0]).status_code == 404

    entry = _share(User.objects.get(email="grown@example.org"), made)
    for path in _paths(made):
        assert client_for(territory_a).get(path).status_code == 200, path
    # Made private again: gone again.
    set_sharing(user=entry.user, entry_id=entry.pk, public=False)  # type: ignore[arg-type]
    for path in _paths(made):
        assert client_for(territory_a).get(path).status_code == 404, path


def test_a_shared_award_is_not_served_by_another_territory(
    territory_a: Territory, territory_b: Territory, client_for: ClientFor, made: Award, adult: User
) -> None:
    _share(adult, made)
    for path in _paths(made):
        assert client_for(territory_b).get(path).status_code == 404, path


def test_the_shared_page_tells_who_what_and_by_whom(
    territory_a: Territory, client_for: ClientFor, made: Award, adult: User
) -> None:
    _share(adult, made)
    page = english(client_for(territory_a)).get(_paths(made)[0]).content.decode()
    assert "Earned by Grown Up" in page
    assert "grown@example.org" not in page
    assert "Lead a workshop for ten people." in page and "Build something" in page
    assert "Issued by Aurora" in page
    with in_territory(territory_a):
        badge_uuid = made.badge_class.uuid
    image = f"http://aurora.localhost/ob/v2/badges/{badge_uuid}/image.png"
    assert f'<meta property="og:image" content="{image}">' in page
    assert f'<meta name="twitter:image" content="{image}">' in page
    assert '<meta name="twitter:card" content="summary">' in page
    assert (
        f'<meta property="og:url" content="http://aurora.localhost/badges/awards/{made.uuid}/"'
        in page
    )
    # Share links: no third-party script, only links and our own static file.
    assert "mailto:?subject=" in page and "Copy link" in page
    scripts = re.findall(r'<script[^>]*src="([^"]+)"', page)
    assert scripts and all(src.startswith("/static/") for src in scripts)
    # Adding to LinkedIn is for the earner's own profile, the wallet for their own copy.
    assert "linkedin.com/profile/add" not in page
    assert "Add to a digital wallet" not in page and "download/ob3.json" not in page


def test_a_minors_shared_page_shows_no_name(
    territory_a: Territory, client_for: ClientFor, django_capture_on_commit_callbacks: Any
) -> None:
    minor = make_learner("minor@example.org", just_turned(16), territory_a)
    minor.display_name = "Young One"
    minor.save(update_fields=["display_name"])
    with django_capture_on_commit_callbacks(execute=True), in_territory(territory_a):
        made = award(territory_a, make_badge(territory_a), minor.email)
    _share(minor, made)
    response = english(client_for(territory_a)).get(_paths(made)[0])
    page = response.content.decode()
    # The shared award page itself (the badge is on it), not an error page.
    assert response.status_code == 200
    assert "Test badge" in page
    assert "Young One" not in page and "Earned by" not in page


def test_evidence_shows_only_if_the_learner_shares_it(
    territory_a: Territory,
    client_for: ClientFor,
    made: Award,
    adult: User,
) -> None:
    with in_territory(territory_a):
        application = Application.objects.create(
            badge_class=made.badge_class,
            applicant_user_id=adult.pk,
            statement="I did it",
            status=Application.Status.APPROVED,
            award=made,
        )
        Evidence.objects.create(application=application, note="Photos of the workshop")
        Evidence.objects.create(application=application, url="https://example.org/my-workshop")
    _share(adult, made)
    visitor = english(client_for(territory_a))
    page = visitor.get(_paths(made)[0]).content.decode()
    assert "Photos of the workshop" not in page and "my-workshop" not in page
    _share(adult, made, evidence=True)
    page = visitor.get(_paths(made)[0]).content.decode()
    assert "Photos of the workshop" in page and "https://example.org/my-workshop" in page
    # Private again, then public again: the evidence is not shared any more.
    entry = BackpackEntry.objects.get(award_uuid=made.uuid)
    set_sharing(user=adult, entry_id=entry.pk, public=False)
    _share(adult, made)
    assert "Photos of the workshop" not in visitor.get(_paths(made)[0]).content.decode()


def test_the_recipient_gets_linkedin_and_the_wallet_offer(
    territory_a: Territory, client_for: ClientFor, made: Award, adult: User
) -> None:
    _share(adult, made)
    owner = english(client_for(territory_a))
    owner.sign_in(adult)
    page = owner.get(_paths(made)[0]).content.decode()
    assert "linkedin.com/profile/add?startTask=CERTIFICATION_NAME" in page
    assert "Add to a digital wallet" in page
    assert "download/ob3.json" in page
    assert '<div class="qr-code" aria-hidden="true"><svg' in page
    assert f"http://aurora.localhost/ob/v3/credentials/{made.uuid}" in page


def test_the_certificate_is_a_pdf_with_a_font_for_every_letter(
    territory_a: Territory, client_for: ClientFor, made: Award, adult: User
) -> None:
    _share(adult, made)
    response = english(client_for(territory_a)).get(_paths(made)[1])
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    body = response.content
    assert body.startswith(b"%PDF-") and body.rstrip().endswith(b"%%EOF")
    # DejaVu embedded (Helvetica, the PDF default, has no ą ė į ų ū).
    assert b"/BaseFont /AAAAAA+DejaVuSans" in body and b"DejaVuSans-Bold" in body
    assert response["X-Robots-Tag"] == "noindex"


def test_every_letter_of_our_languages_has_a_glyph_in_the_certificate_font() -> None:
    certificate._register_fonts()
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    font = pdfmetrics.getFont(certificate.REGULAR)
    assert isinstance(font, TTFont)
    letters = "ąčęėįšųūžĄČĘĖĮŠŲŪŽ" + "čšžČŠŽ" + "äöåÄÖÅ" + "àèéìòùçñüß"
    missing = [ch for ch in letters if ord(ch) not in font.face.charToGlyph]
    assert missing == []


def test_a_revoked_award_has_no_certificate(
    territory_a: Territory, client_for: ClientFor, made: Award, adult: User
) -> None:
    _share(adult, made)
    with in_territory(territory_a):
        actions.revoke_award(territory=territory_a, award=made, reason="Mistake", acting_user=None)
    visitor = english(client_for(territory_a))
    assert visitor.get(_paths(made)[1]).status_code == 410
    page = visitor.get(_paths(made)[0]).content.decode()
    assert "revoked" in page and "certificate.pdf" not in page
