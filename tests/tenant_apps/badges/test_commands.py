"""The operators' command: award_badge prints the OB 2.0 and OB 3.0 URLs."""

import io

import pytest
from django.core.management import CommandError, call_command

from tenant_apps.badges.models import Award
from tenants.models import Territory
from tests.tenant_apps.badges.factories import in_territory, make_badge


def test_award_badge_prints_both_urls(territory_a: Territory) -> None:
    with in_territory(territory_a):
        badge = make_badge(territory_a, "Command badge")
    for key in (badge.slug, str(badge.pk), str(badge.uuid)):
        out = io.StringIO()
        email = f"cli-{len(key)}@example.org"
        call_command("award_badge", territory="aurora", badge=key, email=email, stdout=out)
        lines = out.getvalue().splitlines()
        assert len(lines) == 2
        with in_territory(territory_a):
            made = Award.objects.get(recipient_email=email)
        assert lines[0] == f"http://aurora.localhost/ob/v2/assertions/{made.uuid}"
        assert lines[1] == f"http://aurora.localhost/ob/v3/credentials/{made.uuid}"
        assert made.source == "command"


def test_award_badge_refuses_unknown_input(territory_a: Territory) -> None:
    with in_territory(territory_a):
        badge = make_badge(territory_a)
    with pytest.raises(CommandError, match="No territory"):
        call_command("award_badge", territory="nowhere", badge=badge.slug, email="a@example.org")
    with pytest.raises(CommandError, match="No badge"):
        call_command("award_badge", territory="borealis", badge=badge.slug, email="a@example.org")
    with pytest.raises(CommandError, match="not an email"):
        call_command("award_badge", territory="aurora", badge=badge.slug, email="nope")
    call_command(
        "award_badge",
        territory="aurora",
        badge=badge.slug,
        email="a@example.org",
        stdout=io.StringIO(),
    )
    with pytest.raises(CommandError, match="already holds"):
        call_command("award_badge", territory="aurora", badge=badge.slug, email="a@example.org")
