"""Code-card accounts: made by staff for an event, redeemed once with a passphrase,
signed in with code and passphrase, badges with a URL identity instead of an email."""

import re
from collections.abc import Callable
from typing import Any

from django.test import override_settings
from django_tenants.utils import tenant_context

from shared_apps.accounts.models import Membership, User
from shared_apps.accounts.selectors import is_card_account
from shared_apps.guardians import cards
from shared_apps.guardians.models import AgeRecord, CodeCard
from shared_apps.guardians.selectors import is_restricted
from tenant_apps.badges import actions, documents, identity
from tenant_apps.badges.models import Award
from tenants.models import Territory
from tests.conftest import ClientFor, HostClient
from tests.shared_apps.guardians.factories import just_turned
from tests.tenant_apps.badges.factories import make_badge

PASSPHRASE = "blue kites over the river"


def _staff_client(territory: Territory, client_for: ClientFor, staff: User) -> HostClient:
    client = client_for(territory)
    client.cookies["django_language"] = "en"
    client.sign_in(staff)
    return client


def _redeem(client: HostClient, code: str, birth: tuple[int, int]) -> Any:
    return client.post(
        "/account/card/",
        {
            "code": code.lower(),
            "birth_year": str(birth[0]),
            "birth_month": str(birth[1]),
            "passphrase1": PASSPHRASE,
            "passphrase2": PASSPHRASE,
        },
    )


def test_staff_make_cards_and_a_learner_redeems_one(
    territory_a: Territory, client_for: ClientFor, user: Callable[[str], User]
) -> None:
    staff = _staff_client(territory_a, client_for, user("alan"))
    response = staff.post("/account/cards/new/", {"count": "3", "label": "Summer fair"})
    assert response.status_code == 302
    page = staff.get(response["Location"]).content.decode()
    codes = re.findall(r'class="code-card__code">([A-Z0-9]{5}-[A-Z0-9]{5})<', page)
    assert len(codes) == 3 and "Summer fair" in page
    card = CodeCard.objects.get(code=codes[0].replace("-", ""))
    assert Membership.objects.get(user=card.user, territory=territory_a).role == "learner"
    assert not card.user.has_usable_password()

    learner = client_for(territory_a)
    learner.cookies["django_language"] = "en"
    assert _redeem(learner, codes[0], just_turned(13)).status_code == 302
    assert learner.get("/account/").status_code == 200
    card.refresh_from_db()
    assert card.redeemed_at is not None
    assert AgeRecord.objects.get(user=card.user).consent_age == 14
    assert is_restricted(card.user)
    # One time only.
    again = _redeem(client_for(territory_a), codes[0], just_turned(13))
    assert again.status_code == 400

    # Later: code + passphrase sign in.
    later = client_for(territory_a)
    wrong = later.post("/account/card/sign-in/", {"code": codes[0], "passphrase": "nope"})
    assert wrong.status_code == 400
    right = later.post("/account/card/sign-in/", {"code": codes[0], "passphrase": PASSPHRASE})
    assert right.status_code == 302
    assert later.get("/account/").status_code == 200
    # The printed page now marks it used, and shows no code for it.
    assert codes[0] not in staff.get(response["Location"]).content.decode()


def test_only_staff_of_this_territory_make_or_see_cards(
    territory_a: Territory,
    territory_b: Territory,
    client_for: ClientFor,
    user: Callable[[str], User],
) -> None:
    learner = _staff_client(territory_a, client_for, user("ada"))
    assert learner.post("/account/cards/new/", {"count": "2"}).status_code == 403
    batch = cards.create_cards(territory=territory_a, count=2, label="", acting_user=user("alan"))
    assert learner.get(f"/account/cards/{batch}/").status_code == 403
    other = _staff_client(territory_b, client_for, user("boris"))
    assert other.get(f"/account/cards/{batch}/").status_code == 404
    code = CodeCard.objects.filter(batch=batch).first()
    assert code is not None
    # A code of aurora cannot be redeemed on borealis's site.
    assert _redeem(client_for(territory_b), code.code, just_turned(20)).status_code == 400
    assert HostClient("localhost").get("/account/card/").status_code == 404
    too_many = _staff_client(territory_a, client_for, user("alan"))
    assert too_many.post("/account/cards/new/", {"count": "500"}).status_code == 400


@override_settings(PLATFORM_PORT="")
def test_badges_for_card_accounts_use_a_url_identity(
    territory_a: Territory, user: Callable[[str], User]
) -> None:
    batch = cards.create_cards(territory=territory_a, count=1, label="", acting_user=None)
    holder = CodeCard.objects.get(batch=batch).user
    with tenant_context(territory_a):
        badge = make_badge(territory_a, "Card badge")
        made = actions.award_badge(
            territory=territory_a,
            badge_class=badge,
            recipient=actions.recipient_for_user(holder),
            source=Award.Source.MANUAL,
        )
        ob2 = documents.ob2_assertion(territory_a, made)
        assert ob2["recipient"]["type"] == "url"
        kind, value = identity.recipient_identity(holder.email)
        assert kind == "url" and value.startswith("http://localhost/learners/card-")
        assert ob2["recipient"]["identity"] == identity.hash_identity(
            holder.email, made.recipient_salt
        )
        subject = made.credential["credentialSubject"]["identifier"][0]
        assert subject["identityType"] == "ext:url"
        assert "cards.invalid" not in str(ob2) and "cards.invalid" not in str(made.credential)
        email_award = actions.award_badge(
            territory=territory_a,
            badge_class=badge,
            recipient=actions.recipient_for_user(user("ada")),
            source=Award.Source.MANUAL,
        )
        assert documents.ob2_assertion(territory_a, email_award)["recipient"]["type"] == "email"


def test_card_holder_attaches_an_email_later(
    territory_a: Territory, client_for: ClientFor, django_capture_on_commit_callbacks: Any
) -> None:
    from django.core import mail

    batch = cards.create_cards(territory=territory_a, count=1, label="", acting_user=None)
    card = CodeCard.objects.get(batch=batch)
    client = client_for(territory_a)
    client.cookies["django_language"] = "en"
    assert _redeem(client, card.code, just_turned(20)).status_code == 302
    page = client.get("/account/").content.decode()
    assert "cards.invalid" not in page and "Add an email address" in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/accounts/email/", {"action_add": "", "email": "found.me@example.org"}
        )
    assert response.status_code == 302, response.content.decode()[:2000]
    link = re.search(
        r"http://aurora\.localhost(/accounts/confirm-email/[^\s]+/)", str(mail.outbox[-1].body)
    )
    assert link is not None
    assert client.post(link.group(1)).status_code == 302
    holder = User.objects.get(pk=card.user_id)
    assert holder.email == "found.me@example.org"
    assert not is_card_account(holder)


def test_print_page_and_account_page_pin_their_queries(
    territory_a: Territory,
    client_for: ClientFor,
    user: Callable[[str], User],
    django_assert_max_num_queries: Any,
) -> None:
    staff = _staff_client(territory_a, client_for, user("alan"))
    small = cards.create_cards(territory=territory_a, count=2, label="", acting_user=None)
    large = cards.create_cards(territory=territory_a, count=20, label="", acting_user=None)
    staff.get(f"/account/cards/{small}/")
    with django_assert_max_num_queries(12) as few:
        staff.get(f"/account/cards/{small}/")
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = staff.get(f"/account/cards/{large}/").content.decode()
    assert page.count('class="code-card"') == 20
    with django_assert_max_num_queries(14):
        assert staff.get("/account/").status_code == 200
