"""Issuers' Ed25519 key pairs: created, encrypted at rest, rotated.

Private keys are encrypted with AES-256-GCM under a key derived (HKDF) from
settings.BADGES_KEY_SECRET, with the row's identity as associated data, so a
ciphertext copied onto another issuer's row does not decrypt. Decrypted keys exist
only in memory, for signing.
"""

from __future__ import annotations

import os
from functools import lru_cache

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from shared_apps.core.db import tenant_connection
from tenant_apps.badges.models import Issuer, IssuerKey


@lru_cache(maxsize=4)
def _aead(secret: str) -> AESGCM:
    key = HKDF(
        algorithm=hashes.SHA256(),
        length=32,
        salt=None,
        info=b"cities-of-learning/badges/issuer-keys/v1",
    ).derive(secret.encode("utf-8"))
    return AESGCM(key)


def _associated_data(issuer_id: int, number: int) -> bytes:
    return f"{tenant_connection().schema_name}:issuer:{issuer_id}:key:{number}".encode()


def _raw_private(private_key: Ed25519PrivateKey) -> bytes:
    return private_key.private_bytes(
        serialization.Encoding.Raw, serialization.PrivateFormat.Raw, serialization.NoEncryption()
    )


def raw_public(public_key: Ed25519PublicKey) -> bytes:
    return public_key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def encrypt_private_key(private_key: Ed25519PrivateKey, *, issuer_id: int, number: int) -> bytes:
    nonce = os.urandom(12)
    sealed = _aead(settings.BADGES_KEY_SECRET).encrypt(
        nonce, _raw_private(private_key), _associated_data(issuer_id, number)
    )
    return nonce + sealed


def private_key_of(key: IssuerKey) -> Ed25519PrivateKey:
    blob = bytes(key.private_key_encrypted)
    raw = _aead(settings.BADGES_KEY_SECRET).decrypt(
        blob[:12], blob[12:], _associated_data(key.issuer_id, key.number)
    )
    return Ed25519PrivateKey.from_private_bytes(raw)


def public_key_of(key: IssuerKey) -> Ed25519PublicKey:
    return Ed25519PublicKey.from_public_bytes(bytes(key.public_key))


def _new_key(issuer: Issuer, number: int) -> IssuerKey:
    private_key = Ed25519PrivateKey.generate()
    return IssuerKey.objects.create(
        issuer=issuer,
        number=number,
        public_key=raw_public(private_key.public_key()),
        private_key_encrypted=encrypt_private_key(private_key, issuer_id=issuer.pk, number=number),
    )


@transaction.atomic
def active_key(issuer: Issuer) -> IssuerKey:
    """The issuer's signing key, created on first use."""
    key = IssuerKey.objects.filter(issuer=issuer, retired_at__isnull=True).first()
    if key is not None:
        return key
    # Lock the issuer so two first awards cannot both create "key-1".
    Issuer.objects.select_for_update().get(pk=issuer.pk)
    key = IssuerKey.objects.filter(issuer=issuer, retired_at__isnull=True).first()
    if key is not None:
        return key
    last = IssuerKey.objects.filter(issuer=issuer).order_by("-number").first()
    return _new_key(issuer, 1 if last is None else last.number + 1)


@transaction.atomic
def rotate_key(issuer: Issuer) -> IssuerKey:
    """Retire the signing key and create the next one. The retired public key stays
    in the DID document, so everything it signed still verifies."""
    Issuer.objects.select_for_update().get(pk=issuer.pk)
    IssuerKey.objects.filter(issuer=issuer, retired_at__isnull=True).update(
        retired_at=timezone.now()
    )
    last = IssuerKey.objects.filter(issuer=issuer).order_by("-number").first()
    return _new_key(issuer, 1 if last is None else last.number + 1)
