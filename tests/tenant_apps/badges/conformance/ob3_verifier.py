"""An independent Open Badges 3.0 verifier for the tests, written from the specs.

It shares no code with tenant_apps.badges: everything is fetched over HTTP from the live
server (credential, DID document, status list), canonicalised with pyld's own normalize
(RDFC-1.0 / URDNA2015) and checked with `cryptography`'s Ed25519, following W3C
"Data Integrity EdDSA Cryptosuites v1.0" (eddsa-rdfc-2022), "did:web Method
Specification", "Bitstring Status List v1.0" and VC Data Model 2.0's validity period.
"""

from __future__ import annotations

import base64
import gzip
import hashlib
import json
import urllib.request
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import unquote

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from pyld import jsonld

ROOT = Path(__file__).resolve().parents[4]
CONTEXTS = ROOT / "shared_apps" / "core" / "static" / "vendor" / "jsonld-contexts"
KNOWN_CONTEXTS = {
    "https://www.w3.org/ns/credentials/v2": "credentials-v2.json",
    "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json": "ob-v3p0-context-3.0.3.json",
}
B58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"


def _loader(url: str, options: Any = None) -> dict[str, Any]:
    document = json.loads((CONTEXTS / KNOWN_CONTEXTS[url]).read_text())
    return {"contextUrl": None, "documentUrl": url, "document": document}


def _b58decode(text: str) -> bytes:
    number = 0
    for char in text:
        number = number * 58 + B58.index(char)
    body = number.to_bytes((number.bit_length() + 7) // 8, "big")
    return b"\0" * (len(text) - len(text.lstrip("1"))) + body


def _canonical_hash(document: dict[str, Any]) -> bytes:
    dropped: list[str] = []
    processor = jsonld.JsonLdProcessor(on_property_dropped=dropped.append)
    nquads = processor.normalize(
        document,
        {"algorithm": "URDNA2015", "format": "application/n-quads", "documentLoader": _loader},
    )
    if dropped:
        raise ValueError(f"undefined terms: {dropped}")
    return hashlib.sha256(nquads.encode("utf-8")).digest()


@dataclass
class Report:
    errors: list[str] = field(default_factory=list)

    @property
    def valid(self) -> bool:
        return not self.errors


class OB3Verifier:
    def __init__(self, base: str) -> None:
        self.base = base  # http://127.0.0.1:<port>: every host is served there

    def get(self, url: str) -> dict[str, Any]:
        _scheme, _sep, rest = url.partition("://")
        host, _sep, path = rest.partition("/")
        request = urllib.request.Request(  # noqa: S310 - the loopback test server
            f"{self.base}/{path}", headers={"Host": host, "Accept": "application/json"}
        )
        with urllib.request.urlopen(request, timeout=20) as response:  # noqa: S310
            return json.load(response)

    def resolve_did(self, did: str) -> dict[str, Any]:
        """did:web:host%3Aport[:path...] -> http(s)://host:port/(path|.well-known)/did.json"""
        parts = did.split(":")
        assert parts[:2] == ["did", "web"], did
        host = unquote(parts[2])
        path = "/".join(parts[3:]) + "/did.json" if len(parts) > 3 else ".well-known/did.json"
        document = self.get(f"http://{host}/{path}")
        assert document["id"] == did
        return document

    def public_key(self, method: str) -> Ed25519PublicKey:
        did = method.split("#")[0]
        document = self.resolve_did(did)
        if method not in document.get("assertionMethod", []):
            raise ValueError("the key is not an assertion method of the issuer")
        entry = next(m for m in document["verificationMethod"] if m["id"] == method)
        raw = _b58decode(entry["publicKeyMultibase"][1:])
        assert raw[:2] == b"\xed\x01"
        return Ed25519PublicKey.from_public_bytes(raw[2:])

    def check_proof(self, document: dict[str, Any], report: Report) -> None:
        # VC 2.0: one proof object or a set of them (we check the one there is).
        proofs = document["proof"]
        proof = dict(proofs[0] if isinstance(proofs, list) and len(proofs) == 1 else proofs)
        if (
            proof.get("cryptosuite") != "eddsa-rdfc-2022"
            or proof.get("type") != "DataIntegrityProof"
        ):
            report.errors.append("unsupported proof")
            return
        signature = _b58decode(proof.pop("proofValue")[1:])
        unsigned = {k: v for k, v in document.items() if k != "proof"}
        try:
            data = _canonical_hash({**proof, "@context": document["@context"]}) + _canonical_hash(
                unsigned
            )
            self.public_key(proof["verificationMethod"]).verify(signature, data)
        except InvalidSignature:
            report.errors.append("bad signature")
        except (ValueError, KeyError, StopIteration) as error:
            report.errors.append(f"proof: {error}")
        issuer = document["issuer"]
        issuer_id = issuer["id"] if isinstance(issuer, dict) else issuer
        if proof["verificationMethod"].split("#")[0] != issuer_id:
            report.errors.append("signed by someone other than the issuer")

    def verify(self, credential: dict[str, Any], *, now: datetime | None = None) -> Report:
        report = Report()
        now = now or datetime.now(UTC)
        if "OpenBadgeCredential" not in credential.get("type", []):
            report.errors.append("not an OpenBadgeCredential")
        self.check_proof(credential, report)
        status = credential.get("credentialStatus")
        if status:
            status_credential = self.get(status["statusListCredential"])
            status_report = Report()
            self.check_proof(status_credential, status_report)
            if not status_report.valid:
                report.errors.append(f"status list: {status_report.errors}")
            encoded = status_credential["credentialSubject"]["encodedList"]
            assert encoded[0] == "u"  # multibase base64url, no padding
            body = encoded[1:]
            bits = gzip.decompress(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))
            index = int(status["statusListIndex"])
            if bits[index // 8] & (0x80 >> (index % 8)):
                report.errors.append("revoked")
        valid_from = datetime.fromisoformat(credential["validFrom"].replace("Z", "+00:00"))
        if valid_from > now:
            report.errors.append("not yet valid")
        if "validUntil" in credential:
            valid_until = datetime.fromisoformat(credential["validUntil"].replace("Z", "+00:00"))
            if valid_until <= now:
                report.errors.append("expired")
        return report
