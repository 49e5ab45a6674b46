"""Verifying a badge someone shows us: by URL, baked image or pasted JSON.

Open Badges 2.0 (hosted verification): the issuer's hosted copy is the truth. The
assertion is fetched from its id, compared with the copy given, and checked for
revocation and expiry; its badge and issuer must be hosted on the same site.

Open Badges 3.0: the Data Integrity proof is checked with the key the issuer's DID
document publishes, then the credential's status list entry (revocation) and dates.

Documents are resolved on this network only, read from the territories' data rather
than over HTTP: the server never fetches an address a visitor typed (no SSRF), and
badges of other platforms are refused with a message saying so.
"""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from urllib.parse import unquote, urlsplit

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tenants.utils import tenant_context

from shared_apps.guardians.selectors import is_restricted_recipient
from tenant_apps.badges import baking, dataintegrity, documents, identity
from tenant_apps.badges.models import Award, BadgeClass, Issuer, IssuerKey, StatusList
from tenant_apps.badges.multibase import ed25519_from_multikey
from tenant_apps.badges.statuslist import bit_at, decode_list
from tenants.models import Territory
from tenants.selectors import territory_for_host

MAX_INPUT = 2 * 1024 * 1024


class VerificationError(ValueError):
    """The input cannot be verified at all; the message is for people."""


@dataclass
class Check:
    label: str
    ok: bool
    detail: str = ""


@dataclass
class Result:
    standard: str  # "Open Badges 2.0" | "Open Badges 3.0"
    checks: list[Check] = field(default_factory=list)
    badge_name: str = ""
    badge_description: str = ""
    badge_url: str = ""
    image_url: str = ""
    issuer_name: str = ""
    issuer_url: str = ""
    issued_on: datetime | None = None
    expires_on: datetime | None = None
    revoked: bool = False
    revocation_reason: str = ""
    recipient_hash: str = ""
    recipient_salt: str = ""
    email_matches: bool | None = None

    @property
    def valid(self) -> bool:
        return bool(self.checks) and all(check.ok for check in self.checks)

    @property
    def expired(self) -> bool:
        return self.expires_on is not None and self.expires_on <= timezone.now()

    def add(self, label: str, ok: bool, detail: str = "") -> bool:
        self.checks.append(Check(label, ok, detail))
        return ok


# ---- resolving documents on this network ------------------------------------------

_PATHS: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"^/ob/v2/assertions/(?P<id>[0-9a-f-]{36})$"), "assertion"),
    (re.compile(r"^/ob/v2/badges/(?P<id>[0-9a-f-]{36})$"), "badge"),
    (re.compile(r"^/ob/v2/issuers/(?P<id>[\w-]+)$"), "issuer"),
    (re.compile(r"^/ob/v3/credentials/(?P<id>[0-9a-f-]{36})$"), "credential"),
    (re.compile(r"^/ob/v3/status/(?P<id>[\w-]+)/(?P<n>\d+)$"), "status"),
    (re.compile(r"^/badges/awards/(?P<id>[0-9a-f-]{36})/?$"), "assertion"),
]


@dataclass(frozen=True)
class Fetched:
    status: int
    document: dict[str, Any] | None


def _territory_of(url: str) -> tuple[Territory, str]:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise VerificationError(_("This is not a web address of a badge."))
    port = str(parts.port or "")
    territory = territory_for_host(parts.hostname)
    if territory is None or port != settings.PLATFORM_PORT:
        raise VerificationError(
            _(
                "This badge was not issued on this network. "
                "Use the verifier of the platform that issued it."
            )
        )
    return territory, parts.path


def fetch(url: str) -> Fetched:
    """The document a URL of this network serves, as the network serves it."""

    territory, path = _territory_of(url)
    for pattern, kind in _PATHS:
        match = pattern.match(path)
        if match is None:
            continue
        key = match.group("id")
        with tenant_context(territory):
            if kind in ("assertion", "credential", "badge"):
                try:
                    parsed = uuid.UUID(key)
                except ValueError:
                    return Fetched(404, None)
            if kind in ("assertion", "credential"):
                award = (
                    Award.objects.select_related("badge_class__issuer").filter(uuid=parsed).first()
                )
                if award is None or is_restricted_recipient(
                    award.recipient_user_id, award.recipient_email
                ):
                    # As the hosted URLs answer (views_ob._published_award).
                    return Fetched(404, None)
                if kind == "credential":
                    return Fetched(200, award.credential)
                if award.is_revoked:
                    return Fetched(410, documents.ob2_revoked_assertion(territory, award))
                return Fetched(200, documents.ob2_assertion(territory, award))
            if kind == "badge":
                badge = BadgeClass.objects.select_related("issuer").filter(uuid=parsed).first()
                return Fetched(
                    200 if badge else 404,
                    documents.ob2_badge_class(territory, badge) if badge else None,
                )
            if kind == "issuer":
                issuer = Issuer.objects.filter(slug=key).first()
                return Fetched(
                    200 if issuer else 404,
                    documents.ob2_issuer(territory, issuer) if issuer else None,
                )
            status = StatusList.objects.filter(issuer__slug=key, number=match.group("n")).first()
            return Fetched(200 if status else 404, status.credential if status else None)
    return Fetched(404, None)


