"""Emails: the reader's language, the territory's name and colours, through the outbox."""

from __future__ import annotations

from collections.abc import Callable

from django.core import mail
from django_tenants.utils import tenant_context

from shared_apps.accounts.models import User
from shared_apps.notifications import actions, kinds
from shared_apps.notifications.models import Notification
from shared_apps.ops.models import OutboundEmail
from tenant_apps.badges import actions as badges
from tenants.models import Territory
from tests.conftest import ClientFor, HostClient
from tests.shared_apps.onboarding.test_wizard import fill, start
from tests.tenant_apps.badges.factories import make_badge

UserOf = Callable[[str], User]


def award(territory: Territory, recipient: User, name: str = "Bike mechanic") -> None:
    with tenant_context(territory):
        badges.award_badge(
            territory=territory,
            badge_class=make_badge(territory, name),
            recipient=badges.recipient_for_user(recipient),
            source="manual",
        )


def test_in_the_account_language_else_the_territory_default(
    territory_a: Territory, user: UserOf
) -> None:
    ada = user("ada")
    ada.preferred_language = "de"
    ada.save(update_fields=["preferred_language"])
    award(territory_a, ada)
    award(territory_a, user("alan"), "Second badge")
    german = OutboundEmail.objects.get(to=[ada.email])
    assert german.language == "de"
    assert "Du hast das Badge „Bike mechanic“ erhalten." in german.subject
    lithuanian = OutboundEmail.objects.get(to=[user("alan").email])
    assert lithuanian.language == "lt"  # aurora's default language
    assert "Gavai ženklelį „Second badge“." in lithuanian.subject


def test_branded_with_the_territory_html_and_text(territory_a: Territory, user: UserOf) -> None:
    territory_a.primary_color = "#7a1f2b"
    territory_a.save(update_fields=["primary_color"])
    ada = user("ada")
    ada.preferred_language = "en"
    ada.display_name = "Ada"
    ada.save(update_fields=["preferred_language", "display_name"])
    award(territory_a, ada)
    email = OutboundEmail.objects.get(to=[ada.email])
    assert email.subject == "Aurora: You earned the badge “Bike mechanic”."
    assert email.body.startswith("Hello Ada,\n")
    assert "http://aurora.localhost/badges/awards/" in email.body
    assert "http://aurora.localhost/account/#notifications" in email.body
    assert "background:#7a1f2b" in email.html_body
    assert ">Aurora</td>" in email.html_body.replace("\n", "")
    assert "http://aurora.localhost/badges/awards/" in email.html_body


def test_sent_after_commit_only(
    territory_a: Territory, user: UserOf, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        award(territory_a, user("ada"))
        assert mail.outbox == []  # stored in the transaction, not sent yet
    assert [m.to for m in mail.outbox] == [[user("ada").email]]
    alternatives = getattr(mail.outbox[0], "alternatives", [])
    assert alternatives and alternatives[0][1] == "text/html"


def test_allauth_mails_name_the_territory(
    territory_a: Territory, client_for: ClientFor, user: UserOf
) -> None:
    """Was "Hello from !": our adapter rendered allauth's mails without current_site."""
    ada = user("ada")
    ada.preferred_language = "en"
    ada.save(update_fields=["preferred_language"])
    client = client_for(territory_a)
    response = client.post("/accounts/password/reset/", {"email": ada.email})
    assert response.status_code == 302
    email = OutboundEmail.objects.get(to=[user("ada").email])
    assert "Hello from Aurora!" in email.body
    assert email.subject.startswith("[Aurora] ")
    assert "Hello from !" not in email.body
    assert f"background:{territory_a.primary_color}" in email.html_body


def test_allauth_mails_on_the_network_site(network_client: HostClient, user: UserOf) -> None:
    network_client.cookies["django_language"] = "en"
    network_client.post("/accounts/password/reset/", {"email": user("cora").email})
    email = OutboundEmail.objects.get(to=[user("cora").email])
    assert "Hello from Cities of Learning!" in email.body


def test_guardian_consent_email_is_branded(territory_a: Territory, client_for: ClientFor) -> None:
    from tests.shared_apps.guardians.factories import just_turned, make_learner

    child = make_learner("kid@example.org", just_turned(12), territory_a)
    client = client_for(territory_a)
    client.cookies["django_language"] = "en"
    client.sign_in(child)
    response = client.post(
        "/account/", {"action": "guardian", "guardian_email": "parent@example.org"}
    )
    assert response.status_code == 302
    email = OutboundEmail.objects.get(to=["parent@example.org"])
    assert email.language == "en"
    assert f"background:{territory_a.primary_color}" in email.html_body
    assert "Aurora" in email.html_body


def test_welcome_email_for_a_new_citys_administrator(
    db: None, network_client: HostClient, django_capture_on_commit_callbacks
) -> None:
    start(network_client)
    fill(network_client)
    with django_capture_on_commit_callbacks(execute=True):
        assert network_client.post("/join/step/review/").status_code == 302
    territory = Territory.objects.get(slug="kaunas")
    admin = User.objects.get(email="ruta@kaunas.example")
    email = OutboundEmail.objects.get(to=[admin.email], purpose="notifications/territory_welcome")
    assert email.language == "lt"  # the account chose none: the territory's default
    assert email.subject.startswith("Kaunas: ")
    assert "http://kaunas.localhost/manage/" in email.body
    assert "background:#7a1f2b" in email.html_body  # the colours chosen in the wizard
    assert Notification.objects.get(user=admin).territory == territory
    assert [m.to for m in mail.outbox] == [[admin.email]]


def test_a_code_card_account_gets_no_email(territory_a: Territory) -> None:
    from shared_apps.guardians.cards import card_email

    card = User.objects.create_user(card_email("ABCDE12345"), None)
    actions.notify(user=card, kind=kinds.BADGE_AWARDED, territory=territory_a, params={})
    assert Notification.objects.filter(user=card).exists()
    assert not OutboundEmail.objects.filter(to=[card.email]).exists()
