"""The demo's word lists are data files (tenant_apps/catalogue/demo_data/), read once and
shipped with the installed package."""

from __future__ import annotations

import fnmatch
import tomllib
from pathlib import Path

from tenant_apps.catalogue.demo_content import DEMO_LANGUAGES, content_for

ROOT = Path(__file__).resolve().parents[3]
DATA = ROOT / "tenant_apps" / "catalogue" / "demo_data"


def test_every_demo_language_reads_its_own_words_with_their_types():
    for code in DEMO_LANGUAGES:
        content = content_for(code)
        assert content.code == code
        assert content.neighbourhoods and content.words and content.streets
        assert all(isinstance(place.lat, float) for place in content.neighbourhoods)
        assert all(type(pattern) is tuple for pattern in content.provider_patterns)
        assert all(
            type(level) is tuple and [type(v) for v in level] == [str, int, int]
            for level in content.levels
        )
        # The generator describes every interest it titles.
        assert set(content.titles) <= set(content.what)


def test_a_language_without_words_gets_the_lithuanian_ones_read_once():
    assert content_for("en") is content_for("lt") is content_for("xx")
    assert content_for("sl") is content_for("sl")


def test_every_data_file_is_a_demo_language_and_ships_with_the_package():
    assert sorted(path.stem for path in DATA.glob("*")) == sorted(DEMO_LANGUAGES)
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    patterns = config["tool"]["setuptools"]["package-data"]["tenant_apps.catalogue"]
    for path in DATA.iterdir():
        relative = str(path.relative_to(DATA.parent))
        assert any(fnmatch.fnmatch(relative, pattern) for pattern in patterns), relative
