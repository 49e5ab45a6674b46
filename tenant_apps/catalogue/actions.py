"""Every change to providers, venues and activities: atomic, audited where privileged,
with visibility changes announced through ``publishing`` once committed.

The territory is always passed in (resolved from the host at the edge); the rows
touched live in its schema, which the connection is already in.
"""

from __future__ import annotations

import dataclasses
import datetime
import math
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from django.contrib.gis.geos import Point
from django.core.exceptions import ValidationError
from django.core.files.base import File
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from shared_apps.accounts.actions import ensure_learner_membership, grant_membership
from shared_apps.accounts.models import Membership, User
from shared_apps.audit.actions import record
from shared_apps.core.multilingual import save_translations
from shared_apps.core.pagecache import public_content_changed
from shared_apps.notifications import actions as notifications
from shared_apps.notifications import kinds
from tenant_apps.catalogue import publishing
from tenant_apps.catalogue import schedule as sched
from tenant_apps.catalogue.indexing import remember_interest_words
from tenant_apps.catalogue.models import (
    OPEN_END,
    Activity,
    ActivitySession,
    Interest,
    InterestedLearner,
    Provider,
    ProviderStaff,
    SavedActivity,
    StaffInvitation,
    Venue,
    new_nonce,
)
from tenant_apps.catalogue.search import territory_today
from tenant_apps.catalogue.text import sanitize_html
from tenant_apps.demand.actions import log_interest
from tenants.models import Territory

# How far from the territory's centre a venue may be.
MAX_VENUE_DISTANCE_KM: dict[str, int] = {
    Territory.Kind.CITY.value: 60,
    Territory.Kind.REGION.value: 250,
}


# ---------------------------------------------------------------------------
# Providers
# ---------------------------------------------------------------------------


def unique_slug(name: str, *, taken: Iterable[str] = ()) -> str:
    base = slugify(name)[:70] or "provider"
    existing = set(taken) | set(
        Provider.objects.filter(slug__startswith=base).values_list("slug", flat=True)
    )
    slug, n = base, 2
    while slug in existing:
        slug = f"{base}-{n}"
        n += 1
    return slug


@transaction.atomic
def register_provider(
    *,
    territory: Territory,
    user: User,
    name: str,
    kind: str,
    description: str = "",
    website: str = "",
    email: str = "",
    phone: str = "",
    languages: Sequence[str] = (),
    logo: File[bytes] | None = None,
) -> Provider:
    """Someone registers their organisation from the territory's site. It waits for
    the territory admin's verification; they become its owner."""
    ensure_learner_membership(user=user, territory=territory)
    provider = Provider(
        name=name.strip(),
        slug=unique_slug(name),
        kind=kind,
        description=sanitize_html(description),
        website=website,
        email=email,
        phone=phone,
        languages=list(languages),
    )
    if logo is not None:
        provider.logo.save(logo.name or "logo", logo, save=False)
    provider.save()
    ProviderStaff.objects.create(provider=provider, user=user, role=ProviderStaff.Role.OWNER)
    record(
        actor=user,
        action="provider.registered",
        territory=territory,
        target=provider,
        details={"provider": provider.slug},
    )
    return provider


@transaction.atomic
def update_provider(
    *,
    provider: Provider,
    territory: Territory,
    acting_user: User,
    name: str,
    kind: str,
    description: str,
    website: str,
    email: str,
    phone: str,
    languages: Sequence[str],
    logo: File[bytes] | None = None,
    remove_logo: bool = False,
) -> Provider:
    renamed = provider.name != name.strip()
    provider.name = name.strip()
    provider.kind = kind
    provider.description = sanitize_html(description)
    provider.website = website
    provider.email = email
    provider.phone = phone
    provider.languages = list(languages)
    if remove_logo and provider.logo:
        provider.logo.delete(save=False)
    if logo is not None:
        provider.logo.save(logo.name or "logo", logo, save=False)
    provider.save()
    # The provider's name and logo are shown by cached page fragments.
    public_content_changed()
    if renamed:
        _refresh(territory, provider.activities.values_list("id", flat=True))
    return provider


def _set_provider_status(
    *, provider: Provider, territory: Territory, acting_user: User, status: str, reason: str
) -> Provider:
    previous = provider.status
    provider.status = status
    provider.status_reason = reason.strip()
    if status == Provider.Status.VERIFIED:
        provider.verified_at = timezone.now()
    else:
        provider.trusted = False
    provider.save(update_fields=["status", "status_reason", "verified_at", "trusted", "updated_at"])
    _refresh(territory, provider.activities.values_list("id", flat=True), content_changed=False)
    for staff in provider.staff.select_related("user"):
        sync_staff_role(user=staff.user, territory=territory, acting_user=acting_user)
    record(
        actor=acting_user,
        action=f"provider.{status}",
        territory=territory,
        target=provider,
        details={"previous": previous, "reason": provider.status_reason},
    )
    return provider


