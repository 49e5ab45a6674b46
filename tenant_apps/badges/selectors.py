"""Reads of a territory's badges (the connection is in the territory's schema)."""

from __future__ import annotations

import uuid
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.http import Http404

from tenant_apps.badges.models import Application, Award, BadgeClass, ClaimCode, Issuer
from tenant_apps.catalogue.models import Provider, ProviderStaff
from tenant_apps.evidence.selectors import review_queue as evidence_queue


def parse_uuid(value: str) -> uuid.UUID:
    try:
        return uuid.UUID(str(value))
    except ValueError:
        raise Http404 from None


def award_by_uuid(value: str) -> Award:
    award = (
        Award.objects.select_related("badge_class__issuer", "status_list")
        .filter(uuid=parse_uuid(value))
        .first()
    )
    if award is None:
        raise Http404
    return award


def badge_by_uuid(value: str) -> BadgeClass:
    badge = BadgeClass.objects.select_related("issuer").filter(uuid=parse_uuid(value)).first()
    if badge is None:
        raise Http404
    return badge


def badge_by_slug(slug: str) -> BadgeClass | None:
    """The territory's badge class of this slug, if any (for other apps' copies)."""
    return BadgeClass.objects.filter(slug=slug).first() if slug else None


def public_badges() -> QuerySet[BadgeClass]:
    return (
        BadgeClass.objects.filter(is_archived=False, issuer__is_active=True)
        .select_related("issuer")
        .annotate(award_count=Count("awards", filter=Q(awards__revoked_at__isnull=True)))
        .order_by("name")
    )


def manageable_issuers(membership: Any) -> QuerySet[Issuer]:
    """Issuers whose badges this member may manage: every issuer for a territory
    admin; for provider staff, the issuers of the verified providers they work for
    (a provider that is suspended, or a staff member removed, loses access at once)."""
    if membership is None:
        return Issuer.objects.none()
    if membership.is_admin:
        return Issuer.objects.all()
    return Issuer.objects.filter(provider_id__in=_verified_provider_ids(membership.user_id))


def _verified_provider_ids(user_id: int) -> QuerySet[Any]:
    return ProviderStaff.objects.filter(
        user_id=user_id, provider__status=Provider.Status.VERIFIED
    ).values("provider_id")


def verified_providers_without_issuer() -> list[Any]:
    """Verified providers of the territory that have no issuer profile yet."""

    return list(
        Provider.objects.filter(status=Provider.Status.VERIFIED).exclude(
            pk__in=Issuer.objects.filter(provider_id__isnull=False).values("provider_id")
        )
    )


def manageable_badges(membership: Any) -> QuerySet[BadgeClass]:
    return BadgeClass.objects.filter(issuer__in=manageable_issuers(membership)).select_related(
        "issuer"
    )


def review_queue(membership: Any) -> QuerySet[Application]:
    """Applications waiting for this member's review: the shared queue shape
    (``tenant_apps.evidence``), oldest first, never the member's own."""
    waiting = (
        Application.objects.filter(
            status=Application.Status.SUBMITTED,
            badge_class__in=manageable_badges(membership),
        )
        .select_related("badge_class")
        .annotate(evidence_count=Count("evidence"))
    )
    if membership is None:
        return waiting.none()
    return evidence_queue(
        waiting,
        reviewer_id=membership.user_id,
        learner_field="applicant_user_id",
        submitted_field="created_at",
    )


def awards_of_user(user_id: int, email: str) -> QuerySet[Award]:
    return (
        Award.objects.filter(Q(recipient_user_id=user_id) | Q(recipient_email=email.lower()))
        .select_related("badge_class")
        .order_by("-issued_on")
    )


def applications_of_user(user_id: int) -> QuerySet[Application]:
    return (
        Application.objects.filter(applicant_user_id=user_id)
        .select_related("badge_class")
        .order_by("-created_at")
    )


def claim_codes_of(badge: BadgeClass) -> QuerySet[ClaimCode]:
    return ClaimCode.objects.filter(badge_class=badge).order_by("-created_at")
