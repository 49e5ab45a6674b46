"""Reads of the catalogue. Public reads only ever see ``is_public`` activities of
verified providers; staff reads are scoped to the providers an account works for."""

from __future__ import annotations

from typing import Any

from django.core.cache import cache
from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from shared_apps.accounts.models import Membership, User
from shared_apps.core.pagecache import FRAGMENT_SECONDS, public_version
from tenant_apps.catalogue.models import (
    Activity,
    ActivitySession,
    Interest,
    InterestedLearner,
    Provider,
    ProviderStaff,
    SavedActivity,
    StaffInvitation,
    Venue,
)

INTERESTS_KEY = "catalogue:active-interests"


def active_interests() -> list[Interest]:
    """The interests visitors filter by, kept in the cache (per territory: the key
    function carries the schema) under the public content version, which saving an
    interest bumps, like the pages showing them: every search request asked the
    database for them (issue 17)."""
    key = f"{INTERESTS_KEY}:{public_version()}"
    found: list[Interest] | None = cache.get(key)
    if found is None:
        found = list(Interest.objects.filter(is_active=True).order_by("position", "slug"))
        cache.set(key, found, FRAGMENT_SECONDS)
    return found


def all_interests() -> list[Interest]:
    return list(Interest.objects.order_by("position", "slug"))


def public_activity(pk: int) -> Activity | None:
    return (
        Activity.objects.filter(pk=pk, is_public=True)
        .select_related("provider", "venue")
        .prefetch_related("interests", "sessions")
        .first()
    )


def activity_for_preview(pk: int, user: Any, membership: Membership | None) -> Activity | None:
    """An activity as its provider's staff or the territory admin may see it, public or
    not; None for anyone else (and for ids of other territories, which do not exist
    in this schema)."""
    if not getattr(user, "is_authenticated", False):
        return None
    queryset = (
        Activity.objects.filter(pk=pk)
        .select_related("provider", "venue")
        .prefetch_related("interests", "sessions")
    )
    if membership is None or not membership.is_admin:
        queryset = queryset.filter(provider__staff__user_id=user.pk)
    return queryset.first()


def public_providers() -> QuerySet[Provider]:
    return Provider.objects.filter(status=Provider.Status.VERIFIED)


def public_provider(slug: str) -> Provider | None:
    return public_providers().filter(slug=slug).first()


def public_venues() -> QuerySet[Venue]:
    return Venue.objects.filter(provider__status=Provider.Status.VERIFIED)


def provider_public_activities(provider: Provider, limit: int = 50) -> list[Activity]:
    return list(
        Activity.objects.filter(provider=provider, is_public=True)
        .select_related("venue")
        .order_by("first_date", "id")[:limit]
    )


def providers_of(user: User) -> QuerySet[Provider]:
    return Provider.objects.filter(staff__user_id=user.pk).order_by("name")


def staff_role(user: User, provider: Provider) -> str | None:
    return (
        ProviderStaff.objects.filter(user_id=user.pk, provider=provider)
        .values_list("role", flat=True)
        .first()
    )


def provider_for_staff(
    provider_id: int, user: User, membership: Membership | None
) -> tuple[Provider, str] | None:
    """The provider and the account's role there ("owner", "editor", or "admin" for
    the territory admin, who may act for any provider), or None."""
    provider = Provider.objects.filter(pk=provider_id).first()
    if provider is None:
        return None
    role = staff_role(user, provider)
    if role is None and membership is not None and membership.is_admin:
        role = "admin"
    return (provider, role) if role else None


def provider_activities(provider: Provider) -> QuerySet[Activity]:
    return provider.activities.select_related("venue").order_by("status", "-updated_at")


def activity_status_counts(provider: Provider) -> dict[str, int]:
    return dict(
        provider.activities.values_list("status").annotate(n=Count("id")).values_list("status", "n")
    )


def staff_members(provider: Provider) -> QuerySet[ProviderStaff]:
    return provider.staff.select_related("user").order_by("role", "created_at")


def open_invitations(provider: Provider) -> QuerySet[StaffInvitation]:
    """Invitations of the provider still waiting for an answer, newest first."""
    return StaffInvitation.objects.filter(
        provider=provider, accepted_at=None, revoked_at=None, expires_at__gt=timezone.now()
    ).order_by("-created_at")


def provider_invitations() -> QuerySet[StaffInvitation]:
    """The territory's invitations of new providers still waiting for an answer."""
    return StaffInvitation.objects.filter(
        provider=None, accepted_at=None, revoked_at=None, expires_at__gt=timezone.now()
    ).order_by("-created_at")


def activity_for_editing(provider: Provider, pk: int) -> Activity | None:
    return (
        provider.activities.filter(pk=pk)
        .prefetch_related("interests", Prefetch("sessions", queryset=ActivitySession.objects.all()))
        .first()
    )


def submitted_activities() -> QuerySet[Activity]:
    return (
        Activity.objects.filter(status=Activity.Status.SUBMITTED)
        .select_related("provider")
        .order_by("submitted_at", "id")
    )


def providers_for_review() -> QuerySet[Provider]:
    return Provider.objects.annotate(
        activity_count=Count("activities"),
        published_count=Count("activities", filter=Q(activities__status="published")),
    ).order_by("status", "name")


def review_counts() -> dict[str, int]:
    return {
        "providers": Provider.objects.filter(status=Provider.Status.PENDING).count(),
        "activities": Activity.objects.filter(status=Activity.Status.SUBMITTED).count(),
    }


def saved_ids(user: Any, activity_ids: list[int]) -> set[int]:
    if not getattr(user, "is_authenticated", False) or not activity_ids:
        return set()
    return set(
        SavedActivity.objects.filter(user_id=user.pk, activity_id__in=activity_ids).values_list(
            "activity_id", flat=True
        )
    )


def saved_activities(user: User) -> list[Activity]:
    """The learner's list, newest first; activities no longer public are left out."""
    ids = SavedActivity.objects.filter(user_id=user.pk).order_by("-created_at")
    return list(
        Activity.objects.filter(pk__in=ids.values("activity_id"), is_public=True)
        .select_related("provider", "venue")
        .order_by("first_date", "id")
    )


def interest_of(user: Any, activity: Activity) -> InterestedLearner | None:
    if not getattr(user, "is_authenticated", False):
        return None
    return InterestedLearner.objects.filter(user_id=user.pk, activity=activity).first()


def interested_learners(activity: Activity) -> QuerySet[InterestedLearner]:
    return activity.interested.select_related("user").order_by("created_at")


def interested_counts(activity_ids: list[int]) -> dict[int, int]:
    return dict(
        InterestedLearner.objects.filter(activity_id__in=activity_ids)
        .values_list("activity_id")
        .annotate(n=Count("id"))
        .values_list("activity_id", "n")
    )


def submitted_by(activity: Activity) -> str:
    """Who last sent the activity for review, as the reviewer sees them (their name,
    else "account #17"); "" if nobody did (a seeded activity) or the account is gone."""
    if activity.submitted_by_id is None:
        return ""
    # Accounts live in the public schema, referenced without a constraint (models.py).
    sender = User.objects.filter(pk=activity.submitted_by_id).first()
    return str(sender) if sender is not None else ""