@transaction.atomic
def verify_provider(*, provider: Provider, territory: Territory, acting_user: User) -> Provider:
    """The territory admin confirms the organisation is real: its published
    activities become public and its staff get the provider staff role."""
    # A verified provider is a badge issuer: its issuer profile appears with the
    # verification, not on a later page view.
    from tenant_apps.badges.actions import ensure_provider_issuer

    provider = _set_provider_status(
        provider=provider,
        territory=territory,
        acting_user=acting_user,
        status=Provider.Status.VERIFIED,
        reason="",
    )
    ensure_provider_issuer(territory=territory, provider=provider, acting_user=acting_user)
    return provider


@transaction.atomic
def suspend_provider(
    *, provider: Provider, territory: Territory, acting_user: User, reason: str
) -> Provider:
    """Hide everything of a provider at once (kept, not deleted)."""
    if not reason.strip():
        raise ValidationError({"reason": _("Say why, so the provider knows what to fix.")})
    return _set_provider_status(
        provider=provider,
        territory=territory,
        acting_user=acting_user,
        status=Provider.Status.SUSPENDED,
        reason=reason,
    )


@transaction.atomic
def set_provider_trusted(
    *, provider: Provider, territory: Territory, acting_user: User, trusted: bool
) -> Provider:
    """Trusted providers publish without review. Only verified ones can be trusted."""
    if trusted and not provider.is_verified:
        raise ValidationError(_("Verify the provider before trusting it."))
    if provider.trusted != trusted:
        provider.trusted = trusted
        provider.save(update_fields=["trusted", "updated_at"])
        record(
            actor=acting_user,
            action="provider.trusted" if trusted else "provider.untrusted",
            territory=territory,
            target=provider,
        )
    return provider


def sync_staff_role(*, user: User, territory: Territory, acting_user: Any = None) -> None:
    """Keep the account's territory role in line with its provider work: staff of a
    verified provider are provider staff; territory admins stay admins; someone who
    no longer works for any verified provider goes back to learner."""
    membership = Membership.objects.filter(user=user, territory=territory).first()
    if membership is not None and membership.role == Membership.Role.TERRITORY_ADMIN:
        return
    works_for_verified = ProviderStaff.objects.filter(
        user=user, provider__status=Provider.Status.VERIFIED
    ).exists()
    if works_for_verified:
        grant_membership(
            user=user,
            territory=territory,
            role=Membership.Role.PROVIDER_STAFF,
            acting_user=acting_user,
        )
    elif membership is not None and membership.role == Membership.Role.PROVIDER_STAFF:
        grant_membership(
            user=user, territory=territory, role=Membership.Role.LEARNER, acting_user=acting_user
        )


# At most this many invitations of one provider wait at a time (each sends an email).
MAX_OPEN_INVITATIONS = 20
RESEND_INTERVAL = datetime.timedelta(seconds=60)


def _open_invitations(provider: Provider | None) -> Any:
    """Open invitations to the staff of ``provider``, or (None) of new providers."""
    return StaffInvitation.objects.filter(
        provider=provider, accepted_at=None, revoked_at=None, expires_at__gt=timezone.now()
    )


def _send_invitation(
    *, waiting: Any, new: StaffInvitation, territory: Territory, role: str
) -> StaffInvitation:
    """Send ``new``, or resend the open invitation among ``waiting`` (locked) that asks
    the same address: a fresh link (the earlier one stops working), a fresh expiry.
    Resending waits a minute, and at most MAX_OPEN_INVITATIONS wait at a time."""
    from tenant_apps.catalogue.invitations import VALID_DAYS

    now = timezone.now()
    invitation = waiting.select_for_update().filter(email=new.email).first()
    if invitation is None:
        if waiting.count() >= MAX_OPEN_INVITATIONS:
            raise ValidationError(_("Too many invitations are waiting. Revoke some first."))
        invitation = new
    elif now - invitation.sent_at < RESEND_INTERVAL:
        raise ValidationError(_("Wait a minute before sending again."))
    invitation.sent_at = now
    invitation.role = role
    invitation.nonce = new_nonce()
    invitation.expires_at = now + datetime.timedelta(days=VALID_DAYS)
    invitation.organisation_name = new.organisation_name
    invitation.save()
    _email_invitation(invitation=invitation, territory=territory)
    return invitation


