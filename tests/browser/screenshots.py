"""Screenshots of the main pages for the README (`make screenshots`), not a test of
the suite: pytest collects this file only when it is named on the command line.

The pages come from the browser tests' live territory (the demo data every app's
demo.py makes, served by gunicorn), in English, at 1366 and 390 px wide. Each PNG is
reduced to 256 colours (Pillow) so the folder stays small (~2 MB for all).
"""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path

import pytest
from PIL import Image

from tests.browser.conftest import ContextFor
from tests.browser.live import LiveSite
from tests.browser.pages import AUDITED_PAGES, Page

pytestmark = [pytest.mark.browser, pytest.mark.django_db]

OUT = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
WIDTHS = {"desktop": (1366, 768), "phone": (390, 844)}
# (file name, page in AUDITED_PAGES)
SHOTS = [
    ("network-home", "network home"),
    ("territory-home", "territory home"),
    ("search-results", "search"),
    ("activity", "activity"),
    ("playlist", "playlist"),
    ("badge-award", "award"),
    ("backpack", "backpack"),
    ("manage", "admin dashboard"),
]


def compressed(png: bytes) -> bytes:
    image = Image.open(io.BytesIO(png)).convert("RGB")
    out = io.BytesIO()
    image.quantize(colors=256, method=Image.Quantize.MEDIANCUT).save(out, "PNG", optimize=True)
    return out.getvalue()


def test_screenshots(
    live: LiveSite, context_for: ContextFor, url_of: Callable[[Page], str]
) -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    pages = {page.name: page for page in AUDITED_PAGES}
    for width, (w, h) in WIDTHS.items():
        for file_name, page_name in SHOTS:
            listed = pages[page_name]
            context = context_for(listed.role, "en", width, csp=True)
            tab = context.new_page()
            tab.set_viewport_size({"width": w, "height": h})
            tab.goto(url_of(listed), wait_until="networkidle")
            if page_name == "playlist":
                button = tab.locator("[data-action=show-map]")
                if button.is_visible():
                    button.click()
                    tab.locator(".place-map .leaflet-marker-icon").first.wait_for()
                tab.locator("#map-title").scroll_into_view_if_needed()
            path = OUT / f"{file_name}-{w}.png"
            path.write_bytes(compressed(tab.screenshot(full_page=False)))
            tab.close()
    total = sum(path.stat().st_size for path in OUT.glob("*.png"))
    # The figure `make screenshots` reports.
    print(f"screenshots: {len(list(OUT.glob('*.png')))} files, {total // 1024} KB in {OUT}")  # noqa: T201
    assert total < 3 * 1024 * 1024
