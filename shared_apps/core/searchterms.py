"""The words of a search and the tsquery they make: one reading for the catalogue's
search (tenant_apps.catalogue.search) and the network's (shared_apps.netsearch)."""

from __future__ import annotations

import re
from collections.abc import Sequence

MAX_TERMS = 8
_WORD = re.compile(r"[^\W_]+")


def query_terms(text: str) -> list[str]:
    """Words of a search, lower-cased; punctuation and operators are dropped, so the
    text can never break the query syntax."""
    return _WORD.findall(text.lower())[:MAX_TERMS]


def tsquery_text(terms: Sequence[str]) -> str:
    """All words must match; words of 3+ letters also match as prefixes ("robot"
    finds "robotika"), which also helps while someone is still typing."""
    return " & ".join(f"{term}:*" if len(term) >= 3 else term for term in terms)
