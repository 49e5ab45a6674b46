"""The link of a staff invitation: signed, expiring, single use, for one territory.

The token names the invitation, its current nonce and the territory's schema. It is
only accepted on the host of that territory (the schema must be the request's: an
invitation of aurora opened on borealis' host is no invitation at all, even if
borealis has a row with the same id), only until it expires, and only once: using,
resending or revoking it replaces the nonce.
"""

from __future__ import annotations

from django.core import signing

from tenant_apps.catalogue.models import StaffInvitation
from tenants.models import Territory

SALT = "catalogue.staff-invitation"
VALID_DAYS = 7


class InvalidInvitation(Exception):
    """Expired, tampered with, used, revoked, or for another territory."""


def make_token(invitation: StaffInvitation, territory: Territory) -> str:
    return signing.dumps(
        {"i": invitation.pk, "n": invitation.nonce, "s": territory.schema_name}, salt=SALT
    )


def invitation_from_token(
    token: str, *, territory: Territory, for_update: bool = False
) -> StaffInvitation:
    """The open invitation of this territory the token stands for, else InvalidInvitation."""
    try:
        payload = signing.loads(token, salt=SALT, max_age=VALID_DAYS * 86400)
    except signing.BadSignature as error:  # SignatureExpired is a BadSignature
        raise InvalidInvitation from error
    if (
        not isinstance(payload, dict)
        or not isinstance(payload.get("i"), int)
        or payload.get("s") != territory.schema_name
    ):
        raise InvalidInvitation
    queryset = StaffInvitation.objects.select_related("provider")
    if for_update:
        queryset = queryset.select_for_update(of=("self",))
    invitation = queryset.filter(pk=payload["i"], nonce=str(payload.get("n"))).first()
    if invitation is None or not invitation.is_open:
        raise InvalidInvitation
    return invitation
