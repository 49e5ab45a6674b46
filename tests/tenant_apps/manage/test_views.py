import io
from collections.abc import Callable

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image
from pytest_django import DjangoAssertNumQueries

from shared_apps.accounts.models import Membership, User
from shared_apps.audit.models import AuditEntry
from tenants.models import Territory
from tests.conftest import ClientFor, HostClient

# search_path, the session, the account, the membership check, the members by role,
# the live figures (7 COUNTs and 3 search_path switches: learners are in the public
# schema) and the cards' counts (activities to review, providers to verify).
OVERVIEW_QUERIES = 4 + 1 + 10 + 2 + 1  # + the header's unread notifications


def admin_client(
    territory: Territory, client_for: ClientFor, user: Callable[[str], User], name: str
) -> HostClient:
    client = client_for(territory)
    client.cookies["django_language"] = "en"
    client.sign_in(user(name))
    return client


def form_data(**overrides: object) -> dict[str, object]:
    data: dict[str, object] = {
        "name": "Aurora City",
        "primary_color": "#8c1c2b",
        "accent_color": "#f4c430",
        "default_language": "lt",
        "languages": ["lt", "en", "fi"],
    }
    data.update(overrides)
    return data


def png(size: tuple[int, int] = (120, 120)) -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", size, (10, 20, 30)).save(out, "PNG")
    return SimpleUploadedFile("logo.png", out.getvalue(), content_type="image/png")


def test_admin_saves_branding_and_it_is_audited(
    territory_a: Territory, client_for: ClientFor, user: Callable[[str], User]
) -> None:
    client = admin_client(territory_a, client_for, user, "anna")
    response = client.post("/manage/settings/", form_data(logo=png()))
    assert response.status_code == 302
    territory_a.refresh_from_db()
    assert territory_a.name == "Aurora City"
    assert territory_a.languages == ["lt", "en", "fi"]
    assert territory_a.logo.name.startswith("t_aurora/branding/")
    entry = AuditEntry.objects.get(territory=territory_a, action="territory.branding_changed")
    assert entry.actor == user("anna")
    assert "#8c1c2b" in client.get("/").content.decode()


