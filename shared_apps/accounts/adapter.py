"""allauth hooks: the territory-aware parts of signing up and signing in."""

from __future__ import annotations

from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from django.http import HttpRequest
from django.utils import translation

from shared_apps.accounts.actions import ensure_learner_membership


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

    def _get_login_attempts_cache_key(self, request: HttpRequest, **credentials: Any) -> str:
        """The key of the per-account limit on failed sign-ins: the address alone.

        allauth adds the site's domain, and every territory is its own site here, so
        a guesser would get a new allowance on each territory; accounts are global.
        (The rate-limit cache keys are network-wide too: shared_apps.core.cache.)"""
        return str(credentials.get("email", credentials.get("username", ""))).strip().lower()

    def send_mail(self, template_prefix: str, email: str, context: dict[str, Any]) -> None:
        """Render in the account's language (else the site's), send through the email
        task: a failing mail server is retried by a worker, the visitor never waits."""
        from shared_apps.ops.email import recipient_language, send_stored, store_message

        language = recipient_language(context.get("user"))
        with translation.override(language):
            message = self.render_mail(template_prefix, email, context)
        stored = store_message(message, language=language, purpose=template_prefix)
        # allauth's requests are not atomic: the row is committed already. Should one
        # ever be, the task retries until the row is visible.
        send_stored(stored, on_commit=False)
