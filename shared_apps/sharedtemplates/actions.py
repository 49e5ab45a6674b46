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
from shared_apps.sharedtemplates.models import NetworkTemplate, TemplateAdoption
from tenant_apps.catalogue import publishing
from tenant_apps.catalogue.indexing import remember_interest_words
from tenant_apps.catalogue.models import Interest
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


@transaction.atomic
def publish_template(
    *, name: str, payload_text: str, acting_user: Any, template: NetworkTemplate | None = None
) -> NetworkTemplate:
    """Create a template, or publish a new version of it when its content changed."""
    if not name.strip():
        raise ValidationError({"name": _("Give the template a name.")})
    payload = clean_interests_payload(payload_text)
    if template is None:
        template = NetworkTemplate(created_by=acting_user if acting_user else None)
    elif payload != template.payload:
        template.version += 1
    template.name = name.strip()[:120]
    template.payload = payload
    template.save()
    record(
        actor=acting_user,
        action="template.published",
        target=template,
        details={"version": template.version},
    )
    return template


@transaction.atomic
def adopt_template(
    *, template: NetworkTemplate, territory: Territory, acting_user: Any
) -> TemplateAdoption:
    """Copy the template's current version into the territory's interests (existing
    interests with the same slug get the template's names; others are left alone)."""
    with tenant_context(territory):
        touched: list[int] = []
        for position, item in enumerate(template.payload):
            interest = Interest.objects.filter(slug=item["slug"]).first()
            if interest is None:
                interest = Interest(slug=item["slug"], position=position)
            interest.names = {**(interest.names or {}), **item["names"]}
            interest.is_active = True
            interest.save()
            touched.append(interest.pk)
        remember_interest_words()
        affected = list(
            Interest.activities.through.objects.filter(interest_id__in=touched)
            .values_list("activity_id", flat=True)
            .distinct()
        )
        publishing.refresh_activities(affected, language=territory.default_language)
    with schema_context("public"):
        adoption, _created = TemplateAdoption.objects.update_or_create(
            template=template,
            territory=territory,
            defaults={
                "version": template.version,
                "interest_slugs": [item["slug"] for item in template.payload],
                "adopted_by": acting_user,
            },
        )
        record(
            actor=acting_user,
            action="template.adopted",
            territory=territory,
            target=template,
            details={"version": template.version},
        )
    return adoption
