"""Public read API of a territory's catalogue: activities (filterable like the page),
providers, venues, interests and the map layer. Read-only; only public data (published
activities of verified providers) is ever served."""

from __future__ import annotations

from typing import Any, cast

import django_filters  # type: ignore[import-untyped]  # stubs need django-stubs 6
from django.db import transaction
from django.db.models import QuerySet
from django.http import Http404
from django.urls import path
from django_filters.rest_framework import DjangoFilterBackend  # type: ignore[import-untyped]
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import generics, serializers
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from shared_apps.core.hosts import territory_url
from shared_apps.core.searchterms import query_terms
from tenant_apps.catalogue import maplayer, selectors
from tenant_apps.catalogue import schedule as sched
from tenant_apps.catalogue.fields import api_fields, copied_fields
from tenant_apps.catalogue.filters import FilterForm, Filters
from tenant_apps.catalogue.models import Activity, Interest, Provider, Venue
from tenant_apps.catalogue.search import (
    CARD_FIELDS,
    apply_filters,
    current,
    index_friendly_planner,
    read_alias,
    search,
    search_configs,
    territory_today,
)
from tenant_apps.demand.actions import queue_search
from tenant_apps.demand.models import SearchEvent
from tenants.models import Territory

MAX_PAGE_SIZE = 100

FILTER_PARAMETERS = [
    OpenApiParameter(
        "q",
        str,
        description=(
            "Free text (at most 200 characters), in the territory's language, the"
            " request's (Accept-Language) or any other."
        ),
    ),
    OpenApiParameter("interest", str, many=True, description="Interest slugs (any of them)."),
    OpenApiParameter("age", int, description="The learner's age."),
    OpenApiParameter("cost", str, many=True, enum=["free", "voucher"]),
    OpenApiParameter("format", str, many=True, enum=["local", "online", "hybrid"]),
    OpenApiParameter(
        "when", str, enum=["today", "weekend", "week", "month", "range"], description="Dates."
    ),
    OpenApiParameter("date_from", OpenApiTypes.DATE, description="Within three years of today."),
    OpenApiParameter(
        "date_to",
        OpenApiTypes.DATE,
        description="At most 366 days after date_from (or today); within three years of today.",
    ),
    OpenApiParameter("near", str, description="lat,lon of the point to search around."),
    OpenApiParameter("radius", int, enum=[1, 2, 5, 10, 25], description="Kilometres."),
    OpenApiParameter("lang", str, many=True, description="Languages of instruction."),
    OpenApiParameter(
        "access",
        str,
        many=True,
        enum=["step_free", "accessible_toilet", "hearing_loop", "quiet_space"],
    ),
    OpenApiParameter("provider", str, description="Provider slug."),
    OpenApiParameter("venue", int, description="Venue id."),
]


class _NoFormatOverride:
    URL_FORMAT_OVERRIDE = None


class FormatIsAFilter(DefaultContentNegotiation):
    """``?format=online`` filters activities here (as on the page); it must not be
    taken for DRF's choice of renderer. Clients choose JSON with the Accept header."""

    settings = _NoFormatOverride()  # type: ignore[assignment]


def _territory(request: Request) -> Territory:
    territory = getattr(request, "territory", None)
    if territory is None:
        raise Http404
    return cast(Territory, territory)


def _filters(request: Request, interests: list[Interest], territory: Territory) -> Filters:
    form = FilterForm(
        request.query_params,
        interests=interests,
        languages=territory.languages,
        today=territory_today(territory.timezone),
    )
    if not form.is_valid():
        raise serializers.ValidationError(form.errors.get_json_data())
    return form.filters()


def _int_param(request: Request, name: str, default: int, low: int, high: int) -> int:
    raw = request.query_params.get(name) or ""
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise serializers.ValidationError({name: ["A whole number is required."]}) from None
    if not low <= value <= high:
        raise serializers.ValidationError({name: [f"Must be between {low} and {high}."]})
    return value


class InterestSerializer(serializers.ModelSerializer[Interest]):
    name = serializers.CharField(read_only=True)

    class Meta:
        model = Interest
        fields = ["id", "slug", "name", "names"]


