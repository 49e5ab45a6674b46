"""Issue 16's translation slips: each one pinned."""

import glob
import re
from pathlib import Path

import polib
import pytest
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.utils import translation

ROOT = Path(__file__).resolve().parents[2]
SHIPPED = ["lt", "sl", "it", "fi", "de", "fr", "es", "nl"]


def password_texts() -> list[str]:
    texts = [str(text) for text in password_validation.password_validators_help_texts()]
    with pytest.raises(ValidationError) as refused:
        password_validation.validate_password("123")
    return texts + [str(message) for message in refused.value.messages]


@pytest.mark.parametrize("language", SHIPPED)
def test_password_rules_are_translated(language: str) -> None:
    # Django 5.2's own catalogues for lt, sl, it, fi and nl lack the current msgids.
    with translation.override("en"):
        english = password_texts()
    with translation.override(language):
        translated = password_texts()
    assert len(english) == len(translated)
    untranslated = [text for text, en in zip(translated, english, strict=True) if text == en]
    assert untranslated == []


def lithuanian_entries() -> list[tuple[str, polib.POEntry]]:
    found = []
    for path in glob.glob(str(ROOT / "**/locale/lt/LC_MESSAGES/django.po"), recursive=True):
        if ".venv" in path or "node_modules" in path:
            continue
        found += [(path, entry) for entry in polib.pofile(path) if entry.msgstr]
    return found


# Addressed to a parent or guardian (their email and their page), not to the young
# person: these are polite on purpose.
TO_GUARDIANS = (
    "The account %(learner_email)s was created",
    "Open this link to see what you are asked to agree to",
    "The link works for %(days)s days.",
    "What you consent to",
    "It has expired or was replaced by a newer one.",
    "Type the address the link was sent to.",
    "Thank you. Your consent is recorded.",
)
POLITE = re.compile(r"\b(jūs|jūsų|jums|jumis|jus|\w+kite)\b", re.IGNORECASE)


def test_lithuanian_speaks_to_young_people_as_tu_everywhere() -> None:
    polite = [
        (Path(path).parts[-5], entry.msgid[:60])
        for path, entry in lithuanian_entries()
        if POLITE.search(entry.msgstr) and not entry.msgid.startswith(TO_GUARDIANS)
    ]
    assert polite == []


def test_lithuanian_plural_of_badge_is_spelt_right() -> None:
    wrong = re.compile(r"\bženklel(ai|ams|us)\b", re.IGNORECASE)
    assert [e.msgid for _p, e in lithuanian_entries() if wrong.search(e.msgstr)] == []


def test_finnish_playlists_are_learning_paths_not_music() -> None:
    music = []
    for path in glob.glob(str(ROOT / "**/locale/fi/LC_MESSAGES/django.po"), recursive=True):
        if ".venv" not in path:
            music += [e.msgid for e in polib.pofile(path) if "soittolist" in e.msgstr.lower()]
    assert music == []
    with translation.override("fi"):
        assert translation.pgettext("recurring weekday", "Mondays") == "maanantaisin"


def test_lithuanian_sign_up_page_speaks_one_voice(territory_a, client_for) -> None:
    client = client_for(territory_a)
    client.cookies["django_language"] = "lt"
    page = client.get("/accounts/signup/").content.decode()
    main = page.split("<main", 1)[1].split("</main>", 1)[0]
    # allauth's own catalogue says "Jūs"; the project's catalogue overrides its texts
    # on these pages (platform/learning_platform/allauth_messages.py).
    assert "Jau turi paskyrą?" in main
    assert POLITE.search(re.sub(r"<[^>]+>", " ", main)) is None
    # And the password rules are Lithuanian.
    assert "Your password" not in main
