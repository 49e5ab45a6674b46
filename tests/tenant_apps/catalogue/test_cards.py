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


def test_cards_are_rendered_once_and_follow_publishing(
    territory_a, territory_b, provider_a, english, user, django_capture_on_commit_callbacks
):
    """A card is rendered once per language and public content version (cards.py
    render_cards): another search listing it reuses it; highlights, the visitor's
    save button and a change of the activity are never taken from another's card."""
    from shared_apps.core.pagecache import public_content_changed
    from tenant_apps.catalogue.models import Activity

    activity = make_activity(territory_a, provider_a, "Robotikos klubas", interests=("robotics",))
    client = english(territory_a)
    first = client.get("/activities/?interest=robotics")
    assert "catalogue/partials/card_text.html" in [t.name for t in first.templates]
    again = client.get("/activities/?cost=free")  # another search, another page
    assert "catalogue/partials/card_text.html" not in [t.name for t in again.templates]
    assert card_of(again.content.decode(), "Robotikos klubas") == card_of(
        first.content.decode(), "Robotikos klubas"
    )
    # A text search marks its words: not the plain card of the other searches.
    marked = client.get("/activities/?q=robotikos").content.decode()
    assert "<mark>Robotikos</mark> klubas" in marked
    # The card a visitor's search rendered does not carry anyone's save button, and a
    # signed-in member gets theirs.
    assert "Save to my list" not in again.content.decode()
    member = english(territory_a, user("ada")).get("/activities/?cost=free").content.decode()
    start = member.index(">Robotikos klubas</a>")
    assert "Save to my list" in member[start : member.index("</article>", start)]
    # Another territory never gets this territory's card (the key carries the schema).
    other = english(territory_b).get("/activities/?cost=free").content.decode()
    assert "Robotikos klubas" not in other
    # A change of public content renders the card anew.
    with tenant_context(territory_a), django_capture_on_commit_callbacks(execute=True):
        Activity.objects.filter(pk=activity.pk).update(title="Robotikos klubas 2")
        public_content_changed()
    html = client.get("/activities/?age=12").content.decode()
    assert ">Robotikos klubas 2</a>" in html