def resolve_did_key(method: str) -> Ed25519PublicKey | None:
    """The public key a did:web of this network publishes for ``method``."""

    did, _sep, fragment = method.partition("#")
    parts = did.split(":")
    if len(parts) < 3 or parts[:2] != ["did", "web"] or not fragment:
        return None
    host_port = unquote(parts[2])
    host, _sep, port = host_port.partition(":")
    territory = territory_for_host(host)
    if territory is None or port != settings.PLATFORM_PORT:
        return None
    path = parts[3:]
    with tenant_context(territory):
        if not path:
            issuer = Issuer.objects.filter(kind=Issuer.Kind.TERRITORY).first()
        elif len(path) == 2 and path[0] == "issuers":
            issuer = Issuer.objects.filter(kind=Issuer.Kind.PROVIDER, slug=path[1]).first()
        else:
            return None
        if issuer is None:
            return None
        keys = list(IssuerKey.objects.filter(issuer=issuer))
        # Read the key out of the DID document as any verifier would.
        document = documents.did_document(territory, issuer, keys)
    if document["id"] != did or method not in document.get("assertionMethod", []):
        return None
    for entry in document["verificationMethod"]:
        if entry["id"] == method and entry["type"] == "Multikey":
            try:
                return Ed25519PublicKey.from_public_bytes(
                    ed25519_from_multikey(entry["publicKeyMultibase"])
                )
            except ValueError:
                return None
    return None


# ---- input ------------------------------------------------------------------------


def _parse_datetime(value: Any) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def document_from_image(data: bytes) -> dict[str, Any] | str:
    """The badge baked into a PNG or SVG: a document, or a URL to fetch it from."""
    try:
        if data.startswith(baking.PNG_SIGNATURE):
            payload = baking.unbake_png(data, baking.OB3_KEYWORD) or baking.unbake_png(data)
            if payload is None:
                raise VerificationError(_("This image has no badge baked into it."))
        elif data.lstrip()[:1] == b"<":
            baked = baking.unbake_svg(data)
            if baked is None:
                raise VerificationError(_("This image has no badge baked into it."))
            payload = baked.payload or baked.verify
        else:
            raise VerificationError(_("Upload a PNG or SVG badge image."))
    except baking.BakingError as exc:
        raise VerificationError(_("This image is damaged or was altered.")) from exc
    return parse_text(payload)


def parse_text(text: str) -> dict[str, Any] | str:
    text = text.strip()
    if text.startswith(("http://", "https://")) and "\n" not in text:
        return text
    try:
        document = json.loads(text)
    except ValueError as exc:
        raise VerificationError(_("This is neither a badge's web address nor its JSON.")) from exc
    if not isinstance(document, dict):
        raise VerificationError(_("This JSON is not a badge."))
    return document


def verify(source: dict[str, Any] | str, *, email: str = "") -> Result:
    """Verify a badge given as a URL or as its JSON document."""
    given: dict[str, Any] | None = None
    if isinstance(source, str):
        fetched = fetch(source)
        if fetched.document is None:
            raise VerificationError(_("Nothing was found at this address."))
        document = fetched.document
    else:
        document, given = source, source
    types = document.get("type", [])
    types = types if isinstance(types, list) else [types]
    if "OpenBadgeCredential" in types or "AchievementCredential" in types:
        result = _verify_ob3(document)
    elif "Assertion" in types or document.get("@context") == documents.OB2_CONTEXT:
        result = _verify_ob2(document, given)
    else:
        raise VerificationError(_("This is not an Open Badges 2.0 or 3.0 badge."))
    if email.strip() and result.recipient_hash:
        result.email_matches = (
            identity.hash_identity(email, result.recipient_salt) == result.recipient_hash
        )
    return result


def _dates(result: Result, issued: Any, expires: Any) -> None:
    now = timezone.now()
    result.issued_on = _parse_datetime(issued)
    result.expires_on = _parse_datetime(expires)
    if result.issued_on is None:
        result.add(_("Issue date"), False, _("The badge has no valid issue date."))
    else:
        result.add(
            _("Issue date"),
            result.issued_on <= now,
            "" if result.issued_on <= now else _("The issue date is in the future."),
        )
    if expires is not None:
        result.add(
            _("Not expired"),
            result.expires_on is not None and result.expires_on > now,
            _("This badge has expired.") if result.expired else "",
        )