def _email_invitation(*, invitation: StaffInvitation, territory: Territory) -> None:
    """The one place an invitation leaves: a notification to the address (email through
    the outbox after commit, in the territory's default language, and in the list of
    an account that has this address)."""
    from shared_apps.notifications.actions import send_invitation
    from tenant_apps.catalogue.invitations import VALID_DAYS, make_token

    path = reverse("catalogue:invitation", args=[make_token(invitation, territory)])
    send_invitation(
        email=invitation.email,
        territory=territory,
        path=path,
        days=VALID_DAYS,
        provider=invitation.provider.name if invitation.provider is not None else "",
        organisation=invitation.organisation_name,
    )


@transaction.atomic
def invite_provider_staff(
    *, provider: Provider, territory: Territory, acting_user: User, email: str, role: str
) -> StaffInvitation:
    """An owner invites a colleague by email; nobody is attached before they accept.

    The same happens for any address, with an account or not, a member here or not,
    so the owner learns nothing about who has an account. Inviting the same address
    again resends the link (the earlier one stops working)."""
    if role not in ProviderStaff.Role.values:
        raise ValidationError({"role": _("Choose one of the listed roles.")})
    address = email.strip().lower()
    invitation = _send_invitation(
        waiting=_open_invitations(provider),
        new=StaffInvitation(provider=provider, email=address, invited_by=acting_user),
        territory=territory,
        role=role,
    )
    record(
        actor=acting_user,
        action="provider.staff_invited",
        territory=territory,
        target=provider,
        details={"invitation_id": invitation.pk, "role": role},
    )
    return invitation


@transaction.atomic
def invite_provider(
    *, territory: Territory, acting_user: User, organisation_name: str, email: str
) -> StaffInvitation:
    """The territory admin invites an organisation to offer activities here: whoever
    accepts the emailed link (signed in with that address) becomes the owner of a new,
    verified provider of that name. Inviting the same address again resends the link."""
    name = " ".join(organisation_name.split())
    if not name:
        raise ValidationError({"organisation_name": _("This field is required.")})
    if Provider.objects.filter(name__iexact=name).exists():
        raise ValidationError({"organisation_name": _("A provider of this name is already here.")})
    invitation = _send_invitation(
        waiting=_open_invitations(None),
        new=StaffInvitation(
            organisation_name=name, email=email.strip().lower(), invited_by=acting_user
        ),
        territory=territory,
        role=ProviderStaff.Role.OWNER,
    )
    record(
        actor=acting_user,
        action="provider.invited",
        territory=territory,
        details={"invitation_id": invitation.pk},
    )
    return invitation


# Answered, withdrawn or expired invitations are deleted this long after: the address
# of someone who may never have had an account is not kept.
CLOSED_INVITATION_KEEP_DAYS = 30


def purge_closed_invitations() -> int:
    """Delete invitations closed more than CLOSED_INVITATION_KEEP_DAYS ago (nightly,
    in every territory's schema). Returns how many were deleted."""
    before = timezone.now() - datetime.timedelta(days=CLOSED_INVITATION_KEEP_DAYS)
    deleted, _per_model = StaffInvitation.objects.filter(
        Q(accepted_at__lt=before) | Q(revoked_at__lt=before) | Q(expires_at__lt=before)
    ).delete()
    return deleted


def _has_address(user: User, email: str) -> bool:
    from allauth.account.models import EmailAddress

    if user.email.lower() == email.lower():
        return True
    return EmailAddress.objects.filter(user=user, email__iexact=email, verified=True).exists()


@transaction.atomic
def accept_staff_invitation(
    *, invitation: StaffInvitation, user: User, territory: Territory
) -> ProviderStaff:
    """The invited person, signed in with the invited address, joins the provider.

    ``invitation`` must be locked and open (invitations.invitation_from_token with
    ``for_update``); it cannot be used again afterwards."""
    if not _has_address(user, invitation.email):
        raise ValidationError(
            _(
                "This invitation was sent to another email address. "
                "Sign in with the account of that address to accept it."
            )
        )
    provider = invitation.provider
    if provider is None:
        provider = _provider_from_invitation(invitation=invitation, user=user, territory=territory)
    ensure_learner_membership(user=user, territory=territory)
    staff, created = ProviderStaff.objects.get_or_create(
        provider=provider, user=user, defaults={"role": invitation.role}
    )
    if not created and staff.role != invitation.role:
        if staff.role == ProviderStaff.Role.OWNER:
            _check_other_owner(staff)
        staff.role = invitation.role
        staff.save(update_fields=["role"])
    sync_staff_role(user=user, territory=territory, acting_user=user)
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = user
    invitation.nonce = new_nonce()
    invitation.provider = provider
    invitation.save(update_fields=["accepted_at", "accepted_by", "nonce", "provider"])
    record(
        actor=user,
        action="provider.staff_added",
        territory=territory,
        target=provider,
        details={"user_id": user.pk, "role": staff.role, "invitation_id": invitation.pk},
    )
    return staff


