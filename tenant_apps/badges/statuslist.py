"""Bitstring Status List (W3C): the bits, their encoding, and index allocation."""

from __future__ import annotations

import base64
import gzip
import io
import secrets
from collections.abc import Iterable

from tenant_apps.badges.models import STATUS_LIST_SIZE


def empty_bits(size: int = STATUS_LIST_SIZE) -> bytes:
    return bytes(size // 8)


def with_bit(bits: bytes, index: int, value: bool) -> bytes:
    """Bit 0 is the left-most bit of the first byte, as the spec orders them."""
    data = bytearray(bits)
    mask = 0x80 >> (index % 8)
    if value:
        data[index // 8] |= mask
    else:
        data[index // 8] &= ~mask & 0xFF
    return bytes(data)


def bit_at(bits: bytes, index: int) -> bool:
    if not 0 <= index < len(bits) * 8:
        raise IndexError("status list index out of range")
    return bool(bits[index // 8] & (0x80 >> (index % 8)))


def encode_list(bits: bytes) -> str:
    """Multibase base64url (no padding) of the GZIP-compressed bitstring."""
    compressed = gzip.compress(bits, mtime=0)
    return "u" + base64.urlsafe_b64encode(compressed).rstrip(b"=").decode("ascii")


def decode_list(encoded: str) -> bytes:
    if not encoded.startswith("u"):
        raise ValueError("the encoded list must be multibase base64url ('u...')")
    body = encoded[1:]
    data = base64.urlsafe_b64decode(body + "=" * (-len(body) % 4))
    # Refuse decompression bombs: a list is at most a few MiB of bits.
    with gzip.GzipFile(fileobj=io.BytesIO(data)) as unzipped:
        bits = unzipped.read(16 * 1024 * 1024 + 1)
    if len(bits) > 16 * 1024 * 1024:
        raise ValueError("the status list is too large")
    return bits


def pick_free_indices(used: Iterable[int], count: int, size: int = STATUS_LIST_SIZE) -> list[int]:
    """Random free slots: consecutive indices would tell a verifier which awards were
    issued together (herd privacy, as the spec recommends)."""
    taken = set(used)
    if len(taken) + count > size:
        raise OverflowError("the status list is full")
    picked: list[int] = []
    while len(picked) < count:
        index = secrets.randbelow(size)
        if index not in taken:
            taken.add(index)
            picked.append(index)
    return picked
