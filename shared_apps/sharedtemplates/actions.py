"""Publishing network templates and adopting them into a territory."""

from __future__ import annotations

import json
import re
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django_tenants.utils import schema_context, tenant_context

from shared_apps.audit.actions import record
from shared_apps.audit.events import AuditEvent
from shared_apps.sharedtemplates.models import NetworkTemplate, TemplateAdoption
from tenant_apps.badges import actions as badge_actions
from tenant_apps.badges import images
from tenant_apps.badges.selectors import badge_by_slug
from tenant_apps.catalogue.actions import adopt_interests
from tenant_apps.playlists import actions as playlist_actions
from tenants.models import Territory

MAX_ITEMS = 200
_SLUG = re.compile(r"^[a-z0-9][a-z0-9-]{0,49}$")


def clean_interests_payload(text: str) -> list[dict[str, Any]]:
    """Parse and check an interest taxonomy given as JSON; ValidationError says why."""
    try:
        data = json.loads(text)
    except ValueError:
        raise ValidationError({"payload": _("This is not valid JSON.")}) from None
    languages = dict(settings.LANGUAGES)
    problem = _('Give a list of {"slug": "music", "names": {"en": "Music"}} entries.')
    if not isinstance(data, list) or not data or len(data) > MAX_ITEMS:
        raise ValidationError({"payload": problem})
    cleaned, seen = [], set()
    for item in data:
        if not isinstance(item, dict):
            raise ValidationError({"payload": problem})
        slug, names = item.get("slug"), item.get("names")
        if not isinstance(slug, str) or not _SLUG.match(slug) or slug in seen:
            raise ValidationError({"payload": problem})
        if not isinstance(names, dict) or not names:
            raise ValidationError({"payload": problem})
        if any(code not in languages or not isinstance(n, str) for code, n in names.items()):
            raise ValidationError({"payload": problem})
        seen.add(slug)
        cleaned.append(
            {"slug": slug, "names": {c: n.strip()[:80] for c, n in names.items() if n.strip()}}
        )
    return cleaned


def _text(data: dict[str, Any], key: str, limit: int, *, required: bool = True) -> str:
    value = data.get(key, "")
    if not isinstance(value, str) or (required and not value.strip()):
        raise ValidationError({"payload": _("“%(key)s” must be a text.") % {"key": key}})
    return value.strip()[:limit]


def _texts(data: dict[str, Any], key: str, limit: int) -> list[str]:
    value = data.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ValidationError({"payload": _("“%(key)s” must be a list of texts.") % {"key": key}})
    return [v.strip()[:limit] for v in value if v.strip()][:MAX_ITEMS]


def _json_object(text: str) -> dict[str, Any]:
    try:
        data = json.loads(text)
    except ValueError:
        raise ValidationError({"payload": _("This is not valid JSON.")}) from None
    if not isinstance(data, dict):
        raise ValidationError({"payload": _("Give one JSON object.")})
    return data


def clean_badge_class_payload(text: str) -> dict[str, Any]:
    """{"name", "description", "criteria_narrative", "criteria_requirements": [...],
    "tags": [...], "alignments": [{"framework", "name", "url"}]}"""
    data = _json_object(text)
    alignments = data.get("alignments", [])
    if not isinstance(alignments, list) or not all(
        isinstance(a, dict)
        and all(isinstance(a.get(k), str) and a.get(k) for k in ("framework", "name", "url"))
        and str(a["url"]).startswith(("http://", "https://"))
        for a in alignments
    ):
        raise ValidationError(
            {"payload": _("Each alignment needs a framework, a name and a web address.")}
        )
    return {
        "name": _text(data, "name", 120),
        "description": _text(data, "description", 2000),
        "criteria_narrative": _text(data, "criteria_narrative", 2000),
        "criteria_requirements": _texts(data, "criteria_requirements", 300),
        "tags": _texts(data, "tags", 40),
        "alignments": [
            {k: str(a[k]).strip()[:300] for k in ("framework", "name", "url")}
            for a in alignments[:20]
        ],
    }


def clean_playlist_payload(text: str) -> dict[str, Any]:
    """{"title", "description", "estimated_hours", "steps": [{"title", "instructions",
    "required"}]}: challenges, which any city can take on."""
    data = _json_object(text)
    steps = data.get("steps")
    if not isinstance(steps, list) or not steps or len(steps) > 50:
        raise ValidationError({"payload": _("Give the playlist between 1 and 50 steps.")})
    cleaned_steps = []
    for step in steps:
        if not isinstance(step, dict):
            raise ValidationError({"payload": _("Give the playlist between 1 and 50 steps.")})
        cleaned_steps.append(
            {
                "title": _text(step, "title", 160),
                "instructions": _text(step, "instructions", 2000, required=False),
                "required": step.get("required", True) is not False,
            }
        )
    hours = data.get("estimated_hours")
    if hours is not None and (not isinstance(hours, int) or not 0 < hours <= 1000):
        raise ValidationError({"payload": _("Estimated hours must be a whole number.")})
    return {
        "title": _text(data, "title", 160),
        "description": _text(data, "description", 2000, required=False),
        "estimated_hours": hours,
        "steps": cleaned_steps,
    }


