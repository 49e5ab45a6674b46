"""Reads of the accessibility statement (inside the territory's schema)."""

from __future__ import annotations

import datetime
import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from django.conf import settings

from tenant_apps.accessibility.models import AccessibilityStatement
from tenant_apps.badges.models import Issuer

ROOT = Path(settings.BASE_DIR)


@dataclass(frozen=True)
class Audit:
    """How the platform's part of the statement was prepared."""

    standard: str
    tool: str
    checked_on: datetime.date


# The date the automated audit (tests/browser/test_axe.py) was last reviewed and its
# page list extended; `make test` runs it on every change, so it stays true after.
AUDIT_REVIEWED_ON = datetime.date(2026, 12, 6)


@cache
def axe_version() -> str:
    """The axe-core version the audit runs, as pinned in package.json."""
    package = json.loads((ROOT / "package.json").read_text())
    return str(package["devDependencies"]["axe-core"])


def platform_audit() -> Audit:
    return Audit(
        standard="WCAG 2.2 AA (EN 301 549)",
        tool=f"axe-core {axe_version()}",
        checked_on=AUDIT_REVIEWED_ON,
    )


def current_statement() -> AccessibilityStatement | None:
    """The territory's saved statement, or None before its team has saved one."""
    return AccessibilityStatement.objects.order_by("pk").first()


def feedback_email(statement: AccessibilityStatement | None) -> str:
    """Where feedback goes: the address the team gave, else the territory's public
    organisation address (its Open Badges issuer's), else nothing yet."""
    if statement is not None and statement.contact_email:
        return statement.contact_email

    issuer = Issuer.objects.filter(kind=Issuer.Kind.TERRITORY).order_by("pk").first()
    return issuer.email if issuer is not None else ""
