"""Learning playlists are learning paths, not music: Lithuanian "grojaraštis" and
Finnish "soittolista" name a list of songs (issue 16, item 10)."""

import glob
import re
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parents[2]
MUSIC = {"lt": "groja", "fi": "soittolist"}
PLACEHOLDER = re.compile(r"%\([a-z_]+\)[sd]|\{[a-z_]+\}")
PATH_WORDS = {"lt": ("mokymosi kel", "kelia", "kelio", "keli"), "fi": ("polku", "polu", "polk")}


def entries(language: str) -> list[polib.POEntry]:
    found = []
    for path in glob.glob(
        str(ROOT / f"**/locale/{language}/LC_MESSAGES/django.po"), recursive=True
    ):
        if ".venv" not in path and "node_modules" not in path:
            found += [entry for entry in polib.pofile(path) if not entry.obsolete]
    return found


def test_no_music_playlists() -> None:
    for language, word in MUSIC.items():
        assert [e.msgid for e in entries(language) if word in e.msgstr.lower()] == [], language


def test_every_playlist_text_says_learning_path() -> None:
    for language, words in PATH_WORDS.items():
        wrong = [
            e.msgid
            for e in entries(language)
            # The word, not a placeholder such as %(playlist)s (a playlist's title).
            if "playlist" in PLACEHOLDER.sub("", e.msgid).lower()
            and e.msgstr
            and not any(word in e.msgstr.lower() for word in words)
        ]
        assert wrong == [], language
