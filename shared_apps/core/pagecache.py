"""Rendered fragments that are the same for every visitor of a territory in a language
(the home page's sections, an activity's description...), cached per territory.

Cache keys carry the schema (django_tenants.cache.make_key), the language and the
territory's *public content version*: the publish actions (activities, playlists,
badges, interests) bump it, so every fragment built from public content is dropped at
once, without listing them. FRAGMENT_SECONDS bounds what a version bump cannot see
(counts that change without a publish action, such as a badge's awards elsewhere).

Only parts that depend on nothing personal are cached: never the header (signed-in
state), messages, forms with a CSRF token or anything read from the session.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Hashable

from django.contrib import messages
from django.core.cache import cache
from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import get_language
from django_tenants.utils import schema_context

from shared_apps.core.db import tenant_connection

VERSION_KEY = "pages:public-version"
FRAGMENT_SECONDS = 300


def public_version() -> int:
    """The current schema's public content version."""
    version: int | None = cache.get(VERSION_KEY)
    if version is None:
        version = 1
        cache.add(VERSION_KEY, version, None)
    return version


def bump_public_version() -> None:
    """Drop every cached fragment of the current schema's territory (call it, in the
    territory's schema, after public content changed: on commit)."""
    try:
        cache.incr(VERSION_KEY)
    except ValueError:  # not set yet, or evicted: any new value invalidates
        cache.set(VERSION_KEY, 2, None)


def fragment_key(name: str, *parts: Hashable) -> str:
    suffix = ":".join(str(part) for part in parts)
    return f"pages:fragment:{name}:{get_language()}:{public_version()}:{suffix}"


def cached_fragment(name: str, parts: tuple[Hashable, ...], render: Callable[[], str]) -> str:
    """The fragment ``name`` for these key parts, rendered by ``render`` when missing."""
    key = fragment_key(name, *parts)
    html: str | None = cache.get(key)
    if html is None:
        html = render()
        cache.set(key, html, FRAGMENT_SECONDS)
    return html


def public_content_changed() -> None:
    """Bump the current territory's version once the transaction commits (a reader
    between the change and the commit must not cache the old content anew)."""
    schema_name = tenant_connection().schema_name
    transaction.on_commit(lambda: _bump_in(schema_name))


def _bump_in(schema_name: str) -> None:
    with schema_context(schema_name):
        bump_public_version()


def anonymous_page_key(
    request: HttpRequest, name: str, *parts: Hashable, query_params: frozenset[str] = frozenset()
) -> str | None:
    """The cache key of a whole page for this request, or None when the page must be
    rendered: only for visitors who are not signed in and with no message waiting for
    them, asking a URL without a query string, or (``query_params``: the parameters the
    page understands) only with those parameters, so that unknown ones cannot fill the
    cache. The full path is part of the key; the Host and scheme are not: pages build
    their absolute links from the territory's configured address (shared_apps.core.hosts),
    and a key from the visitor's Host header would let forged ports fill the cache."""
    if request.method != "GET" or request.user.is_authenticated:
        return None
    if any(name not in query_params for name in request.GET):
        return None
    if len(messages.get_messages(request)):  # counting does not mark them read
        return None
    territory = getattr(request, "territory", None)
    changed = territory.updated_at.timestamp() if territory is not None else 0
    path = hashlib.sha256(request.get_full_path().encode()).hexdigest()[:40]
    return fragment_key(name, changed, path, *parts)
