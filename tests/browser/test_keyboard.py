"""Keyboard only: search, the map and its list, claiming a badge by code, following a
playlist (join, send evidence, see it waiting for review).

Each walk-through presses Tab (never clicks) until the element it needs has the focus,
so a control that cannot be reached by keyboard fails the test. Later features add
their walk-through to KEYBOARD_WALKS (a function taking the fixtures below).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from django_tenants.utils import tenant_context
from playwright.sync_api import Page, expect

from tenant_apps.badges.models import Award, ClaimCode
from tenant_apps.catalogue.models import Activity
from tenant_apps.playlists.models import Enrolment, Playlist, StepProgress
from tests.browser.axe import audit, describe
from tests.browser.conftest import ContextFor
from tests.browser.live import LiveSite
from tests.browser.pages import on_territory

pytestmark = [pytest.mark.browser, pytest.mark.django_db]
MAX_TABS = 80


def tab_to(page: Page, matches: str, *, backwards: bool = False) -> None:
    """Press Tab until the focused element matches the CSS selector."""
    for _ in range(MAX_TABS):
        page.keyboard.press("Shift+Tab" if backwards else "Tab")
        if page.evaluate("s => !!document.activeElement?.matches(s)", matches):
            return
    raise AssertionError(f"{matches} cannot be reached with the Tab key")


def focused(page: Page) -> Any:
    return page.evaluate(
        "() => ({id: document.activeElement.id, text: document.activeElement.textContent,"
        " href: document.activeElement.getAttribute('href')})"
    )


def map_scale(page: Page) -> str:
    """Leaflet's zoom, as the scale of its proxy element (the map has no global)."""
    return str(page.locator("#finder-map .leaflet-proxy").evaluate("e => e.style.transform"))


def wait_for_new_scale(page: Page, before: str) -> None:
    page.wait_for_function(
        "b => document.querySelector('#finder-map .leaflet-proxy').style.transform !== b",
        arg=before,
    )
    # Keys pressed while Leaflet animates a zoom are ignored: let it finish.
    page.wait_for_function("() => !document.querySelector('#finder-map .leaflet-zoom-anim')")


def walk_search(live: LiveSite, context_for: ContextFor) -> None:
    with tenant_context(live.territory):
        activity = Activity.objects.filter(status=Activity.Status.PUBLISHED).order_by("pk")[0]
    word = activity.title.split()[0]
    page = context_for("anonymous", "en", "desktop").new_page()
    page.goto(live.base + on_territory("catalogue:search"))
    tab_to(page, "#id_q")
    page.keyboard.type(word)
    page.keyboard.press("Enter")
    expect(page.locator("#results .result-count")).to_have_attribute(
        "data-query", re.compile(re.escape(f"q={word}"))
    )
    tab_to(page, "#results a[href^='/activities/']")
    target = focused(page)["href"]
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(re.escape(target) + "$"))
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    page.close()


def zoom_by_keyboard(page: Page) -> None:
    expect(page.locator("#finder-map .leaflet-proxy")).to_be_attached()
    before = map_scale(page)
    page.keyboard.press("+")
    wait_for_new_scale(page, before)
    zoomed = map_scale(page)
    # Back out: the map then reloads its layer for the view (audited once it is drawn).
    with page.expect_response(lambda response: "/api/map" in response.url):
        page.keyboard.press("-")
        wait_for_new_scale(page, zoomed)
    page.wait_for_function(
        "() => !document.querySelector('#finder-map .leaflet-zoom-anim, #finder-map"
        " .leaflet-cluster-anim')"
    )


