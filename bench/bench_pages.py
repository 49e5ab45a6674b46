"""Page weight and accessibility (issue #10).

For the main pages of a territory (home, search, an activity): bytes transferred on a
first visit (empty cache, map tiles excluded) and JavaScript size (raw and gzip -9),
at phone and desktop widths. Goal: <= 150 KB transferred, <= 50 KB compressed JS.
For every page of the browser audit (tests/browser/pages.py): axe-core WCAG 2.2 AA
violations at desktop width in English. Goal: 0.

The pages are those of a territory filled by the demo steps `make run` uses, served by
gunicorn (DEBUG off) from a database of its own; Debian's Chromium loads them.

Run: `make bench` (or `PGPORT=... .venv/bin/python bench/bench_pages.py`).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.common import recreate_database, report, setup_django

DB = "cities_bench_pages"


def main() -> None:
    recreate_database(DB)
    setup_django(DB)
    from django.conf import settings
    from django.core.management import call_command
    from django_tenants.utils import schema_context, tenant_context
    from playwright.sync_api import sync_playwright

    from tests.browser.axe import audit
    from tests.browser.conftest import CHROMIUM, CHROMIUM_FLAGS
    from tests.browser.live import ROLES, live_site
    from tests.browser.pages import AUDITED_PAGES, LIGHT_PAGES, VIEWPORTS
    from tests.browser.weight import measure

    call_command("migrate_schemas", shared=True, interactive=False, verbosity=0)
    figures: dict[str, object] = {}
    with live_site() as site:
        for role in ROLES[1:]:
            site.session_cookie(role, "territory")
            site.session_cookie(role, "network")
        urls = {}
        for page in AUDITED_PAGES:
            if page.site == "territory":
                with tenant_context(site.territory):
                    urls[page.name] = site.url(page.site, page.path(site))
            else:
                with schema_context("public"):
                    urls[page.name] = site.url(page.site, page.path(site))
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=CHROMIUM, headless=True, args=CHROMIUM_FLAGS
            )
            language = [{"name": settings.LANGUAGE_COOKIE_NAME, "value": "en", "url": site.base}]
            for page in LIGHT_PAGES:
                for width, viewport in VIEWPORTS.items():
                    weight = measure(browser, urls[page.name], viewport=viewport, cookies=language)
                    figures[f"{page.name} {width}"] = (
                        f"{weight.transferred / 1024:.1f} KB transferred in {weight.requests} "
                        f"requests, JS {weight.js_gzip / 1024:.1f} KB gzip "
                        f"({weight.js_raw / 1024:.1f} KB raw: {', '.join(sorted(weight.scripts))})"
                    )
            contexts = {}
            total = 0
            for page in AUDITED_PAGES:
                if page.role not in contexts:
                    context = browser.new_context(viewport=VIEWPORTS["desktop"], bypass_csp=True)  # type: ignore[arg-type]
                    cookies: list[Any] = []
                    for url, kind in ((site.base, "territory"), (site.network, "network")):
                        cookies.append(
                            {"name": settings.LANGUAGE_COOKIE_NAME, "value": "en", "url": url}
                        )
                        if page.role != "anonymous":
                            cookies.append(
                                {
                                    "name": settings.SESSION_COOKIE_NAME,
                                    "value": site.sessions[(page.role, kind)],
                                    "url": url,
                                }
                            )
                    context.add_cookies(cookies)
                    contexts[page.role] = context.new_page()
                tab = contexts[page.role]
                tab.goto(urls[page.name], wait_until="load")
                violations = audit(tab)
                total += len(violations)
                figures[f"axe violations: {page.name}"] = len(violations)
            figures["axe violations, all pages"] = total
            browser.close()
    report("pages", figures)


if __name__ == "__main__":
    main()
