"""/healthz: database reachability, number of territory schemas and version."""

from __future__ import annotations

import logging

from django.conf import settings
from django.db import DatabaseError, connection
from django.http import JsonResponse

from shared_apps.core.db import tenant_connection

logger = logging.getLogger(__name__)


def health_response() -> JsonResponse:
    try:
        tenant_connection().set_schema_to_public()
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM tenants_territory")
            (schemas,) = cursor.fetchone()
    except DatabaseError:
        logger.warning("healthz: database unreachable")
        return JsonResponse(
            {
                "status": "error",
                "database": "unreachable",
                "version": settings.PLATFORM_VERSION,
            },
            status=503,
        )
    return JsonResponse(
        {
            "status": "ok",
            "database": "ok",
            "schemas": schemas,
            "version": settings.PLATFORM_VERSION,
        }
    )
