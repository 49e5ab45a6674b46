"""Keyed digests of email addresses: match an address without storing it."""

from __future__ import annotations

import hashlib
import hmac

from django.conf import settings


def email_digest(email: str) -> str:
    """A keyed digest of an address: lets the backpack index match awards made to an
    email before its owner had an account, and guardian consent find a guardian's
    requests, without storing the address itself."""
    key = settings.SECRET_KEY.encode("utf-8")
    return hmac.new(key, email.strip().lower().encode("utf-8"), hashlib.sha256).hexdigest()
