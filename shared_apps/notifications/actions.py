"""Every write of notifications: telling people, marking read, choosing kinds.

Features call ``notify`` (or ``notify_address`` for an address that may have no
account yet) from inside their own action's transaction: the notification row and its
email (an outbox row, sent after commit: shared_apps.ops.email) exist exactly when the
change that caused them does. Tenant apps call these; this app imports none of theirs.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation

from shared_apps.accounts.models import User
from shared_apps.accounts.selectors import is_card_account
from shared_apps.audit.actions import record
from shared_apps.audit.events import AuditEvent
from shared_apps.core.hosts import network_url, territory_url
from shared_apps.notifications import kinds
from shared_apps.notifications.kinds import KINDS, get_kind
from shared_apps.notifications.models import Notification, Preference
from shared_apps.ops.email import queue_email, recipient_language
from tenants.branding import email_branding
from tenants.models import Territory

EMAIL_TEMPLATE = "notifications/email/notification"


def link_for(territory: Territory | None, path: str) -> str:
    """The absolute link of a notification: on its own territory's host."""
    if not path:
        return ""
    return territory_url(territory, path) if territory is not None else network_url(path)


def _language(user: User | None, territory: Territory | None) -> str:
    """The reader's language: the account's, else the territory's default."""

    fallback = territory.default_language if territory is not None else settings.LANGUAGE_CODE
    if user is None:
        return fallback
    return recipient_language(user, fallback=fallback)


def _can_email(user: User) -> bool:
    # A code-card account's address is a placeholder that no one reads.
    return bool(user.email) and not is_card_account(user)


def _queue(
    *,
    to: str,
    user: User | None,
    kind: str,
    territory: Territory | None,
    params: Mapping[str, Any],
    path: str,
) -> None:
    language = _language(user, territory)
    spec = get_kind(kind)
    account_path = reverse("guardians:account")
    with translation.override(language):
        context = {
            **email_branding(territory),
            "name": user.display_name if user is not None else "",
            "sentence": spec.text(dict(params)),
            "detail": spec.detail_text(dict(params)),
            "link": link_for(territory, path),
            # Where the reader turns kinds off (none to offer for mandatory ones).
            "preferences_url": link_for(territory, account_path) + "#notifications"
            if user is not None and spec.optional
            else "",
        }
    queue_email(
        to=[to],
        template_prefix=EMAIL_TEMPLATE,
        context=context,
        language=language,
        purpose=f"notifications/{kind}",
    )


@transaction.atomic
def notify_many(
    *,
    users: Iterable[User],
    kind: str,
    territory: Territory | None,
    params: Mapping[str, Any],
    path: str = "",
) -> list[Notification]:
    """Tell each person, in the app and by email, as each one chose for this kind.

    ``params`` name only things every one of them may see; ``path`` is on the
    territory's host. Returns the in-app notifications made."""
    spec = get_kind(kind)
    people = [user for user in users if user.is_active]
    if not people:
        return []
    choices: dict[int, Preference] = {}
    if spec.optional:
        choices = {
            preference.user_id: preference
            for preference in Preference.objects.filter(
                user__in=[user.pk for user in people], kind=kind
            )
        }
    rows = []
    for user in people:
        preference = choices.get(user.pk)
        if preference is None or preference.in_app:
            rows.append(
                Notification(
                    user=user, territory=territory, kind=kind, params=dict(params), path=path
                )
            )
        if (preference is None or preference.email) and _can_email(user):
            _queue(
                to=user.email, user=user, kind=kind, territory=territory, params=params, path=path
            )
    return Notification.objects.bulk_create(rows)


def notify(
    *,
    user: User,
    kind: str,
    territory: Territory | None,
    params: Mapping[str, Any],
    path: str = "",
) -> Notification | None:
    """``notify_many`` for one person; None when they turned the in-app list off."""
    created = notify_many(users=[user], kind=kind, territory=territory, params=params, path=path)
    return created[0] if created else None


@transaction.atomic
def notify_address(
    *,
    email: str,
    kind: str,
    territory: Territory | None,
    params: Mapping[str, Any],
    path: str,
) -> None:
    """Tell an address that may not have an account yet (an invitation).

    With an account: as ``notify`` (its language, its choices, the in-app list too).
    Without: an email in the territory's default language. The caller's answer must
    not depend on which happened (it tells nobody who has an account)."""
    address = email.strip().lower()
    user = User.objects.filter(email__iexact=address, is_active=True).first()
    if user is not None:
        notify(user=user, kind=kind, territory=territory, params=params, path=path)
        return
    _queue(to=address, user=None, kind=kind, territory=territory, params=params, path=path)


def send_invitation(
    *,
    email: str,
    territory: Territory,
    path: str,
    days: int,
    provider: str = "",
    organisation: str = "",
) -> None:
    """An invitation for provider people, inside the inviting action's transaction.

    With ``provider``: to join that provider's team (catalogue's StaffInvitation);
    with ``organisation`` instead: to add that organisation to the territory (a new
    provider; the name the inviter typed, so the invitee knows what it is). ``path`` is
    the signed acceptance link on the territory's host. The inviter learns nothing
    about whether the address has an account."""
    notify_address(
        email=email,
        kind=kinds.PROVIDER_INVITED if provider else kinds.ORGANISATION_INVITED,
        territory=territory,
        params={"provider": provider or organisation, "site": territory.name, "days": days},
        path=path,
    )


def mark_read(*, user: Any, notification_id: int) -> bool:
    """Mark one of the person's notifications read; False if it is not theirs."""
    found = Notification.objects.filter(user_id=user.pk, pk=notification_id)
    if not found.exists():
        return False
    found.filter(read_at__isnull=True).update(read_at=timezone.now())
    return True


def mark_all_read(*, user: Any) -> int:
    return Notification.objects.filter(user_id=user.pk, read_at__isnull=True).update(
        read_at=timezone.now()
    )


@transaction.atomic
def save_preferences(*, user: Any, choices: Mapping[str, tuple[bool, bool]]) -> None:
    """``choices`` maps a kind to (email, in_app). Kinds that cannot be turned off
    are ignored; a kind with both channels on keeps no row."""
    for kind, (email, in_app) in choices.items():
        if kind not in KINDS or not KINDS[kind].optional:
            continue
        if email and in_app:
            Preference.objects.filter(user_id=user.pk, kind=kind).delete()
        else:
            Preference.objects.update_or_create(
                user_id=user.pk, kind=kind, defaults={"email": email, "in_app": in_app}
            )
    record(
        actor=user,
        action=AuditEvent.NOTIFICATIONS_PREFERENCES_SAVED,
        details={"off": sorted(k for k, (e, i) in choices.items() if not (e and i))},
    )
