"""The badge admin area: who may use it, bulk awards from CSV, claim codes, issuers."""

from collections.abc import Callable
from datetime import timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from shared_apps.accounts.models import User
from shared_apps.audit.models import AuditEntry
from tenant_apps.badges import actions
from tenant_apps.badges.models import Application, Award, BadgeClass, ClaimCode, Issuer
from tenants.models import Territory
from tests.conftest import ClientFor
from tests.tenant_apps.badges.factories import award, in_territory, make_badge


def signed_in(client_for: ClientFor, territory: Territory, user: User):
    client = client_for(territory)
    client.cookies["django_language"] = "en"
    client.sign_in(user)
    return client


def test_only_admins_manage_and_only_their_own_territory(
    territory_a: Territory,
    territory_b: Territory,
    client_for: ClientFor,
    user: Callable[[str], User],
) -> None:
    with in_territory(territory_a):
        badge = make_badge(territory_a)
        made = award(territory_a, badge)
    ada = signed_in(client_for, territory_a, user("ada"))
    assert ada.get("/manage/badges/").status_code == 403
    alan = signed_in(client_for, territory_a, user("alan"))  # provider staff, no provider yet
    assert badge.name not in alan.get("/manage/badges/").content.decode()
    assert alan.get(f"/manage/badges/{badge.slug}/").status_code == 404
    assert (
        alan.post(f"/manage/badges/awards/{made.uuid}/revoke/", {"reason": "x"}).status_code == 404
    )
    bruno = signed_in(client_for, territory_b, user("bruno"))
    assert bruno.get(f"/manage/badges/{badge.slug}/").status_code == 404
    assert (
        bruno.post(f"/manage/badges/awards/{made.uuid}/revoke/", {"reason": "x"}).status_code == 404
    )
    # bruno's session does not exist on aurora's host at all.
    stolen = client_for(territory_a)
    stolen.cookies = bruno.cookies
    assert stolen.get("/manage/badges/").status_code == 302
    with in_territory(territory_a):
        assert not Award.objects.get(pk=made.pk).is_revoked


def test_admin_creates_a_badge_from_the_template_and_awards_it(
    territory_a: Territory, client_for: ClientFor, user: Callable[[str], User]
) -> None:
    anna = signed_in(client_for, territory_a, user("anna"))
    anna.get("/manage/badges/")
    with in_territory(territory_a):
        issuer = Issuer.objects.get(kind="territory")
    response = anna.post(
        "/manage/badges/new/",
        {
            "issuer": issuer.pk,
            "name": "Team player",
            "description": "Worked in a team",
            "criteria_narrative": "Join a team project",
            "criteria_requirements": "Attend 3 meetings\nPresent the result",
            "tags": "teamwork, youth",
            "alignments": "ESCO | work in teams | http://data.europa.eu/esco/skill/abc",
            "expires_after_days": "365",
            "accepts_applications": "on",
            "template_shape": "shield",
        },
    )
    assert response.status_code == 302
    with in_territory(territory_a):
        badge = BadgeClass.objects.get(name="Team player")
        assert badge.image_source == "template" and badge.tags == ["teamwork", "youth"]
        assert badge.criteria_requirements == ["Attend 3 meetings", "Present the result"]
        assert badge.alignments[0]["framework"] == "ESCO"
        assert territory_a.primary_color.encode() in badge.image.read()
    bad = anna.post(
        "/manage/badges/new/",
        {
            "issuer": issuer.pk,
            "name": "X",
            "description": "d",
            "criteria_narrative": "c",
            "template_shape": "circle",
            "alignments": "ESCO | no url",
            "image": SimpleUploadedFile("x.png", b"not a png at all"),
        },
    )
    assert bad.status_code == 400 and "Line 1" in bad.content.decode()
    response = anna.post(f"/manage/badges/{badge.slug}/", {"email": "new.person@example.org"})
    assert response.status_code == 302
    again = anna.post(f"/manage/badges/{badge.slug}/", {"email": "new.person@example.org"})
    assert again.status_code == 400 and "already holds" in again.content.decode()
    with in_territory(territory_a):
        made = Award.objects.get(badge_class=badge)
    assert (
        anna.post(f"/manage/badges/awards/{made.uuid}/revoke/", {"reason": "Typo"}).status_code
        == 302
    )
    with in_territory(territory_a):
        made.refresh_from_db()
        assert made.revocation_reason == "Typo"
    assert AuditEntry.objects.filter(territory=territory_a, action="badges.award_revoked").exists()


