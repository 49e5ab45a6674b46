"""The "Add to profile" link of LinkedIn for a badge (a plain link: nothing is sent to
LinkedIn until the learner follows it)."""

from __future__ import annotations

from urllib.parse import urlencode

from shared_apps.backpack.models import BackpackEntry


def add_to_profile_url(entry: BackpackEntry) -> str:
    params = {
        "startTask": "CERTIFICATION_NAME",
        "name": entry.badge_name,
        "organizationName": entry.issuer_name,
        "issueYear": entry.issued_on.year,
        "issueMonth": entry.issued_on.month,
        "certUrl": entry.award_url,
        "certId": str(entry.award_uuid),
    }
    if entry.expires_on is not None:
        params["expirationYear"] = entry.expires_on.year
        params["expirationMonth"] = entry.expires_on.month
    return "https://www.linkedin.com/profile/add?" + urlencode(params)
