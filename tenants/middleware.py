"""Resolves the request's host to the network site or a territory, once, at the edge.

After this middleware, ``request.territory`` is the Territory (its schema active on
the connection, its URLconf selected) or None on the network site. Any other host is
answered 404 before a view runs.
"""

from __future__ import annotations

import copy
import time
from typing import Any

from django.conf import settings
from django.core.exceptions import DisallowedHost
from django.core.signals import request_finished
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.http import Http404, HttpResponse, HttpResponseNotFound
from django.shortcuts import render
from django.urls import set_urlconf
from django.utils import translation
from django_tenants.middleware.main import TenantMainMiddleware

from shared_apps.core.db import tenant_connection
from shared_apps.core.hosts import network_url
from tenants.models import Domain, Territory
from tenants.selectors import territory_for_host
from tenants.types import TerritoryRequest

# A per-process memo of the host -> territory route in front of the shared cache: the
# route is read on every request, and even a cache hit costs a round trip to Redis and
# an unpickling. Changes made in this process clear it at once (signals below); those
# made in another process are seen after HOST_MEMO_SECONDS at most.
HOST_MEMO_SECONDS = 5.0
HOST_MEMO_MAX = 1000
_host_memo: dict[str, tuple[float, Territory | None]] = {}


def memoized_territory_for_host(hostname: str) -> Territory | None:
    now = time.monotonic()
    entry = _host_memo.get(hostname)
    if entry is None or entry[0] < now:
        if len(_host_memo) >= HOST_MEMO_MAX:
            _host_memo.clear()
        entry = (now + HOST_MEMO_SECONDS, territory_for_host(hostname))
        _host_memo[hostname] = entry
    # A copy: the request may set attributes on its territory.
    return copy.copy(entry[1]) if entry[1] is not None else None


@receiver([post_save, post_delete], sender=Territory, dispatch_uid="tenants_forget_host_memo")
@receiver([post_save, post_delete], sender=Domain, dispatch_uid="tenants_forget_host_memo_d")
def forget_host_memo(**kwargs: Any) -> None:
    _host_memo.clear()


class TerritoryMiddleware(TenantMainMiddleware):
    def process_request(self, request: TerritoryRequest) -> HttpResponse | None:
        tenant_connection().set_schema_to_public()
        request.territory = None
        try:
            hostname = self.hostname_from_request(request)
        except DisallowedHost:
            return HttpResponseNotFound()

        if hostname == settings.PLATFORM_DOMAIN:
            request.urlconf = settings.PUBLIC_SCHEMA_URLCONF
            set_urlconf(request.urlconf)
            return None

        territory = memoized_territory_for_host(hostname.lower())
        if territory is None:
            raise Http404("Unknown host")
        if territory.status in (Territory.Status.PROVISIONING, Territory.Status.ARCHIVED):
            status = 410 if territory.status == Territory.Status.ARCHIVED else 503
            with translation.override(territory.default_language):
                return render(
                    request,
                    "core/territory_unavailable.html",
                    {"territory": territory, "network_url": network_url()},
                    status=status,
                )

        territory.domain_url = hostname
        request.tenant = territory  # type: ignore[attr-defined]  # django-tenants' name
        request.territory = territory
        tenant_connection().set_tenant(territory)
        request.urlconf = settings.ROOT_URLCONF
        set_urlconf(request.urlconf)
        return None


@receiver(request_finished, dispatch_uid="tenants_reset_schema")
def reset_schema(**kwargs: Any) -> None:
    """Back to the public schema once a response is fully sent (after streaming), so
    a reused connection never starts the next piece of work in a territory's schema."""
    tenant_connection().set_schema_to_public()