class ProviderRefSerializer(serializers.ModelSerializer[Provider]):
    class Meta:
        model = Provider
        fields = ["id", "slug", "name"]


class VenueSerializer(serializers.ModelSerializer[Venue]):
    lat = serializers.SerializerMethodField()
    lon = serializers.SerializerMethodField()
    accessibility = serializers.ListField(child=serializers.CharField(), read_only=True)
    provider: serializers.SlugRelatedField[Provider] = serializers.SlugRelatedField(
        slug_field="slug", read_only=True
    )

    class Meta:
        model = Venue
        fields = [
            "id",
            "name",
            "address",
            "neighbourhood",
            "lat",
            "lon",
            "opening_notes",
            "accessibility",
            "accessibility_notes",
            "provider",
        ]

    def get_lat(self, venue: Venue) -> float:
        return round(venue.point.y, 6)

    def get_lon(self, venue: Venue) -> float:
        return round(venue.point.x, 6)


class ProviderSerializer(serializers.ModelSerializer[Provider]):
    logo = serializers.ImageField(read_only=True)

    class Meta:
        model = Provider
        fields = [
            "id",
            "slug",
            "name",
            "kind",
            "description",
            "website",
            "email",
            "phone",
            "languages",
            "logo",
        ]


class ActivitySerializer(serializers.ModelSerializer[Activity]):
    url = serializers.SerializerMethodField()
    provider = ProviderRefSerializer(read_only=True)
    venue = serializers.SerializerMethodField()
    interests = serializers.SerializerMethodField()
    # Empty for free activities.
    price = serializers.DecimalField(
        max_digits=8, decimal_places=2, read_only=True, allow_null=True
    )
    currency = serializers.SerializerMethodField()
    schedule = serializers.SerializerMethodField()
    next_date = serializers.SerializerMethodField()
    distance_m = serializers.SerializerMethodField()
    image = serializers.ImageField(read_only=True)

    class Meta:
        model = Activity
        # The spec's (tenant_apps/catalogue/fields.py): its order is the JSON's.
        fields = api_fields()

    def _territory(self) -> Territory:
        return cast(Territory, self.context["territory"])

    def get_url(self, activity: Activity) -> str:
        return territory_url(self._territory(), activity.get_absolute_url())

    def get_venue(self, activity: Activity) -> dict[str, Any] | None:
        venue = activity.venue
        if venue is None or not activity.is_local:
            return None
        return {"id": venue.pk, "name": venue.name, "neighbourhood": venue.neighbourhood}

    def get_interests(self, activity: Activity) -> list[str]:
        by_id: dict[int, Interest] = self.context["interests_by_id"]
        return [by_id[i].slug for i in activity.interest_ids or () if i in by_id]

    def get_currency(self, activity: Activity) -> str:
        return self._territory().currency

    def get_schedule(self, activity: Activity) -> dict[str, Any]:
        return {
            "kind": activity.schedule_kind,
            "starts_on": activity.starts_on,
            "ends_on": activity.ends_on,
            "weekdays": activity.weekdays,
            "start_time": activity.start_time,
            "end_time": activity.end_time,
            "exceptions": activity.exceptions,
            "note": activity.schedule_note,
        }

    def get_next_date(self, activity: Activity) -> Any:
        return activity.next_date

    def get_distance_m(self, activity: Activity) -> float | None:
        distance = getattr(activity, "distance", None)
        return round(distance.m) if distance is not None else None


class ActivityDetailSerializer(ActivitySerializer):
    description = serializers.CharField(read_only=True)
    sessions = serializers.SerializerMethodField()
    venue_detail = serializers.SerializerMethodField()

    class Meta(ActivitySerializer.Meta):
        fields = api_fields(detail=True)

    def get_sessions(self, activity: Activity) -> list[dict[str, Any]]:
        return [{"starts_at": s.starts_at, "ends_at": s.ends_at} for s in activity.sessions.all()]

    def get_venue_detail(self, activity: Activity) -> dict[str, Any] | None:
        if activity.venue is None or not activity.is_local:
            return None
        return dict(VenueSerializer(activity.venue).data)

    def get_next_date(self, activity: Activity) -> Any:
        schedule = activity.schedule(self._territory().timezone, list(activity.sessions.all()))
        upcoming = sched.occurrences(
            schedule, start=territory_today(self._territory().timezone), limit=1
        )
        return upcoming[0].day if upcoming else None