def clean_payload(kind: str, text: str) -> Any:
    if kind == NetworkTemplate.Kind.BADGE_CLASS:
        return clean_badge_class_payload(text)
    if kind == NetworkTemplate.Kind.PLAYLIST:
        return clean_playlist_payload(text)
    if kind == NetworkTemplate.Kind.INTERESTS:
        return clean_interests_payload(text)
    raise ValidationError({"kind": _("Unknown kind of template.")})


@transaction.atomic
def publish_template(
    *,
    name: str,
    payload_text: str,
    acting_user: Any,
    template: NetworkTemplate | None = None,
    kind: str = NetworkTemplate.Kind.INTERESTS,
) -> NetworkTemplate:
    """Create a template, or publish a new version of it when its content changed (a
    template keeps its kind)."""
    if not name.strip():
        raise ValidationError({"name": _("Give the template a name.")})
    payload = clean_payload(template.kind if template is not None else kind, payload_text)
    if template is None:
        template = NetworkTemplate(kind=kind, created_by=acting_user if acting_user else None)
    elif payload != template.payload:
        template.version += 1
    template.name = name.strip()[:120]
    template.payload = payload
    template.save()
    record(
        actor=acting_user,
        action=AuditEvent.TEMPLATE_PUBLISHED,
        target=template,
        details={"version": template.version},
    )
    return template


@transaction.atomic
def adopt_template(
    *, template: NetworkTemplate, territory: Territory, acting_user: Any
) -> TemplateAdoption:
    """Copy the template's current version into the territory (an update when it was
    adopted before). Nothing reaches a territory that did not ask for it."""
    previous = TemplateAdoption.objects.filter(template=template, territory=territory).first()
    copied: dict[str, Any] = dict(previous.copied) if previous is not None else {}
    if template.kind == NetworkTemplate.Kind.BADGE_CLASS:
        copied = _adopt_badge_class(template, territory, acting_user, copied)
    elif template.kind == NetworkTemplate.Kind.PLAYLIST:
        copied = _adopt_playlist(template, territory, acting_user, copied)
    else:
        _adopt_interests(template, territory)
    with schema_context("public"):
        adoption, _created = TemplateAdoption.objects.update_or_create(
            template=template,
            territory=territory,
            defaults={
                "version": template.version,
                "interest_slugs": [item["slug"] for item in template.payload]
                if template.kind == NetworkTemplate.Kind.INTERESTS
                else [],
                "copied": copied,
                "adopted_by": acting_user,
            },
        )
        record(
            actor=acting_user,
            action=AuditEvent.TEMPLATE_ADOPTED,
            territory=territory,
            target=template,
            details={"version": template.version, "kind": template.kind},
        )
    return adoption


def _adopt_badge_class(
    template: NetworkTemplate, territory: Territory, acting_user: Any, copied: dict[str, Any]
) -> dict[str, Any]:
    """A badge class of the territory's own issuer, in its colours; a newer version
    updates its public description (awards already made keep what they were signed
    with)."""

    payload = template.payload
    data = badge_actions.BadgeClassData(
        name=payload["name"],
        description=payload["description"],
        criteria_narrative=payload["criteria_narrative"],
        criteria_requirements=payload["criteria_requirements"],
        tags=payload["tags"],
        alignments=payload["alignments"],
        expires_after_days=None,
        accepts_applications=True,
        required_badges=[],
    )
    with tenant_context(territory):
        badge = badge_by_slug(copied.get("badge", ""))
        if badge is not None:
            data.expires_after_days = badge.expires_after_days
            data.accepts_applications = badge.accepts_applications
            badge_actions.update_badge_class(
                territory=territory, badge=badge, data=data, image=None, acting_user=acting_user
            )
        else:
            badge = badge_actions.create_badge_class(
                territory=territory,
                issuer=badge_actions.ensure_territory_issuer(territory),
                data=data,
                image=images.from_template(
                    label=payload["name"],
                    primary=territory.primary_color,
                    accent=territory.accent_color,
                ),
                acting_user=acting_user,
            )
    return {"badge": badge.slug}


def _adopt_playlist(
    template: NetworkTemplate, territory: Territory, acting_user: Any, copied: dict[str, Any]
) -> dict[str, Any]:
    """A draft playlist of the territory with the template's challenges, for its staff
    to add local activities to and publish; a newer version is another draft (steps of
    a published playlist never change under its learners)."""

    payload = template.payload
    with tenant_context(territory):
        playlist = playlist_actions.create_playlist(
            territory=territory,
            acting_user=acting_user,
            data=playlist_actions.PlaylistData(
                title=payload["title"],
                description=payload["description"],
                estimated_hours=payload["estimated_hours"],
            ),
        )
        for step in payload["steps"]:
            playlist_actions.add_step(
                playlist=playlist,
                kind=playlist_actions.CHALLENGE,
                title=step["title"],
                instructions=step["instructions"],
                is_required=step["required"],
            )
    return {"playlists": [*copied.get("playlists", []), playlist.pk]}


def _adopt_interests(template: NetworkTemplate, territory: Territory) -> None:
    """Existing interests with the same slug get the template's names; others are left
    alone (the catalogue's own action writes them)."""

    with tenant_context(territory):
        adopt_interests(territory=territory, items=template.payload)
