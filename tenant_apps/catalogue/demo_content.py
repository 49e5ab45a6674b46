"""Words the demo catalogue is made of, in each demo territory's language (the word
lists themselves are data: demo_data/<language>.json).

Neighbourhoods are real districts with approximate centre coordinates; provider and
activity names follow how such organisations name themselves locally. The generator
combines them (deterministically) into catalogues of any size.
"""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass, field
from importlib import resources


@dataclass(frozen=True)
class Neighbourhood:
    name: str
    lat: float
    lon: float
    # Genitive or locative form used in organisation names ("Žirmūnų" biblioteka).
    name_in_names: str = ""

    @property
    def label(self) -> str:
        return self.name_in_names or self.name


@dataclass(frozen=True)
class Language:
    code: str
    neighbourhoods: list[Neighbourhood]
    # (kind, pattern) with {nb} = neighbourhood, {word} = a name word
    provider_patterns: list[tuple[str, str]]
    words: list[str]
    streets: list[str]
    titles: dict[str, list[str]]
    what: dict[str, str]
    levels: list[tuple[str, int, int]]  # (suffix, youngest, oldest)
    description: str  # {title} {what} {provider} {venue} {nb}
    price_note: str
    provider_about: str  # {name} {nb}
    voucher: bool = False
    venue_patterns: list[str] = field(default_factory=lambda: ["{provider}"])
    second_languages: list[str] = field(default_factory=lambda: ["en"])


# The demo territories' languages, one data file each in demo_data/ (<code>.json: the
# fields of Language; fields left out keep their defaults).
DEMO_LANGUAGES = ("lt", "sl", "it", "fi")
FALLBACK_LANGUAGE = "lt"


@functools.cache
def _load(code: str) -> Language:
    """Read a language's word lists once per process."""
    path = resources.files("tenant_apps.catalogue") / "demo_data" / f"{code}.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    return Language(
        **{
            **data,
            "neighbourhoods": [Neighbourhood(**place) for place in data["neighbourhoods"]],
            "provider_patterns": [tuple(pattern) for pattern in data["provider_patterns"]],
            "levels": [tuple(level) for level in data["levels"]],
        }
    )


def content_for(code: str) -> Language:
    """The demo words for a language (Lithuanian's for languages without their own)."""
    return _load(code if code in DEMO_LANGUAGES else FALLBACK_LANGUAGE)