def _provider_from_invitation(
    *, invitation: StaffInvitation, user: User, territory: Territory
) -> Provider:
    """The provider a territory's invitation stands for, created when it is accepted:
    verified at once (the territory chose to invite it), in the inviter's name."""
    provider = register_provider(
        territory=territory,
        user=user,
        name=invitation.organisation_name,
        kind=Provider.Kind.OTHER,
    )
    inviter = (
        User.objects.filter(pk=invitation.invited_by_id).first()
        if invitation.invited_by_id is not None
        else None
    )
    return verify_provider(provider=provider, territory=territory, acting_user=inviter or user)


@transaction.atomic
def revoke_staff_invitation(
    *, invitation: StaffInvitation, territory: Territory, acting_user: User
) -> None:
    """An owner withdraws a waiting invitation: its link stops working at once."""
    invitation.revoked_at = timezone.now()
    invitation.nonce = new_nonce()
    invitation.save(update_fields=["revoked_at", "nonce"])
    record(
        actor=acting_user,
        action="provider.staff_invitation_revoked",
        territory=territory,
        target=invitation.provider,
        details={"invitation_id": invitation.pk},
    )


def _check_other_owner(staff: ProviderStaff) -> None:
    others = ProviderStaff.objects.filter(
        provider_id=staff.provider_id, role=ProviderStaff.Role.OWNER
    ).exclude(pk=staff.pk)
    if not others.exists():
        raise ValidationError(_("A provider needs at least one owner. Add another owner first."))


@transaction.atomic
def remove_provider_staff(*, staff: ProviderStaff, territory: Territory, acting_user: User) -> None:
    if staff.role == ProviderStaff.Role.OWNER:
        _check_other_owner(staff)
    user, provider = staff.user, staff.provider
    staff.delete()
    sync_staff_role(user=user, territory=territory, acting_user=acting_user)
    record(
        actor=acting_user,
        action="provider.staff_removed",
        territory=territory,
        target=provider,
        details={"user_id": user.pk},
    )


# ---------------------------------------------------------------------------
# Venues
# ---------------------------------------------------------------------------


def distance_km(a: Point, b: Point) -> float:
    """Great-circle distance between two WGS84 points."""
    lat1, lon1, lat2, lon2 = map(math.radians, (a.y, a.x, b.y, b.x))
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return 2 * 6371.0088 * math.asin(math.sqrt(h))


def check_venue_point(point: Point, territory: Territory) -> None:
    """Venues lie in or near the territory: catches swapped latitude and longitude."""
    limit = MAX_VENUE_DISTANCE_KM.get(territory.kind, 60)
    if distance_km(point, territory.map_center) > limit:
        raise ValidationError(
            {
                "point": _(
                    "This place is more than %(km)d km from %(territory)s. "
                    "Check the coordinates (latitude first, then longitude)."
                )
                % {"km": limit, "territory": territory.name}
            }
        )


VENUE_FIELDS = (
    "name",
    "address",
    "neighbourhood",
    "opening_notes",
    "step_free",
    "accessible_toilet",
    "hearing_loop",
    "quiet_space",
    "accessibility_notes",
)


@transaction.atomic
def save_venue(
    *,
    provider: Provider,
    territory: Territory,
    acting_user: User,
    data: Mapping[str, Any],
    point: Point,
    venue: Venue | None = None,
) -> Venue:
    """Create or change a venue; its activities' places and accessibility follow."""
    check_venue_point(point, territory)
    if venue is None:
        venue = Venue(provider=provider)
    elif venue.provider_id != provider.pk:
        raise ValidationError(_("This venue belongs to another provider."))
    for name in VENUE_FIELDS:
        if name in data:
            setattr(venue, name, data[name])
    venue.point = point
    venue.full_clean(exclude=["provider"])
    venue.save()
    _refresh(territory, venue.activities.values_list("id", flat=True))
    return venue


@transaction.atomic
def delete_venue(*, venue: Venue, acting_user: User) -> None:
    if venue.activities.exists():
        raise ValidationError(
            _("Activities take place here. Move them to another venue before deleting it.")
        )
    venue.delete()


