"""Signing Open Badges 3.0 documents with an issuer's key, one or many at a time.

Large batches (a festival awarding every attendee at once) are signed by a pool of
worker processes; the private key is handed to them in memory only.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from cryptography.hazmat.primitives import serialization

from tenant_apps.badges import dataintegrity, identity
from tenant_apps.badges.keys import active_key, private_key_of
from tenant_apps.badges.models import Issuer
from tenants.models import Territory

# Below this many documents a pool costs more (process start, warm-up) than it saves.
POOL_THRESHOLD = 200


def sign_document(
    territory: Territory, issuer: Issuer, document: dict[str, Any], *, created: datetime
) -> dict[str, Any]:
    key = active_key(issuer)
    return dataintegrity.sign(
        document,
        private_key=private_key_of(key),
        verification_method=identity.verification_method(territory, issuer, key.key_id),
        created=created,
    )


def _can_use_pool() -> bool:
    # Celery's prefork workers are daemonic and may not start children.
    return (os.cpu_count() or 1) > 1 and not multiprocessing.current_process().daemon


def sign_documents(
    territory: Territory,
    issuer: Issuer,
    documents: Sequence[dict[str, Any]],
    *,
    created: datetime,
    processes: int | None = None,
) -> list[dict[str, Any]]:
    """Sign many documents with the issuer's active key (same ``created`` for all)."""
    key = active_key(issuer)
    private_key = private_key_of(key)
    method = identity.verification_method(territory, issuer, key.key_id)
    workers = processes if processes is not None else (os.cpu_count() or 1)
    if len(documents) < POOL_THRESHOLD or workers < 2 or not _can_use_pool():
        return [
            dataintegrity.sign(
                d, private_key=private_key, verification_method=method, created=created
            )
            for d in documents
        ]
    raw = private_key.private_bytes(
        serialization.Encoding.Raw, serialization.PrivateFormat.Raw, serialization.NoEncryption()
    )
    size = -(-len(documents) // workers)
    batches = [list(documents[i : i + size]) for i in range(0, len(documents), size)]
    # "spawn": a forked child would share the parent's database connections.
    with multiprocessing.get_context("spawn").Pool(workers) as pool:
        results = pool.map(
            dataintegrity.sign_batch, [(raw, method, created, batch) for batch in batches]
        )
    return [document for batch in results for document in batch]
