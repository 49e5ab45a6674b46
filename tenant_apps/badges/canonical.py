"""RDF Dataset Canonicalization (RDFC-1.0, formerly URDNA2015) of JSON-LD, in "safe mode".

Safe mode, as Data Integrity requires: a term the contexts do not define, or a type or
id that is not an absolute IRI, makes canonicalisation fail instead of silently dropping
data from what gets signed (a dropped term could be changed later without breaking the
signature). pyld has no such switch, so it is built from its property-dropped hook and a
check of the expanded document.
"""

from __future__ import annotations

from typing import Any

from pyld import jsonld

from tenant_apps.badges.contexts import offline_document_loader


class CanonicalizationError(ValueError):
    """The document cannot be canonicalised safely (undefined terms, relative IRIs...)."""


def _raise_dropped(term: str | None) -> None:
    raise CanonicalizationError(f"the term {term!r} is not defined by the document's contexts")


# Relative IRIs are resolved against this base (a reserved, never-resolvable host) so
# that they can be recognised and refused after expansion.
RELATIVE_BASE = "https://relative-iri.invalid/"


def _is_absolute_or_blank(value: str) -> bool:
    if value.startswith(RELATIVE_BASE):
        return False
    return value.startswith("_:") or (":" in value and not value.startswith(":"))


def _check_expanded(node: Any) -> None:
    if isinstance(node, list):
        for item in node:
            _check_expanded(item)
        return
    if not isinstance(node, dict):
        return
    for key, value in node.items():
        if key == "@type" and "@value" not in node:
            for type_iri in value if isinstance(value, list) else [value]:
                if not _is_absolute_or_blank(str(type_iri)):
                    raise CanonicalizationError(f"the type {type_iri!r} is not an absolute IRI")
        elif key == "@id":
            if not _is_absolute_or_blank(str(value)):
                raise CanonicalizationError(f"the id {value!r} is not an absolute IRI")
        elif key != "@value":
            _check_expanded(value)


def _options() -> dict[str, Any]:
    return {
        "documentLoader": offline_document_loader,
        "base": RELATIVE_BASE,
        "processingMode": "json-ld-1.1",
    }


class _SafeProcessor(jsonld.JsonLdProcessor):
    """Expansion that refuses dropped terms and relative IRIs; normalisation expands
    through it, so a document is expanded once."""

    def __init__(self) -> None:
        super().__init__(on_property_dropped=_raise_dropped)

    def expand(self, input_: Any, options: dict[str, Any]) -> list[Any]:
        expanded = super().expand(input_, options)
        _check_expanded(expanded)
        return list(expanded)


def _unwrap(error: jsonld.JsonLdError) -> CanonicalizationError:
    cause: BaseException | None = error
    while cause is not None:
        if isinstance(cause, CanonicalizationError):
            return cause
        cause = getattr(cause, "cause", None) or cause.__cause__
    return CanonicalizationError(str(error))


def expand_safely(document: dict[str, Any]) -> list[Any]:
    try:
        return _SafeProcessor().expand(document, _options())
    except jsonld.JsonLdError as error:
        raise _unwrap(error) from None


def canonicalize(document: dict[str, Any]) -> str:
    """N-Quads of the canonical dataset of ``document`` (contexts from disk only)."""
    options = {**_options(), "algorithm": "URDNA2015", "format": "application/n-quads"}
    try:
        result: str = _SafeProcessor().normalize(document, options)
    except jsonld.JsonLdError as error:
        raise _unwrap(error) from None
    return result