def test_bad_contrast_is_refused_with_a_field_error_and_input_kept(
    territory_a: Territory, client_for: ClientFor, user: Callable[[str], User]
) -> None:
    client = admin_client(territory_a, client_for, user, "anna")
    response = client.post(
        "/manage/settings/", form_data(primary_color="#ffdd00", name="Kept name")
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "4.5:1" in page
    assert 'value="Kept name"' in page
    territory_a.refresh_from_db()
    assert territory_a.name == "Aurora"


def test_svg_logo_is_refused(
    territory_a: Territory, client_for: ClientFor, user: Callable[[str], User]
) -> None:
    client = admin_client(territory_a, client_for, user, "anna")
    svg = SimpleUploadedFile(
        "logo.svg", b"<svg xmlns='http://www.w3.org/2000/svg'/>", content_type="image/svg+xml"
    )
    response = client.post("/manage/settings/", form_data(logo=svg))
    assert response.status_code == 400
    assert "SVG" in response.content.decode()
    territory_a.refresh_from_db()
    assert not territory_a.logo


def test_language_must_be_offered_by_the_platform(
    territory_a: Territory, client_for: ClientFor, user: Callable[[str], User]
) -> None:
    client = admin_client(territory_a, client_for, user, "anna")
    response = client.post("/manage/settings/", form_data(default_language="xx"))
    assert response.status_code == 400


def test_admin_changes_a_role(
    territory_a: Territory,
    client_for: ClientFor,
    user: Callable[[str], User],
    membership: Callable[[str, Territory], Membership],
) -> None:
    client = admin_client(territory_a, client_for, user, "anna")
    ada = membership("ada", territory_a)
    assert (
        client.post(f"/manage/members/{ada.pk}/role/", {"role": "provider_staff"}).status_code
        == 302
    )
    ada.refresh_from_db()
    assert ada.role == "provider_staff"
    assert AuditEntry.objects.filter(
        action="membership.role_changed", target_id=str(ada.pk)
    ).exists()


def test_last_admin_cannot_step_down(
    territory_a: Territory,
    client_for: ClientFor,
    user: Callable[[str], User],
    membership: Callable[[str, Territory], Membership],
) -> None:
    client = admin_client(territory_a, client_for, user, "anna")
    anna = membership("anna", territory_a)
    response = client.post(f"/manage/members/{anna.pk}/role/", {"role": "learner"}, follow=True)
    assert "at least one admin" in response.content.decode()
    anna.refresh_from_db()
    assert anna.role == "territory_admin"


def test_members_page_masks_learner_emails(
    territory_a: Territory, client_for: ClientFor, user: Callable[[str], User]
) -> None:
    page = (
        admin_client(territory_a, client_for, user, "anna").get("/manage/members/").content.decode()
    )
    assert "ada@example.org" not in page
    assert "a••••@example.org" in page
    assert "alan@example.org" in page  # staff are shown in full
    assert "bea@" not in page and "b••••@" not in page  # nobody from borealis


def test_overview_groups_the_area_into_cards_with_counts(
    territory_a: Territory,
    territory_b: Territory,
    client_for: ClientFor,
    user: Callable[[str], User],
    django_assert_num_queries: DjangoAssertNumQueries,
) -> None:
    from tenant_apps.catalogue.models import Activity, Provider
    from tests.tenant_apps.catalogue.factories import make_activity, make_provider

    provider = make_provider(territory_a, "Waiting Club", status=Provider.Status.PENDING)
    make_activity(territory_a, provider, status=Activity.Status.SUBMITTED)
    # The other territory's waiting work is not counted here.
    other = make_provider(territory_b, "Other Club", status=Provider.Status.PENDING)
    make_activity(territory_b, other, status=Activity.Status.SUBMITTED)
    make_activity(territory_b, other, "Second", status=Activity.Status.SUBMITTED)
    client = admin_client(territory_a, client_for, user, "anna")
    client.get("/manage/")
    # Pinned: the page's queries do not grow with the number of links (one COUNT
    # each for the links that count: review, providers).
    with django_assert_num_queries(OVERVIEW_QUERIES):
        page = client.get("/manage/").content.decode()
    groups = page.split('class="manage-groups"', 1)[1].split("Your territory now", 1)[0]
    for title in ("Learning content", "People", "Your site", "Figures and records"):
        assert f"{title}</h2>" in groups
    review = groups.split('data-link="catalogue-review"', 1)[1].split("</li>", 1)[0]
    assert 'href="/manage/review/"' in review and "Activities waiting for your review." in review
    assert '<span class="manage-count manage-count--todo">1</span>' in review
    providers = groups.split('data-link="catalogue-providers"', 1)[1].split("</li>", 1)[0]
    assert '<span class="manage-count manage-count--todo">1</span>' in providers
    assert 'data-link="settings"' in groups and 'data-link="audit"' in groups
    # The cards are the overview's menu; the other admin pages have it as tabs.
    assert page.count('href="/manage/settings/"') == 1
    members = client.get("/manage/members/").content.decode()
    assert 'class="manage-nav"' in members and 'href="/manage/settings/"' in members


def test_provider_staff_see_only_their_cards(
    territory_a: Territory, client_for: ClientFor, user: Callable[[str], User]
) -> None:
    client = admin_client(territory_a, client_for, user, "alan")
    page = client.get("/manage/").content.decode()
    groups = page.split('class="manage-groups"', 1)[1].split("Your territory now", 1)[0]
    assert 'data-link="playlists-studio"' in groups
    for admin_only in ("settings", "members", "catalogue-review", "audit", "badges"):
        assert f'data-link="{admin_only}"' not in groups
    assert "/manage/settings/" not in page


def test_other_territory_admin_cannot_open_the_overview(
    territory_a: Territory, client_for: ClientFor, user: Callable[[str], User]
) -> None:
    client = admin_client(territory_a, client_for, user, "bruno")
    assert client.get("/manage/").status_code in (302, 403, 404)
