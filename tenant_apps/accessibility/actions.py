"""Changes to the accessibility statement: atomic and audited."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction

from shared_apps.accounts.models import User
from shared_apps.audit.actions import record
from shared_apps.audit.events import AuditEvent
from tenant_apps.accessibility.models import AccessibilityStatement
from tenants.models import Territory


@dataclass(frozen=True)
class StatementData:
    contact_email: str
    known_issues: str
    enforcement_body: str


@transaction.atomic
def save_statement(
    *, territory: Territory, data: StatementData, acting_user: User
) -> AccessibilityStatement:
    """Create or update the territory's statement (call inside its schema)."""
    statement = AccessibilityStatement.objects.select_for_update().order_by("pk").first()
    if statement is None:
        statement = AccessibilityStatement()
    statement.contact_email = data.contact_email
    statement.known_issues = data.known_issues
    statement.enforcement_body = data.enforcement_body
    statement.full_clean()
    statement.save()
    record(
        actor=acting_user,
        action=AuditEvent.ACCESSIBILITY_STATEMENT_SAVED,
        territory=territory,
        target=statement,
    )
    return statement
