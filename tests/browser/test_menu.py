"""The header at 390 px: one line with a "Menu" button; the menu opens and closes by
mouse and keyboard, lists the person's own things, and carries their name."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django_tenants.utils import schema_context
from playwright.sync_api import expect

from shared_apps.accounts.models import User
from tests.browser.conftest import ContextFor
from tests.browser.live import LiveSite

pytestmark = [pytest.mark.browser, pytest.mark.django_db]


def test_phone_header_is_one_line_with_a_menu_button(
    live: LiveSite, context_for: ContextFor
) -> None:
    page = context_for("learner", "en", "phone").new_page()
    page.goto(live.url("territory", "/"), wait_until="load")
    button = page.locator(".menu-toggle")
    expect(button).to_be_visible()
    expect(button).to_have_attribute("aria-expanded", "false")
    menu = page.locator("#site-menu")
    expect(menu).to_be_hidden()
    # Was ~250 px of wrapped links; now the brand and the button.
    header = page.locator(".site-header").bounding_box()
    assert header is not None and header["height"] < 80, header

    button.click()
    expect(button).to_have_attribute("aria-expanded", "true")
    expect(menu).to_be_visible()
    page.locator(".account-menu summary").click()
    expect(page.locator(".account-menu a[href='/saved/']")).to_be_visible()
    expect(page.locator(".account-menu a[href='/badges/mine/']")).to_be_visible()

    page.keyboard.press("Escape")
    expect(menu).to_be_hidden()
    expect(button).to_be_focused()
    page.keyboard.press("Enter")
    expect(menu).to_be_visible()
    page.close()


def test_desktop_shows_the_menu_without_the_button(live: LiveSite, context_for: ContextFor) -> None:
    page = context_for("anonymous", "en", "desktop").new_page()
    page.goto(live.url("territory", "/"), wait_until="load")
    expect(page.locator(".menu-toggle")).to_be_hidden()
    expect(page.locator("#site-menu")).to_be_visible()
    page.close()


def test_without_script_the_menu_shows(live: LiveSite, chromium: Any) -> None:
    context = chromium.new_context(
        viewport={"width": 390, "height": 844}, java_script_enabled=False
    )
    page = context.new_page()
    page.goto(live.url("territory", "/"), wait_until="load")
    expect(page.locator(".menu-toggle")).to_be_hidden()
    expect(page.locator("#site-menu")).to_be_visible()
    context.close()


def test_a_learner_names_themselves_and_the_header_says_it(
    live: LiveSite, context_for: ContextFor, django_db_blocker: Any
) -> None:
    learner = live.users["learner"]
    page = context_for("learner", "en", "desktop").new_page()
    page.goto(live.url("territory", "/account/"), wait_until="load")
    field = page.get_by_label("What should we call you?")
    field.fill("Lumen Learner")
    page.locator("form:has(input[value='name']) button[type=submit]").click()
    expect(page.locator(".messages")).to_contain_text("Your name is saved.")
    # The name, then the unread count when there is one (the demo awards badges).
    expect(page.locator(".account-menu summary")).to_have_text(
        re.compile(r"^\s*Lumen Learner(\s+\d+ unread)?\s*$")
    )
    with django_db_blocker.unblock(), schema_context("public"):
        assert User.objects.get(pk=learner.pk).display_name == "Lumen Learner"
        User.objects.filter(pk=learner.pk).update(display_name=learner.display_name)
    page.close()
