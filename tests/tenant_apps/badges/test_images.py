"""Uploaded SVG badges cannot cost more than a bounded amount of CPU: refused before
drawing when too complex, and drawn in a CPU-limited process (images.py, svgsafe.py)."""

from __future__ import annotations

import random
import time
from collections.abc import Callable

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings

from shared_apps.accounts.models import User
from tenant_apps.badges import images
from tenant_apps.badges.models import BadgeClass, Issuer
from tenant_apps.badges.svgsafe import MAX_PATH_NUMBERS, UnsafeSVGError, sanitize_svg
from tenants.models import Territory
from tests.conftest import ClientFor
from tests.tenant_apps.badges.factories import in_territory

HEAD = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 512 512">'


def use_bomb(levels: int = 10, fan_out: int = 10) -> bytes:
    """Under 3 KB; drawn, it is fan_out**levels triangles (10^4 took 3.6 s of CPU)."""
    parts = [HEAD, '<defs><g id="a0"><path d="M0 0 L10 10 L0 10 Z"/></g>']
    for level in range(1, levels + 1):
        uses = f'<use href="#a{level - 1}"/>' * fan_out
        parts.append(f'<g id="a{level}">{uses}</g>')
    parts.append(f'</defs><use href="#a{levels}"/></svg>')
    return "".join(parts).encode()


def scribble(points: int) -> bytes:
    """One path of long random segments: its cost grows faster than its size
    (20,000 segments, 170 KB, took 12.7 s of CPU before the bounds)."""
    rng = random.Random(14)
    d = "M0 0 " + " ".join(f"L{rng.randint(0, 512)} {rng.randint(0, 512)}" for _ in range(points))
    return f'{HEAD}<path d="{d}" fill="red" stroke="blue" stroke-width="4"/></svg>'.encode()


@pytest.mark.parametrize(
    "drawing",
    [
        use_bomb(),
        scribble(MAX_PATH_NUMBERS // 2 + 1),
        # A reference loop, and a pattern painting itself.
        f'{HEAD}<g id="g"><use href="#g"/></g></svg>'.encode(),
        f'{HEAD}<pattern id="p"><rect width="9" height="9" fill="url(#p)"/></pattern>'
        '<rect width="99" height="99" fill="url(#p)"/></svg>'.encode(),
    ],
    ids=["use bomb", "long path", "use loop", "pattern loop"],
)
def test_costly_drawings_are_refused_before_drawing(drawing: bytes) -> None:
    started = time.process_time()
    with pytest.raises(UnsafeSVGError, match="too complex"):
        sanitize_svg(drawing)
    assert time.process_time() - started < 1


def test_an_ordinary_drawing_is_drawn_by_the_bounded_renderer() -> None:
    png = images.render_png_bounded(
        sanitize_svg(f'{HEAD}<circle cx="256" cy="256" r="200" fill="#123456"/></svg>'.encode())
    )
    assert png.startswith(b"\x89PNG")


@override_settings(BADGE_SVG_RENDER_CPU_SECONDS=1)
def test_drawing_stops_at_the_cpu_limit() -> None:
    # Within the sanitiser's bounds, but more than a second of CPU to draw.
    drawing = sanitize_svg(scribble(MAX_PATH_NUMBERS // 2 - 100))
    started = time.monotonic()
    with pytest.raises(images.ImageError, match="too complex"):
        images.render_png_bounded(drawing)
    assert time.monotonic() - started < 10


def test_the_badge_form_says_why(
    territory_a: Territory, client_for: ClientFor, user: Callable[[str], User]
) -> None:
    client = client_for(territory_a)
    client.cookies["django_language"] = "en"
    client.sign_in(user("anna"))
    client.get("/manage/badges/")
    with in_territory(territory_a):
        issuer = Issuer.objects.get(kind="territory")
    response = client.post(
        "/manage/badges/new/",
        {
            "issuer": issuer.pk,
            "name": "Bomb",
            "description": "d",
            "criteria_narrative": "c",
            "template_shape": "circle",
            "image": SimpleUploadedFile("bomb.svg", use_bomb(), content_type="image/svg+xml"),
        },
    )
    assert response.status_code == 400
    assert "This SVG image is too complex." in response.content.decode()
    with in_territory(territory_a):
        assert not BadgeClass.objects.filter(name="Bomb").exists()
