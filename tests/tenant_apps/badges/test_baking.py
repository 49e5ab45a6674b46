"""Baking and reading back PNG and SVG badges."""

import pytest

from tenant_apps.badges import baking
from tests.tenant_apps.badges.factories import png_bytes


def test_png_round_trip_replaces_an_earlier_bake() -> None:
    png = png_bytes()
    once = baking.bake_png(png, '{"id": "one"}')
    twice = baking.bake_png(once, '{"id": "twö"}')
    assert baking.unbake_png(twice) == '{"id": "twö"}'
    assert twice.count(b"iTXtopenbadges\0") == 1
    ob3 = baking.bake_png(twice, '{"c": 1}', baking.OB3_KEYWORD)
    assert baking.unbake_png(ob3, baking.OB3_KEYWORD) == '{"c": 1}'
    assert baking.unbake_png(ob3) == '{"id": "twö"}'
    assert baking.unbake_png(png) is None


def test_altered_png_is_detected() -> None:
    baked = bytearray(baking.bake_png(png_bytes(), '{"id": "one"}'))
    baked[baked.index(b"one")] = ord("X")
    with pytest.raises(baking.BakingError):
        baking.unbake_png(bytes(baked))
    with pytest.raises(baking.BakingError):
        baking.unbake_png(b"GIF89a")


def test_svg_round_trip_even_with_cdata_terminator_in_the_payload() -> None:
    svg = b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 4 4"><rect width="4"/></svg>'
    payload = '{"narrative": "a ]]> b"}'
    baked = baking.bake_svg(svg, payload, "http://aurora.localhost/ob/v2/assertions/x")
    assert b'xmlns:openbadges="http://openbadges.org"' in baked
    read = baking.unbake_svg(baked)
    assert read is not None
    assert read.payload == payload
    assert read.verify == "http://aurora.localhost/ob/v2/assertions/x"
