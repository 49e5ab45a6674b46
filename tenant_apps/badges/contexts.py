"""JSON-LD contexts, loaded from files shipped with the project, never from the network.

Signing and verifying Open Badges 3.0 credentials expands them with these contexts.
The files come from the npm packages listed in package.json (copied and converted by
scripts/assets.sh, with their licences). A document naming any other context is
refused: a context fetched at run time could change what a signed credential means.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

from pyld.jsonld import JsonLdError

import shared_apps.core

CONTEXT_DIR = Path(shared_apps.core.__file__).parent / "static" / "vendor" / "jsonld-contexts"

VC_V2 = "https://www.w3.org/ns/credentials/v2"
OB_V3 = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
DID_V1 = "https://www.w3.org/ns/did/v1"
MULTIKEY_V1 = "https://w3id.org/security/multikey/v1"
DATA_INTEGRITY_V2 = "https://w3id.org/security/data-integrity/v2"

CONTEXT_FILES = {
    VC_V2: "credentials-v2.json",
    OB_V3: "ob-v3p0-context-3.0.3.json",
    DID_V1: "did-v1.json",
    MULTIKEY_V1: "multikey-v1.json",
    DATA_INTEGRITY_V2: "data-integrity-v2.json",
}

CREDENTIAL_CONTEXT = [VC_V2, OB_V3]
DID_CONTEXT = [DID_V1, MULTIKEY_V1]


class UnknownContextError(JsonLdError):
    pass


@cache
def context_document(url: str) -> dict[str, Any]:
    name = CONTEXT_FILES.get(url)
    if name is None:
        raise UnknownContextError(
            f"The JSON-LD context {url} is not one this platform knows.",
            "jsonld.LoadDocumentError",
            {"url": url},
            code="loading document failed",
        )
    document: dict[str, Any] = json.loads((CONTEXT_DIR / name).read_text(encoding="utf-8"))
    return document


def offline_document_loader(url: str, options: dict[str, Any] | None = None) -> dict[str, Any]:
    """A pyld document loader that answers from the shipped files only."""
    return {
        "contextUrl": None,
        "documentUrl": url,
        "document": context_document(url),
        "contentType": "application/ld+json",
        # "static" lets pyld keep the processed context in its shared cache instead of
        # processing it again for every document (the files never change at run time).
        "tag": "static",
    }
