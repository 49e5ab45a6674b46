"""Reads about territories and their hosts (public schema)."""

from __future__ import annotations

from django.core.cache import cache
from django.db.models import QuerySet
from django_tenants.utils import schema_context

from tenants.models import Domain, Territory
from tenants.validation import confusable_skeleton

HOST_CACHE_SECONDS = 60


def _host_cache_key(hostname: str) -> str:
    return f"territory-for-host:{hostname}"


def territory_for_host(hostname: str) -> Territory | None:
    """The territory answering on this host; unverified custom domains never route.

    Cached (the lookup was a third of a home page's server time): entries are dropped
    whenever a territory or domain changes (tenants.signals), and expire anyway after
    HOST_CACHE_SECONDS, which bounds staleness where the cache is per process.
    """
    hostname = hostname.lower()
    key = _host_cache_key(hostname)
    territory: Territory | None = cache.get(key)
    if territory is not None:
        return territory
    domain = (
        Domain.objects.select_related("tenant").filter(domain=hostname, is_verified=True).first()
    )
    if domain is None:
        return None
    cache.set(key, domain.tenant, HOST_CACHE_SECONDS)
    return domain.tenant


TERRITORIES_VERSION_KEY = "territories-version"


def territories_version() -> int:
    """Changes whenever any territory changes: a key part for caches built from the
    list of territories (the network home's cards)."""
    version: int | None = cache.get(TERRITORIES_VERSION_KEY)
    if version is None:
        version = 1
        cache.add(TERRITORIES_VERSION_KEY, version, None)
    return version


def bump_territories_version() -> None:
    with schema_context("public"):
        _bump_territories_version()


def _bump_territories_version() -> None:
    try:
        cache.incr(TERRITORIES_VERSION_KEY)
    except ValueError:  # not set yet (or evicted): any new value invalidates
        cache.set(TERRITORIES_VERSION_KEY, 2, None)


def forget_hosts(hostnames: list[str]) -> None:
    # Cache keys are prefixed by the connection's schema (django_tenants.cache.make_key)
    # and routes are cached from the public schema: a change made from a territory's
    # admin area must drop the public entries.
    with schema_context("public"):
        cache.delete_many([_host_cache_key(host.lower()) for host in hostnames])


def conflicting_slug(slug: str) -> str | None:
    """The existing address equal to ``slug`` or confusable with it, if any."""
    exact = Territory.objects.filter(slug=slug).values_list("slug", flat=True).first()
    if exact is not None:
        return exact
    return (
        Territory.objects.filter(slug_skeleton=confusable_skeleton(slug))
        .values_list("slug", flat=True)
        .first()
    )


def live_territories() -> QuerySet[Territory]:
    """Territories whose sites are served, for the network site's listing."""
    return Territory.objects.filter(status__in=Territory.LIVE_STATUSES).order_by("name")
