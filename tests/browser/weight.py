"""How heavy a page is, measured in Chromium: bytes transferred and compressed JS."""

from __future__ import annotations

import gzip
import re
from dataclasses import dataclass, field

from playwright.sync_api import Browser, Response

# Map tiles come from a tile server, never from us, and are excluded from the budget.
TILE = re.compile(r"/\d+/\d+/\d+\.(png|jpg|jpeg|webp)(\?.*)?$")


@dataclass
class Weight:
    transferred: int = 0  # bytes over the wire (headers and bodies), tiles excluded
    js_gzip: int = 0  # JavaScript bodies, gzip-compressed (level 9, as WhiteNoise does)
    js_raw: int = 0
    requests: int = 0
    scripts: list[str] = field(default_factory=list)
    largest: list[tuple[int, str]] = field(default_factory=list)  # to see what to trim


def measure(browser: Browser, url: str, *, viewport: dict[str, int], cookies: list) -> Weight:
    """Load the page in a fresh context (an empty cache, as on a first visit) and wait
    until the network is idle, so what scripts load after the page counts too."""
    context = browser.new_context(viewport=viewport)  # type: ignore[arg-type]
    context.add_cookies(cookies)
    page = context.new_page()
    scripts: list[Response] = []
    page.on(
        "response",
        lambda response: (
            scripts.append(response) if response.request.resource_type == "script" else None
        ),
    )
    page.goto(url, wait_until="networkidle")
    entries = page.evaluate(
        """() => [...performance.getEntriesByType("navigation"),
                   ...performance.getEntriesByType("resource")]
                 .map(e => [e.name, e.transferSize])"""
    )
    weight = Weight()
    for name, size in entries:
        if TILE.search(name):
            continue
        weight.transferred += int(size)
        weight.requests += 1
        weight.largest.append((int(size), name.split("/", 3)[-1]))
    weight.largest = sorted(weight.largest, reverse=True)[:4]
    for response in scripts:
        body = response.body()
        weight.js_raw += len(body)
        weight.js_gzip += len(gzip.compress(body, compresslevel=9))
        weight.scripts.append(response.url.rsplit("/", 1)[-1])
    context.close()
    return weight
