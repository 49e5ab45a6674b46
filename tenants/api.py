"""Small API endpoints every territory answers: the territory, and who is asking."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.exceptions import PermissionDenied
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from shared_apps.accounts.permissions import IsTerritoryMember, api_membership


class TerritoryView(APIView):
    """The territory of this host: name, languages, map and branding."""

    permission_classes = [AllowAny]

    class Output(serializers.Serializer):
        slug = serializers.CharField()
        name = serializers.CharField()
        kind = serializers.CharField()
        country = serializers.CharField()
        default_language = serializers.CharField()
        languages = serializers.ListField(child=serializers.CharField())
        timezone = serializers.CharField()
        currency = serializers.CharField()
        map_center = serializers.SerializerMethodField()
        default_zoom = serializers.IntegerField()
        primary_color = serializers.CharField()
        accent_color = serializers.CharField()

        def get_map_center(self, territory: object) -> dict[str, float]:
            point = territory.map_center  # type: ignore[attr-defined]
            return {"lat": point.y, "lon": point.x}

    @extend_schema(responses=Output)
    def get(self, request: Request) -> Response:
        territory = request.territory  # type: ignore[attr-defined]
        if territory is None:
            return Response({"detail": "Not a territory's host."}, status=404)
        return Response(self.Output(territory).data)


class MeView(APIView):
    """The signed-in account's role in this territory."""

    permission_classes = [IsTerritoryMember]

    @extend_schema(
        responses=inline_serializer(
            "Me", {"role": serializers.CharField(), "territory": serializers.CharField()}
        )
    )
    def get(self, request: Request) -> Response:
        membership = api_membership(request)
        if membership is None:  # IsTerritoryMember has refused already; kept for typing
            raise PermissionDenied
        return Response({"role": membership.role, "territory": request.territory.slug})  # type: ignore[attr-defined]
