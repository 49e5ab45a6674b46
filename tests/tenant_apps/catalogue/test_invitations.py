"""Adding a colleague is an invitation: nobody is attached before they accept the
emailed link (signed, expiring, single use, for one territory), and the owner gets
the same answer for any address."""

from __future__ import annotations

import datetime
import re

import pytest
from django.utils import timezone
from django_tenants.utils import tenant_context

from shared_apps.accounts.models import Membership
from shared_apps.audit.models import AuditEntry
from shared_apps.ops.models import OutboundEmail
from tenant_apps.catalogue import actions
from tenant_apps.catalogue.models import ProviderStaff, StaffInvitation
from tests.tenant_apps.catalogue.factories import make_provider


def _invite(client, provider, email: str, role: str = "editor"):
    return client.post(f"/studio/{provider.pk}/staff/", {"email": email, "role": role}, follow=True)


def _link_sent_to(email: str) -> str:
    message = OutboundEmail.objects.filter(to=[email]).latest("created_at")
    found = re.search(r"https?://\S+/studio/invitations/\S+/", message.body)
    assert found is not None, message.body
    return found.group(0)


def _path(link: str) -> str:
    return "/" + link.split("/", 3)[3]


def _notice(response) -> str:
    return " ".join(str(m) for m in response.context["messages"])


def test_inviting_attaches_nobody_and_answers_the_same_for_any_address(
    territory_a, provider_a, user, english, membership
):
    alan = english(territory_a, user("alan"))
    notices = []
    # A member here, an account of another territory only, and no account at all.
    for email in ("ada@example.org", "boris@example.org", "nobody@example.org"):
        response = _invite(alan, provider_a, email)
        assert response.status_code == 200
        notices.append(_notice(response).replace(email, "<address>"))
        assert OutboundEmail.objects.filter(to=[email]).count() == 1
    assert len(set(notices)) == 1
    assert "invitation was sent" in notices[0]
    with tenant_context(territory_a):
        assert list(provider_a.staff.values_list("user__email", flat=True)) == ["alan@example.org"]
        assert StaffInvitation.objects.filter(provider=provider_a).count() == 3
    assert membership("ada", territory_a).role == Membership.Role.LEARNER
    assert not Membership.objects.filter(user=user("boris"), territory=territory_a).exists()
    # The pending invitations are listed for the owner.
    page = alan.get(f"/studio/{provider_a.pk}/").content.decode()
    assert "Waiting invitations" in page and "nobody@example.org" in page


def test_the_invited_person_signs_in_then_accepts_once(
    territory_a, provider_a, user, english, membership
):
    alan = english(territory_a, user("alan"))
    _invite(alan, provider_a, "ADA@example.org")
    path = _path(_link_sent_to("ada@example.org"))
    # Not signed in: sent to sign in (or sign up) first, then back here.
    visitor = english(territory_a)
    response = visitor.get(path)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    ada = english(territory_a, user("ada"))
    page = ada.get(path)
    assert page.status_code == 200 and provider_a.name in page.content.decode()
    with tenant_context(territory_a):
        assert not provider_a.staff.filter(user=user("ada")).exists()  # not before accepting
    response = ada.post(path)
    assert response.status_code == 302
    assert response["Location"] == f"/studio/{provider_a.pk}/"
    with tenant_context(territory_a):
        assert provider_a.staff.get(user=user("ada")).role == ProviderStaff.Role.EDITOR
    assert membership("ada", territory_a).role == Membership.Role.PROVIDER_STAFF
    assert AuditEntry.objects.filter(action="provider.staff_added", territory=territory_a).exists()
    # Single use.
    assert ada.post(path).status_code == 404
    assert ada.get(path).status_code == 404


def test_only_the_invited_address_can_accept(territory_a, provider_a, user, english):
    alan = english(territory_a, user("alan"))
    _invite(alan, provider_a, "nobody@example.org")
    path = _path(_link_sent_to("nobody@example.org"))
    ada = english(territory_a, user("ada"))
    response = ada.post(path)
    assert response.status_code == 400
    assert "sent to another email address" in response.content.decode()
    with tenant_context(territory_a):
        assert not provider_a.staff.filter(user=user("ada")).exists()
        assert StaffInvitation.objects.get().accepted_at is None


def test_an_invitation_of_aurora_cannot_be_accepted_on_borealis(
    territory_a, territory_b, provider_a, user, english
):
    alan = english(territory_a, user("alan"))
    _invite(alan, provider_a, "boris@example.org")
    link = _link_sent_to("boris@example.org")
    assert link.startswith(territory_a.url.rstrip("/"))
    # Borealis has an invitation for boris too, likely with the same id.
    provider_b = make_provider(territory_b, "Borealis hub", staff=[(user("bruno"), "owner")])
    with tenant_context(territory_b):
        actions.invite_provider_staff(
            provider=provider_b,
            territory=territory_b,
            acting_user=user("bruno"),
            email="boris@example.org",
            role="owner",
        )
    boris = english(territory_b, user("boris"))
    assert boris.get(_path(link)).status_code == 404
    assert boris.post(_path(link)).status_code == 404
    with tenant_context(territory_b):
        assert not provider_b.staff.filter(user=user("boris")).exists()
    with tenant_context(territory_a):
        assert not provider_a.staff.filter(user=user("boris")).exists()


