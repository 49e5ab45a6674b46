"""Typed access to django-tenants' schema switching on the default connection.

Prefer `tenant_context` / `schema_context` (django_tenants.utils) in application
code; these are for the edge (middleware) and housekeeping.
"""

from __future__ import annotations

from typing import Any, Protocol, cast

from django.db import connection


class TenantConnection(Protocol):
    schema_name: str
    tenant: Any
    include_public_schema: bool

    def set_schema_to_public(self) -> None: ...

    def set_tenant(self, tenant: Any, include_public: bool = True) -> None: ...


def tenant_connection() -> TenantConnection:
    return cast(TenantConnection, connection)
