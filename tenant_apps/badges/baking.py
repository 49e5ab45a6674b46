"""Baking badges into images, and reading them back out.

- Open Badges 2.0 PNG: an ``iTXt`` chunk with keyword ``openbadges`` holding the
  assertion (JSON).
- Open Badges 3.0 PNG: an ``iTXt`` chunk with keyword ``openbadgecredential`` holding
  the signed credential (JSON).
- Open Badges 2.0 SVG: an ``<openbadges:assertion verify="...">`` element, in the
  ``http://openbadges.org`` namespace, holding the assertion in CDATA.
"""

from __future__ import annotations

import struct
import zlib
from dataclasses import dataclass

from defusedxml import ElementTree as SafeET
from defusedxml.common import DefusedXmlException

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
OB2_KEYWORD = "openbadges"
OB3_KEYWORD = "openbadgecredential"
OPENBADGES_NS = "http://openbadges.org"
MAX_CHUNK = 8 * 1024 * 1024


class BakingError(ValueError):
    pass


def _chunks(png: bytes) -> list[tuple[bytes, bytes]]:
    if not png.startswith(PNG_SIGNATURE):
        raise BakingError("not a PNG file")
    chunks, offset = [], len(PNG_SIGNATURE)
    while offset < len(png):
        if offset + 8 > len(png):
            raise BakingError("truncated PNG chunk")
        (length,) = struct.unpack(">I", png[offset : offset + 4])
        kind = png[offset + 4 : offset + 8]
        if length > MAX_CHUNK or offset + 12 + length > len(png):
            raise BakingError("PNG chunk too large or truncated")
        data = png[offset + 8 : offset + 8 + length]
        (crc,) = struct.unpack(">I", png[offset + 8 + length : offset + 12 + length])
        if zlib.crc32(kind + data) & 0xFFFFFFFF != crc:
            raise BakingError("PNG chunk checksum mismatch (the file was altered)")
        chunks.append((kind, data))
        offset += 12 + length
        if kind == b"IEND":
            break
    return chunks


def _chunk(kind: bytes, data: bytes) -> bytes:
    crc = zlib.crc32(kind + data) & 0xFFFFFFFF
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)


def _text_keyword(kind: bytes, data: bytes) -> str | None:
    if kind not in (b"iTXt", b"tEXt", b"zTXt"):
        return None
    return data.split(b"\0", 1)[0].decode("latin-1")


def bake_png(png: bytes, payload: str, keyword: str = OB2_KEYWORD) -> bytes:
    """Copy of the PNG with one iTXt chunk ``keyword`` (any previous one replaced)."""
    chunks = [(kind, data) for kind, data in _chunks(png) if _text_keyword(kind, data) != keyword]
    itxt = keyword.encode("latin-1") + b"\0\0\0\0\0" + payload.encode("utf-8")
    out = [PNG_SIGNATURE]
    for kind, data in chunks:
        if kind == b"IEND":
            out.append(_chunk(b"iTXt", itxt))
        out.append(_chunk(kind, data))
    return b"".join(out)


def unbake_png(png: bytes, keyword: str = OB2_KEYWORD) -> str | None:
    for kind, data in _chunks(png):
        if _text_keyword(kind, data) != keyword:
            continue
        if kind == b"tEXt":
            return data.split(b"\0", 1)[1].decode("latin-1")
        if kind == b"iTXt":
            rest = data.split(b"\0", 1)[1]
            compressed, _method = rest[0], rest[1]
            _lang, _translated, text = rest[2:].split(b"\0", 2)
            if compressed:
                text = zlib.decompressobj().decompress(text, MAX_CHUNK)
            return text.decode("utf-8")
    return None


def bake_svg(svg: bytes, payload: str, verify_url: str) -> bytes:
    """Copy of the SVG with the assertion element first inside the root element.

    ``svg`` is one this project produced (sanitised and re-serialised), so its root
    start tag is well-formed and attribute values hold no raw ">".
    """
    text = svg.decode("utf-8")
    start = text.find("<svg")
    if start < 0:
        raise BakingError("not an SVG document")
    end = text.find(">", start)
    self_closing = text[end - 1] == "/"
    head = text[: end - 1 if self_closing else end]
    safe_payload = payload.replace("]]>", "]]]]><![CDATA[>")
    verify = verify_url.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;")
    element = (
        f'<openbadges:assertion verify="{verify}"><![CDATA[{safe_payload}]]></openbadges:assertion>'
    )
    if 'xmlns:openbadges="' not in head:
        head += f' xmlns:openbadges="{OPENBADGES_NS}"'
    if self_closing:
        return (head + ">" + element + "</svg>" + text[end + 1 :]).encode("utf-8")
    return (head + ">" + element + text[end + 1 :]).encode("utf-8")


@dataclass(frozen=True)
class SvgBaked:
    verify: str
    payload: str


def unbake_svg(svg: bytes) -> SvgBaked | None:
    try:
        root = SafeET.fromstring(svg, forbid_dtd=True, forbid_entities=True)
    except (DefusedXmlException, SafeET.ParseError, ValueError) as exc:
        raise BakingError("the SVG file could not be read") from exc
    for tag in ("assertion", "credential"):
        element = root.find(f".//{{{OPENBADGES_NS}}}{tag}")
        if element is not None:
            return SvgBaked(verify=element.get("verify", ""), payload=(element.text or "").strip())
    return None