# ---------------------------------------------------------------------------
# Activities
# ---------------------------------------------------------------------------

ACTIVITY_FIELDS = (
    "title",
    "summary",
    "format",
    "online_url",
    "skills",
    "age_min",
    "age_max",
    "is_free",
    "price",
    "price_note",
    "voucher",
    "languages",
    "schedule_kind",
    "starts_on",
    "ends_on",
    "weekdays",
    "start_time",
    "end_time",
    "exceptions",
    "schedule_note",
    "capacity",
    "join_method",
    "join_url",
    "join_contact",
    "image_alt",
)


def _refresh(
    territory: Territory, activity_ids: Iterable[int], *, content_changed: bool = True
) -> None:
    publishing.refresh_activities(
        list(activity_ids), language=territory.default_language, content_changed=content_changed
    )


def apply_schedule(
    activity: Activity, territory: Territory, sessions: Sequence[sched.Session]
) -> None:
    """Write the schedule's index columns (days, first, last and next day)."""
    schedule = dataclasses.replace(
        activity.schedule(territory.timezone, sessions=[]), sessions=tuple(sessions)
    )
    try:
        sched.validate(schedule, complete=True)
    except sched.ScheduleError:
        # An unfinished draft's schedule: not searchable by date until completed
        # (drafts are not public anyway; submission requires a valid schedule).
        activity.days, activity.first_date, activity.last_date = [], None, None
        activity.next_date = None
        return
    columns = sched.index_columns(schedule, territory_today(territory.timezone), open_end=OPEN_END)
    activity.days = columns.days
    activity.first_date, activity.last_date = columns.first, columns.last
    activity.next_date = columns.next


@transaction.atomic
def create_activity(
    *, provider: Provider, territory: Territory, acting_user: User, title: str
) -> Activity:
    """A new draft with just a title; the editor (with autosave) fills in the rest."""
    activity = Activity(
        provider=provider,
        title=title.strip(),
        languages=[territory.default_language],
        venue=provider.venues.order_by("pk").first(),
    )
    apply_schedule(activity, territory, [])
    activity.save()
    return activity


@transaction.atomic
def update_activity(
    *,
    activity: Activity,
    territory: Territory,
    acting_user: User,
    data: Mapping[str, Any],
    description: str,
    interests: Sequence[Interest],
    sessions: Sequence[sched.Session],
    venue: Venue | None,
    image: File[bytes] | None = None,
    remove_image: bool = False,
) -> Activity:
    """Save the editor's form. Drafts stay drafts; a public activity changes at once
    (its provider is verified) and subscribers hear "changed"."""
    if venue is not None and venue.provider_id != activity.provider_id:
        raise ValidationError({"venue": _("Choose one of your own venues.")})
    for name in ACTIVITY_FIELDS:
        if name in data:
            setattr(activity, name, data[name])
    activity.venue = venue
    activity.description = sanitize_html(description)
    if remove_image and activity.image:
        activity.image.delete(save=False)
    if image is not None:
        activity.image.save(image.name or "image", image, save=False)
    apply_schedule(activity, territory, sessions)
    activity.autosave_data = None
    activity.autosaved_at = None
    activity.full_clean(
        exclude=["provider", "venue", "image", "search_vector", "rank_vector", "location"]
    )
    activity.save()
    activity.interests.set(interests)
    activity.sessions.all().delete()
    ActivitySession.objects.bulk_create(
        ActivitySession(activity=activity, starts_at=s.starts_at, ends_at=s.ends_at)
        for s in sessions
    )
    _refresh(territory, [activity.pk])
    return activity


@transaction.atomic
def save_activity_translations(
    activity: Activity, texts: dict[str, dict[str, str]], *, territory: Territory, acting_user: User
) -> None:
    """Store the activity's texts in other languages (audited) and re-index it: search
    finds an activity by its translations too (issue 16, item 8)."""
    save_translations(activity, texts, territory=territory, acting_user=acting_user)
    _refresh(territory, [activity.pk])


def autosave_activity(*, activity: Activity, data: Mapping[str, Any]) -> datetime.datetime:
    """Keep the editor's raw input (valid or not) until it is saved for real."""
    now = timezone.now()
    Activity.objects.filter(pk=activity.pk).update(autosave_data=dict(data), autosaved_at=now)
    return now


def discard_autosave(*, activity: Activity) -> None:
    Activity.objects.filter(pk=activity.pk).update(autosave_data=None, autosaved_at=None)


