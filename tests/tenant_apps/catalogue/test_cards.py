"""Result cards have a picture: the activity's image, else its provider's logo, else
the drawing of its interest (shipped in the repository, decorative)."""

import re

from django_tenants.utils import tenant_context

from tenant_apps.catalogue.models import Provider
from tests.tenant_apps.catalogue.factories import make_activity, make_provider


def card_of(html: str, title: str) -> str:
    start = html.index(f">{title}</a>")
    return html[html.rindex('<li class="activity-card">', 0, start) : html.index("</li>", start)]


def test_cards_show_the_image_else_the_logo_else_the_interest(territory_a, provider_a, english):
    make_activity(
        territory_a,
        provider_a,
        "With a photo",
        image="t_aurora/activities/photo.jpg",
        image_alt="Two girls at a soldering table",
    )
    make_activity(territory_a, provider_a, "Only the drawing", interests=("music",))
    with_logo = make_provider(territory_a, "Logo Club", logo="t_aurora/providers/logo.png")
    make_activity(territory_a, with_logo, "By a provider with a logo")
    html = english(territory_a).get("/activities/").content.decode()

    photo = card_of(html, "With a photo")
    assert '<img src="/media/t_aurora/activities/photo.jpg"' in photo
    assert 'alt="Two girls at a soldering table"' in photo
    assert 'width="160" height="160"' in photo

    logo = card_of(html, "By a provider with a logo")
    assert '<img src="/media/t_aurora/providers/logo.png" alt=""' in logo
    assert "activity-card__picture--logo" in logo

    drawing = card_of(html, "Only the drawing")
    assert "<img" not in drawing
    svg = re.search(r"<svg [^>]*>(.*?)</svg>", drawing)
    assert svg is not None and 'aria-hidden="true" focusable="false"' in svg.group(0)
    assert '<path d="M9 18V5l12-2v13"/>' in svg.group(1)  # core/icons/music.svg


def test_pictures_below_the_first_cards_load_lazily(territory_a, provider_a, english):
    provider_logo = "t_aurora/providers/logo.png"
    with tenant_context(territory_a):
        Provider.objects.filter(pk=provider_a.pk).update(logo=provider_logo)
    for n in range(5):
        make_activity(territory_a, provider_a, f"Club {n}")
    html = english(territory_a).get("/activities/").content.decode()
    images = re.findall(r'<img src="/media/t_aurora/providers/logo.png"[^>]*>', html)
    assert len(images) == 5
    assert ["lazy" in tag for tag in images] == [False, False, True, True, True]


def test_an_unknown_interest_gets_the_generic_drawing(territory_a, provider_a, english):
    from tenant_apps.catalogue.models import Interest

    with tenant_context(territory_a):
        Interest.objects.create(slug="chess", names={"en": "Chess"}, position=99)
    make_activity(territory_a, provider_a, "Chess club", interests=("chess",))
    card = card_of(english(territory_a).get("/activities/").content.decode(), "Chess club")
    # core/icons/interest.svg: a star.
    assert '<path d="M12 3l2.7 5.6' in card