def test_expired_and_withdrawn_links_do_nothing(
    territory_a, territory_b, provider_a, user, english
):
    alan = english(territory_a, user("alan"))
    _invite(alan, provider_a, "ada@example.org")
    _invite(alan, provider_a, "anna@example.org")
    ada_path = _path(_link_sent_to("ada@example.org"))
    anna_path = _path(_link_sent_to("anna@example.org"))
    with tenant_context(territory_a):
        StaffInvitation.objects.filter(email="ada@example.org").update(
            expires_at=timezone.now() - datetime.timedelta(minutes=1)
        )
        anna_invitation = StaffInvitation.objects.get(email="anna@example.org")
    assert english(territory_a, user("ada")).post(ada_path).status_code == 404
    with tenant_context(territory_a):
        assert not provider_a.staff.filter(user=user("ada")).exists()
    # Only an owner of this provider, on this territory, withdraws.
    revoke = f"/studio/{provider_a.pk}/invitations/{anna_invitation.pk}/revoke/"
    with tenant_context(territory_a):
        ProviderStaff.objects.create(provider=provider_a, user=user("ada"), role="editor")
    assert english(territory_a, user("ada")).post(revoke).status_code == 403
    assert english(territory_b, user("bruno")).post(revoke).status_code in (403, 404)
    assert alan.post(revoke).status_code == 302
    assert "anna@example.org" not in alan.get(f"/studio/{provider_a.pk}/").content.decode()
    assert english(territory_a, user("anna")).post(anna_path).status_code == 404
    with tenant_context(territory_a):
        assert not provider_a.staff.filter(user=user("anna")).exists()


@pytest.mark.parametrize("role", ["boss", ""])
def test_a_bad_role_is_refused_and_nothing_sent(territory_a, provider_a, user, english, role):
    alan = english(territory_a, user("alan"))
    response = _invite(alan, provider_a, "ada@example.org", role=role)
    assert response.status_code == 200
    assert not OutboundEmail.objects.filter(to=["ada@example.org"]).exists()
    with tenant_context(territory_a):
        assert not StaffInvitation.objects.exists()


def test_the_studio_page_queries_do_not_grow_with_invitations(
    territory_a, provider_a, user, english, django_assert_max_num_queries
):
    alan = english(territory_a, user("alan"))
    _invite(alan, provider_a, "one@example.org")
    with django_assert_max_num_queries(40) as few:
        assert alan.get(f"/studio/{provider_a.pk}/").status_code == 200
    # Read now: every request clears the connection's query log.
    baseline = len(few.captured_queries)
    assert baseline > 0
    for number in range(8):
        _invite(alan, provider_a, f"more{number}@example.org")
    with django_assert_max_num_queries(baseline):
        page = alan.get(f"/studio/{provider_a.pk}/").content.decode()
    assert "more7@example.org" in page


def test_resending_waits_a_minute_and_voids_the_earlier_link(
    territory_a, provider_a, user, english
):
    alan = english(territory_a, user("alan"))
    _invite(alan, provider_a, "ada@example.org")
    first = _path(_link_sent_to("ada@example.org"))
    response = _invite(alan, provider_a, "ada@example.org")
    assert "Wait a minute" in _notice(response)
    assert OutboundEmail.objects.filter(to=["ada@example.org"]).count() == 1
    with tenant_context(territory_a):
        StaffInvitation.objects.update(sent_at=timezone.now() - datetime.timedelta(minutes=2))
    _invite(alan, provider_a, "ada@example.org")
    second = _path(_link_sent_to("ada@example.org"))
    assert first != second
    ada = english(territory_a, user("ada"))
    assert ada.post(first).status_code == 404
    assert ada.post(second).status_code == 302


def test_closed_invitations_are_forgotten_after_a_month(territory_a, provider_a, user):
    from tenant_apps.catalogue.tasks import purge_invitations_task

    now = timezone.now()
    month = datetime.timedelta(days=31)
    with tenant_context(territory_a):
        for email in ("open@example.org", "old@example.org", "gone@example.org"):
            actions.invite_provider_staff(
                provider=provider_a,
                territory=territory_a,
                acting_user=user("alan"),
                email=email,
                role="editor",
            )
        StaffInvitation.objects.filter(email="old@example.org").update(expires_at=now - month)
        StaffInvitation.objects.filter(email="gone@example.org").update(revoked_at=now - month)
        assert purge_invitations_task() == 2
        assert list(StaffInvitation.objects.values_list("email", flat=True)) == ["open@example.org"]
