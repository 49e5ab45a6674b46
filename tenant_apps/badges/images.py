"""Badge images: checked uploads (PNG, or SVG through the sanitiser), images made from
a template in the territory's branding, and the PNG rendition every badge also has."""

from __future__ import annotations

import base64
import io
import logging
import signal
import subprocess
import sys
from dataclasses import dataclass
from xml.sax.saxutils import escape

import cairosvg
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _
from PIL import Image

from shared_apps.core.colors import text_color_on
from shared_apps.core.uploads import ImageRules, clean_image
from tenant_apps.badges.svgsafe import sanitize_svg

logger = logging.getLogger(__name__)

PNG_SIZE = 512
BADGE_IMAGE_RULES = ImageRules(
    max_bytes=2 * 1024 * 1024, max_side=2048, min_side=64, formats=("PNG",)
)

SHAPES = ("circle", "shield", "hexagon", "star")


class ImageError(ValidationError):
    pass


@dataclass(frozen=True)
class BadgeImage:
    """``original`` is what the badge shows (PNG or SVG bytes); ``png`` its PNG rendition."""

    original: bytes
    png: bytes
    kind: str  # "png" | "svg" | "template"


def render_png(svg: bytes, size: int = PNG_SIZE) -> bytes:
    try:
        png: bytes = cairosvg.svg2png(
            bytestring=svg,
            output_width=size,
            output_height=size,
            # The sanitiser already removed external references; unsafe=False also keeps
            # CairoSVG from reading files, URLs or XML entities if one slipped through.
            unsafe=False,
        )
    except Exception as exc:  # CairoSVG raises many kinds of errors on odd input
        raise ImageError(
            _("This SVG image could not be drawn. Try another file."), code="svg_render"
        ) from exc
    return png


# Run by a separate Python with CPU time and memory limits set before CairoSVG is even
# imported: whatever the sanitiser's bounds miss, one upload cannot hold a worker.
_BOUNDED_RENDER = """
import resource, sys
cpu, memory, size = (int(value) for value in sys.argv[1:4])
resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu))
resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
import cairosvg
sys.stdout.buffer.write(cairosvg.svg2png(
    bytestring=sys.stdin.buffer.read(), output_width=size, output_height=size, unsafe=False
))
"""


def render_png_bounded(svg: bytes, size: int = PNG_SIZE) -> bytes:
    """render_png for untrusted drawings: in a child process limited to
    BADGE_SVG_RENDER_CPU_SECONDS of CPU and BADGE_SVG_RENDER_MEMORY_MB of memory."""
    cpu = settings.BADGE_SVG_RENDER_CPU_SECONDS
    memory = settings.BADGE_SVG_RENDER_MEMORY_MB * 1024 * 1024
    command = [sys.executable, "-I", "-c", _BOUNDED_RENDER, str(cpu), str(memory), str(size)]
    try:
        # A fixed command of our own; the drawing goes in on stdin.
        result = subprocess.run(  # noqa: S603
            command, input=svg, capture_output=True, timeout=cpu * 3 + 5, check=False
        )
    except subprocess.TimeoutExpired as exc:
        raise ImageError(_("This SVG image is too complex."), code="svg_too_complex") from exc
    if result.returncode in (-signal.SIGXCPU, -signal.SIGKILL):
        logger.warning("badge SVG rendering stopped at its CPU limit (%s s)", cpu)
        raise ImageError(_("This SVG image is too complex."), code="svg_too_complex")
    if result.returncode != 0 or not result.stdout.startswith(b"\x89PNG"):
        raise ImageError(
            _("This SVG image could not be drawn. Try another file."), code="svg_render"
        )
    return result.stdout


def from_upload(upload: UploadedFile) -> BadgeImage:
    """A PNG (re-encoded, metadata dropped) or an SVG (sanitised, its cost bounded,
    drawn in a CPU-limited process); nothing else."""
    head = upload.read(512)
    upload.seek(0)
    if head.lstrip().startswith(b"<"):
        data = upload.read(600 * 1024)
        clean = sanitize_svg(data)
        return BadgeImage(original=clean, png=render_png_bounded(clean), kind="svg")
    cleaned = clean_image(upload, BADGE_IMAGE_RULES)
    data = cleaned.read()
    return BadgeImage(original=data, png=_square_png(data), kind="png")


