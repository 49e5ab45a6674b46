"""Audit entries read as sentences in the reader's language; unknown codes show as is."""

import re
from pathlib import Path

from django.utils import translation

from shared_apps.audit import events
from shared_apps.audit.actions import record

ROOT = Path(__file__).resolve().parents[3]


def test_known_codes_read_as_translated_sentences() -> None:
    with translation.override("en"):
        assert events.describe("activity.approved") == "Approved an activity"
    with translation.override("lt"):
        assert events.describe("activity.approved") == "Patvirtino veiklą"


def test_unknown_codes_fall_back_to_the_code() -> None:
    assert events.describe("something.new") == "something.new"


def test_every_literal_code_in_the_code_base_has_a_sentence() -> None:
    found = set()
    for folder in ("shared_apps", "tenant_apps", "tenants"):
        for path in (ROOT / folder).rglob("*.py"):
            found |= set(re.findall(r'action="([a-z_]+\.[a-z_.]+)"', path.read_text()))
    missing = sorted(code for code in found if code not in events.known_codes())
    assert missing == []


def test_the_audit_log_shows_the_sentence_and_the_actor_name(territory_a, client_for, user) -> None:
    anna = user("anna")
    anna.display_name = "Anna Admin"
    anna.save()
    record(actor=anna, action="activity.approved", territory=territory_a)
    record(actor=anna, action="brand.new_code", territory=territory_a)
    client = client_for(territory_a)
    client.cookies["django_language"] = "en"
    client.sign_in(anna)
    page = client.get("/manage/audit/").content.decode()
    assert "Approved an activity" in page
    assert "Anna Admin" in page
    assert "brand.new_code" in page
