"""A provider's staff: invitations (of colleagues, and of new organisations by the
territory), accepting, revoking and removing.
"""

from __future__ import annotations

import datetime
from typing import Any

from allauth.account.models import EmailAddress
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from shared_apps.accounts.actions import ensure_learner_membership
from shared_apps.accounts.models import User
from shared_apps.audit.actions import record
from shared_apps.audit.events import AuditEvent
from shared_apps.notifications.actions import send_invitation
from tenant_apps.catalogue.actions.providers import (
    register_provider,
    sync_staff_role,
    verify_provider,
)
from tenant_apps.catalogue.invitations import VALID_DAYS, make_token
from tenant_apps.catalogue.models import (
    Provider,
    ProviderStaff,
    StaffInvitation,
    new_nonce,
)
from tenants.models import Territory

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
        action=AuditEvent.PROVIDER_STAFF_INVITED,
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
        action=AuditEvent.PROVIDER_INVITED,
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
        action=AuditEvent.PROVIDER_STAFF_ADDED,
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
        action=AuditEvent.PROVIDER_STAFF_INVITATION_REVOKED,
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
        action=AuditEvent.PROVIDER_STAFF_REMOVED,
        territory=territory,
        target=provider,
        details={"user_id": user.pk},
    )
