"""Fixtures of the browser tests: one live site and one Chromium for the whole package,
one browser context per (role, language, width), reused by every test."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.conf import settings
from django_tenants.utils import schema_context, tenant_context
from playwright.sync_api import Browser, BrowserContext, sync_playwright

from tenants import pool
from tests.browser.axe import AXE
from tests.browser.live import ROLES, LiveSite, live_site
from tests.browser.pages import VIEWPORTS, Page
from tests.conftest import TEST_POOL_SIZE

# Debian's Chromium (scripts/apt/test.txt); without these flags it calls home.
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

ContextFor = Callable[..., BrowserContext]


@pytest.fixture(scope="package")
def live(django_db_setup: None, django_db_blocker: Any) -> Iterator[LiveSite]:
    with django_db_blocker.unblock():
        with live_site() as site:
            # Sessions are made now, while the database may be used.
            for role in ROLES[1:]:
                site.session_cookie(role, "territory")
                site.session_cookie(role, "network")
            yield site
        # The live territory took a standby schema: give the rest of the suite its pool.
        pool.refill_pool(TEST_POOL_SIZE)


@pytest.fixture(scope="package")
def chromium(live: LiveSite) -> Iterator[Browser]:
    # Playwright's sync API keeps an event loop in this thread, and Django then refuses
    # database calls ("async context"). The loop only drives the browser; the tests'
    # few queries (URLs of demo rows, checks of what a walk-through wrote) are ordinary
    # blocking calls, so allow them while the browser runs.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        yield from _launch()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


def _launch() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_FLAGS
        )
        yield browser
        browser.close()


@pytest.fixture(scope="package")
def context_for(live: LiveSite, chromium: Browser) -> Iterator[ContextFor]:
    """``context_for(role, language, width)``: a browser context signed in as the
    role on both hosts (or a visitor), with the language chosen the way the language
    switcher chooses it (its cookie)."""
    contexts: dict[tuple[str, str, str, bool], BrowserContext] = {}

    def get(
        role: str = "anonymous", language: str = "en", width: str = "desktop", csp: bool = False
    ) -> BrowserContext:
        """``csp=True``: the pages' Content-Security-Policy is enforced (and no axe);
        otherwise it is bypassed so that axe-core can be injected."""
        key = (role, language, width, csp)
        if key not in contexts:
            context = chromium.new_context(viewport=VIEWPORTS[width], bypass_csp=not csp)  # type: ignore[arg-type]
            context.set_default_timeout(30000)  # a loaded CI machine
            if not csp:
                # axe-core in every page from its start: cheaper than adding it after load.
                context.add_init_script(path=str(AXE))
            cookies: list[Any] = []
            for url in (live.base, live.network):
                cookies.append(
                    {"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": url}
                )
                if role != "anonymous":
                    site = "territory" if url == live.base else "network"
                    cookies.append(
                        {
                            "name": settings.SESSION_COOKIE_NAME,
                            "value": live.sessions[(role, site)],
                            "url": url,
                        }
                    )
            context.add_cookies(cookies)
            contexts[key] = context
        return contexts[key]

    yield get
    for context in contexts.values():
        context.close()


@pytest.fixture(scope="package")
def url_of(live: LiveSite, django_db_blocker: Any) -> Callable[[Page], str]:
    """The absolute URL of a listed page in the live territory (its path is looked up
    in the demo data once)."""
    cache: dict[str, str] = {}

    def get(page: Page) -> str:
        if page.name not in cache:
            with django_db_blocker.unblock():
                if page.site == "territory":
                    with tenant_context(live.territory):
                        path = page.path(live)
                else:
                    with schema_context("public"):
                        path = page.path(live)
            cache[page.name] = live.url(page.site, path)
        return cache[page.name]

    return get
