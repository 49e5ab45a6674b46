"""The console's figures as JSON, for coordinators' own reporting tools. The same
scope as the pages: a coordinator's territories, or every territory for staff."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers
from rest_framework.exceptions import NotFound
from rest_framework.permissions import BasePermission
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from shared_apps.console import selectors
from shared_apps.core.figures import live_figures
from tenants.models import Territory


class IsConsoleUser(BasePermission):
    message = "Only network coordinators and platform staff may do this."

    def has_permission(self, request: Request, view: Any) -> bool:
        if getattr(request, "territory", None) is not None:
            raise NotFound
        return selectors.can_use_console(request.user)


class TerritoryFiguresOutput(serializers.Serializer):
    slug = serializers.CharField()
    name = serializers.CharField()
    status = serializers.CharField()
    plan = serializers.SerializerMethodField()
    figures = serializers.SerializerMethodField()

    def get_plan(self, territory: Territory) -> str:
        billing = getattr(territory, "billing", None)
        return billing.plan if billing is not None else ""

    def get_figures(self, territory: Territory) -> dict[str, Any] | None:
        figures = getattr(territory, "figures", None)
        if figures is None:
            return None
        return {name: getattr(figures, name) for name in selectors.FIGURE_COLUMNS} | {
            "refreshed_at": figures.refreshed_at.isoformat()
        }


class TerritoriesView(APIView):
    permission_classes = [IsConsoleUser]
    serializer_class = TerritoryFiguresOutput

    def get(self, request: Request) -> Response:
        rows = selectors.territory_rows(request.user, request.query_params.get("sort", "name"))
        return Response(TerritoryFiguresOutput(rows, many=True).data)


class TerritoryView(APIView):
    permission_classes = [IsConsoleUser]
    serializer_class = TerritoryFiguresOutput

    def get(self, request: Request, slug: str) -> Response:
        found = (
            selectors.console_territories(request.user)
            .select_related("figures", "billing")
            .filter(slug=slug)
            .first()
        )
        if found is None:
            raise NotFound
        data = dict(TerritoryFiguresOutput(found).data)
        # One territory: its figures counted now as well (the list keeps the snapshot).
        data["live"] = {figure.key: figure.value for figure in live_figures(found)}
        return Response(data)
