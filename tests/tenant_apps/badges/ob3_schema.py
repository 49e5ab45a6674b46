"""1EdTech's OB 3.0 JSON Schema rules for OpenBadgeCredential (a test fixture), and
the check every credential the tests sign goes through (tests/conftest.py)."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

from jsonschema import Draft201909Validator, FormatChecker

SCHEMA = Path(__file__).parent / "fixtures" / "ob_v3p0_achievementcredential_schema.json"


@cache
def validator() -> Draft201909Validator:
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    Draft201909Validator.check_schema(schema)
    return Draft201909Validator(schema, format_checker=FormatChecker())


def schema_errors(credential: dict[str, Any]) -> list[str]:
    """Every violation, as "path: message" (empty when the credential conforms)."""
    return [
        f"{'/'.join(str(p) for p in error.absolute_path) or '(root)'}: {error.message}"
        for error in validator().iter_errors(credential)
    ]


def is_open_badge_credential(document: dict[str, Any]) -> bool:
    kinds = document.get("type") or []
    return "OpenBadgeCredential" in kinds or "AchievementCredential" in kinds


def assert_conforms(document: dict[str, Any]) -> None:
    if is_open_badge_credential(document):
        errors = schema_errors(document)
        assert not errors, "OB 3.0 JSON Schema: " + "; ".join(errors)
