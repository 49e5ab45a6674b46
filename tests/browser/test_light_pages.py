"""Light pages: the main pages of a territory, on a first visit, stay within
150 KB transferred (map tiles excluded) and 50 KB of compressed JavaScript."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.conf import settings
from playwright.sync_api import Browser

from tests.browser.live import LiveSite
from tests.browser.pages import LIGHT_PAGES, VIEWPORTS, Page
from tests.browser.weight import measure

pytestmark = [pytest.mark.browser, pytest.mark.django_db]
MAX_TRANSFERRED = 150 * 1024
MAX_JS_GZIP = 50 * 1024


@pytest.mark.parametrize("width", list(VIEWPORTS))
@pytest.mark.parametrize("listed", LIGHT_PAGES, ids=lambda page: page.name)
def test_main_pages_are_light(
    live: LiveSite, chromium: Browser, url_of: Callable[[Page], str], listed: Page, width: str
) -> None:
    cookies = [{"name": settings.LANGUAGE_COOKIE_NAME, "value": "en", "url": live.base}]
    weight = measure(chromium, url_of(listed), viewport=VIEWPORTS[width], cookies=cookies)
    assert weight.requests > 1  # the page and its assets were seen
    assert weight.transferred <= MAX_TRANSFERRED, weight
    assert weight.js_gzip <= MAX_JS_GZIP, weight
