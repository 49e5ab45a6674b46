"""The territory admin invites a new provider by email (issue 16, item 7): the invited
person signs in or signs up with that address, accepts once, and owns a new, verified
provider. Nothing exists before they accept; the link works on its own territory only."""

from __future__ import annotations

import datetime
import re
from typing import Any

from django.core import mail
from django.utils import timezone
from django_tenants.utils import tenant_context

from shared_apps.accounts.models import Membership, User
from shared_apps.audit.models import AuditEntry
from shared_apps.onboarding.checklist import checklist
from shared_apps.ops.models import OutboundEmail
from tenant_apps.catalogue import actions
from tenant_apps.catalogue.models import Provider, ProviderStaff, StaffInvitation
from tests.shared_apps.guardians.factories import make_learner
from tests.tenant_apps.catalogue.test_invitations import _link_sent_to, _notice, _path

PAGE = "/manage/review/providers/invitations/"
NEW_PASSWORD = "a long new pass phrase 2026"


def _invite(client, name: str = "Riverside Youth Club", email: str = "nora@example.org"):
    return client.post(PAGE, {"organisation_name": name, "email": email})


def _state(territory, key: str = "providers") -> str:
    return next(item["state"] for item in checklist(territory) if item["key"] == key)


def test_the_welcome_checklist_leads_to_the_invitation_page(territory_b, english, user) -> None:
    items = {item["key"]: item for item in checklist(territory_b)}
    assert items["providers"]["url"] == PAGE
    bruno = english(territory_b, user("bruno"))
    page = bruno.get(PAGE)
    assert page.status_code == 200
    assert 'name="organisation_name"' in page.content.decode()


def test_invite_sign_up_accept_and_own_the_new_provider(
    territory_a, english, user, django_capture_on_commit_callbacks: Any
) -> None:
    anna = english(territory_a, user("anna"))
    response = _invite(anna)
    assert response.status_code == 302
    with tenant_context(territory_a):
        assert not Provider.objects.filter(name="Riverside Youth Club").exists()
        invitation = StaffInvitation.objects.get(email="nora@example.org")
        assert invitation.provider is None and invitation.role == ProviderStaff.Role.OWNER
    # The email is in the territory's default language (Lithuanian), not the admin's.
    email = OutboundEmail.objects.get(to=["nora@example.org"])
    assert email.language == territory_a.default_language
    assert "Riverside Youth Club" in email.body
    assert AuditEntry.objects.filter(action="provider.invited", territory=territory_a).exists()
    path = _path(_link_sent_to("nora@example.org"))

    # Nora has no account: the link sends her to sign in, where she signs up.
    visitor = english(territory_a)
    response = visitor.get(path)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    with django_capture_on_commit_callbacks(execute=True):
        response = visitor.post(
            "/accounts/signup/",
            {
                "email": "nora@example.org",
                "password1": NEW_PASSWORD,
                "password2": NEW_PASSWORD,
                "display_name": "Nora",
                "birth_year": "1990",
                "birth_month": "5",
            },
        )
    assert response.status_code == 302
    confirm = re.search(
        r"https?://[^\s]+(/accounts/confirm-email/[^\s]+/)", str(mail.outbox[-1].body)
    )
    assert confirm is not None
    assert visitor.post(confirm.group(1)).status_code == 302
    visitor.post("/accounts/login/", {"login": "nora@example.org", "password": NEW_PASSWORD})
    nora = User.objects.get(email="nora@example.org")

    page = visitor.get(path)
    assert page.status_code == 200 and "Riverside Youth Club" in page.content.decode()
    response = visitor.post(path)
    assert response.status_code == 302
    with tenant_context(territory_a):
        provider = Provider.objects.get(name="Riverside Youth Club")
        assert provider.status == Provider.Status.VERIFIED
        assert provider.email == ""  # the invited address is not made public
        assert provider.staff.get().user == nora
        assert provider.staff.get().role == ProviderStaff.Role.OWNER
    assert response["Location"] == f"/studio/{provider.pk}/"
    assert Membership.objects.get(user=nora, territory=territory_a).role == "provider_staff"
    studio = visitor.get(f"/studio/{provider.pk}/")
    assert studio.status_code == 200 and "Riverside Youth Club" in studio.content.decode()
    # Single use; and the checklist item is ticked by the provider's existence.
    assert visitor.post(path).status_code == 404
    assert _state(territory_a) == "done"


def test_the_checklist_ticks_from_the_invitation_itself(territory_b, user) -> None:
    # borealis has provider staff (boris): remove that role to start from nothing.
    Membership.objects.filter(territory=territory_b, role="provider_staff").update(role="learner")
    assert _state(territory_b) == "todo"
    with tenant_context(territory_b):
        actions.invite_provider(
            territory=territory_b,
            acting_user=user("bruno"),
            organisation_name="Harbour Library",
            email="lib@example.org",
        )
    assert _state(territory_b) == "done"