def publication_problems(activity: Activity, territory: Territory) -> list[str]:
    """What is missing before an activity can be shown to the public."""
    problems = []
    if not activity.summary.strip():
        problems.append(_("Write a short summary."))
    if not activity.interests.exists():
        problems.append(_("Choose at least one interest."))
    if activity.is_local and activity.venue_id is None:
        problems.append(_("Choose the venue where it takes place."))
    if activity.is_online and not activity.online_url:
        problems.append(_("Give the link to join online."))
    if activity.join_method == Activity.JoinMethod.LINK and not activity.join_url:
        problems.append(_("Give the sign-up link."))
    if activity.join_method == Activity.JoinMethod.CONTACT and not activity.join_contact:
        problems.append(_("Say whom to contact to join."))
    try:
        sched.validate(activity.schedule(territory.timezone))
    except sched.ScheduleError as error:
        problems.append(error.message)
    if activity.last_date is not None and activity.last_date < territory_today(territory.timezone):
        problems.append(_("All its dates are in the past."))
    return problems


def _status(
    activity: Activity,
    *,
    territory: Territory,
    acting_user: User,
    status: str,
    action: str,
    reason: str = "",
) -> Activity:
    previous = activity.status
    now = timezone.now()
    activity.status = status
    activity.return_reason = reason.strip()
    if status == Activity.Status.SUBMITTED:
        activity.submitted_at = now
    if status == Activity.Status.PUBLISHED and activity.published_at is None:
        activity.published_at = now
    activity.save(
        update_fields=["status", "return_reason", "submitted_at", "published_at", "updated_at"]
    )
    _refresh(territory, [activity.pk], content_changed=False)
    record(
        actor=acting_user,
        action=action,
        territory=territory,
        target=activity,
        details={"previous": previous, "status": status, "reason": activity.return_reason},
    )
    return activity


@transaction.atomic
def submit_activity(*, activity: Activity, territory: Territory, acting_user: User) -> Activity:
    """Send a draft for review, or publish it at once when the provider is trusted."""
    if activity.status not in (Activity.Status.DRAFT, Activity.Status.ARCHIVED):
        raise ValidationError(_("Only drafts can be sent for review."))
    problems = publication_problems(activity, territory)
    if problems:
        raise ValidationError(problems)
    if activity.provider.trusted and activity.provider.is_verified:
        return _status(
            activity,
            territory=territory,
            acting_user=acting_user,
            status=Activity.Status.PUBLISHED,
            action="activity.published",
        )
    return _status(
        activity,
        territory=territory,
        acting_user=acting_user,
        status=Activity.Status.SUBMITTED,
        action="activity.submitted",
    )


@transaction.atomic
def approve_activity(*, activity: Activity, territory: Territory, acting_user: User) -> Activity:
    """The territory admin publishes a submitted activity."""
    if activity.status != Activity.Status.SUBMITTED:
        raise ValidationError(_("Only activities waiting for review can be approved."))
    activity = _status(
        activity,
        territory=territory,
        acting_user=acting_user,
        status=Activity.Status.PUBLISHED,
        action="activity.approved",
    )
    _notify_provider(activity, territory, kinds.ACTIVITY_APPROVED)
    return activity


@transaction.atomic
def return_activity(
    *, activity: Activity, territory: Territory, acting_user: User, reason: str
) -> Activity:
    """The territory admin sends an activity back to its provider (also a published
    one, which leaves the public site) with a reason."""
    if not reason.strip():
        raise ValidationError({"reason": _("Say why, so the provider knows what to fix.")})
    if activity.status not in (Activity.Status.SUBMITTED, Activity.Status.PUBLISHED):
        raise ValidationError(_("Only submitted or published activities can be returned."))
    activity = _status(
        activity,
        territory=territory,
        acting_user=acting_user,
        status=Activity.Status.DRAFT,
        action="activity.returned",
        reason=reason,
    )
    _notify_provider(activity, territory, kinds.ACTIVITY_RETURNED)
    return activity


def _notify_provider(activity: Activity, territory: Territory, kind: str) -> None:
    """Tell the provider's team what the territory decided about their activity."""
    team = User.objects.filter(
        pk__in=ProviderStaff.objects.filter(provider_id=activity.provider_id).values("user_id")
    )
    notifications.notify_many(
        users=team,
        kind=kind,
        territory=territory,
        params={"title": activity.title},
        path=reverse("catalogue:edit_activity", args=[activity.provider_id, activity.pk]),
    )


@transaction.atomic
def withdraw_activity(*, activity: Activity, territory: Territory, acting_user: User) -> Activity:
    """The provider takes a submitted activity back to edit it."""
    if activity.status != Activity.Status.SUBMITTED:
        raise ValidationError(_("Only activities waiting for review can be withdrawn."))
    return _status(
        activity,
        territory=territory,
        acting_user=acting_user,
        status=Activity.Status.DRAFT,
        action="activity.withdrawn",
    )


