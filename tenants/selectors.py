"""Reads about territories and their hosts (public schema)."""

from __future__ import annotations

from django.db.models import QuerySet

from tenants.models import Domain, Territory
from tenants.validation import confusable_skeleton


def territory_for_host(hostname: str) -> Territory | None:
    """The territory answering on this host; unverified custom domains never route."""
    domain = (
        Domain.objects.select_related("tenant")
        .filter(domain=hostname.lower(), is_verified=True)
        .first()
    )
    return domain.tenant if domain is not None else None


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