def test_bulk_award_previews_errors_per_row_then_awards(
    territory_a: Territory, client_for: ClientFor, user: Callable[[str], User]
) -> None:
    with in_territory(territory_a):
        badge = make_badge(territory_a)
        award(territory_a, badge, "holder@example.org")
    anna = signed_in(client_for, territory_a, user("anna"))
    csv_file = SimpleUploadedFile(
        "list.csv",
        b"email\nada@example.org\nnot-an-email\nholder@example.org\nnew@example.org\nADA@example.org\n",
    )
    preview = anna.post(f"/manage/badges/{badge.slug}/bulk/", {"csv_file": csv_file})
    page = preview.content.decode()
    assert "Row 3" in page and "not an email address" in page
    assert "Row 6" in page and "appears twice" in page
    assert "already holds it" in page
    with in_territory(territory_a):
        assert Award.objects.filter(badge_class=badge).count() == 1  # nothing awarded yet
    confirm = preview.context["confirm"]
    done = anna.post(f"/manage/badges/{badge.slug}/bulk/", {"confirm": confirm})
    assert done.status_code == 302
    with in_territory(territory_a):
        emails = set(
            Award.objects.filter(badge_class=badge).values_list("recipient_email", flat=True)
        )
        assert emails == {"holder@example.org", "ada@example.org", "new@example.org"}
    forged = anna.post(f"/manage/badges/{badge.slug}/bulk/", {"confirm": confirm + "x"})
    assert forged.status_code == 302
    binary = SimpleUploadedFile("list.csv", b"\xff\xfe\x00bad")
    assert anna.post(f"/manage/badges/{badge.slug}/bulk/", {"csv_file": binary}).status_code == 400


def test_claim_codes_with_qr_and_a_printable_sheet(
    territory_a: Territory, client_for: ClientFor, user: Callable[[str], User]
) -> None:
    with in_territory(territory_a):
        badge = make_badge(territory_a)
    anna = signed_in(client_for, territory_a, user("anna"))
    start = timezone.localtime()
    end = start + timedelta(days=1)
    fmt = "%Y-%m-%dT%H:%M"
    response = anna.post(
        f"/manage/badges/{badge.slug}/codes/",
        {
            "label": "Fair",
            "valid_from": start.strftime(fmt),
            "valid_until": end.strftime(fmt),
            "kind": "shared",
            "max_uses": "50",
        },
    )
    assert response.status_code == 302
    with in_territory(territory_a):
        code = ClaimCode.objects.get(badge_class=badge)
    assert code.max_uses == 50
    page = anna.get(f"/manage/badges/codes/{code.pk}/").content.decode()
    assert "<svg" in page and f"/badges/claim/{code.code}/" in page
    qr = anna.get(f"/manage/badges/codes/{code.pk}/qr.png")
    assert qr["Content-Type"] == "image/png" and qr.content.startswith(b"\x89PNG")
    response = anna.post(
        f"/manage/badges/{badge.slug}/codes/",
        {
            "valid_from": start.strftime(fmt),
            "valid_until": end.strftime(fmt),
            "kind": "single",
            "count": "12",
        },
    )
    assert response.status_code == 302
    with in_territory(territory_a):
        batch_code = ClaimCode.objects.filter(badge_class=badge, single_use=True).first()
    assert batch_code is not None
    sheet = anna.get(f"/manage/badges/codes/{batch_code.pk}/").content.decode()
    assert sheet.count('class="claim-code"') == 12
    csv_text = anna.get(f"/manage/badges/codes/{batch_code.pk}/codes.csv").content.decode()
    assert len(csv_text.strip().splitlines()) == 13
    invalid = anna.post(
        f"/manage/badges/{badge.slug}/codes/",
        {"valid_from": end.strftime(fmt), "valid_until": start.strftime(fmt), "kind": "single"},
    )
    assert invalid.status_code == 400


def test_admin_adds_a_provider_issuer_and_rotates_its_key(
    territory_a: Territory, client_for: ClientFor, user: Callable[[str], User]
) -> None:
    anna = signed_in(client_for, territory_a, user("anna"))
    response = anna.post(
        "/manage/badges/issuers/new/", {"name": "Library Lab", "email": "lab@library.example"}
    )
    assert response.status_code == 302
    page = anna.get("/manage/badges/issuers/").content.decode()
    assert "did:web:aurora.localhost:issuers:library-lab" in page
    with in_territory(territory_a):
        issuer = Issuer.objects.get(slug="library-lab")
        award(territory_a, make_badge(territory_a, issuer=issuer))
    assert anna.post("/manage/badges/issuers/library-lab/rotate-key/").status_code == 302
    keys_page = anna.get("/manage/badges/issuers/library-lab/").content.decode()
    assert "key-1" in keys_page and "key-2" in keys_page and "retired" in keys_page
    alan = signed_in(client_for, territory_a, user("alan"))
    assert alan.post("/manage/badges/issuers/library-lab/rotate-key/").status_code == 403


