"""Stable public identifiers of a territory's issuers, badges and awards.

Every id is built from the territory's platform host (never the request's host, and
never a custom domain that may change), with the platform's scheme and port: a hosted
Assertion's host:port must equal its Issuer's, and a credential signed today must point
at the same DID tomorrow.
"""

from __future__ import annotations

import hashlib
import secrets
from urllib.parse import quote

from django.conf import settings

from shared_apps.accounts.selectors import CARD_EMAIL_DOMAIN
from tenant_apps.badges.models import Award, BadgeClass, Issuer
from tenants.models import Territory


def host_with_port(territory: Territory) -> str:
    port = f":{settings.PLATFORM_PORT}" if settings.PLATFORM_PORT else ""
    return f"{territory.host}{port}"


def base_url(territory: Territory) -> str:
    return f"{settings.PLATFORM_SCHEME}://{host_with_port(territory)}"


# ---- Open Badges 2.0 ---------------------------------------------------------------


def ob2_issuer_url(territory: Territory, issuer: Issuer) -> str:
    return f"{base_url(territory)}/ob/v2/issuers/{issuer.slug}"


def ob2_badge_url(territory: Territory, badge: BadgeClass) -> str:
    return f"{base_url(territory)}/ob/v2/badges/{badge.uuid}"


def ob2_assertion_url(territory: Territory, award: Award) -> str:
    return f"{base_url(territory)}/ob/v2/assertions/{award.uuid}"


def badge_image_url(territory: Territory, badge: BadgeClass, kind: str = "") -> str:
    suffix = kind or ("svg" if badge.is_svg else "png")
    return f"{base_url(territory)}/ob/v2/badges/{badge.uuid}/image.{suffix}"


def badge_page_url(territory: Territory, badge: BadgeClass) -> str:
    return f"{base_url(territory)}/badges/{badge.slug}/"


def award_page_url(territory: Territory, award: Award) -> str:
    return f"{base_url(territory)}/badges/awards/{award.uuid}/"


def baked_url(territory: Territory, award: Award, kind: str) -> str:
    """kind: "ob2.png", "ob2.svg", "ob3.png", "ob3.json"."""
    return f"{base_url(territory)}/badges/awards/{award.uuid}/download/{kind}"


# ---- Open Badges 3.0 ---------------------------------------------------------------


def issuer_did(territory: Territory, issuer: Issuer) -> str:
    """did:web of the territory (at /.well-known/did.json) or of a provider issuer
    (did:web:<host>:issuers:<slug>, at /issuers/<slug>/did.json)."""
    did = f"did:web:{quote(host_with_port(territory), safe='')}"
    if issuer.is_territory:
        return did
    return f"{did}:issuers:{issuer.slug}"


def did_document_url(territory: Territory, issuer: Issuer) -> str:
    if issuer.is_territory:
        return f"{base_url(territory)}/.well-known/did.json"
    return f"{base_url(territory)}/issuers/{issuer.slug}/did.json"


def verification_method(territory: Territory, issuer: Issuer, key_id: str) -> str:
    return f"{issuer_did(territory, issuer)}#{key_id}"


def ob3_credential_url(territory: Territory, award: Award) -> str:
    return f"{base_url(territory)}/ob/v3/credentials/{award.uuid}"


def ob3_achievement_url(territory: Territory, badge: BadgeClass) -> str:
    return f"{base_url(territory)}/ob/v3/achievements/{badge.uuid}"


def ob3_issuer_profile_url(territory: Territory, issuer: Issuer) -> str:
    return f"{base_url(territory)}/ob/v3/issuers/{issuer.slug}"


def status_list_url(territory: Territory, issuer: Issuer, number: int) -> str:
    return f"{base_url(territory)}/ob/v3/status/{issuer.slug}/{number}"


# ---- recipients --------------------------------------------------------------------


def normalise_email(email: str) -> str:
    return email.strip().lower()


def new_salt() -> str:
    return secrets.token_hex(16)


def recipient_identity(email: str) -> tuple[str, str]:
    """The Open Badges identity of a recipient: ("email", address), or for a code-card
    account ("url", a URL naming the account on the network), which OB 2.0 (IdentityObject
    type "url") and OB 3.0 (identityType "ext:url") accept when there is no email."""
    address = normalise_email(email)
    local, _at, domain = address.partition("@")
    if domain == CARD_EMAIL_DOMAIN:
        port = f":{settings.PLATFORM_PORT}" if settings.PLATFORM_PORT else ""
        base = f"{settings.PLATFORM_SCHEME}://{settings.PLATFORM_DOMAIN}{port}"
        return "url", f"{base}/learners/{local}"
    return "email", address


def hash_identity(email: str, salt: str) -> str:
    """Open Badges' salted identity hash: "sha256$" + hex(sha256(identity + salt))."""
    value = recipient_identity(email)[1]
    digest = hashlib.sha256((value + salt).encode("utf-8")).hexdigest()
    return f"sha256${digest}"
