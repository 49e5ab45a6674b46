"""Resolves the request's host to the network site or a territory, once, at the edge.

After this middleware, ``request.territory`` is the Territory (its schema active on
the connection, its URLconf selected) or None on the network site. Any other host is
answered 404 before a view runs.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import DisallowedHost
from django.core.signals import request_finished
from django.dispatch import receiver
from django.http import Http404, HttpResponse, HttpResponseNotFound
from django.shortcuts import render
from django.urls import set_urlconf
from django.utils import translation
from django_tenants.middleware.main import TenantMainMiddleware

from shared_apps.core.hosts import network_url
from shared_apps.core.types import TerritoryRequest
from tenants.db import tenant_connection
from tenants.models import Territory
from tenants.selectors import territory_for_host


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

        territory = territory_for_host(hostname)
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
