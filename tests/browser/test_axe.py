"""Zero WCAG 2.2 AA violations found by axe-core in Chromium, on every listed page
(tests/browser/pages.py), at phone and desktop widths, in English and Lithuanian."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from tests.browser.axe import audit, describe
from tests.browser.conftest import ContextFor
from tests.browser.pages import AUDITED_PAGES, LANGUAGES, VIEWPORTS, Page

pytestmark = [pytest.mark.browser, pytest.mark.django_db]


@pytest.mark.parametrize("width", list(VIEWPORTS))
@pytest.mark.parametrize("language", LANGUAGES)
def test_no_axe_violations(
    context_for: ContextFor, url_of: Callable[[Page], str], language: str, width: str
) -> None:
    problems: list[str] = []
    tabs = {}
    for listed in AUDITED_PAGES:
        if listed.role not in tabs:
            tabs[listed.role] = context_for(listed.role, language, width).new_page()
        tab = tabs[listed.role]
        response = tab.goto(url_of(listed), wait_until="load")
        assert response is not None
        assert response.status == 200, f"{listed.name}: HTTP {response.status} at {tab.url}"
        # The page really is in the language asked for (the audit checks lang too).
        assert tab.locator("html").get_attribute("lang") == language, listed.name
        problems += describe(listed.name, audit(tab))
    for tab in tabs.values():
        tab.close()
    assert not problems, "\n".join(problems)
