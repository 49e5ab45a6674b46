"""W3C Data Integrity proofs with the ``eddsa-rdfc-2022`` cryptosuite (Ed25519).

    hashData   = sha256(canon(proof options + document @context)) || sha256(canon(document))
    proofValue = "z" + base58btc(Ed25519.sign(hashData))

This module knows nothing of the database: keys come in as ``cryptography`` objects,
and verification resolves the verification method through a function it is given.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from copy import deepcopy
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from tenant_apps.badges.canonical import CanonicalizationError, canonicalize
from tenant_apps.badges.multibase import multibase_decode, multibase_encode

PROOF_TYPE = "DataIntegrityProof"
CRYPTOSUITE = "eddsa-rdfc-2022"


def _sha256_canonical(document: dict[str, Any]) -> bytes:
    return hashlib.sha256(canonicalize(document).encode("utf-8")).digest()


@lru_cache(maxsize=256)
def _proof_options_hash(frozen: tuple[tuple[str, Any], ...], context: tuple[str, ...]) -> bytes:
    # A batch of awards signed in one go shares its proof options (same key, same
    # "created"): their canonical form is computed once.
    return _sha256_canonical({**dict(frozen), "@context": list(context)})


def _hash_data(document: dict[str, Any], proof_options: dict[str, Any]) -> bytes:
    context = document.get("@context")
    if isinstance(context, str):
        context = [context]
    if not isinstance(context, list) or not all(isinstance(c, str) for c in context):
        raise CanonicalizationError("the document's @context must be a list of context URLs")
    options_hash = _proof_options_hash(tuple(sorted(proof_options.items())), tuple(context))
    return options_hash + _sha256_canonical(document)


def sign(
    document: dict[str, Any],
    *,
    private_key: Ed25519PrivateKey,
    verification_method: str,
    created: datetime,
    proof_purpose: str = "assertionMethod",
) -> dict[str, Any]:
    """Return a copy of ``document`` with a Data Integrity proof added.

    ``proof`` is a list (of one): VC 2.0 allows a single object too, but 1EdTech's
    OB 3.0 JSON Schema for OpenBadgeCredential requires an array."""
    unsigned = {key: value for key, value in document.items() if key != "proof"}
    proof_options = {
        "type": PROOF_TYPE,
        "cryptosuite": CRYPTOSUITE,
        "created": created.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "verificationMethod": verification_method,
        "proofPurpose": proof_purpose,
    }
    signature = private_key.sign(_hash_data(unsigned, proof_options))
    return {
        **deepcopy(unsigned),
        "proof": [{**proof_options, "proofValue": multibase_encode(signature)}],
    }


def single_proof(document: dict[str, Any]) -> dict[str, Any] | None:
    """The document's one proof: a list of one (what we sign) or, in documents
    signed before proofs became lists, a bare object. None otherwise."""
    proof = document.get("proof")
    if isinstance(proof, list) and len(proof) == 1:
        proof = proof[0]
    return proof if isinstance(proof, dict) else None


def sign_batch(args: tuple[bytes, str, datetime, list[dict[str, Any]]]) -> list[dict[str, Any]]:
    """Worker-process entry point (no Django here: spawned workers only import this)."""
    raw, method, created, documents = args
    private_key = Ed25519PrivateKey.from_private_bytes(raw)
    return [
        sign(document, private_key=private_key, verification_method=method, created=created)
        for document in documents
    ]


@dataclass(frozen=True)
class ProofCheck:
    valid: bool
    verification_method: str = ""
    error: str = ""


KeyResolver = Callable[[str], Ed25519PublicKey | None]


def verify(document: dict[str, Any], resolve_key: KeyResolver) -> ProofCheck:
    """Check the document's single ``eddsa-rdfc-2022`` proof.

    ``resolve_key(verification_method)`` returns the public key the controller
    publishes for that method (or None when it publishes none).
    """
    proof = single_proof(document)
    if proof is None:
        return ProofCheck(False, error="no proof")
    if proof.get("type") != PROOF_TYPE or proof.get("cryptosuite") != CRYPTOSUITE:
        return ProofCheck(False, error="unsupported proof type or cryptosuite")
    method = proof.get("verificationMethod")
    if not isinstance(method, str):
        return ProofCheck(False, error="the proof names no verification method")
    if proof.get("proofPurpose") != "assertionMethod":
        return ProofCheck(False, method, "the proof's purpose is not assertionMethod")
    try:
        signature = multibase_decode(str(proof.get("proofValue", "")))
    except ValueError:
        return ProofCheck(False, method, "the proof value is not base58btc")
    public_key = resolve_key(method)
    if public_key is None:
        return ProofCheck(False, method, "the verification method could not be resolved")
    unsigned = {key: value for key, value in document.items() if key != "proof"}
    proof_options = {key: value for key, value in proof.items() if key != "proofValue"}
    try:
        hash_data = _hash_data(unsigned, proof_options)
    except CanonicalizationError as error:
        return ProofCheck(False, method, f"the credential cannot be canonicalised: {error}")
    try:
        public_key.verify(signature, hash_data)
    except InvalidSignature:
        return ProofCheck(False, method, "the signature does not match the credential")
    return ProofCheck(True, method)
