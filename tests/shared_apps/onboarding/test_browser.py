"""The whole wizard in a real Chromium against a real server, ending on the new
subdomain; and two wizards racing for one address."""

from __future__ import annotations

import io
import re
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from PIL import Image
from playwright.sync_api import Browser, Page, expect, sync_playwright

from tests.servers import port
from tests.shared_apps.onboarding.live_site import live_site, run_sql

pytestmark = pytest.mark.browser

DB_NAME = "cities_browser_onboarding"
# Each checkout's (and each pytest-xdist worker's) own test port, so parallel runs do not
# collide.
PORT = port("onboarding")
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="module")
def site(request: pytest.FixtureRequest) -> Iterator[str]:
    fresh = bool(request.config.getoption("create_db"))
    with live_site(DB_NAME, port=PORT, fresh=fresh) as base:
        yield base


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path="/usr/bin/chromium", headless=True, args=CHROMIUM_FLAGS
        )
        yield browser
        browser.close()


@pytest.fixture(scope="module")
def logo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("logo") / "logo.png"
    out = io.BytesIO()
    Image.new("RGB", (96, 96), "#7a1f2b").save(out, "PNG")
    path.write_bytes(out.getvalue())
    return path


def continue_(page: Page) -> None:
    page.get_by_role("button", name="Save and continue").click()


def fill_wizard(page: Page, base: str, slug: str, email: str, logo: Path | None = None) -> None:
    page.goto(f"{base}/join/")
    page.get_by_role("button", name="Start").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your city or region")
    page.get_by_label("Name of the city or region").fill(slug.title())
    page.get_by_label("Country").select_option("LT")
    page.get_by_label("About how many young people").fill("45000")
    page.get_by_label("Contact person").fill("Rūta")
    page.get_by_label("Contact email").fill(email)
    continue_(page)

    expect(page.get_by_role("heading", level=1)).to_have_text("Your site's address")
    address = page.get_by_label("Address of your site")
    address.fill("www")
    expect(page.locator("#address-status")).to_contain_text("reserved")
    address.fill(slug)
    expect(page.locator("#address-status")).to_contain_text(f"{slug}.localhost is available")
    continue_(page)

    expect(page.get_by_role("heading", level=1)).to_have_text("Logo and colours")
    page.locator("#id_primary_color").fill("#ffff00")
    expect(page.locator("#preview")).to_contain_text("contrast 1.07:1")
    page.locator("#id_primary_color").fill("#7a1f2b")
    expect(page.locator("#preview .contrast-list li").first).to_contain_text("✓")
    if logo is not None:
        page.locator("#id_logo").set_input_files(str(logo))
        expect(page.locator("#preview-logo")).to_be_visible()
    continue_(page)

    expect(page.get_by_role("heading", level=1)).to_have_text("Languages and place")
    page.get_by_label("Main language of the site").select_option("lt")
    page.get_by_label("English").check()
    expect(page.get_by_label("Time zone")).to_have_value("Europe/Vilnius")
    page.locator("#center-map").click(position={"x": 120, "y": 90})
    assert page.get_by_label("Latitude of the map centre").input_value()
    page.get_by_label("Latitude of the map centre").fill("54.8985")
    page.get_by_label("Longitude of the map centre").fill("23.9036")
    continue_(page)

    expect(page.get_by_role("heading", level=1)).to_have_text("Administrator")
    page.get_by_label("Your email address").fill(email)
    page.get_by_label("Choose a password").fill("a long passphrase 4 kaunas")
    page.get_by_label("Password again").fill("a long passphrase 4 kaunas")
    page.get_by_label("I accept the terms of service").check()
    page.get_by_label("I accept the data processing agreement").check()
    continue_(page)

    # The one-time code proving the address, read from the outbox the site wrote.
    expect(page.get_by_text(f"We sent a code to {email}")).to_be_visible()
    body = run_sql(
        DB_NAME,
        'SELECT body FROM ops_outboundemail WHERE "to" = jsonb_build_array(%s::text) '
        "AND purpose = 'onboarding/email/code' ORDER BY created_at DESC LIMIT 1",
        (email,),
    )[0][0]
    page.get_by_label("Code from the email").fill(re.search(r"\b(\d{6})\b", body).group(1))  # type: ignore[union-attr]
    continue_(page)

    expect(page.get_by_role("heading", level=1)).to_have_text("Plan")
    page.locator('input[name="plan"][value="pilot"]').check()
    continue_(page)
    expect(page.get_by_role("heading", level=1)).to_have_text("Check and create")