def walk_map(live: LiveSite, context_for: ContextFor) -> None:
    # A desktop: the map is opened with its button, which hands the focus to the map.
    page = context_for("anonymous", "en", "desktop").new_page()
    page.goto(live.base + on_territory("catalogue:search"))
    expect(page.locator("#finder-map")).to_be_hidden()
    tab_to(page, "[data-action=show-map]")
    page.keyboard.press("Enter")
    expect(page.locator("#finder-map")).to_be_focused()
    zoom_by_keyboard(page)
    # The opened map (Leaflet's controls and markers) passes the audit too.
    assert not describe("map opened, desktop", audit(page))
    # Asked for once, the map comes by itself on this device's next visits.
    page.goto(live.base + on_territory("catalogue:search"))
    expect(page.locator("#finder-map .leaflet-proxy")).to_be_attached()
    expect(page.locator(".map-facade")).to_be_hidden()
    page.close()

    # A phone: list or map, chosen with the toggle buttons (a new context: the map,
    # once opened, is remembered per device).
    page = context_for("anonymous", "en", "phone").new_page()
    page.goto(live.base + on_territory("catalogue:search"))
    tab_to(page, ".view-toggle [data-view=map]")
    page.keyboard.press("Enter")
    expect(page.locator(".view-toggle [data-view=map]")).to_have_attribute("aria-pressed", "true")
    tab_to(page, "#finder-map")
    zoom_by_keyboard(page)
    assert not describe("map opened, phone", audit(page))
    # Back to the list, the map's alternative: its first activity is one Tab away.
    tab_to(page, ".view-toggle [data-view=list]", backwards=True)
    page.keyboard.press("Enter")
    expect(page.locator(".view-toggle [data-view=list]")).to_have_attribute("aria-pressed", "true")
    tab_to(page, "#results a[href^='/activities/']")
    expect(page.locator("#results")).to_be_visible()
    page.close()


def walk_claim(live: LiveSite, context_for: ContextFor) -> None:
    # The provider's account has no award of the demo maker badge yet.
    with tenant_context(live.territory):
        code = ClaimCode.objects.order_by("pk")[0]
        badge_name = code.badge_class.name
    page = context_for("provider", "en", "phone").new_page()
    page.goto(live.base + on_territory("badges:claim"))
    tab_to(page, "input[name=code]")
    page.keyboard.type(code.code)
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/badges/awards/"))
    expect(page.get_by_role("heading", level=1)).to_contain_text(badge_name)
    with tenant_context(live.territory):
        assert Award.objects.filter(
            badge_class=code.badge_class, recipient_email=live.users["provider"].email
        ).exists()
    page.close()


# Walk-throughs run by test_keyboard_walk below; later features append theirs here.
def walk_playlist(live: LiveSite, context_for: ContextFor) -> None:
    learner = live.users["learner"]
    with tenant_context(live.territory):
        playlist = (
            Playlist.objects.filter(status=Playlist.Status.PUBLISHED)
            .exclude(pk__in=Enrolment.objects.filter(user_id=learner.pk).values("playlist_id"))
            .order_by("pk")
            .first()
        )
    assert playlist is not None, "the demo has no playlist the learner has not joined"
    page = context_for("learner", "en", "phone").new_page()
    page.goto(live.base + on_territory("playlists:detail", playlist.pk))
    tab_to(page, f"form[action$='/playlists/{playlist.pk}/join/'] button")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(re.escape(f"/playlists/{playlist.pk}/progress/") + "$"))
    tab_to(page, "a[href*='/evidence/']")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile("/evidence/$"))
    tab_to(page, "textarea[name='text']")
    page.keyboard.type("I went to the workshop and built a lamp.")
    tab_to(page, "form button[type='submit']")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(re.escape(f"/playlists/{playlist.pk}/progress/")))
    expect(page.get_by_text("Waiting for review").first).to_be_visible()
    with tenant_context(live.territory):
        sent = StepProgress.objects.get(
            enrolment__user_id=learner.pk, playlist=playlist, state=StepProgress.State.SUBMITTED
        )
    assert sent.evidence_text == "I went to the workshop and built a lamp."
    page.close()


KEYBOARD_WALKS: dict[str, Callable[[LiveSite, ContextFor], None]] = {
    "search": walk_search,
    "map": walk_map,
    "claim a badge": walk_claim,
    "playlist progress": walk_playlist,
}


@pytest.mark.parametrize("name", list(KEYBOARD_WALKS))
def test_keyboard_walk(live: LiveSite, context_for: ContextFor, name: str) -> None:
    KEYBOARD_WALKS[name](live, context_for)