@transaction.atomic
def archive_activity(*, activity: Activity, territory: Territory, acting_user: User) -> Activity:
    """Take an activity off the site and keep it (to run again next season)."""
    if activity.status == Activity.Status.ARCHIVED:
        return activity
    return _status(
        activity,
        territory=territory,
        acting_user=acting_user,
        status=Activity.Status.ARCHIVED,
        action="activity.archived",
    )


@transaction.atomic
def delete_activity(*, activity: Activity, territory: Territory, acting_user: User) -> None:
    was_public = activity.is_public
    pk = activity.pk
    record(
        actor=acting_user,
        action="activity.deleted",
        territory=territory,
        target=activity,
        details={"title": activity.title, "was_public": was_public},
    )
    if activity.image:
        activity.image.delete(save=False)
    activity.delete()
    if was_public:
        publishing.notify("deleted", [pk])


# ---------------------------------------------------------------------------
# Interests (the territory's taxonomy)
# ---------------------------------------------------------------------------


@transaction.atomic
def save_interest(
    *,
    territory: Territory,
    acting_user: User,
    names: Mapping[str, str],
    position: int,
    is_active: bool,
    interest: Interest | None = None,
) -> Interest:
    cleaned = {code: name.strip() for code, name in names.items() if name and name.strip()}
    if not cleaned:
        raise ValidationError(_("Give the interest a name."))
    if interest is None:
        base = slugify(cleaned.get("en") or next(iter(cleaned.values())))[:40] or "interest"
        slug, n = base, 2
        while Interest.objects.filter(slug=slug).exists():
            slug, n = f"{base}-{n}", n + 1
        interest = Interest(slug=slug)
    interest.names = {**(interest.names or {}), **cleaned}
    interest.position = position
    interest.is_active = is_active
    interest.save()
    remember_interest_words()
    # Interest names are shown by cached page fragments (shared_apps.core.pagecache).
    public_content_changed()
    _refresh(territory, interest.activities.values_list("id", flat=True))
    record(
        actor=acting_user,
        action="interest.saved",
        territory=territory,
        target=interest,
        details={"slug": interest.slug, "active": is_active},
    )
    return interest


@transaction.atomic
def adopt_interests(*, territory: Territory, items: Sequence[Mapping[str, Any]]) -> list[int]:
    """Take an interest list from the network (shared_apps.sharedtemplates): each
    ``{"slug", "names"}`` item is offered here, an existing interest of that slug
    gets the list's names (its other names stay). The adoption itself is audited by
    the caller. Returns the interests' ids."""
    touched: list[int] = []
    for position, item in enumerate(items):
        interest = Interest.objects.filter(slug=item["slug"]).first()
        if interest is None:
            interest = Interest(slug=item["slug"], position=position)
        interest.names = {**(interest.names or {}), **item["names"]}
        interest.is_active = True
        interest.save()
        touched.append(interest.pk)
    remember_interest_words()
    affected = (
        Interest.activities.through.objects.filter(interest_id__in=touched)
        .values_list("activity_id", flat=True)
        .distinct()
    )
    _refresh(territory, list(affected))
    return touched


# ---------------------------------------------------------------------------
# Learners
# ---------------------------------------------------------------------------


def save_for_later(*, user: User, activity: Activity) -> None:
    try:
        with transaction.atomic():
            SavedActivity.objects.get_or_create(user=user, activity=activity)
    except IntegrityError:
        pass  # saved twice at once: it is saved


def forget_saved(*, user: User, activity: Activity) -> None:
    SavedActivity.objects.filter(user=user, activity=activity).delete()


@transaction.atomic
def mark_interested(
    *,
    user: User,
    activity: Activity,
    share_contact: bool,
    point: tuple[float, float] | None,
) -> InterestedLearner:
    """The learner tells the provider they want to join. The demand log gets an
    anonymous line (interests and coarse cells only)."""
    from shared_apps.guardians.selectors import is_restricted

    # A minor without a guardian's consent never hands their address to a provider.
    share_contact = share_contact and not is_restricted(user)
    interested, created = InterestedLearner.objects.get_or_create(
        user=user, activity=activity, defaults={"share_contact": share_contact}
    )
    if not created and interested.share_contact != share_contact:
        interested.share_contact = share_contact
        interested.save(update_fields=["share_contact"])
    if created:
        save_for_later(user=user, activity=activity)
        venue_point = None
        if activity.location is not None:
            venue_point = (activity.location.y, activity.location.x)
        log_interest(
            activity_id=activity.pk,
            interest_slugs=activity.interests.values_list("slug", flat=True),
            point=point,
            activity_point=venue_point,
        )
    return interested