def _square_png(data: bytes) -> bytes:
    """The PNG as uploaded if square, otherwise centred on a transparent square."""
    with Image.open(io.BytesIO(data)) as image:
        width, height = image.size
        if width == height:
            return data
        side = max(width, height)
        canvas = Image.new("RGBA", (side, side), (0, 0, 0, 0))
        canvas.paste(image.convert("RGBA"), ((side - width) // 2, (side - height) // 2))
        out = io.BytesIO()
        canvas.save(out, "PNG", optimize=True)
        return out.getvalue()


def _shape_path(shape: str) -> str:
    if shape == "shield":
        return "M256 24 L448 88 V240 C448 368 360 448 256 488 C152 448 64 368 64 240 V88 Z"
    if shape == "hexagon":
        return "M256 24 L457 140 V372 L256 488 L55 372 V140 Z"
    if shape == "star":
        return (
            "M256 20 L318 110 L424 88 L402 194 L492 256 L402 318 L424 424 L318 402 L256 492 "
            "L194 402 L88 424 L110 318 L20 256 L110 194 L88 88 L194 110 Z"
        )
    return "M256 24 A232 232 0 1 1 255.9 24 Z"


def _wrap(label: str, width: int = 14, lines: int = 3) -> list[str]:
    words, result, current = label.split(), [], ""
    for word in words:
        candidate = f"{current} {word}".strip()
        if len(candidate) <= width or not current:
            current = candidate[: width + 4]
        else:
            result.append(current)
            current = word[: width + 4]
    if current:
        result.append(current)
    if len(result) > lines:
        result = [*result[: lines - 1], result[lines - 1][: width - 1] + "…"]
    return result


def from_template(*, label: str, primary: str, accent: str, shape: str = "circle") -> BadgeImage:
    """An SVG badge in the territory's colours with the badge's name on it."""
    if shape not in SHAPES:
        shape = "circle"
    text_color = text_color_on(primary)
    lines = _wrap(label) or ["★"]
    # Bold DejaVu Sans is about 0.62 em wide per character: fit the longest line.
    usable = {"star": 250, "shield": 290}.get(shape, 320)
    size = max(22, min(60, int(usable / (0.62 * max(len(line) for line in lines)))))
    first_y = 270 - (len(lines) - 1) * size * 0.6
    tspans = "".join(
        f'<tspan x="256" y="{first_y + i * size * 1.2:.0f}">{escape(line)}</tspan>'
        for i, line in enumerate(lines)
    )
    svg = (
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 512 512" width="512" height="512"'
        f' role="img" aria-label="{escape(label, {chr(34): "&quot;"})}">'
        f"<title>{escape(label)}</title>"
        f'<path d="{_shape_path(shape)}" fill="{accent}"/>'
        f'<path d="{_shape_path(shape)}" fill="{primary}" transform="translate(256 256) '
        'scale(0.86) translate(-256 -256)"/>'
        f'<text font-family="DejaVu Sans, Verdana, sans-serif" font-weight="bold" '
        f'font-size="{size}" fill="{text_color}" text-anchor="middle">{tspans}</text>'
        "</svg>"
    ).encode()
    # Through the sanitiser too: one definition of what a badge SVG may contain.
    clean = sanitize_svg(svg)
    return BadgeImage(original=clean, png=render_png(clean), kind="template")


def svg_embedding_png(png: bytes, size: int = PNG_SIZE) -> bytes:
    """An SVG wrapping a PNG, for baking an OB 2.0 SVG of a badge uploaded as PNG."""

    encoded = base64.b64encode(png).decode("ascii")
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{size}" height="{size}" '
        f'viewBox="0 0 {size} {size}"><image width="{size}" height="{size}" '
        f'href="data:image/png;base64,{encoded}"/></svg>'
    ).encode()
