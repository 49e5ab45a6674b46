"""Hostile SVG uploads come out harmless (or are refused)."""

import pytest

from tenant_apps.badges.svgsafe import UnsafeSVGError, sanitize_svg

SVG = '<svg xmlns="http://www.w3.org/2000/svg"'
HOSTILE = {
    "script": (SVG + '><script>alert(1)</script><circle r="4"/></svg>').encode(),
    "onload": (SVG + ' onload="alert(1)"><rect onclick="x()" width="2"/></svg>').encode(),
    "javascript-href": (
        SVG
        + ' xmlns:xlink="http://www.w3.org/1999/xlink">'
        + '<a xlink:href="javascript:alert(1)">'
        + '<rect width="2"/>'
        + "</a>"
        + '<use href="javascript:alert(1)"/>'
        + "</svg>"
    ).encode(),
    "external-use": (SVG + '><use href="https://evil.example/x.svg#a"/></svg>').encode(),
    "external-image": (SVG + '><image href="https://evil.example/track.png"/></svg>').encode(),
    "foreign-object": (
        SVG
        + ">"
        + "<foreignObject>"
        + '<iframe xmlns="http://www.w3.org/1999/xhtml" src="https://evil.example"/>'
        + "</foreignObject>"
        + "</svg>"
    ).encode(),
    "style-element": (
        SVG + ">" + "<style>@import url(https://evil.example/a.css);</style>" + "</svg>"
    ).encode(),
    "css-url": (
        SVG
        + ">"
        + '<rect style="fill:url(https://evil.example/p.svg#x);stroke:red" fill="url(http://evil.example/#g)"/>'
        + "</svg>"
    ).encode(),
    "animate": (
        SVG
        + ">"
        + "<a>"
        + '<animate attributeName="href" to="javascript:alert(1)"/>'
        + "</a>"
        + '<set attributeName="onload" to="alert(1)"/>'
        + "</svg>"
    ).encode(),
    "data-uri": (
        SVG + ">" + '<rect style="fill:url(data:image/svg+xml;base64,PHN2Zz4=)"/>' + "</svg>"
    ).encode(),
}


FORBIDDEN = ["script", "onload", "onclick", "javascript", "evil.example", "foreignobject"]
FORBIDDEN += ["iframe", "<style", "@import", "<image", "<animate", "<set", "data:"]


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_hostile_svgs_are_neutralised(name: str) -> None:
    clean = sanitize_svg(HOSTILE[name]).decode().lower()
    for needle in FORBIDDEN:
        assert needle not in clean, (name, needle, clean)
    assert clean.startswith("<svg")


@pytest.mark.parametrize(
    "payload",
    [
        b'<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
        + SVG.encode()
        + b"><text>&x;</text></svg>",
        b'<!DOCTYPE svg [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;">]>'
        + SVG.encode()
        + b"><text>&b;</text></svg>",
        b"<html><body>not svg</body></html>",
        b"<svg",
        b"<svg xmlns='http://www.w3.org/2000/svg'>" + b"<g>" * 100 + b"</g>" * 100 + b"</svg>",
    ],
)
def test_entities_doctypes_non_svg_broken_and_deep_files_are_refused(payload: bytes) -> None:
    with pytest.raises(UnsafeSVGError):
        sanitize_svg(payload)


def test_safe_drawing_is_kept() -> None:
    source = (
        b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><defs><linearGradient id="g">'
        b'<stop offset="0" stop-color="#fff"/></linearGradient></defs>'
        b'<circle cx="5" cy="5" r="4" fill="url(#g)" style="stroke:#000;stroke-width:1"/>'
        b'<use href="#g"/><text x="1" y="9">Hi <tspan>there</tspan></text></svg>'
    )
    clean = sanitize_svg(source).decode()
    assert 'fill="url(#g)"' in clean and "stroke:#000" in clean
    assert 'href="#g"' in clean and "Hi " in clean and "there" in clean
    assert 'viewBox="0 0 10 10"' in clean