def _verify_ob2(document: dict[str, Any], given: dict[str, Any] | None) -> Result:
    result = Result(standard="Open Badges 2.0")
    assertion_id = document.get("id")
    if not isinstance(assertion_id, str):
        result.add(_("Hosted by its issuer"), False, _("The badge has no hosted address."))
        return result
    hosted = fetch(assertion_id)
    if hosted.document is None:
        result.add(_("Hosted by its issuer"), False, _("The issuer does not know this badge."))
        return result
    result.add(_("Hosted by its issuer"), True)
    if hosted.status == 410 or hosted.document.get("revoked"):
        result.revoked = True
        result.revocation_reason = str(hosted.document.get("revocationReason", ""))
        result.add(_("Not revoked"), False, result.revocation_reason)
        return result
    assertion = hosted.document
    if given is not None:
        same = json.dumps(given, sort_keys=True) == json.dumps(assertion, sort_keys=True)
        result.add(
            _("Matches the issuer's copy"),
            same,
            "" if same else _("The badge given differs from the issuer's copy: it was altered."),
        )
    result.add(_("Not revoked"), True)
    recipient = assertion.get("recipient", {})
    result.recipient_hash = str(recipient.get("identity", ""))
    result.recipient_salt = str(recipient.get("salt", ""))
    badge = fetch(str(assertion.get("badge", ""))).document if assertion.get("badge") else None
    if badge is None:
        result.add(_("Badge description"), False, _("The badge's description is missing."))
        return result
    result.badge_name = str(badge.get("name", ""))
    result.badge_description = str(badge.get("description", ""))
    result.badge_url = str(badge.get("criteria", {}).get("id", ""))
    result.image_url = str(badge.get("image", ""))
    issuer = fetch(str(badge.get("issuer", ""))).document if badge.get("issuer") else None
    if issuer is None:
        result.add(_("Issuer"), False, _("The issuer's profile is missing."))
        return result
    result.issuer_name = str(issuer.get("name", ""))
    result.issuer_url = str(issuer.get("url", ""))
    same_site = urlsplit(str(issuer.get("id"))).netloc == urlsplit(assertion_id).netloc
    result.add(_("Issuer"), same_site, "" if same_site else _("Hosted outside the issuer's site."))
    _dates(result, assertion.get("issuedOn"), assertion.get("expires"))
    return result


def _verify_ob3(
    credential: dict[str, Any],
    resolve_key: Callable[[str], Ed25519PublicKey | None] = resolve_did_key,
) -> Result:
    result = Result(standard="Open Badges 3.0")
    issuer = credential.get("issuer")
    issuer_id = issuer.get("id") if isinstance(issuer, dict) else issuer
    subject = credential.get("credentialSubject") or {}
    achievement = subject.get("achievement") or {}
    result.badge_name = str(achievement.get("name", credential.get("name", "")))
    result.badge_description = str(achievement.get("description", ""))
    result.badge_url = str((achievement.get("criteria") or {}).get("id", ""))
    image = achievement.get("image")
    result.image_url = str(image.get("id", "") if isinstance(image, dict) else image or "")
    if isinstance(issuer, dict):
        result.issuer_name = str(issuer.get("name", ""))
        result.issuer_url = str(issuer.get("url", ""))
    identifiers = subject.get("identifier") or []
    if identifiers and isinstance(identifiers[0], dict):
        result.recipient_hash = str(identifiers[0].get("identityHash", ""))
        result.recipient_salt = str(identifiers[0].get("salt", ""))

    proof = dataintegrity.verify(credential, resolve_key)
    method = proof.verification_method
    signed_by_issuer = bool(method) and method.split("#")[0] == issuer_id
    result.add(
        _("Signed by its issuer"),
        proof.valid and signed_by_issuer,
        ""
        if proof.valid and signed_by_issuer
        else _("The signature is not valid: %(why)s")
        % {"why": proof.error or _("signed by someone else")},
    )
    status = credential.get("credentialStatus")
    if isinstance(status, dict):
        result.add(_("Not revoked"), *_check_status(status, issuer_id, resolve_key, result))
    _dates(result, credential.get("validFrom"), credential.get("validUntil"))
    return result


def _check_status(
    status: dict[str, Any],
    issuer_id: Any,
    resolve_key: Callable[[str], Ed25519PublicKey | None],
    result: Result,
) -> tuple[bool, str]:
    try:
        fetched = fetch(str(status.get("statusListCredential", "")))
    except VerificationError:
        return False, _("The revocation list cannot be read.")
    status_credential = fetched.document
    if status_credential is None:
        return False, _("The revocation list cannot be read.")
    proof = dataintegrity.verify(status_credential, resolve_key)
    if not proof.valid or status_credential.get("issuer") != issuer_id:
        return False, _("The revocation list is not signed by the issuer.")
    try:
        bits = decode_list(status_credential["credentialSubject"]["encodedList"])
        revoked = bit_at(bits, int(status["statusListIndex"]))
    except (KeyError, ValueError, IndexError, TypeError):
        return False, _("The revocation list cannot be read.")
    if revoked:
        result.revoked = True
        return False, _("The issuer revoked this badge.")
    return True, ""
