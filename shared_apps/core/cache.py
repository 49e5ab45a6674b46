"""The cache key function: per territory by default, network-wide for what is global.

Keys are prefixed by the connection's schema (django_tenants.cache.make_key), so a
territory never reads another's entries. Accounts, though, are global: a limit on
failed sign-ins kept per territory would give a password guesser a fresh allowance
on every territory's site. Keys under ``NETWORK_KEY_PREFIXES`` (allauth's rate limits,
ours) get one prefix for the whole network, whatever schema the request is in.
"""

from __future__ import annotations

from typing import Any

from django_tenants.cache import make_key as tenant_make_key

# allauth's rate-limit keys ("allauth:rl:<app>:<action>:<rate>:<ip, user or key>")
# and the platform's own network-wide counters.
NETWORK_KEY_PREFIXES = ("allauth:rl:", "network:")
# Not a valid schema name (schemas are [a-z0-9_]): cannot collide with a territory.
NETWORK_PREFIX = "~network"


def make_key(key: str, key_prefix: str, version: Any) -> str:
    if key.startswith(NETWORK_KEY_PREFIXES):
        return f"{NETWORK_PREFIX}:{key_prefix}:{version}:{key}"
    return str(tenant_make_key(key, key_prefix, version))