def test_bad_input_gives_field_errors_and_writes_nothing(territory_a, english, user) -> None:
    anna = english(territory_a, user("anna"))
    response = _invite(anna, name="  ", email="not an address")
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert set(errors) == {"organisation_name", "email"}
    # An organisation already here is refused on its field.
    with tenant_context(territory_a):
        Provider.objects.create(name="Old Mill", slug="old-mill")
    response = _invite(anna, name="old mill")
    assert response.status_code == 400
    assert "already here" in str(response.context["form"].errors["organisation_name"])
    with tenant_context(territory_a):
        assert not StaffInvitation.objects.exists()
    assert not OutboundEmail.objects.filter(to=["nora@example.org"]).exists()


def test_only_this_territorys_admin_invites(territory_a, english, user) -> None:
    for name in ("ada", "alan"):  # a learner, provider staff
        assert _invite(english(territory_a, user(name))).status_code == 403
    # borealis' admin has no session on aurora's host: sent to sign in.
    assert _invite(english(territory_a, user("bruno"))).status_code in (302, 403)
    with tenant_context(territory_a):
        assert not StaffInvitation.objects.exists()


def test_resend_revoke_and_expiry(territory_a, english, user) -> None:
    anna = english(territory_a, user("anna"))
    _invite(anna)
    first = _path(_link_sent_to("nora@example.org"))
    with tenant_context(territory_a):
        invitation = StaffInvitation.objects.get()
        StaffInvitation.objects.update(sent_at=timezone.now() - datetime.timedelta(minutes=2))
    response = anna.post(f"{PAGE}{invitation.pk}/resend/", follow=True)
    assert "invitation was sent" in _notice(response)
    assert OutboundEmail.objects.filter(to=["nora@example.org"]).count() == 2
    second = _path(_link_sent_to("nora@example.org"))
    assert second != first
    nora = make_learner("nora@example.org", (1990, 5), territory_a)
    client = english(territory_a, nora)
    assert client.get(first).status_code == 404  # the earlier link stopped working
    # Resending again at once is refused (no mail bombing).
    response = anna.post(f"{PAGE}{invitation.pk}/resend/", follow=True)
    assert "Wait a minute" in _notice(response)
    # Withdrawn: the link is dead and the invitation leaves the list.
    anna.post(f"{PAGE}{invitation.pk}/revoke/")
    assert client.get(second).status_code == 404
    assert "nora@example.org" not in anna.get(PAGE).content.decode()
    # Expired: a new invitation past its date cannot be accepted.
    with tenant_context(territory_a):
        StaffInvitation.objects.all().delete()
    _invite(anna)
    link = _path(_link_sent_to("nora@example.org"))
    with tenant_context(territory_a):
        StaffInvitation.objects.update(expires_at=timezone.now() - datetime.timedelta(seconds=1))
    assert client.post(link).status_code == 404
    with tenant_context(territory_a):
        assert not Provider.objects.filter(name="Riverside Youth Club").exists()


def test_an_invitation_of_aurora_cannot_be_accepted_on_borealis(
    territory_a, territory_b, english, user
) -> None:
    anna = english(territory_a, user("anna"))
    _invite(anna, email="boris@example.org")
    link = _link_sent_to("boris@example.org")
    # Borealis invites too: probably the same invitation id in its own schema.
    with tenant_context(territory_b):
        actions.invite_provider(
            territory=territory_b,
            acting_user=user("bruno"),
            organisation_name="Other club",
            email="boris@example.org",
        )
    boris = english(territory_b, user("boris"))
    assert boris.get(_path(link)).status_code == 404
    assert boris.post(_path(link)).status_code == 404
    with tenant_context(territory_b):
        assert not Provider.objects.filter(name__in=["Riverside Youth Club", "Other club"]).exists()
    # borealis' admin cannot resend or revoke aurora's invitation (ids are per schema).
    with tenant_context(territory_a):
        invitation = StaffInvitation.objects.get()
    bruno = english(territory_a, user("bruno"))
    assert bruno.post(f"{PAGE}{invitation.pk}/revoke/").status_code in (302, 403)
    with tenant_context(territory_a):
        assert StaffInvitation.objects.get().revoked_at is None


def test_only_the_invited_address_can_accept(territory_a, english, user) -> None:
    anna = english(territory_a, user("anna"))
    _invite(anna)
    path = _path(_link_sent_to("nora@example.org"))
    ada = english(territory_a, user("ada"))
    response = ada.post(path)
    assert response.status_code == 400
    with tenant_context(territory_a):
        assert not Provider.objects.filter(name="Riverside Youth Club").exists()
