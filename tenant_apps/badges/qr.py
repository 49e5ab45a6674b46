"""QR codes for claim links, drawn on the server (SVG or PNG), no script needed."""

from __future__ import annotations

import io

import segno


def qr_svg(data: str, *, title: str = "", fluid: bool = False) -> bytes:
    """``fluid``: a viewBox instead of a fixed width and height, so the page's CSS
    scales the code to its card (a long claim URL made it wider than a phone's card)."""
    code = segno.make(data, error="m")
    out = io.BytesIO()
    code.save(
        out,
        kind="svg",
        scale=6,
        border=2,
        title=title or None,
        xmldecl=False,
        svgns=True,
        omitsize=fluid,
    )
    return out.getvalue()


def qr_png(data: str) -> bytes:
    code = segno.make(data, error="m")
    out = io.BytesIO()
    code.save(out, kind="png", scale=8, border=2)
    return out.getvalue()
