"""API of a territory's playlists: published playlists with their steps (open to all),
and the signed-in learner's own progress and evidence (members of this territory
only). The same actions as the pages: a locked step is refused here too."""

from __future__ import annotations

from typing import Any, cast

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.urls import path
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import generics, serializers, status
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from shared_apps.accounts.models import User
from shared_apps.accounts.permissions import IsTerritoryMember
from tenant_apps.evidence.forms import EvidenceForm
from tenant_apps.playlists import actions, selectors
from tenant_apps.playlists.models import Playlist, Step
from tenants.models import Territory


def _territory(request: Request) -> Territory:
    territory = getattr(request, "territory", None)
    if territory is None:
        raise Http404
    return cast(Territory, territory)


class StepSerializer(serializers.ModelSerializer[Step]):
    title = serializers.CharField(source="display_title", read_only=True)
    activity = serializers.SerializerMethodField()
    remote_url = serializers.SerializerMethodField()

    class Meta:
        model = Step
        fields = [
            "id",
            "position",
            "kind",
            "title",
            "instructions",
            "is_required",
            "completion",
            "activity",
            "remote_territory",
            "remote_activity_id",
            "remote_url",
        ]

    def get_remote_url(self, step: Step) -> str | None:
        """The other city's page of a step there, while that activity is public."""
        return step.remote.url if step.remote is not None else None

    def get_activity(self, step: Step) -> dict[str, Any] | None:
        activity = step.activity
        if activity is None or not activity.is_public:
            return None
        venue = activity.venue if activity.is_local else None
        return {
            "id": activity.pk,
            "title": activity.title,
            "format": activity.format,
            "venue": None
            if venue is None
            else {
                "name": venue.name,
                "lat": round(venue.point.y, 6),
                "lon": round(venue.point.x, 6),
            },
        }


class PlaylistSerializer(serializers.ModelSerializer[Playlist]):
    interests: serializers.SlugRelatedField[Any] = serializers.SlugRelatedField(
        slug_field="slug", many=True, read_only=True
    )
    # Empty for the territory's own playlists.
    provider: serializers.SlugRelatedField[Any] = serializers.SlugRelatedField(
        slug_field="slug", read_only=True, allow_null=True
    )

    class Meta:
        model = Playlist
        fields = [
            "id",
            "title",
            "description",
            "curator",
            "provider",
            "interests",
            "is_ordered",
            "min_optional",
            "starts_on",
            "ends_on",
            "estimated_hours",
            "badge_class",
            "published_at",
        ]


class PlaylistDetailSerializer(PlaylistSerializer):
    steps = serializers.SerializerMethodField()

    class Meta(PlaylistSerializer.Meta):
        fields = [*PlaylistSerializer.Meta.fields, "steps"]

    @extend_schema_field(StepSerializer(many=True))
    def get_steps(self, playlist: Playlist) -> list[dict[str, Any]]:
        return [dict(StepSerializer(s).data) for s in selectors.steps_of(playlist)]


class PlaylistListView(generics.ListAPIView[Playlist]):
    """Published playlists; ``interest`` filters by interest slug."""

    permission_classes = [AllowAny]
    serializer_class = PlaylistSerializer

    @extend_schema(parameters=[OpenApiParameter("interest", str)])
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)

    def get_queryset(self) -> Any:
        _territory(self.request)
        return (
            selectors.public_playlists(self.request.query_params.get("interest", ""))
            .select_related("provider")
            .prefetch_related("interests")
        )


class PlaylistDetailView(generics.RetrieveAPIView[Playlist]):
    permission_classes = [AllowAny]
    serializer_class = PlaylistDetailSerializer

    def get_object(self) -> Playlist:
        _territory(self.request)
        playlist = selectors.playlist_for_viewer(int(self.kwargs["pk"]), self.request.user)
        if playlist is None:
            raise Http404
        return playlist


class ProgressStepSerializer(serializers.Serializer[Any]):
    step = serializers.IntegerField()
    state = serializers.ChoiceField(
        choices=["done", "waiting", "open", "locked", "needs_improvement", "rejected"]
    )
    reviewer_comment = serializers.CharField()
    submitted_at = serializers.DateTimeField(allow_null=True)