# The list's columns, loaded in the page query (a deferred column would cost a query
# per activity): the card's, and every column the editor writes as is (the list shows
# them all, the schedule_* ones inside "schedule"; the description is the detail's).
API_LIST_FIELDS = (
    *CARD_FIELDS,
    *(name for name in copied_fields() if name not in CARD_FIELDS),
    "provider__id",
    "venue__id",
)


class ActivityListView(APIView):
    """Published activities, filtered and sorted like the activities page."""

    permission_classes = [AllowAny]
    content_negotiation_class = FormatIsAFilter

    @extend_schema(
        operation_id="activities_list",
        parameters=[
            *FILTER_PARAMETERS,
            OpenApiParameter(
                "sort", str, enum=["relevance", "date", "distance", "new"], description="Order."
            ),
            OpenApiParameter("page", int),
            OpenApiParameter("page_size", int, description=f"1-{MAX_PAGE_SIZE}, default 20."),
        ],
        responses=inline_serializer(
            "ActivityPage",
            {
                "count": serializers.IntegerField(
                    help_text="Exact up to 1,000; 1,001 means more than 1,000."
                ),
                "next": serializers.URLField(allow_null=True),
                "previous": serializers.URLField(allow_null=True),
                "corrected_query": serializers.CharField(),
                "results": ActivitySerializer(many=True),
            },
        ),
    )
    def get(self, request: Request) -> Response:
        territory = _territory(request)
        interests = selectors.active_interests()
        filters = _filters(request, interests, territory)
        page_number = _int_param(request, "page", 1, 1, 500)
        page_size = _int_param(request, "page_size", 20, 1, MAX_PAGE_SIZE)
        page = search(
            filters=filters,
            language=territory.default_language,
            tz_name=territory.timezone,
            interests=interests,
            page=page_number,
            per_page=page_size,
            fields=API_LIST_FIELDS,
            visitor_language=getattr(request, "LANGUAGE_CODE", ""),
        )
        if page_number == 1 and not filters.is_empty:
            queue_search(
                terms=filters.q,
                filters=filters.for_log(),
                result_count=page.total,
                point=filters.near,
                source=SearchEvent.Source.API,
            )
        context = {
            "request": request,
            "territory": territory,
            "interests_by_id": page.interests_by_id,
        }

        def link(number: int) -> str:
            query = request.query_params.copy()
            query["page"] = str(number)
            return territory_url(territory, f"{request.path}?{query.urlencode()}")

        return Response(
            {
                "count": page.total,
                "next": link(page.number + 1) if page.has_next else None,
                "previous": link(page.number - 1) if page.has_previous else None,
                "corrected_query": page.corrected,
                "results": ActivitySerializer(page.items, many=True, context=context).data,
            }
        )


class ActivityDetailView(APIView):
    permission_classes = [AllowAny]

    @extend_schema(responses=ActivityDetailSerializer)
    def get(self, request: Request, pk: int) -> Response:
        territory = _territory(request)
        activity = selectors.public_activity(pk)
        if activity is None:
            raise Http404
        context = {
            "request": request,
            "territory": territory,
            "interests_by_id": {i.pk: i for i in activity.interests.all()},
        }
        return Response(ActivityDetailSerializer(activity, context=context).data)


class ProviderFilter(django_filters.FilterSet):
    """The providers list's filters (django-filter: validated by a form, documented in
    the OpenAPI schema by drf-spectacular from the same declaration)."""

    q = django_filters.CharFilter(method="by_name", help_text="Part of the name.")
    kind = django_filters.ChoiceFilter(
        choices=Provider.Kind.choices, error_messages={"invalid_choice": "Unknown kind."}
    )

    class Meta:
        model = Provider
        fields: list[str] = []

    def by_name(self, queryset: QuerySet[Provider], name: str, value: str) -> QuerySet[Provider]:
        return queryset.filter(name__unaccent__icontains=value[:100])