def test_provider_staff_issue_badges_as_their_verified_provider_only(
    territory_a: Territory,
    territory_b: Territory,
    client_for: ClientFor,
    user: Callable[[str], User],
) -> None:
    from tenant_apps.catalogue.actions import verify_provider
    from tenant_apps.catalogue.models import Provider, ProviderStaff
    from tests.tenant_apps.catalogue.factories import make_provider

    owner = [(user("alan"), ProviderStaff.Role.OWNER)]
    centre = make_provider(
        territory_a,
        "Menų centras",
        staff=owner,
        email="menai@example.org",
        status=Provider.Status.PENDING,
    )
    pending = make_provider(territory_a, "Naujokai", staff=owner, status=Provider.Status.PENDING)
    with in_territory(territory_a):
        # The verification gives the provider its issuer profile.
        verify_provider(provider=centre, territory=territory_a, acting_user=user("anna"))
        territory_badge = make_badge(territory_a, "City badge")
    alan = signed_in(client_for, territory_a, user("alan"))
    page = alan.get("/manage/badges/").content.decode()
    assert territory_badge.name not in page
    with in_territory(territory_a):
        issuer = Issuer.objects.get(provider_id=centre.pk)
        assert (issuer.kind, issuer.name, issuer.email) == (
            "provider",
            "Menų centras",
            "menai@example.org",
        )
        # A provider not yet verified is no issuer.
        assert not Issuer.objects.filter(provider_id=pending.pk).exists()
        territory_issuer = Issuer.objects.get(kind="territory")
    fields = {
        "name": "Street art",
        "description": "Painted a wall with the team",
        "criteria_narrative": "Take part in the mural week",
        "template_shape": "circle",
    }
    # He cannot issue in the territory's name...
    refused = alan.post("/manage/badges/new/", {**fields, "issuer": territory_issuer.pk})
    assert refused.status_code == 400
    # ...but in his provider's.
    assert alan.post("/manage/badges/new/", {**fields, "issuer": issuer.pk}).status_code == 302
    with in_territory(territory_a):
        badge = BadgeClass.objects.get(name="Street art")
    assert badge.issuer_id == issuer.pk
    assert alan.get(f"/manage/badges/{badge.slug}/").status_code == 200
    assert AuditEntry.objects.filter(territory=territory_a, action="badges.issuer_created").exists()

    # Staff of the other territory, and anyone once the provider is suspended: nothing.
    boris = signed_in(client_for, territory_b, user("boris"))
    assert boris.get(f"/manage/badges/{badge.slug}/").status_code == 404
    with in_territory(territory_a):
        Provider.objects.filter(pk=centre.pk).update(status=Provider.Status.SUSPENDED)
    assert alan.get(f"/manage/badges/{badge.slug}/").status_code == 404


def test_an_admin_cannot_review_their_own_application(
    territory_a: Territory, client_for: ClientFor, user: Callable[[str], User]
) -> None:
    with in_territory(territory_a):
        badge = make_badge(territory_a, "Night reporter")
        application = actions.apply_for_badge(
            badge_class=badge, user=user("anna"), statement="I did it", evidence=[]
        )
    anna = signed_in(client_for, territory_a, user("anna"))
    # Not in her queue (she manages every badge here, her own application included)...
    queue = anna.get("/manage/badges/reviews/")
    assert queue.status_code == 200 and "Review queue" in queue.content.decode()
    assert "Night reporter" not in queue.content.decode()
    # ...and refused if she goes to it directly: nothing awarded, nothing recorded.
    response = anna.post(
        f"/manage/badges/reviews/{application.pk}/", {"decision": "approve", "comment": ""}
    )
    assert response.status_code == 400
    assert "You cannot review your own evidence." in response.content.decode()
    with in_territory(territory_a):
        application.refresh_from_db()
        assert application.status == Application.Status.SUBMITTED
        assert not Award.objects.filter(badge_class=badge).exists()
    assert not AuditEntry.objects.filter(action__startswith="badges.application_").exists()