class ProgressSerializer(serializers.Serializer[Any]):
    playlist = serializers.IntegerField()
    joined_at = serializers.DateTimeField()
    completed_at = serializers.DateTimeField(allow_null=True)
    steps = ProgressStepSerializer(many=True)


def _progress_data(playlist: Playlist, user: User) -> dict[str, Any] | None:
    enrolment = selectors.enrolment_of(playlist, user)
    if enrolment is None or not enrolment.is_active:
        return None
    views = selectors.progress_view(playlist, selectors.steps_of(playlist), enrolment)
    return {
        "playlist": playlist.pk,
        "joined_at": enrolment.joined_at,
        "completed_at": enrolment.completed_at,
        "steps": [
            {
                "step": v.step.pk,
                "state": v.state,
                "reviewer_comment": v.progress.reviewer_comment if v.progress else "",
                "submitted_at": v.progress.submitted_at if v.progress else None,
            }
            for v in views
        ],
    }


def _playlist(request: Request, pk: int) -> Playlist:
    _territory(request)
    playlist = selectors.playlist_for_viewer(pk, request.user)
    if playlist is None:
        raise Http404
    return playlist


def _refusal(error: DjangoValidationError) -> Response:
    if hasattr(error, "error_dict"):
        return Response(error.message_dict, status=status.HTTP_400_BAD_REQUEST)
    return Response({"detail": " ".join(error.messages)}, status=status.HTTP_400_BAD_REQUEST)


class ProgressView(APIView):
    """The signed-in learner's own progress in a playlist (404 if not joined)."""

    permission_classes = [IsTerritoryMember]

    @extend_schema(responses=ProgressSerializer)
    def get(self, request: Request, pk: int) -> Response:
        data = _progress_data(_playlist(request, pk), cast(User, request.user))
        if data is None:
            raise Http404
        return Response(data)


class JoinView(APIView):
    permission_classes = [IsTerritoryMember]

    @extend_schema(request=None, responses=ProgressSerializer)
    def post(self, request: Request, pk: int) -> Response:
        playlist = _playlist(request, pk)
        user = cast(User, request.user)
        try:
            actions.join_playlist(playlist=playlist, territory=_territory(request), user=user)
        except DjangoValidationError as error:
            return _refusal(error)
        return Response(_progress_data(playlist, user), status=status.HTTP_201_CREATED)


class EvidenceInputSerializer(serializers.Serializer[Any]):
    text = serializers.CharField(required=False, allow_blank=True)
    url = serializers.URLField(required=False, allow_blank=True)
    file = serializers.FileField(required=False)


class EvidenceView(APIView):
    """Send evidence for a step (JSON, or multipart with a file). Refused with 400 and
    a message for locked steps, steps waiting or done, and check-in steps."""

    permission_classes = [IsTerritoryMember]
    parser_classes = [JSONParser, MultiPartParser, FormParser]

    @extend_schema(request=EvidenceInputSerializer, responses=ProgressSerializer)
    def post(self, request: Request, pk: int, step_id: int) -> Response:
        playlist = _playlist(request, pk)
        step = playlist.steps.filter(pk=step_id).first()
        if step is None:
            raise Http404
        form = EvidenceForm(request.data, request.FILES)
        if not form.is_valid():
            return Response(form.errors, status=status.HTTP_400_BAD_REQUEST)
        user = cast(User, request.user)
        sent = form.submission()
        try:
            actions.submit_evidence(
                playlist=playlist,
                step=step,
                territory=_territory(request),
                user=user,
                text=sent.text,
                url=sent.url,
                file=sent.file,
                content_type=sent.content_type,
            )
        except DjangoValidationError as error:
            return _refusal(error)
        return Response(_progress_data(playlist, user), status=status.HTTP_201_CREATED)


api_urlpatterns = [
    path("playlists/", PlaylistListView.as_view(), name="api-playlists"),
    path("playlists/<int:pk>/", PlaylistDetailView.as_view(), name="api-playlist"),
    path("playlists/<int:pk>/progress/", ProgressView.as_view(), name="api-playlist-progress"),
    path("playlists/<int:pk>/join/", JoinView.as_view(), name="api-playlist-join"),
    path(
        "playlists/<int:pk>/steps/<int:step_id>/evidence/",
        EvidenceView.as_view(),
        name="api-playlist-evidence",
    ),
]
