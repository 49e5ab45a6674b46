"""Inline icons: decorative, from the repository's files only."""

from shared_apps.core.templatetags.icons import ICONS, has_icon, icon


def test_icon_is_inline_and_hidden_from_assistive_technology() -> None:
    html = str(icon("music", 28))
    assert html.startswith('<svg class="icon" width="28" height="28"')
    assert 'aria-hidden="true" focusable="false"' in html
    assert '<path d="M9 18V5l12-2v13"/>' in html and html.endswith("</svg>")


def test_every_default_interest_has_an_icon() -> None:
    for slug in (
        "arts", "music", "sport", "digital", "science-technology", "robotics", "nature",
        "languages", "entrepreneurship", "volunteering", "civic-participation", "media",
        "crafts", "wellbeing",
    ):  # fmt: skip
        assert has_icon(slug), slug


def test_unknown_or_crafted_names_get_the_generic_icon() -> None:
    generic = (ICONS / "interest.svg").read_text()
    star = generic[generic.index(">") + 1 : generic.rindex("</svg>")]
    for name in ("chess", "../../../etc/passwd", "music.svg", "Music", "", "a" * 60):
        assert not has_icon(name)
        assert star in str(icon(name)), name
