"""Ages from a year and month of birth, and the digital consent age of a country.

Only the year and month of birth are ever stored. Without the day, the month of the
birthday is ambiguous; we count a birthday as reached only once that month is over,
so a learner is never treated as older than they may be (the protective reading of
GDPR article 8).
"""

from __future__ import annotations

import datetime

from django.conf import settings

# Nobody under this age may hold an account (the platform is for young people aged
# 13 and over; younger children sign up with a youth worker, not alone).
MINIMUM_AGE = 10
MAXIMUM_AGE = 120
# Below this age an account counts as a minor's for retention (shared_apps.guardians.tasks).
MAJORITY_AGE = 18


def consent_age(country: str | None) -> int:
    """The age from which a person may consent alone, per the country's law."""
    table: dict[str, int] = settings.DIGITAL_CONSENT_AGE
    return table.get((country or "").upper(), settings.DIGITAL_CONSENT_AGE_DEFAULT)


def age_on(birth_year: int, birth_month: int, day: datetime.date) -> int:
    """Full years of age on ``day``; the birthday month counts as not yet reached."""
    age = day.year - birth_year
    if day.month <= birth_month:
        age -= 1
    return age
