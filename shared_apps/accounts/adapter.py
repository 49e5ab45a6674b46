"""allauth hooks: the territory-aware parts of signing up and signing in."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any
from urllib.parse import urlencode

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context as allauth_context
from django.conf import settings
from django.core.mail import EmailMessage, EmailMultiAlternatives
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext

from shared_apps.accounts.actions import ensure_learner_membership, sign_out_everywhere
from shared_apps.accounts.sso import request_host
from shared_apps.core.hosts import absolute_url, network_url, rebase
from shared_apps.ops import email as ops_email
from tenants.branding import email_branding


class AccountAdapter(DefaultAccountAdapter):
    def login(self, request: HttpRequest, user: Any) -> None:
        super().login(request, user)
        # Signing in on a territory site makes the account a learner there (staff
        # roles are only ever granted explicitly).
        territory = getattr(request, "territory", None)
        if territory is not None:
            request.membership = ensure_learner_membership(  # type: ignore[attr-defined]
                user=user, territory=territory
            )

    def post_login(self, request: HttpRequest, user: Any, **kwargs: Any) -> HttpResponse:
        """After a sign-in on a territory, the network site takes the session too (one
        hop, shared_apps.accounts.sso), then the browser goes where allauth meant."""
        response = super().post_login(request, user, **kwargs)
        territory = getattr(request, "territory", None)
        if territory is None or not isinstance(response, HttpResponseRedirect):
            return response
        target = response["Location"]
        if not target.startswith("/") or target.startswith("//"):
            return response
        hub = network_url(
            "/accounts/sso/start/?"
            + urlencode({"from": request_host(request), "next": absolute_url(request, target)})
        )
        response["Location"] = hub
        return response

    def logout(self, request: HttpRequest) -> None:
        """Signing out on any host signs the account out on every host."""
        user = request.user
        if user.is_authenticated:
            sign_out_everywhere(user=user)
        super().logout(request)

    def get_reset_password_from_key_url(self, key: str) -> str:
        return rebase(self.request, super().get_reset_password_from_key_url(key))

    def get_email_confirmation_url(self, request: HttpRequest, emailconfirmation: Any) -> str:
        return rebase(request, super().get_email_confirmation_url(request, emailconfirmation))

    def _site(self, request: HttpRequest | None) -> SimpleNamespace:
        territory = getattr(request, "territory", None)
        if territory is not None:
            return SimpleNamespace(name=territory.name, domain=territory.host)
        return SimpleNamespace(name=gettext("Cities of Learning"), domain=settings.PLATFORM_DOMAIN)

    def format_email_subject(self, subject: str) -> str:
        """ "[Aurora] Confirm your address", not the host the request came to."""

        request = getattr(allauth_context, "request", None) or self.request
        return f"[{self._site(request).name}] {subject}"

    def _get_login_attempts_cache_key(self, request: HttpRequest, **credentials: Any) -> str:
        """The key of the per-account limit on failed sign-ins: the address alone.

        allauth adds the site's domain, and every territory is its own site here, so
        a guesser would get a new allowance on each territory; accounts are global.
        (The rate-limit cache keys are network-wide too: shared_apps.core.cache.)"""
        return str(credentials.get("email", credentials.get("username", ""))).strip().lower()

    def send_mail(self, template_prefix: str, email: str, context: dict[str, Any]) -> None:
        """Render in the account's language (else the site's), send through the email
        outbox: a failing mail server or broker is retried later, the visitor never
        waits and never sees an error.

        Every link allauth put in the context (activate_url, password_reset_url,
        signup_url...) was built from the request's Host and scheme: moved onto the
        site's configured address, so a forged Host or X-Forwarded-Proto is never
        mailed back."""
        request = context.get("request") or self.request
        if request is not None:
            context = {
                key: rebase(request, value)
                if key.endswith("_url") and isinstance(value, str) and "://" in value
                else value
                for key, value in context.items()
            }

        territory = getattr(request, "territory", None)
        # The visitor is on the page that asked for this mail: without a language of
        # the account's own, the one they are reading in.
        language = ops_email.recipient_language(context.get("user"))
        with translation.override(language):
            # allauth's own send_mail puts the site in the context ("Hello from
            # {{ current_site.name }}!"); ours replaces it, so name the site here: the
            # territory (Sites is not installed: its RequestSite would say the host).
            context = {"current_site": self._site(request), **context}
            message = self.render_mail(template_prefix, email, context)
            _attach_branded_html(message, territory)
        # Sign-up runs in one transaction (shared_apps/accounts/urls.py): the account
        # and its confirmation email are stored together, or neither is.
        stored = ops_email.store_message(message, language=language, purpose=template_prefix)
        ops_email.send_stored(stored)


def _attach_branded_html(message: EmailMessage, territory: Any) -> None:
    """allauth's emails are plain text: add the site's branded HTML form of the same
    text (name and colours of the territory), as our own emails have."""
    if not isinstance(message, EmailMultiAlternatives) or message.alternatives:
        return
    html = render_to_string(
        "notifications/email/text_message.html",
        {**email_branding(territory), "text": message.body},
    )
    message.attach_alternative(html, "text/html")
