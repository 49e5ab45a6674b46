"""Design (issue 16, item 5) in Chromium: the playlist map on a first visit, the home
page's hero at phone width, pictures on result cards."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.conf import settings
from playwright.sync_api import Browser, expect

from tests.browser.axe import AXE, audit, describe
from tests.browser.live import LiveSite
from tests.browser.pages import AUDITED_PAGES, VIEWPORTS, Page

pytestmark = [pytest.mark.browser, pytest.mark.django_db]


def listed(name: str) -> Page:
    return next(page for page in AUDITED_PAGES if page.name == name)


@pytest.mark.parametrize("width", list(VIEWPORTS))
def test_playlist_map_on_a_first_visit(
    live: LiveSite, chromium: Browser, url_of: Callable[[Page], str], width: str
) -> None:
    # A fresh context: nothing remembered on the device (the map was opened nowhere).
    context = chromium.new_context(viewport=VIEWPORTS[width], bypass_csp=True)  # type: ignore[arg-type]
    context.add_init_script(path=str(AXE))
    context.add_cookies([{"name": settings.LANGUAGE_COOKIE_NAME, "value": "en", "url": live.base}])
    page = context.new_page()
    page.goto(url_of(listed("playlist")), wait_until="load")
    section = page.locator("section[aria-labelledby='map-title']")
    map_box = section.locator(".place-map")
    # Not an empty box: the map waits behind its button until asked for.
    expect(map_box).to_be_hidden()
    button = section.get_by_role("button", name="Show the map")
    expect(button).to_be_visible()
    button.click()
    expect(map_box).to_be_visible()
    expect(map_box).to_have_attribute("role", "region")
    expect(map_box.locator(".leaflet-marker-icon").first).to_be_visible()
    size = map_box.bounding_box()
    assert size is not None and size["height"] >= 200 and size["width"] >= 250, size
    # Every step's place is inside the drawn map (fitted to its points).
    outside = page.evaluate(
        """() => {
            const box = document.querySelector('.place-map').getBoundingClientRect();
            return [...document.querySelectorAll('.place-map .leaflet-marker-icon')]
                .map(m => m.getBoundingClientRect())
                .filter(r => r.left < box.left || r.right > box.right
                    || r.top < box.top || r.bottom > box.bottom)
                .map(r => [Math.round(r.left - box.left), Math.round(r.top - box.top)]);
        }"""
    )
    assert outside == [], f"pins cut off at the map's edge: {outside}"
    # With Leaflet's links and buttons inside: no nested-interactive, nothing else.
    problems = describe("playlist with its map open", audit(page))
    assert not problems, "\n".join(problems)
    context.close()


def test_home_hero_at_phone_width(
    live: LiveSite, chromium: Browser, url_of: Callable[[Page], str]
) -> None:
    context = chromium.new_context(viewport=VIEWPORTS["phone"])  # type: ignore[arg-type]
    context.add_cookies([{"name": settings.LANGUAGE_COOKIE_NAME, "value": "en", "url": live.base}])
    page = context.new_page()
    page.goto(url_of(listed("territory home")), wait_until="load")
    search = page.get_by_role("search")
    expect(search.get_by_label("What do you want to learn?")).to_be_visible()
    expect(search.get_by_role("button", name="Search")).to_be_visible()
    tiles = page.locator(".interest-tile")
    assert tiles.count() >= 10
    expect(tiles.first).to_be_visible()
    # Nothing wider than the phone.
    assert (
        page.evaluate("() => document.documentElement.scrollWidth") <= VIEWPORTS["phone"]["width"]
    )
    # The search box searches.
    search.get_by_label("What do you want to learn?").fill("robot")
    search.get_by_label("What do you want to learn?").press("Enter")
    page.wait_for_url("**/activities/?q=robot")
    pictures = page.locator(".activity-card__picture")
    assert pictures.count() >= 1
    expect(pictures.first).to_be_visible()
    context.close()
