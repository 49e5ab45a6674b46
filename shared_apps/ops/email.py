"""Sending email: rendered now in the recipient's language, sent by a worker with retries.

    queue_email(
        to=[user.email],
        template_prefix="badges/email/award",   # _subject.txt, _message.txt, [_message.html]
        context={"badge_name": ..., "url": ...},
        language=recipient_language(user),
    )

The message is rendered in the request (or task) that wants it sent, in the
recipient's language, stored as an OutboundEmail in the caller's transaction (so the
email exists exactly when the change that wants it does) and sent by
``tasks.send_email`` through settings.EMAIL_BACKEND (SMTP or an anymail provider in
production, the console in development) after that transaction commits. Neither a
broker nor a mail server outage fails the caller or loses the email (outbox.relay).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage, EmailMultiAlternatives
from django.db import transaction
from django.template import TemplateDoesNotExist
from django.template.loader import render_to_string
from django.utils import translation

from shared_apps.ops.models import OutboundEmail
from shared_apps.ops.outbox import publish_emails


def recipient_language(user: Any, *, fallback: str | None = None) -> str:
    """The account's chosen language, else ``fallback``, else the active language."""
    chosen = getattr(user, "preferred_language", "") or ""
    if chosen in dict(settings.LANGUAGES):
        return chosen
    return fallback or translation.get_language() or settings.LANGUAGE_CODE


def store_message(message: EmailMessage, *, language: str, purpose: str) -> OutboundEmail:
    html = ""
    if isinstance(message, EmailMultiAlternatives):
        html = next(
            (str(content) for content, mimetype in message.alternatives if mimetype == "text/html"),
            "",
        )
    return OutboundEmail.objects.create(
        purpose=purpose[:120],
        language=language,
        from_email=message.from_email or settings.DEFAULT_FROM_EMAIL,
        to=list(message.to),
        subject=str(message.subject)[:300],
        body=str(message.body),
        html_body=html,
        headers={key: str(value) for key, value in (message.extra_headers or {}).items()},
    )


def send_stored(email: OutboundEmail, *, on_commit: bool = True) -> None:
    """Hand the stored email to a worker once the transaction that wrote it commits.

    The row is the outbox: if the broker is down, nothing fails here and the relay
    (shared_apps/ops/outbox.py) hands it over when the broker is back; if the mail
    server is down, the task retries and the relay hands it over again later.
    """
    if on_commit:
        transaction.on_commit(lambda: publish_emails([email.pk]))
    else:
        publish_emails([email.pk])


def queue_email(
    *,
    to: Sequence[str],
    template_prefix: str,
    context: dict[str, Any],
    language: str,
    from_email: str | None = None,
    purpose: str = "",
) -> OutboundEmail:
    """Render ``<prefix>_subject.txt``, ``_message.txt`` and, if present, ``_message.html``
    in ``language`` and send them once the current transaction commits. ``purpose``
    (default: the prefix) names the email in the outbox when one template serves many."""
    html: str
    with translation.override(language):
        subject = " ".join(render_to_string(f"{template_prefix}_subject.txt", context).split())
        body = render_to_string(f"{template_prefix}_message.txt", context)
        try:
            html = render_to_string(f"{template_prefix}_message.html", context)
        except TemplateDoesNotExist:
            html = ""
    message = EmailMultiAlternatives(
        subject=subject, body=body, from_email=from_email or settings.DEFAULT_FROM_EMAIL, to=to
    )
    if html:
        message.attach_alternative(html, "text/html")
    email = store_message(message, language=language, purpose=purpose or template_prefix)
    send_stored(email)
    return email
