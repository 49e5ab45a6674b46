"""The territory's public catalogue as open data (machine-readable, licensed):

- ``/api/open-data/activities/``: every public activity as schema.org ``Event`` or
  ``Course`` JSON-LD, in a ``DataFeed`` with ``@context``, paged by an opaque cursor.
- ``/api/open-data/changes/``: an OpenActive RPDE ("Realtime Paged Data Exchange")
  feed of changes: items ordered by (``modified``, ``id``), ``state`` updated or
  deleted (tombstones of activities deleted or no longer public), ``next`` with
  ``afterTimestamp`` and ``afterId``; the last page's ``next`` is itself.

Public, anonymous, read-only; only public activities and nothing personal.
"""

from __future__ import annotations

import base64
import binascii
from typing import Any, cast
from urllib.parse import urlencode

from django.http import Http404
from django.urls import path, reverse
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from shared_apps.core.hosts import territory_url
from tenant_apps.opendata import selectors
from tenants.models import Territory

DEFAULT_PAGE_SIZE = 100
MAX_PAGE_SIZE = 500
# Ids and change numbers are bigints.
MAX_MARKER = 2**63 - 1


def _territory(request: Request) -> Territory:
    territory = getattr(request, "territory", None)
    if territory is None:
        raise Http404
    return cast(Territory, territory)


def _whole(request: Request, name: str, default: int, high: int, low: int = 0) -> int:
    raw = request.query_params.get(name, "")
    if raw == "":
        return default
    if not raw.isascii() or not raw.isdigit() or not low <= int(raw) <= high:
        raise serializers.ValidationError({name: [f"A whole number from {low} to {high}."]})
    return int(raw)


def encode_cursor(after_id: int) -> str:
    return base64.urlsafe_b64encode(f"a:{after_id}".encode()).decode().rstrip("=")


def decode_cursor(cursor: str) -> int:
    try:
        text = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        prefix, number = text.split(":", 1)
        if prefix != "a" or not number.isascii() or not number.isdigit():
            raise ValueError
        value = int(number)
    except (ValueError, binascii.Error, UnicodeDecodeError):
        raise serializers.ValidationError(
            {"cursor": ["Use the cursor of a next link as it is."]}
        ) from None
    if value > MAX_MARKER:
        raise serializers.ValidationError({"cursor": ["Use the cursor of a next link as it is."]})
    return value


def _licence_fields() -> dict[str, Any]:
    licence = selectors.licence()
    return {"license": licence.url, "licenseName": licence.name}


class CatalogueFeedView(APIView):
    """Every public activity of the territory as schema.org JSON-LD (an ``Event`` for
    dated activities, with an ``eventSchedule`` for weekly ones; a ``Course`` for
    always-open ones), in a ``DataFeed``. Follow ``next`` until it is null."""

    permission_classes = [AllowAny]

    @extend_schema(
        operation_id="open_data_activities",
        parameters=[
            OpenApiParameter("cursor", str, description="From the previous page's next link."),
            OpenApiParameter(
                "page_size", int, description=f"1-{MAX_PAGE_SIZE}, default {DEFAULT_PAGE_SIZE}."
            ),
        ],
        responses=inline_serializer(
            "OpenDataCatalogue",
            {
                "@context": serializers.CharField(),
                "@type": serializers.CharField(),
                "name": serializers.CharField(),
                "url": serializers.URLField(),
                "license": serializers.URLField(),
                "licenseName": serializers.CharField(),
                "dataFeedElement": serializers.ListField(child=serializers.DictField()),
                "next": serializers.URLField(allow_null=True),
            },
        ),
    )
    def get(self, request: Request) -> Response:
        territory = _territory(request)
        size = _whole(request, "page_size", DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, low=1)
        cursor = request.query_params.get("cursor", "")
        after_id = decode_cursor(cursor) if cursor else 0
        # One more than asked says whether there is a next page.
        activities = selectors.catalogue_page(after_id=after_id, size=size + 1)
        page, more = activities[:size], len(activities) > size
        base = territory_url(territory, reverse("api-open-data-activities"))
        next_link = None
        if more:
            query = {"cursor": encode_cursor(page[-1].pk)}
            if "page_size" in request.query_params:
                query["page_size"] = str(size)
            next_link = f"{base}?{urlencode(query)}"
        return Response(
            {
                "@context": "https://schema.org",
                "@type": "DataFeed",
                "name": territory.name,
                "url": base,
                **_licence_fields(),
                "dataFeedElement": list(selectors.describe_rows(page, territory).values()),
                "next": next_link,
            }
        )


class ChangesFeedView(APIView):
    """What changed in the territory's public catalogue, as an OpenActive RPDE feed
    (modified timestamp and id ordering): start without parameters, follow ``next``;
    when ``items`` is empty, ``next`` is this page again (poll it later). ``modified``
    is a change number that only grows, in the order changes were committed."""

    permission_classes = [AllowAny]

    @extend_schema(
        operation_id="open_data_changes",
        parameters=[
            OpenApiParameter(
                "afterTimestamp",
                int,
                description="The modified value of the last item read (from next).",
            ),
            OpenApiParameter(
                "afterId", int, description="The id of the last item read (with afterTimestamp)."
            ),
            OpenApiParameter(
                "limit", int, description=f"1-{MAX_PAGE_SIZE}, default {DEFAULT_PAGE_SIZE}."
            ),
        ],
        responses=inline_serializer(
            "OpenDataChanges",
            {
                "next": serializers.URLField(),
                "license": serializers.URLField(),
                "licenseName": serializers.CharField(),
                "items": serializers.ListField(child=serializers.DictField()),
            },
        ),
    )
    def get(self, request: Request) -> Response:
        territory = _territory(request)
        size = _whole(request, "limit", DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, low=1)
        after_modified = _whole(request, "afterTimestamp", 0, MAX_MARKER)
        after_id = _whole(request, "afterId", 0, MAX_MARKER)
        if "afterId" in request.query_params and "afterTimestamp" not in request.query_params:
            raise serializers.ValidationError({"afterId": ["Give afterTimestamp with it."]})
        page = selectors.changes_page(
            after_modified=after_modified, after_id=after_id, size=size, territory=territory
        )
        items: list[dict[str, Any]] = []
        for item in page:
            row: dict[str, Any] = {
                "state": item.state,
                "kind": item.kind,
                "id": item.activity_id,
                "modified": item.modified,
            }
            if item.data is not None:
                row["data"] = {"@context": "https://schema.org", **item.data}
            items.append(row)
        query: dict[str, str] = {}
        if page:
            query = {
                "afterTimestamp": str(page[-1].modified),
                "afterId": str(page[-1].activity_id),
            }
        elif "afterTimestamp" in request.query_params:
            query = {"afterTimestamp": str(after_modified), "afterId": str(after_id)}
        if "limit" in request.query_params:
            query["limit"] = str(size)
        base = territory_url(territory, reverse("api-open-data-changes"))
        response = Response(
            {
                "next": f"{base}?{urlencode(query)}" if query else base,
                **_licence_fields(),
                "items": items,
            }
        )
        # A full page may be cached a little (an item changed since reappears later in
        # the feed with its new number, so nothing is lost); the last page never is.
        response["Cache-Control"] = "public, max-age=300" if len(page) == size else "no-cache"
        return response


api_urlpatterns = [
    path("open-data/activities/", CatalogueFeedView.as_view(), name="api-open-data-activities"),
    path("open-data/changes/", ChangesFeedView.as_view(), name="api-open-data-changes"),
]
