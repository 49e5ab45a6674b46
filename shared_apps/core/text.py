"""Rich text from providers, made safe once, when it is saved.

Descriptions are stored already sanitised (nh3, an allow-list), so templates can show
them as they are; plain text written without tags becomes paragraphs.
"""

from __future__ import annotations

import html
import re

import nh3

ALLOWED_TAGS = {"p", "br", "strong", "b", "em", "i", "u", "ul", "ol", "li", "a", "h3", "h4"}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}}
URL_SCHEMES = {"http", "https", "mailto", "tel"}
_TAG = re.compile(r"<[a-zA-Z/!]")
_BLANK_LINES = re.compile(r"\n\s*\n")
LINK_REL = "noopener noreferrer nofollow ugc"
# The allow-list, built once: nh3.clean(raw, tags=..., ...) builds it again at every
# call (half its time on a short description; an import cleans 50,000).
_CLEANER = nh3.Cleaner(
    tags=ALLOWED_TAGS,
    attributes=ALLOWED_ATTRIBUTES,
    url_schemes=URL_SCHEMES,
    link_rel=LINK_REL,
    strip_comments=True,
)


def sanitize_html(raw: str) -> str:
    """Keep simple formatting and links; drop scripts, styles, events, iframes, images.

    Text without any tag is treated as plain text: blank lines separate paragraphs and
    single line breaks are kept.
    """
    raw = (raw or "").strip()
    if not raw:
        return ""
    if not _TAG.search(raw):
        paragraphs = [p.strip() for p in _BLANK_LINES.split(raw) if p.strip()]
        raw = "".join("<p>" + html.escape(p).replace("\n", "<br>") + "</p>" for p in paragraphs)
    return _CLEANER.clean(raw).strip()


def plain_text(sanitized: str) -> str:
    """The words of a sanitised description, for the search index and summaries."""
    without_tags = nh3.clean(re.sub(r"<(br|/p|/li|/h3|/h4)\s*/?>", " ", sanitized), tags=set())
    return re.sub(r"\s+", " ", html.unescape(without_tags)).strip()
