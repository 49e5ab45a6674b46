"""The public documents of Open Badges 2.0 and 3.0, built from the models.

Nothing here puts an email in clear: recipients are only ever the salted hash.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from tenant_apps.badges import identity
from tenant_apps.badges.contexts import CREDENTIAL_CONTEXT, DID_CONTEXT, VC_V2
from tenant_apps.badges.models import Award, BadgeClass, Issuer, IssuerKey, StatusList
from tenant_apps.badges.multibase import ed25519_multikey
from tenant_apps.badges.statuslist import encode_list
from tenants.models import Territory

OB2_CONTEXT = "https://w3id.org/openbadges/v2"


def utc_iso(moment: datetime) -> str:
    """XML Schema dateTime in UTC, to the second: what every verifier parses."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _issuer_url(territory: Territory, issuer: Issuer) -> str:
    return issuer.url or territory.url


# ---- Open Badges 2.0 ---------------------------------------------------------------


def ob2_issuer(territory: Territory, issuer: Issuer) -> dict[str, Any]:
    document: dict[str, Any] = {
        "@context": OB2_CONTEXT,
        "type": "Issuer",
        "id": identity.ob2_issuer_url(territory, issuer),
        "name": issuer.name,
        "url": _issuer_url(territory, issuer),
        "email": issuer.email,
    }
    if issuer.description:
        document["description"] = issuer.description
    return document


def _alignments_ob2(badge: BadgeClass) -> list[dict[str, Any]]:
    result = []
    for alignment in badge.alignments:
        item = {"targetName": alignment["name"], "targetUrl": alignment["url"]}
        if alignment.get("framework"):
            item["targetFramework"] = alignment["framework"]
        if alignment.get("code"):
            item["targetCode"] = alignment["code"]
        result.append(item)
    return result


def criteria_markdown(badge: BadgeClass) -> str:
    lines = [badge.criteria_narrative.strip()]
    if badge.criteria_requirements:
        lines.append("")
        lines.extend(f"- {requirement}" for requirement in badge.criteria_requirements)
    return "\n".join(lines)


def ob2_badge_class(territory: Territory, badge: BadgeClass) -> dict[str, Any]:
    document: dict[str, Any] = {
        "@context": OB2_CONTEXT,
        "type": "BadgeClass",
        "id": identity.ob2_badge_url(territory, badge),
        "name": badge.name,
        "description": badge.description,
        "image": identity.badge_image_url(territory, badge),
        "criteria": {
            "id": identity.badge_page_url(territory, badge),
            "narrative": criteria_markdown(badge),
        },
        "issuer": identity.ob2_issuer_url(territory, badge.issuer),
    }
    if badge.tags:
        document["tags"] = list(badge.tags)
    if badge.alignments:
        document["alignment"] = _alignments_ob2(badge)
    return document


# OB 3.0's IdentifierTypeEnum has no "url": extensions take the "ext:" prefix, or
# 1EdTech's JSON Schema refuses the credential.
OB3_IDENTITY_TYPES = {"email": "emailAddress", "url": "ext:url"}


def ob2_assertion(territory: Territory, award: Award) -> dict[str, Any]:
    document: dict[str, Any] = {
        "@context": OB2_CONTEXT,
        "type": "Assertion",
        "id": identity.ob2_assertion_url(territory, award),
        "recipient": {
            "type": identity.recipient_identity(award.recipient_email)[0],
            "hashed": True,
            "salt": award.recipient_salt,
            "identity": award.recipient_hash,
        },
        "badge": identity.ob2_badge_url(territory, award.badge_class),
        "issuedOn": utc_iso(award.issued_on),
        "verification": {"type": "hosted"},
    }
    if award.expires_on is not None:
        document["expires"] = utc_iso(award.expires_on)
    if award.evidence_url or award.evidence_narrative:
        evidence: dict[str, Any] = {}
        if award.evidence_url:
            evidence["id"] = award.evidence_url
        if award.evidence_narrative:
            evidence["narrative"] = award.evidence_narrative
        document["evidence"] = evidence
    return document


def ob2_revoked_assertion(territory: Territory, award: Award) -> dict[str, Any]:
    """What a revoked assertion's URL answers (with 410 Gone), as OB 2.0 recommends."""
    return {
        "@context": OB2_CONTEXT,
        "type": "Assertion",
        "id": identity.ob2_assertion_url(territory, award),
        "revoked": True,
        "revocationReason": award.revocation_reason or "Revoked by the issuer",
    }


