"""The bell: the header's unread count -> the list -> mark read (with htmx, in Chromium)."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django_tenants.utils import schema_context
from playwright.sync_api import expect

from shared_apps.notifications import actions, kinds
from shared_apps.notifications.models import Notification
from tests.browser.conftest import ContextFor
from tests.browser.live import LiveSite

# No django_db: the rows written here must be committed for gunicorn to see them.
pytestmark = [pytest.mark.browser]


def test_bell_list_and_mark_read(
    live: LiveSite, context_for: ContextFor, django_db_blocker: Any
) -> None:
    learner = live.users["learner"]
    with django_db_blocker.unblock(), schema_context("public"):
        # Committed rows (gunicorn serves them); the territory's removal drops them.
        made = actions.notify(
            user=learner,
            kind=kinds.BADGE_AWARDED,
            territory=live.territory,
            params={"badge": "Night sky guide"},
            path="/badges/mine/",
        )
        assert made is not None
        unread = Notification.objects.filter(user=learner, read_at__isnull=True).count()

    page = context_for("learner", "en", "desktop").new_page()
    page.goto(live.url("territory", "/"), wait_until="load")
    count = page.locator("#notifications-count")
    expect(count).to_have_text(re.compile(rf"^\s*{unread}\s+unread\s*$"))
    page.locator(".account-menu summary").click()
    page.locator(".account-menu a[href='/notifications/']").click()
    page.wait_for_url(re.compile(r"/notifications/$"))
    item = page.locator(f"#notification-{made.pk}")
    expect(item).to_contain_text("You earned the badge “Night sky guide”.")

    item.get_by_role("button", name="Mark as read").click()  # htmx: no page load
    expect(item.get_by_role("button", name="Mark as read")).to_have_count(0)
    if unread > 1:
        expect(count).to_have_text(re.compile(rf"^\s*{unread - 1}\s+unread\s*$"))
    else:
        expect(count).to_have_text(re.compile(r"^\s*$"))

    page.get_by_role("button", name="Mark all as read").click()
    expect(page.locator(".messages")).to_contain_text("All notifications are marked read.")
    expect(page.locator("#notifications-count")).to_have_text(re.compile(r"^\s*$"))
    with django_db_blocker.unblock(), schema_context("public"):
        assert not Notification.objects.filter(user=learner, read_at__isnull=True).exists()

    # The item's link opens the thing on the territory's host.
    page.locator(f"#notification-{made.pk} a").click()
    page.wait_for_url(re.compile(r"/badges/mine/$"))
    page.close()
