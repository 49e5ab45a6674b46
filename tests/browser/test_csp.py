"""The Content-Security-Policy breaks no page: every listed page (tests/browser/pages.py),
Swagger UI, the Django admin's sign-in and the sign-up wizard load in Chromium with the
policy enforced, and the browser reports no violation (securitypolicyviolation events
and console)."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from playwright.sync_api import ConsoleMessage, expect

from tests.browser.conftest import ContextFor
from tests.browser.pages import AUDITED_PAGES, Page, on_network, on_territory

pytestmark = [pytest.mark.browser, pytest.mark.django_db]

# Runs before any of the page's own scripts (an init script is not subject to the CSP).
LISTEN = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", event => {
    window.__cspViolations.push(
        `${event.violatedDirective} blocked ${event.blockedURI || "inline"} ` +
        `(${event.sourceFile}:${event.lineNumber})`
    );
});
"""

EXTRA_PAGES = [
    Page("API documentation", "anonymous", lambda s: on_territory("api-docs")),
    Page("Django admin sign-in", "anonymous", lambda s: "/admin/login/", "network"),
    Page("sign-up wizard", "anonymous", lambda s: on_network("onboarding:start"), "network"),
]


def test_no_page_breaks_the_content_security_policy(
    context_for: ContextFor, url_of: Callable[[Page], str]
) -> None:
    problems: list[str] = []
    tabs = {}
    console: list[str] = []

    def on_console(message: ConsoleMessage) -> None:
        if "Content Security Policy" in message.text:
            console.append(message.text)

    for listed in [*AUDITED_PAGES, *EXTRA_PAGES]:
        if listed.role not in tabs:
            context = context_for(listed.role, "en", "desktop", csp=True)
            context.add_init_script(script=LISTEN)
            tabs[listed.role] = context.new_page()
            tabs[listed.role].on("console", on_console)
        tab = tabs[listed.role]
        console.clear()
        url = url_of(listed)
        response = tab.goto(url, wait_until="load")
        assert response is not None and response.status == 200, f"{listed.name}: {url}"
        assert "script-src 'self'" in response.headers["content-security-policy"], listed.name
        if listed.name == "API documentation":
            # Swagger UI really started: its script file ran and drew the schema.
            tab.wait_for_selector(".swagger-ui .info", timeout=30000)
        tab.wait_for_timeout(300)  # late scripts (map loader, htmx) have run
        violations = tab.evaluate("window.__cspViolations")
        problems += [f"{listed.name}: {text}" for text in [*violations, *console]]
    for tab in tabs.values():
        tab.close()
    assert not problems, "\n".join(problems)


def test_an_inline_script_would_be_reported(
    context_for: ContextFor, url_of: Callable[[Page], str]
) -> None:
    """The listener above does hear violations: an injected inline script is refused."""
    context = context_for("anonymous", "en", "phone", csp=True)
    context.add_init_script(script=LISTEN)
    tab = context.new_page()
    home = next(page for page in AUDITED_PAGES if page.name == "territory home")
    tab.goto(url_of(home), wait_until="load")
    tab.evaluate(
        """() => { const s = document.createElement("script");
                   s.textContent = "window.__ran = true"; document.body.append(s); }"""
    )
    tab.wait_for_timeout(200)
    assert tab.evaluate("window.__ran") is None
    assert any("script-src" in text for text in tab.evaluate("window.__cspViolations"))
    tab.close()


def test_search_and_map_work_under_the_policy(
    context_for: ContextFor, url_of: Callable[[Page], str]
) -> None:
    """What loads late runs under the policy too: htmx's live search results, and the
    map (Leaflet and its CSS added by map-loader.js, its layer from /api/map)."""
    context = context_for("anonymous", "en", "desktop", csp=True)
    context.add_init_script(script=LISTEN)
    tab = context.new_page()
    search = next(page for page in AUDITED_PAGES if page.name == "search")
    tab.goto(url_of(search), wait_until="load")
    tab.fill("#id_q", "a")
    tab.press("#id_q", "Enter")
    expect(tab.locator("#results .result-count")).to_have_attribute("data-query", re.compile("q=a"))
    with tab.expect_response(lambda response: "/api/map" in response.url) as layer:
        tab.click("[data-action=show-map]")
    assert layer.value.ok
    expect(tab.locator("#finder-map .leaflet-proxy")).to_be_attached()
    tab.wait_for_timeout(300)  # the layer's markers are drawn
    assert tab.evaluate("window.__cspViolations") == []
    tab.close()
