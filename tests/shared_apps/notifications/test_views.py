"""The list, the header's count, marking read, choosing kinds: and isolation."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from shared_apps.accounts.actions import ensure_learner_membership
from shared_apps.accounts.models import User
from shared_apps.notifications import actions, kinds
from shared_apps.notifications.models import Notification, Preference
from shared_apps.notifications.selectors import PAGE_SIZE
from shared_apps.ops.models import OutboundEmail
from tenants.models import Territory
from tests.conftest import HostClient

UserOf = Callable[[str], User]
English = Callable[..., HostClient]


def tell(user: User, territory: Territory | None, badge: str = "Chess") -> Notification:
    made = actions.notify(
        user=user,
        kind=kinds.BADGE_AWARDED,
        territory=territory,
        params={"badge": badge},
        path="/badges/awards/x/",
    )
    assert made is not None
    return made


def test_list_shows_mine_only_with_links_on_their_own_host(
    territory_a: Territory, territory_b: Territory, user: UserOf, english: English
) -> None:
    tell(user("ada"), territory_a, "Aurora chess")
    tell(user("bea"), territory_b, "Borealis secret")
    # ada signs in on borealis too (a person is one account): she reads the same list
    # there, and its link leads to aurora's host.
    ensure_learner_membership(user=user("ada"), territory=territory_b)
    page = english(territory_b, user("ada")).get("/notifications/").content.decode()
    assert "You earned the badge “Aurora chess”." in page
    assert "Borealis secret" not in page
    mine = Notification.objects.get(user=user("ada"))
    response = english(territory_b, user("ada")).get(f"/notifications/{mine.pk}/")
    assert response.status_code == 302
    assert response["Location"] == "http://aurora.localhost/badges/awards/x/"


def test_someone_elses_notification_is_a_404(
    territory_a: Territory, user: UserOf, english: English
) -> None:
    theirs = tell(user("bea"), territory_a)
    ada = english(territory_a, user("ada"))
    assert ada.get(f"/notifications/{theirs.pk}/").status_code == 404
    assert ada.post(f"/notifications/{theirs.pk}/read/").status_code == 404
    ada.post("/notifications/read-all/")
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_visitors_are_sent_to_sign_in(territory_a: Territory, english: English) -> None:
    for path in ("/notifications/", "/notifications/1/"):
        response = english(territory_a).get(path)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert english(territory_a).post("/notifications/read-all/").status_code == 302


def test_mark_read_one_and_all_without_javascript(
    territory_a: Territory, user: UserOf, english: English
) -> None:
    first, second = tell(user("ada"), territory_a, "One"), tell(user("ada"), territory_a, "Two")
    ada = english(territory_a, user("ada"))
    assert '2<span class="visually-hidden"> unread' in ada.get("/").content.decode()
    response = ada.post(f"/notifications/{first.pk}/read/", {"page": "1"})
    assert response.status_code == 302 and response["Location"] == "/notifications/"
    assert '1<span class="visually-hidden"> unread' in ada.get("/").content.decode()
    ada.post("/notifications/read-all/")
    assert "> unread" not in ada.get("/").content.decode()
    second.refresh_from_db()
    assert second.read_at is not None


def test_mark_read_with_htmx_returns_the_item_and_the_count(
    territory_a: Territory, user: UserOf, english: English
) -> None:
    first = tell(user("ada"), territory_a)
    tell(user("ada"), territory_a)
    response = english(territory_a, user("ada")).post(
        f"/notifications/{first.pk}/read/", HTTP_HX_REQUEST="true"
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert f'id="notification-{first.pk}"' in body and "Mark as read" not in body
    assert 'id="notifications-count" hx-swap-oob="true"' in body and "1<span" in body


def test_list_is_paged_and_bad_pages_are_not_errors(
    territory_a: Territory, user: UserOf, english: English
) -> None:
    for index in range(PAGE_SIZE + 3):
        tell(user("ada"), territory_a, f"Badge {index}")
    ada = english(territory_a, user("ada"))
    first = ada.get("/notifications/").content.decode()
    assert f"Badge {PAGE_SIZE + 2}" in first and "Badge 0”" not in first  # newest first
    assert "Badge 0”" in ada.get("/notifications/?page=2").content.decode()
    for page in ("999", "x", "-1", "0"):
        assert ada.get(f"/notifications/?page={page}").status_code == 200


def test_list_query_count_is_pinned(
    territory_a: Territory,
    territory_b: Territory,
    user: UserOf,
    english: English,
    django_assert_num_queries,
) -> None:
    for index in range(PAGE_SIZE):
        tell(user("ada"), territory_a if index % 2 else territory_b, f"B{index}")
    ada = english(territory_a, user("ada"))
    ada.get("/notifications/")
    # search_path, session, account, membership, the page's count, the page's rows
    # (territories joined), the unread count (the header and the "mark all" button).
    with django_assert_num_queries(7):
        assert ada.get("/notifications/").status_code == 200


def test_header_badge_costs_one_query(
    territory_a: Territory, user: UserOf, english: English
) -> None:
    tell(user("ada"), territory_a)
    ada = english(territory_a, user("ada"))
    with CaptureQueriesContext(connection) as queries:
        page = ada.get("/account/").content.decode()
    # The summary and the menu entry both show the count: one COUNT between them.
    assert page.count("1<span") == 1 and '<span class="chip">1</span>' in page
    assert len(_counting(queries.captured_queries)) == 1
    # Visitors and fragments (htmx) cost none.
    with CaptureQueriesContext(connection) as queries:
        english(territory_a).get("/account/")
        english(territory_a, user("anna")).get("/welcome/", HTTP_HX_REQUEST="true")
    assert _counting(queries.captured_queries) == []


def _counting(queries: list[dict[str, str]]) -> list[str]:
    return [q["sql"] for q in queries if 'FROM "notifications_notification"' in q["sql"]]


def test_preferences_on_the_account_page(
    territory_a: Territory, user: UserOf, english: English
) -> None:
    ada = english(territory_a, user("ada"))
    page = ada.get("/account/").content.decode()
    assert 'id="notifications"' in page
    assert "consent and about your account's security always come" in page
    response = ada.post(
        "/notifications/preferences/",
        {
            # badge_awarded: email off, list on; everything else left on.
            **{
                f"{key}__{channel}": "on"
                for key in kinds.KINDS
                for channel in ("email", "in_app")
                if (key, channel) != (kinds.BADGE_AWARDED, "email")
            },
        },
    )
    assert response.status_code == 302
    assert response["Location"] == "/account/#notifications"
    preference = Preference.objects.get(user=user("ada"))
    assert (preference.kind, preference.email, preference.in_app) == (
        kinds.BADGE_AWARDED,
        False,
        True,
    )
    tell(user("ada"), territory_a)
    assert Notification.objects.filter(user=user("ada")).count() == 1
    assert not OutboundEmail.objects.filter(to=[user("ada").email]).exists()


def test_turning_a_kind_off_entirely(territory_a: Territory, user: UserOf) -> None:
    actions.save_preferences(user=user("ada"), choices={kinds.BADGE_AWARDED: (False, False)})
    assert (
        actions.notify(user=user("ada"), kind=kinds.BADGE_AWARDED, territory=territory_a, params={})
        is None
    )
    assert not Notification.objects.filter(user=user("ada")).exists()
    assert not OutboundEmail.objects.filter(to=[user("ada").email]).exists()
    # Another person's choice is theirs alone.
    tell(user("alan"), territory_a)
    assert OutboundEmail.objects.filter(to=[user("alan").email]).count() == 1


@pytest.mark.parametrize("kind", [kinds.CONSENT_NEEDED, kinds.TERRITORY_WELCOME])
def test_mandatory_kinds_cannot_be_turned_off(
    territory_a: Territory, user: UserOf, english: English, kind: str
) -> None:
    actions.save_preferences(user=user("ada"), choices={kind: (False, False)})
    assert not Preference.objects.filter(user=user("ada")).exists()
    # Nor by posting the form without the boxes (they are disabled on the page).
    english(territory_a, user("ada")).post("/notifications/preferences/", {})
    assert not Preference.objects.filter(kind=kind).exists()
    actions.notify(user=user("ada"), kind=kind, territory=territory_a, params={"site": "Aurora"})
    assert Notification.objects.filter(user=user("ada"), kind=kind).count() == 1
    assert OutboundEmail.objects.filter(to=[user("ada").email]).count() == 1


def test_the_network_site_lists_them_too_in_the_readers_language(
    territory_a: Territory, user: UserOf, network_client: HostClient
) -> None:
    made = tell(user("ada"), territory_a, "Šachmatai")
    network_client.cookies["django_language"] = "de"
    network_client.sign_in(user("ada"))
    page = network_client.get("/notifications/").content.decode()
    # Written when read: German here, whatever language the email went out in.
    assert "Du hast das Badge „Šachmatai“ erhalten." in page
    response = network_client.get(f"/notifications/{made.pk}/")
    assert response["Location"] == "http://aurora.localhost/badges/awards/x/"
