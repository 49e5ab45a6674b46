"""A learner below the consent age whose guardian has not confirmed shares nothing:
their personal playlists cannot be shared by link, and a link given out before
consent was withdrawn stops working at once."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.core.exceptions import ValidationError
from django_tenants.utils import tenant_context

from shared_apps.accounts.models import User
from shared_apps.guardians.actions import confirm_consent, withdraw_consent
from shared_apps.guardians.models import GuardianConsent
from tenant_apps.playlists import actions
from tenants.models import Territory
from tests.conftest import ClientFor
from tests.shared_apps.guardians.factories import just_turned, make_learner
from tests.tenant_apps.playlists.factories import make_playlist


def test_restricted_learner_cannot_share_and_withdrawal_kills_the_link(
    territory_a: Territory, client_for: ClientFor, user: Callable[[str], User]
) -> None:
    minor = make_learner("young.one@example.org", just_turned(13), territory_a)  # LT: 14
    plan = make_playlist(territory_a, minor, "My music plan", personal=True)
    with tenant_context(territory_a), pytest.raises(ValidationError, match="guardian"):
        actions.set_sharing(playlist=plan, user=minor, shared=True)

    consent = GuardianConsent.objects.create(user=minor, guardian_email="parent@example.org")
    confirm_consent(consent=consent)
    minor = User.objects.get(pk=minor.pk)  # is_restricted is cached per account object
    with tenant_context(territory_a):
        plan = actions.set_sharing(playlist=plan, user=minor, shared=True)
    visitor = client_for(territory_a)
    link = f"/playlists/shared/{plan.share_token}/"
    assert visitor.get(link).status_code == 200

    withdraw_consent(consent=consent)
    assert visitor.get(link).status_code == 404
    # An adult's shared playlist is unaffected.
    with tenant_context(territory_a):
        adult_plan = make_playlist(territory_a, user("ada"), "Ada's plan", personal=True)
        adult_plan = actions.set_sharing(playlist=adult_plan, user=user("ada"), shared=True)
    assert visitor.get(f"/playlists/shared/{adult_plan.share_token}/").status_code == 200
