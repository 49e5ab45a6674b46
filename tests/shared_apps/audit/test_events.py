"""Audit entries read as sentences in the reader's language; unknown codes show as is.

Every code is an ``AuditEvent`` member: the tests below prove that each member reads
as a translated sentence and that the code base writes no code outside the enum."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import translation

from shared_apps.audit import events
from shared_apps.audit.actions import record
from shared_apps.audit.events import AuditEvent
from shared_apps.audit.models import AuditEntry

ROOT = Path(__file__).resolve().parents[3]
SOURCE = ("platform", "shared_apps", "tenant_apps", "tenants")
# ``action=`` followed on its line by a dotted code in quotes, plain or formatted
# ("provider.verified", f"provider.{status}", ... if x else "provider.untrusted").
CODE_AS_STRING = re.compile(r'\baction=[^\n]*?(f?"[a-z_]+\.[a-z_.{}]+")')


def _sources() -> list[tuple[Path, str]]:
    return [
        (path, path.read_text())
        for folder in SOURCE
        for path in (ROOT / folder).rglob("*.py")
        if "migrations" not in path.parts
    ]


def test_known_codes_read_as_translated_sentences() -> None:
    with translation.override("en"):
        assert events.describe("activity.approved") == "Approved an activity"
        assert AuditEvent.ACTIVITY_APPROVED.sentence == "Approved an activity"
    with translation.override("lt"):
        assert events.describe("activity.approved") == "Patvirtino veiklą"


def test_members_store_as_todays_codes() -> None:
    # Stored entries, filters and exports rely on the codes: a member is its code.
    assert AuditEvent.ACTIVITY_APPROVED == "activity.approved"
    assert str(AuditEvent.PLAYLIST_EVIDENCE_APPROVE) == "playlist.evidence.approve"
    assert AuditEvent("provider.verified") is AuditEvent.PROVIDER_VERIFIED
    assert len(set(AuditEvent.values)) == len(AuditEvent)


def test_unknown_codes_fall_back_to_the_code() -> None:
    assert events.describe("something.new") == "something.new"


@pytest.mark.parametrize("language", [c for c in settings.COMPLETE_LANGUAGES if c != "en"])
def test_every_member_has_a_translated_sentence(language: str) -> None:
    with translation.override("en"):
        english = {event: event.sentence for event in AuditEvent}
    assert all(english[event] and english[event] != event.value for event in AuditEvent)
    with translation.override(language):
        untranslated = sorted(e.value for e in AuditEvent if e.sentence == english[e])
    assert untranslated == []


def test_every_code_in_the_code_base_is_a_member() -> None:
    """No audit code is written as a plain or formatted string (``action="x.y"``,
    ``action=f"x.{y}"``), and every ``AuditEvent.NAME`` used exists."""
    strings: list[str] = []
    unknown: list[str] = []
    used: set[str] = set()
    for path, text in _sources():
        where = path.relative_to(ROOT)
        strings += [f"{where}: {m}" for m in re.findall(CODE_AS_STRING, text)]
        for name in re.findall(r"\bAuditEvent\.([A-Z][A-Z0-9_]*)\b", text):
            used.add(name)
            if name not in AuditEvent.__members__:
                unknown.append(f"{where}: {name}")
    assert strings == []
    assert unknown == []
    # The scan sees the call sites (a scan that finds nothing would prove nothing).
    assert {"ACTIVITY_APPROVED", "BADGES_AWARDED", "PROVIDER_VERIFIED", "PLAYLIST_CREATED"} <= used


def test_the_audit_log_shows_the_sentence_and_the_actor_name(territory_a, client_for, user) -> None:
    anna = user("anna")
    anna.display_name = "Anna Admin"
    anna.save()
    record(actor=anna, action=AuditEvent.ACTIVITY_APPROVED, territory=territory_a)
    # A code an older version stored and no member names any more shows as is.
    AuditEntry.objects.create(actor=anna, action="brand.new_code", territory=territory_a)
    entry = AuditEntry.objects.filter(territory=territory_a).order_by("-pk").first()
    assert entry is not None and entry.action == "brand.new_code"
    assert AuditEntry.objects.filter(action="activity.approved", actor=anna).exists()
    client = client_for(territory_a)
    client.cookies["django_language"] = "en"
    client.sign_in(anna)
    page = client.get("/manage/audit/").content.decode()
    assert "Approved an activity" in page
    assert "Anna Admin" in page
    assert "brand.new_code" in page
