"""sanitize_html's allow-list, built once, cleans as nh3.clean with the same rules."""

import nh3
import pytest

from shared_apps.core import text

SAMPLES = [
    "<p>Hello <script>alert(1)</script><b>world</b></p>",
    '<a href="javascript:alert(1)" onclick="x()">link</a>',
    '<a href="https://example.org" title="t" target="_blank">ok</a>',
    '<img src="x" onerror="y"><iframe src="https://e.org"></iframe><!-- hidden -->',
    "<ul><li>one</li><li>two<h3>head</h3></li></ul><style>p{}</style>",
    '<a href="mailto:a@example.org">mail</a> <a href="tel:+3706">call</a>',
    "<p>Unclosed <em>tags <u>here",
]


@pytest.mark.parametrize("raw", SAMPLES)
def test_the_cleaner_cleans_as_nh3_clean_with_the_rules(raw: str) -> None:
    expected = nh3.clean(
        raw,
        tags=text.ALLOWED_TAGS,
        attributes=text.ALLOWED_ATTRIBUTES,
        url_schemes=text.URL_SCHEMES,
        link_rel=text.LINK_REL,
        strip_comments=True,
    ).strip()
    assert text.sanitize_html(raw) == expected
    assert "<script" not in expected and "onclick" not in expected and "<img" not in expected


def test_plain_text_becomes_paragraphs() -> None:
    assert (
        text.sanitize_html("One & two\n\nThree\nfour") == "<p>One &amp; two</p><p>Three<br>four</p>"
    )
    assert text.sanitize_html("   ") == ""
