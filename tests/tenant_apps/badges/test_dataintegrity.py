"""The eddsa-rdfc-2022 proofs: sign, verify, and refuse anything altered or unsafe."""

import copy
from datetime import UTC, datetime

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from tenant_apps.badges import dataintegrity
from tenant_apps.badges.canonical import CanonicalizationError, canonicalize
from tenant_apps.badges.contexts import CREDENTIAL_CONTEXT, UnknownContextError
from tenant_apps.badges.multibase import (
    b58decode,
    b58encode,
    ed25519_from_multikey,
    ed25519_multikey,
)

METHOD = "did:web:aurora.localhost#key-1"
CREATED = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


def credential() -> dict:
    return {
        "@context": list(CREDENTIAL_CONTEXT),
        "id": "http://aurora.localhost/ob/v3/credentials/0d7f5d1e-3c41-4c8e-9d2c-9a4d2f1f0a11",
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "issuer": {"id": "did:web:aurora.localhost", "type": ["Profile"], "name": "Aurora"},
        "validFrom": "2026-03-01T12:00:00Z",
        "name": "Volunteer",
        "credentialSubject": {
            "type": ["AchievementSubject"],
            "identifier": [
                {
                    "type": "IdentityObject",
                    "identityHash": "sha256$00",
                    "identityType": "emailAddress",
                    "hashed": True,
                    "salt": "pepper",
                }
            ],
            "achievement": {
                "id": "http://aurora.localhost/ob/v3/achievements/1b1f4e4e-0000-4000-8000-000000000001",
                "type": ["Achievement"],
                "name": "Volunteer",
                "description": "Gave time.",
                "criteria": {"narrative": "Volunteer 20 hours."},
            },
        },
    }


@pytest.fixture(scope="module")
def key() -> Ed25519PrivateKey:
    return Ed25519PrivateKey.generate()


def test_base58btc_round_trips_and_keeps_leading_zeros() -> None:
    for data in [b"", b"\0", b"\0\0abc", bytes(range(40))]:
        assert b58decode(b58encode(data)) == data
    assert b58encode(b"hello world") == "StV1DL6CwTryKyV"  # a published test vector


def test_multikey_of_an_ed25519_key_starts_with_z6mk(key: Ed25519PrivateKey) -> None:
    raw = key.public_key().public_bytes_raw()
    multikey = ed25519_multikey(raw)
    assert multikey.startswith("z6Mk")
    assert ed25519_from_multikey(multikey) == raw


def test_a_signed_credential_verifies_and_its_proof_is_eddsa_rdfc_2022(
    key: Ed25519PrivateKey,
) -> None:
    signed = dataintegrity.sign(
        credential(), private_key=key, verification_method=METHOD, created=CREATED
    )
    # A list of one: 1EdTech's OB 3.0 JSON Schema accepts no bare proof object.
    assert isinstance(signed["proof"], list) and len(signed["proof"]) == 1
    proof = signed["proof"][0]
    assert proof["type"] == "DataIntegrityProof"
    assert proof["cryptosuite"] == "eddsa-rdfc-2022"
    assert proof["proofPurpose"] == "assertionMethod"
    assert proof["created"] == "2026-03-01T12:00:00Z"
    assert proof["proofValue"].startswith("z")
    assert dataintegrity.verify(signed, lambda method: key.public_key()).valid


def test_any_change_breaks_the_signature(key: Ed25519PrivateKey) -> None:
    signed = dataintegrity.sign(
        credential(), private_key=key, verification_method=METHOD, created=CREATED
    )
    tampered_name = copy.deepcopy(signed)
    tampered_name["credentialSubject"]["achievement"]["name"] = "Astronaut"
    tampered_date = copy.deepcopy(signed)
    tampered_date["validFrom"] = "2020-01-01T00:00:00Z"
    tampered_proof = copy.deepcopy(signed)
    tampered_proof["proof"][0]["created"] = "2027-01-01T00:00:00Z"
    for document in (tampered_name, tampered_date, tampered_proof):
        check = dataintegrity.verify(document, lambda method: key.public_key())
        assert not check.valid
        assert check.error == "the signature does not match the credential"


def test_a_proof_signed_as_a_bare_object_still_verifies(key: Ed25519PrivateKey) -> None:
    # Credentials stored before proofs became lists keep verifying.
    signed = dataintegrity.sign(
        credential(), private_key=key, verification_method=METHOD, created=CREATED
    )
    legacy = {**signed, "proof": signed["proof"][0]}
    assert dataintegrity.verify(legacy, lambda method: key.public_key()).valid
    two = {**signed, "proof": [signed["proof"][0], signed["proof"][0]]}
    assert dataintegrity.verify(two, lambda method: key.public_key()).error == "no proof"


def test_a_forged_signature_by_another_key_is_refused(key: Ed25519PrivateKey) -> None:
    forger = Ed25519PrivateKey.generate()
    forged = dataintegrity.sign(
        credential(), private_key=forger, verification_method=METHOD, created=CREATED
    )
    assert not dataintegrity.verify(forged, lambda method: key.public_key()).valid
    assert not dataintegrity.verify(forged, lambda method: None).valid


def test_undefined_terms_fail_instead_of_being_silently_unsigned(key: Ed25519PrivateKey) -> None:
    document = credential()
    document["credentialSubject"]["achievement"]["secretLevel"] = "gold"
    with pytest.raises(CanonicalizationError, match="secretLevel"):
        canonicalize(document)
    signed = dataintegrity.sign(
        credential(), private_key=key, verification_method=METHOD, created=CREATED
    )
    signed["credentialSubject"]["achievement"]["secretLevel"] = "gold"
    check = dataintegrity.verify(signed, lambda method: key.public_key())
    assert not check.valid
    assert "secretLevel" in check.error


def test_relative_types_are_refused() -> None:
    document = credential()
    document["credentialSubject"]["achievement"]["criteria"]["type"] = "Rubric"
    with pytest.raises(CanonicalizationError):
        canonicalize(document)


def test_contexts_are_never_fetched() -> None:
    document = credential()
    document["@context"] = [*document["@context"], "https://evil.example/context.json"]
    with pytest.raises((UnknownContextError, CanonicalizationError)):
        canonicalize(document)


def test_canonical_form_ignores_key_order() -> None:
    document = credential()
    reordered = dict(reversed(list(document.items())))
    assert canonicalize(document) == canonicalize(reordered)