@transaction.atomic
def withdraw_interest(*, user: User, activity: Activity) -> None:
    InterestedLearner.objects.filter(user=user, activity=activity).delete()


# ---------------------------------------------------------------------------
# Imports (tenant_apps.imports): many rows at once, already validated there with
# the editor's own forms; written here so the search and schedule indexes and the
# subscribers of publishing are kept the same way as for one activity.
# ---------------------------------------------------------------------------


@dataclasses.dataclass
class ImportedActivity:
    """One activity to write: ``activity`` is new (no pk) or changed in memory."""

    activity: Activity
    interest_ids: list[int]
    sessions: list[sched.Session]


IMPORTED_ACTIVITY_COLUMNS = (
    *ACTIVITY_FIELDS,
    "description",
    "provider",
    "venue",
    "status",
    "published_at",
    "submitted_at",
    "external_source",
    "external_id",
    "days",
    "first_date",
    "last_date",
    "next_date",
    "updated_at",
)


def prepare_imported_activity(
    activity: Activity, *, territory: Territory, sessions: Sequence[sched.Session], publish: bool
) -> None:
    """Fill what the editor's save would (clean description, schedule columns, the
    status) on an activity that is not saved yet."""
    activity.description = sanitize_html(activity.description)
    apply_schedule(activity, territory, sessions)
    now = timezone.now()
    if publish:
        activity.status = Activity.Status.PUBLISHED
        activity.published_at = activity.published_at or now
    elif activity.status == Activity.Status.PUBLISHED or not activity.status:
        activity.status = Activity.Status.DRAFT
    activity.updated_at = now


@transaction.atomic
def save_imported_activities(
    *, territory: Territory, rows: Sequence[ImportedActivity]
) -> tuple[int, int]:
    """Write a batch of imported activities (new ones in one INSERT, changed ones in
    one UPDATE), their interests and sessions, then recompute their search columns
    and tell publishing's subscribers. Returns (created, updated). The caller audits
    the import as a whole (one event, not one per row)."""
    from tenant_apps.catalogue import bulk

    new = [r for r in rows if r.activity.pk is None]
    changed = [r for r in rows if r.activity.pk is not None]
    for r in rows:
        # Providers and venues of the batch may have been saved after being assigned.
        r.activity.provider_id = r.activity.provider.pk
        r.activity.venue_id = r.activity.venue.pk if r.activity.venue is not None else None
    for r in changed:
        r.activity.updated_at = timezone.now()
    # The rows and their search columns in one write (one INSERT, one UPDATE).
    visibility = bulk.write_activities(
        [r.activity for r in new],
        [r.activity for r in changed],
        IMPORTED_ACTIVITY_COLUMNS,
        interest_ids={id(r.activity): r.interest_ids for r in rows},
        language=territory.default_language,
    )
    if changed:
        changed_ids = [r.activity.pk for r in changed]
        Activity.interests.through.objects.filter(activity_id__in=changed_ids).delete()
        ActivitySession.objects.filter(activity_id__in=changed_ids).delete()
    bulk.copy_rows(
        Activity.interests.through._meta.db_table,
        ["activity_id", "interest_id"],
        ((r.activity.pk, i) for r in rows for i in dict.fromkeys(r.interest_ids)),
    )
    bulk.copy_rows(
        ActivitySession._meta.db_table,
        ["activity_id", "starts_at", "ends_at"],
        ((r.activity.pk, s.starts_at, s.ends_at) for r in rows for s in r.sessions),
    )
    publishing.announce(visibility)
    return len(new), len(changed)


@transaction.atomic
def save_imported_providers(*, territory: Territory, providers: Sequence[Provider]) -> None:
    """Write imported providers (new ones verified: the admin vouches for the file);
    the search columns of activities of changed ones follow (their names are indexed)."""
    changed = [p.pk for p in providers if p.pk is not None]
    for provider in providers:
        provider.description = sanitize_html(provider.description)
        provider.save()
    public_content_changed()
    if changed:
        _refresh(
            territory, Activity.objects.filter(provider_id__in=changed).values_list("id", flat=True)
        )


@transaction.atomic
def save_imported_venues(*, territory: Territory, venues: Sequence[Venue]) -> None:
    """Write new venues of an import (their points were checked with check_venue_point)."""
    for venue in venues:
        venue.full_clean(exclude=["provider"])
        venue.save()
