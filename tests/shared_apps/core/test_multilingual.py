"""Activity, playlist and badge texts in several languages: staff add them for the
site's other languages, readers get their language or the original, and nobody edits
another provider's or another territory's texts."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django_tenants.utils import tenant_context

from shared_apps.accounts.models import User
from shared_apps.core.multilingual import localized
from tenant_apps.catalogue.models import Activity, Provider
from tenants.models import Territory
from tests.conftest import ClientFor, HostClient
from tests.tenant_apps.badges.factories import in_territory, make_badge
from tests.tenant_apps.catalogue.conftest import provider_a
from tests.tenant_apps.catalogue.factories import make_activity, make_provider
from tests.tenant_apps.playlists.factories import make_playlist

__all__ = ["provider_a"]


def in_language(client_for: ClientFor, territory: Territory, language: str) -> HostClient:
    client = client_for(territory)
    client.cookies["django_language"] = language
    return client


def test_fallback_goes_to_the_base_language_then_the_original() -> None:
    activity = Activity(title="Robotikos būrelis", translations={"en": {"title": "Robotics"}})
    assert localized(activity, "title", "en") == "Robotics"
    assert localized(activity, "title", "en-gb") == "Robotics"
    assert localized(activity, "title", "fi") == "Robotikos būrelis"
    assert localized(activity, "summary", "en") == ""


def test_provider_staff_add_english_texts_that_english_readers_see(
    territory_a: Territory,
    provider_a: Provider,
    client_for: ClientFor,
    user: Callable[[str], User],
) -> None:
    activity = make_activity(
        territory_a, provider_a, "Robotikos būrelis", summary="Kuriame robotus kartu."
    )
    path = f"/studio/{provider_a.pk}/activities/{activity.pk}/translations/"
    alan = in_language(client_for, territory_a, "en")
    alan.sign_in(user("alan"))
    page = alan.get(path).content.decode()
    assert "Title in English" in page and 'lang="en"' in page

    too_long = alan.post(path, {"en__title": "x" * 200})
    assert too_long.status_code == 400 and "at most 160" in too_long.content.decode()
    with tenant_context(territory_a):
        assert Activity.objects.get(pk=activity.pk).translations == {}

    saved = alan.post(
        path,
        {
            "en__title": "Robotics club",
            "en__description": "<p>Build robots</p><script>alert(1)</script>",
        },
    )
    assert saved.status_code == 302
    with tenant_context(territory_a):
        stored = Activity.objects.get(pk=activity.pk).translations
    assert stored == {"en": {"title": "Robotics club", "description": "<p>Build robots</p>"}}

    english = in_language(client_for, territory_a, "en").get(f"/activities/{activity.pk}/")
    text = english.content.decode()
    assert '<h1 id="activity-title">Robotics club</h1>' in text
    assert "Kuriame robotus kartu." in text  # no English summary: the original
    assert "alert(1)" not in text
    lithuanian = in_language(client_for, territory_a, "lt").get(f"/activities/{activity.pk}/")
    assert '<h1 id="activity-title">Robotikos būrelis</h1>' in lithuanian.content.decode()
    cards = in_language(client_for, territory_a, "en").get("/activities/").content.decode()
    assert "Robotics club" in cards


def test_nobody_else_edits_the_texts(
    territory_a: Territory,
    territory_b: Territory,
    provider_a: Provider,
    client_for: ClientFor,
    user: Callable[[str], User],
) -> None:
    activity = make_activity(territory_a, provider_a, "Robotikos būrelis")
    path = f"/studio/{provider_a.pk}/activities/{activity.pk}/translations/"
    other = make_provider(territory_a, "Kitas centras", staff=[(user("ada"), "owner")])
    ada = client_for(territory_a)
    ada.sign_in(user("ada"))  # staff of another provider of the same city
    assert ada.post(path, {"en__title": "Hijacked"}).status_code in (403, 404)
    assert (
        ada.post(
            f"/studio/{other.pk}/activities/{activity.pk}/translations/", {"en__title": "Hijacked"}
        ).status_code
        == 404
    )
    boris = client_for(territory_b)
    boris.sign_in(user("boris"))  # another territory's provider staff, on its own host
    assert boris.post(path, {"en__title": "Hijacked"}).status_code in (403, 404)
    with tenant_context(territory_a):
        assert Activity.objects.get(pk=activity.pk).translations == {}


def test_playlist_and_badge_texts_in_other_languages(
    territory_a: Territory, client_for: ClientFor, user: Callable[[str], User]
) -> None:
    playlist = make_playlist(territory_a, user("anna"), "Jaunasis žurnalistas")
    with in_territory(territory_a):
        badge = make_badge(territory_a, "Jaunasis reporteris")
    anna = in_language(client_for, territory_a, "en")
    anna.sign_in(user("anna"))
    assert (
        anna.post(
            f"/playlists/studio/{playlist.pk}/translations/",
            {"en__title": "Young journalist", "en__description": "From question to story."},
        ).status_code
        == 302
    )
    assert (
        anna.post(
            f"/manage/badges/{badge.slug}/translations/", {"en__name": "Young reporter"}
        ).status_code
        == 302
    )
    visitor = in_language(client_for, territory_a, "en")
    assert "Young journalist" in visitor.get(f"/playlists/{playlist.pk}/").content.decode()
    assert "Young journalist" in visitor.get("/playlists/").content.decode()
    assert "Young reporter" in visitor.get(f"/badges/{badge.slug}/").content.decode()
    bea: Any = client_for(territory_a)
    bea.sign_in(user("ada"))  # a learner
    assert bea.post(
        f"/manage/badges/{badge.slug}/translations/", {"en__name": "x"}
    ).status_code in (302, 403, 404)
    with tenant_context(territory_a):
        badge.refresh_from_db()
    assert badge.translations == {"en": {"name": "Young reporter"}}