# ---- Open Badges 3.0 ---------------------------------------------------------------


def ob3_issuer(territory: Territory, issuer: Issuer) -> dict[str, Any]:
    profile: dict[str, Any] = {
        "id": identity.issuer_did(territory, issuer),
        "type": ["Profile"],
        "name": issuer.name,
        "url": _issuer_url(territory, issuer),
        "email": issuer.email,
    }
    if issuer.description:
        profile["description"] = issuer.description
    return profile


def ob3_achievement(territory: Territory, badge: BadgeClass) -> dict[str, Any]:
    achievement: dict[str, Any] = {
        "id": identity.ob3_achievement_url(territory, badge),
        "type": ["Achievement"],
        "achievementType": "Badge",
        "name": badge.name,
        "description": badge.description,
        "criteria": {
            "id": identity.badge_page_url(territory, badge),
            "narrative": criteria_markdown(badge),
        },
        "image": {
            "id": identity.badge_image_url(territory, badge, "png"),
            "type": "Image",
            "caption": badge.name,
        },
        "creator": ob3_issuer(territory, badge.issuer),
    }
    if badge.tags:
        achievement["tag"] = list(badge.tags)
    if badge.alignments:
        achievement["alignment"] = [
            {"type": ["Alignment"], **item} for item in _alignments_ob2(badge)
        ]
    return achievement


def ob3_credential(
    territory: Territory, award: Award, status_list: StatusList, status_index: int
) -> dict[str, Any]:
    """The unsigned OpenBadgeCredential of an award (VC Data Model 2.0)."""
    status_url = identity.status_list_url(territory, status_list.issuer, status_list.number)
    credential: dict[str, Any] = {
        "@context": list(CREDENTIAL_CONTEXT),
        "id": identity.ob3_credential_url(territory, award),
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "issuer": ob3_issuer(territory, award.badge_class.issuer),
        "validFrom": utc_iso(award.issued_on),
        "name": award.badge_class.name,
        "credentialSubject": {
            "type": ["AchievementSubject"],
            "identifier": [
                {
                    "type": "IdentityObject",
                    "identityHash": award.recipient_hash,
                    "identityType": OB3_IDENTITY_TYPES[
                        identity.recipient_identity(award.recipient_email)[0]
                    ],
                    "hashed": True,
                    "salt": award.recipient_salt,
                }
            ],
            "achievement": ob3_achievement(territory, award.badge_class),
        },
        "credentialStatus": {
            "id": f"{status_url}#{status_index}",
            "type": "BitstringStatusListEntry",
            "statusPurpose": "revocation",
            "statusListIndex": str(status_index),
            "statusListCredential": status_url,
        },
    }
    if award.expires_on is not None:
        credential["validUntil"] = utc_iso(award.expires_on)
    if award.evidence_url or award.evidence_narrative:
        evidence: dict[str, Any] = {"type": ["Evidence"]}
        if award.evidence_url:
            evidence["id"] = award.evidence_url
        if award.evidence_narrative:
            evidence["narrative"] = award.evidence_narrative
        credential["evidence"] = [evidence]
    return credential


def status_list_credential(
    territory: Territory, status_list: StatusList, *, valid_from: datetime
) -> dict[str, Any]:
    url = identity.status_list_url(territory, status_list.issuer, status_list.number)
    return {
        "@context": [VC_V2],
        "id": url,
        "type": ["VerifiableCredential", "BitstringStatusListCredential"],
        "issuer": identity.issuer_did(territory, status_list.issuer),
        "validFrom": utc_iso(valid_from),
        "credentialSubject": {
            "id": f"{url}#list",
            "type": "BitstringStatusList",
            "statusPurpose": "revocation",
            "encodedList": encode_list(bytes(status_list.bits)),
        },
    }


def did_document(territory: Territory, issuer: Issuer, keys: Sequence[IssuerKey]) -> dict[str, Any]:
    """The issuer's DID document: every key it ever signed with, the current one too."""
    did = identity.issuer_did(territory, issuer)
    methods = [
        {
            "id": f"{did}#{key.key_id}",
            "type": "Multikey",
            "controller": did,
            "publicKeyMultibase": ed25519_multikey(bytes(key.public_key)),
        }
        for key in keys
    ]
    method_ids = [method["id"] for method in methods]
    return {
        "@context": list(DID_CONTEXT),
        "id": did,
        "verificationMethod": methods,
        "assertionMethod": method_ids,
        "authentication": method_ids,
    }
