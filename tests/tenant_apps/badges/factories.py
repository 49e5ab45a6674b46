"""Helpers to make badges and awards in a territory's schema for tests."""

from __future__ import annotations

import io
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django_tenants.utils import tenant_context
from PIL import Image

from tenant_apps.badges import actions, images
from tenant_apps.badges.models import Award, BadgeClass, Issuer
from tenants.models import Territory


@contextmanager
def in_territory(territory: Territory) -> Iterator[Territory]:
    with tenant_context(territory):
        yield territory


def png_bytes(
    size: tuple[int, int] = (128, 128), color: tuple[int, int, int] = (200, 30, 30)
) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, color).save(out, "PNG")
    return out.getvalue()


def png_upload(size: tuple[int, int] = (128, 128)) -> SimpleUploadedFile:
    return SimpleUploadedFile("badge.png", png_bytes(size), content_type="image/png")


def make_badge(
    territory: Territory,
    name: str = "Test badge",
    *,
    issuer: Issuer | None = None,
    required: list[BadgeClass] | None = None,
    expires_after_days: int | None = None,
    png: bool = False,
    **data: Any,
) -> BadgeClass:
    """A badge of the territory (call inside its schema)."""
    image = (
        images.from_upload(png_upload())
        if png
        else images.from_template(label=name, primary="#1f4e79", accent="#f2b134")
    )
    return actions.create_badge_class(
        territory=territory,
        issuer=issuer or actions.ensure_territory_issuer(territory),
        data=actions.BadgeClassData(
            name=name,
            description=data.get("description", f"{name}: what it recognises."),
            criteria_narrative=data.get("criteria", "Do the thing and show it."),
            criteria_requirements=data.get("requirements", ["Show up", "Build something"]),
            tags=data.get("tags", ["test"]),
            alignments=data.get(
                "alignments",
                [
                    {
                        "framework": "EntreComp",
                        "name": "Spotting opportunities",
                        "url": "https://publications.jrc.ec.europa.eu/repository/handle/JRC101581",
                    }
                ],
            ),
            expires_after_days=expires_after_days,
            accepts_applications=data.get("accepts_applications", True),
            required_badges=required or [],
        ),
        image=image,
        acting_user=None,
    )


def award(
    territory: Territory, badge: BadgeClass, email: str = "someone@example.org", **extra: Any
) -> Award:
    return actions.award_badge(
        territory=territory,
        badge_class=badge,
        recipient=actions.Recipient(email=email),
        source=Award.Source.MANUAL,
        **extra,
    )
