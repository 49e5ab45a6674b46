"""Consent ages per country and ages from a year and month of birth."""

import datetime

import pytest

from shared_apps.guardians.ages import age_on, consent_age
from tests.shared_apps.guardians.factories import birth_months_ago


@pytest.mark.parametrize(
    ("country", "age"),
    [
        ("LT", 14),
        ("SI", 15),
        ("IT", 14),
        ("FI", 13),
        ("DE", 16),
        ("FR", 15),
        ("ES", 14),
        ("NL", 16),
        ("lt", 14),
        ("PT", 16),
        ("", 16),
        (None, 16),
    ],
)
def test_consent_age_per_country_with_default(country: str | None, age: int) -> None:
    assert consent_age(country) == age


def test_birthday_month_counts_as_not_yet_reached() -> None:
    assert age_on(2012, 6, datetime.date(2026, 5, 31)) == 13
    assert age_on(2012, 6, datetime.date(2026, 6, 30)) == 13
    assert age_on(2012, 6, datetime.date(2026, 7, 1)) == 14
    assert age_on(2012, 12, datetime.date(2027, 1, 1)) == 14


def test_birth_months_ago_wraps_years() -> None:
    assert birth_months_ago(1, datetime.date(2026, 1, 15)) == (2025, 12)
    assert birth_months_ago(14 * 12 + 1, datetime.date(2026, 3, 1)) == (2012, 2)
