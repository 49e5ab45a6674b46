"""A strict allowlist sanitiser for uploaded SVG badge images.

An SVG is a document that browsers run: scripts, event handlers, external references
(images, fonts, stylesheets, <use> of another file), <foreignObject> with HTML, and
CSS ``url(...)`` can all reach out or execute. So nothing is removed from a denylist:
the file is parsed with defusedxml (no entities, no DTDs) and rebuilt from the elements,
attributes and values listed here only. Anything else is dropped.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING
from xml.etree.ElementTree import Element, SubElement, tostring

from defusedxml import ElementTree as SafeET
from defusedxml.common import DefusedXmlException
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

SVG_NS = "http://www.w3.org/2000/svg"
XLINK_NS = "http://www.w3.org/1999/xlink"
MAX_BYTES = 512 * 1024
MAX_ELEMENTS = 5000
MAX_DEPTH = 40
# Drawing cost grows faster than the file: a 170 KB path of 20,000 random segments took
# CairoSVG 12.7 s of CPU, and ten levels of <use> each repeating the one below 10 times
# multiply a 1 KB file into 10^10 shapes. So the work is bounded before anything is
# drawn: numbers in path data (8,000 points take about 1.5 s at worst), and elements
# as drawn, with every <use> and url(#...) reference expanded.
MAX_PATH_NUMBERS = 16_000
MAX_DRAWN_ELEMENTS = 5000
MAX_REFERENCE_DEPTH = 100

ALLOWED_ELEMENTS = {
    "svg", "g", "defs", "title", "desc", "symbol", "use",
    "path", "rect", "circle", "ellipse", "line", "polyline", "polygon",
    "text", "tspan", "textPath",
    "linearGradient", "radialGradient", "stop", "clipPath", "mask", "pattern",
}  # fmt: skip

ALLOWED_ATTRIBUTES = {
    "id", "class", "width", "height", "viewBox", "preserveAspectRatio", "version",
    "x", "y", "x1", "y1", "x2", "y2", "cx", "cy", "r", "rx", "ry", "fx", "fy", "d",
    "points", "transform", "pathLength",
    "fill", "fill-opacity", "fill-rule", "stroke", "stroke-width", "stroke-opacity",
    "stroke-linecap", "stroke-linejoin", "stroke-miterlimit", "stroke-dasharray",
    "stroke-dashoffset", "opacity", "color", "display", "visibility",
    "clip-path", "clip-rule", "mask", "style",
    "font-family", "font-size", "font-weight", "font-style", "text-anchor",
    "dominant-baseline", "letter-spacing", "word-spacing", "text-decoration",
    "dx", "dy", "rotate", "textLength", "lengthAdjust", "startOffset",
    "offset", "stop-color", "stop-opacity",
    "gradientUnits", "gradientTransform", "spreadMethod",
    "patternUnits", "patternContentUnits", "patternTransform",
    "clipPathUnits", "maskUnits", "maskContentUnits",
    "href", "role", "aria-label", "aria-hidden", "focusable",
}  # fmt: skip

# Attributes whose value may reference something: only same-document fragments.
REFERENCE_ATTRIBUTES = {"href", "fill", "stroke", "clip-path", "mask", "style"}
ALLOWED_CSS_PROPERTIES = {
    "fill", "fill-opacity", "fill-rule", "stroke", "stroke-width", "stroke-opacity",
    "stroke-linecap", "stroke-linejoin", "stroke-miterlimit", "stroke-dasharray",
    "stroke-dashoffset", "opacity", "color", "display", "visibility", "clip-path", "mask",
    "font-family", "font-size", "font-weight", "font-style", "text-anchor",
    "dominant-baseline", "letter-spacing", "stop-color", "stop-opacity",
}  # fmt: skip

_URL = re.compile(r"url\(\s*(['\"]?)(.*?)\1\s*\)", re.IGNORECASE | re.DOTALL)
_LOCAL_FRAGMENT = re.compile(r"^#[A-Za-z_][\w.\-]*$")
_SAFE_CSS_VALUE = re.compile(r"^[\w\s#%.,()\-+'\"/]*$")
_DANGEROUS = re.compile(r"(javascript:|vbscript:|data:|expression\(|@import|\\)", re.IGNORECASE)


class UnsafeSVGError(ValidationError):
    pass


def _refuse(message: StrOrPromise) -> UnsafeSVGError:
    return UnsafeSVGError(message, code="unsafe_svg")


def _local_name(tag: str) -> tuple[str, str]:
    if tag.startswith("{"):
        namespace, _sep, name = tag[1:].partition("}")
        return namespace, name
    return "", tag


def _references_are_local(value: str) -> bool:
    return all(_LOCAL_FRAGMENT.match(m.group(2).strip()) for m in _URL.finditer(value))


def _clean_style(value: str) -> str | None:
    kept = []
    for declaration in value.split(";"):
        if not declaration.strip():
            continue
        name, sep, val = declaration.partition(":")
        name, val = name.strip().lower(), val.strip()
        if not sep or name not in ALLOWED_CSS_PROPERTIES:
            continue
        if not _SAFE_CSS_VALUE.match(val) or not _references_are_local(val):
            continue
        if _DANGEROUS.search(_URL.sub("", val)):
            continue
        kept.append(f"{name}:{val}")
    return ";".join(kept) or None


def _clean_attribute(name: str, value: str) -> str | None:
    if name.lower().startswith("on"):
        return None
    if name == "href":
        return value if _LOCAL_FRAGMENT.match(value.strip()) else None
    if name == "style":
        return _clean_style(value)
    if _DANGEROUS.search(_URL.sub("", value)) and name not in {"font-family"}:
        return None
    if name in REFERENCE_ATTRIBUTES and not _references_are_local(value):
        return None
    if len(value) > 100_000:
        return None
    return value


def sanitize_svg(data: bytes) -> bytes:
    """Return a rebuilt, safe copy of an SVG document, or raise UnsafeSVGError."""
    if len(data) > MAX_BYTES:
        raise _refuse(_("The SVG file is too large (the limit is 512 KB)."))
    try:
        root = SafeET.fromstring(data, forbid_dtd=True, forbid_entities=True)
    except (DefusedXmlException, SafeET.ParseError, ValueError) as exc:
        raise _refuse(_("This SVG file could not be read safely.")) from exc
    namespace, name = _local_name(root.tag)
    if name != "svg" or namespace not in (SVG_NS, ""):
        raise _refuse(_("This file is not an SVG image."))

    count = 0

    def copy(source: Element, target_parent: Element | None, depth: int) -> Element | None:
        nonlocal count
        ns, tag = _local_name(source.tag) if isinstance(source.tag, str) else ("", "")
        if ns not in (SVG_NS, "") or tag not in ALLOWED_ELEMENTS:
            return None
        count += 1
        if count > MAX_ELEMENTS or depth > MAX_DEPTH:
            raise _refuse(_("This SVG image is too complex."))
        attributes = {}
        for raw_name, raw_value in source.attrib.items():
            attr_ns, attr = _local_name(raw_name)
            if attr_ns == XLINK_NS and attr == "href":
                attr = "href"
            elif attr_ns:
                continue
            if attr not in ALLOWED_ATTRIBUTES:
                continue
            cleaned = _clean_attribute(attr, raw_value)
            if cleaned is not None:
                attributes[attr] = cleaned
        if tag == "use" and "href" not in attributes:
            return None
        if target_parent is None:
            # Plain names and an explicit xmlns: the output has no "ns0:" prefixes.
            element = Element(tag, {"xmlns": SVG_NS, **attributes})
        else:
            element = SubElement(target_parent, tag, attributes)
        if tag in {"text", "tspan", "textPath", "title", "desc"}:
            element.text = source.text
        for child in source:
            copy(child, element, depth + 1)
            if tag in {"text", "tspan", "textPath"} and child.tail:
                # Keep text between inline children (rebuilt children carry it).
                last = element[-1] if len(element) else None
                if last is not None:
                    last.tail = child.tail
        return element

    clean = copy(root, None, 0)
    if clean is None:
        # The root was checked to be <svg> above, so this cannot happen; refuse the
        # file rather than trust that (asserts vanish under python -O).
        raise _refuse(_("This file is not an SVG image."))
    check_drawing_cost(clean)
    return tostring(clean, encoding="utf-8", xml_declaration=False)


_NUMBER = re.compile(r"[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?")


def _references(element: Element) -> list[str]:
    """Ids this element draws or paints with (<use>, patterns, clips, masks...)."""
    found = []
    href = element.get("href")
    if href and href.startswith("#"):
        found.append(href[1:])
    for name in ("fill", "stroke", "clip-path", "mask", "style"):
        value = element.get(name)
        if value:
            found.extend(m.group(2).strip()[1:] for m in _URL.finditer(value))
    return found


def check_drawing_cost(root: Element) -> None:
    """Refuse a (sanitised) drawing whose rendering could take long: too many path
    numbers, or too many elements once references are expanded, or a reference loop."""
    numbers = 0
    by_id: dict[str, Element] = {}
    for element in root.iter():
        for name in ("d", "points"):
            numbers += len(_NUMBER.findall(element.get(name, "")))
        element_id = element.get("id")
        if element_id:
            by_id.setdefault(element_id, element)
    if numbers > MAX_PATH_NUMBERS:
        raise _refuse(_("This SVG image is too complex."))

    drawn: dict[int, int] = {}
    expanding: set[int] = set()

    def cost(element: Element, depth: int) -> int:
        key = id(element)
        if key in drawn:
            return drawn[key]
        if key in expanding or depth > MAX_REFERENCE_DEPTH:
            raise _refuse(_("This SVG image is too complex."))
        expanding.add(key)
        total = 1
        for reference in _references(element):
            target = by_id.get(reference)
            if target is not None:
                total += cost(target, depth + 1)
        for child in element:
            total += cost(child, depth + 1)
            if total > MAX_DRAWN_ELEMENTS:
                raise _refuse(_("This SVG image is too complex."))
        expanding.discard(key)
        drawn[key] = total
        return total

    if cost(root, 0) > MAX_DRAWN_ELEMENTS:
        raise _refuse(_("This SVG image is too complex."))