class ProviderListView(generics.ListAPIView[Provider]):
    """Verified providers, by name. ``q`` filters by name."""

    permission_classes = [AllowAny]
    serializer_class = ProviderSerializer
    filter_backends = [DjangoFilterBackend]
    filterset_class = ProviderFilter

    def get_queryset(self) -> Any:
        return selectors.public_providers().order_by("name", "id")


class ProviderDetailView(generics.RetrieveAPIView[Provider]):
    permission_classes = [AllowAny]
    serializer_class = ProviderSerializer
    lookup_field = "slug"

    def get_queryset(self) -> Any:
        return selectors.public_providers()


class VenueFilter(django_filters.FilterSet):
    provider = django_filters.CharFilter(field_name="provider__slug", help_text="Provider slug.")

    class Meta:
        model = Venue
        fields: list[str] = []


class VenueListView(generics.ListAPIView[Venue]):
    """Venues of verified providers. ``provider`` filters by provider slug."""

    permission_classes = [AllowAny]
    serializer_class = VenueSerializer
    filter_backends = [DjangoFilterBackend]
    filterset_class = VenueFilter

    def get_queryset(self) -> Any:
        return selectors.public_venues().select_related("provider").order_by("name", "id")


class InterestListView(generics.ListAPIView[Interest]):
    """The territory's interest taxonomy (names in every language it has)."""

    permission_classes = [AllowAny]
    serializer_class = InterestSerializer
    pagination_class = None

    def get_queryset(self) -> Any:
        return Interest.objects.filter(is_active=True).order_by("position", "slug")


class MapLayerView(APIView):
    """What the map shows for a box: clusters (low zoom, many activities) or places
    with their activities. Takes the activities' filters too."""

    permission_classes = [AllowAny]
    content_negotiation_class = FormatIsAFilter

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "bbox", str, required=True, description="west,south,east,north in degrees."
            ),
            OpenApiParameter("zoom", int, required=True, description="Map zoom, 0-20."),
            *FILTER_PARAMETERS,
        ],
        responses=OpenApiTypes.OBJECT,
    )
    def get(self, request: Request) -> Response:
        territory = _territory(request)
        try:
            bbox = maplayer.BBox.parse(request.query_params.get("bbox", ""))
        except ValueError:
            raise serializers.ValidationError(
                {"bbox": ["Give the box as west,south,east,north in degrees."]}
            ) from None
        zoom = _int_param(request, "zoom", -1, 0, 20)
        if zoom < 0:
            raise serializers.ValidationError({"zoom": ["This parameter is required."]})
        interests = selectors.active_interests()
        filters = _filters(request, interests, territory)
        today = territory_today(territory.timezone)
        terms = query_terms(filters.q)
        queryset = apply_filters(
            # Free text: the GIN drives the query, not a partial index (search.current).
            current(today, text_search=bool(terms)),
            filters,
            interests=interests,
            today=today,
            terms=terms,
            configs=search_configs(
                territory.default_language, getattr(request, "LANGUAGE_CODE", "")
            ),
        )
        alias = read_alias()
        with transaction.atomic(using=alias):
            index_friendly_planner(text_search=bool(terms), using=alias)
            data = maplayer.layer(
                queryset, bbox, zoom, unfiltered_on=today if filters.is_empty else None
            )
        response = Response(data)
        response["Cache-Control"] = "public, max-age=60"
        return response


api_urlpatterns = [
    path("activities/", ActivityListView.as_view(), name="api-activities"),
    path("activities/<int:pk>/", ActivityDetailView.as_view(), name="api-activity"),
    path("providers/", ProviderListView.as_view(), name="api-providers"),
    path("providers/<slug:slug>/", ProviderDetailView.as_view(), name="api-provider"),
    path("venues/", VenueListView.as_view(), name="api-venues"),
    path("interests/", InterestListView.as_view(), name="api-interests"),
    path("map/", MapLayerView.as_view(), name="api-map"),
]
