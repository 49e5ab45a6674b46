"""The territory admin edits the home page's texts in each of its languages and which
sections it shows (issue 16, item 7): validated, previewed, audited, and every cached
copy of the home page dropped on save."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django_tenants.utils import tenant_context

from shared_apps.accounts.models import User
from shared_apps.audit.models import AuditEntry
from tenant_apps.home.models import HomePage
from tenants.models import Territory
from tests.conftest import ClientFor

PAGE = "/manage/home/"


def _admin(client_for: ClientFor, territory: Territory, user: User):
    client = client_for(territory)
    client.cookies["django_language"] = "en"
    client.sign_in(user)
    return client


def test_texts_saved_per_language_show_at_once_for_cached_visitors(
    territory_a: Territory,
    client_for: ClientFor,
    user: Callable[[str], User],
    django_capture_on_commit_callbacks: Any,
) -> None:
    visitor_en = client_for(territory_a)
    visitor_en.cookies["django_language"] = "en"
    visitor_lt = client_for(territory_a)
    # Both pages are now cached whole (anonymous visitors).
    assert "Find what you love to learn in Aurora" in visitor_en.get("/").content.decode()
    lithuanian_before = visitor_lt.get("/").content.decode()

    anna = _admin(client_for, territory_a, user("anna"))
    form = anna.get(PAGE).content.decode()
    assert 'name="en-headline"' in form and 'name="lt-headline"' in form
    # The caches are dropped once the save commits.
    with django_capture_on_commit_callbacks(execute=True):
        response = anna.post(
            PAGE,
            {
                "language": "en",
                "en-headline": "  Learn   anything in Aurora ",
                "en-intro": "Clubs, labs & <b>libraries</b>.",
                "en-title_activities": "What's on",
            },
        )
    assert response.status_code == 302
    page = visitor_en.get("/").content.decode()
    assert "Learn anything in Aurora" in page
    assert "Clubs, labs &amp; &lt;b&gt;libraries&lt;/b&gt;." in page  # text, never HTML
    assert "What&#x27;s on" in page or "What's on" in page
    assert "Find what you love to learn" not in page
    # The Lithuanian page keeps its own (default) text.
    assert visitor_lt.get("/").content.decode() == lithuanian_before
    entry = AuditEntry.objects.get(action="home.texts_saved", territory=territory_a)
    assert entry.details == {"language": "en"}


def test_sections_can_be_hidden(
    territory_a: Territory,
    client_for: ClientFor,
    user: Callable[[str], User],
    django_capture_on_commit_callbacks: Any,
) -> None:
    visitor = client_for(territory_a)
    assert 'id="section-badges"' in visitor.get("/").content.decode()
    anna = _admin(client_for, territory_a, user("anna"))
    with django_capture_on_commit_callbacks(execute=True):
        response = anna.post(PAGE, {"language": "*", "shown": ["map", "activities", "playlists"]})
    assert response.status_code == 302
    page = visitor.get("/").content.decode()
    assert 'id="section-badges"' not in page and 'id="section-activities"' in page
    assert AuditEntry.objects.filter(action="home.sections_saved").exists()


def test_preview_shows_the_text_without_saving(
    territory_a: Territory, client_for: ClientFor, user: Callable[[str], User]
) -> None:
    anna = _admin(client_for, territory_a, user("anna"))
    response = anna.post(PAGE, {"language": "en", "en-headline": "Draft words", "preview": "1"})
    assert response.status_code == 200
    assert "Draft words" in response.content.decode()
    with tenant_context(territory_a):
        assert not HomePage.objects.exists()
    assert "Draft words" not in client_for(territory_a).get("/").content.decode()


def test_bad_input_gives_field_errors_and_saves_nothing(
    territory_a: Territory, client_for: ClientFor, user: Callable[[str], User]
) -> None:
    anna = _admin(client_for, territory_a, user("anna"))
    response = anna.post(PAGE, {"language": "en", "en-headline": "x" * 121})
    assert response.status_code == 400
    form = next(f["form"] for f in response.context["language_forms"] if f["code"] == "en")
    assert "headline" in form.errors
    response = anna.post(PAGE, {"language": "*", "shown": ["nonsense"]})
    assert response.status_code == 400
    assert "shown" in response.context["sections_form"].errors
    # A language the site does not offer is refused.
    assert anna.post(PAGE, {"language": "zz", "zz-headline": "Hi"}).status_code == 400
    with tenant_context(territory_a):
        assert not HomePage.objects.exists()
    assert not AuditEntry.objects.filter(action__startswith="home.").exists()


def test_only_this_territorys_admin_edits_it(
    territory_a: Territory,
    territory_b: Territory,
    client_for: ClientFor,
    user: Callable[[str], User],
) -> None:
    for name in ("ada", "alan"):  # a learner, provider staff of aurora
        client = _admin(client_for, territory_a, user(name))
        assert client.get(PAGE).status_code == 403
        assert client.post(PAGE, {"language": "en", "en-headline": "Hacked"}).status_code == 403
    # borealis' admin, on aurora's host: no session there.
    bruno = _admin(client_for, territory_a, user("bruno"))
    assert bruno.post(PAGE, {"language": "en", "en-headline": "Hacked"}).status_code in (302, 403)
    # borealis' admin edits borealis only.
    bruno_home = _admin(client_for, territory_b, user("bruno"))
    language = territory_b.languages[0]
    assert (
        bruno_home.post(PAGE, {"language": language, f"{language}-headline": "Borealis words"})
    ).status_code == 302
    with tenant_context(territory_a):
        assert not HomePage.objects.exists()
    page = client_for(territory_a).get("/").content.decode()
    assert "Hacked" not in page and "Borealis words" not in page