def test_wizard_in_a_browser_ends_on_the_new_subdomain(
    site: str, browser: Browser, logo: Path
) -> None:
    context = browser.new_context(viewport={"width": 390, "height": 844})  # a phone
    page = context.new_page()
    fill_wizard(page, site, "kaunas", "ruta@kaunas.example", logo)

    # Back and forward keep what was typed.
    page.get_by_role("link", name="Back").click()
    expect(page.locator('input[name="plan"][value="pilot"]')).to_be_checked()
    continue_(page)

    # How fast this is, is measured by bench/bench_onboarding.py, not here.
    page.get_by_role("button", name="Create my site").click()
    page.wait_for_url(f"http://kaunas.localhost:{PORT}/welcome/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Kaunas")
    # In Lithuanian (the site's default language): check the states, not the words.
    expect(page.locator('[data-check="providers"]')).to_have_class(re.compile("--todo"))
    for key in ("interests", "activity", "badge"):
        expect(page.locator(f'[data-check="{key}"]')).to_have_class(re.compile("--todo"))
    expect(page.locator("html")).to_have_attribute("lang", "lt")

    # The public home page of the new site, in its colours, for a visitor.
    visitor = browser.new_context().new_page()
    visitor.goto(f"http://kaunas.localhost:{PORT}/")
    expect(visitor.locator("h1")).to_contain_text("Kaunas")
    header = visitor.locator(".site-header")
    expect(header).to_have_css("background-color", "rgb(122, 31, 43)")

    rows = run_sql(
        DB_NAME,
        "SELECT t.status, b.plan, d.domain FROM tenants_territory t "
        "JOIN billing_billingaccount b ON b.territory_id = t.id "
        "JOIN tenants_domain d ON d.tenant_id = t.id WHERE t.slug = %s",
        ("kaunas",),
    )
    assert rows == [("trial", "pilot", "kaunas.localhost")]
    # The standby claimed was replaced in the background (a thread: no broker here).
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        ready = run_sql(
            DB_NAME, "SELECT count(*) FROM tenants_standbyschema WHERE state = 'ready'"
        )[0][0]
        if ready == 2:
            break
        time.sleep(0.5)
    assert ready == 2
    context.close()


def test_two_wizards_racing_for_one_address(site: str, browser: Browser) -> None:
    first = browser.new_context().new_page()
    second = browser.new_context().new_page()
    fill_wizard(first, site, "alytus", "one@alytus.example")
    fill_wizard(second, site, "alytus", "two@alytus.example")

    first.get_by_role("button", name="Create my site").click(no_wait_after=True)
    second.get_by_role("button", name="Create my site").click(no_wait_after=True)
    for page in (first, second):
        # Either the new site's welcome page, or the review page saying why not.
        expect(page.locator("h1:has-text('Alytus'), .error-summary")).to_be_visible(timeout=15000)
    winner, loser = (first, second) if "alytus.localhost" in first.url else (second, first)
    expect(winner.get_by_role("heading", level=1)).to_contain_text("Alytus")
    # "already taken" (seen at validation) or "just taken" (lost at the unique index).
    expect(loser.locator(".error-summary")).to_contain_text(re.compile("already taken|just taken"))
    assert run_sql(DB_NAME, "SELECT count(*) FROM tenants_territory WHERE slug = 'alytus'") == [
        (1,)
    ]
    # The loser's account was not created either (all or nothing).
    emails = {row[0] for row in run_sql(DB_NAME, "SELECT email FROM accounts_user")}
    assert len(emails & {"one@alytus.example", "two@alytus.example"}) == 1

    # A double click on the final submit makes one territory, too.
    page = browser.new_context().new_page()
    fill_wizard(page, site, "utena", "ona@utena.example")
    page.get_by_role("button", name="Create my site").dblclick()
    page.wait_for_url(f"http://utena.localhost:{PORT}/welcome/")
    assert run_sql(DB_NAME, "SELECT count(*) FROM tenants_territory WHERE slug = 'utena'") == [(1,)]
