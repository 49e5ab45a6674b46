"""Issue 14: the administrator's address is proved by a one-time code before the site
is created, so the wizard never tells whether an address already has an account."""

from __future__ import annotations

import json
import re
from datetime import timedelta

from django.core import mail
from django.utils import timezone

from shared_apps.accounts.models import User
from shared_apps.onboarding import actions
from shared_apps.onboarding.models import Signup
from shared_apps.ops.models import OutboundEmail
from tenants.models import Territory
from tests.conftest import HostClient
from tests.shared_apps.onboarding.test_wizard import CODE_URL, STEP_DATA, fill, sent_code, start

KNOWN = "ada@example.org"
UNKNOWN = "nobody-yet@kaunas.example"


def to_code_step(client: HostClient, address: str) -> Signup:
    signup = start(client)
    fill(client, until="administrator")
    response = client.post(
        "/join/step/administrator/", {**STEP_DATA["administrator"], "email": address}
    )
    assert (response.status_code, response["Location"]) == (302, CODE_URL)
    signup.refresh_from_db()
    return signup


def normalised(html: bytes, address: str) -> str:
    """The page without what differs by design: CSRF tokens, the sign-up's own resume
    link, and the address that was typed."""
    text = html.decode()
    text = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "CSRF", text)
    text = re.sub(r"/join/resume/[^/\"]+/", "/join/resume/TOKEN/", text)
    return text.replace(address, "ADDRESS")


def test_known_and_unknown_addresses_get_the_same_answer(
    db: None, user, django_capture_on_commit_callbacks
) -> None:
    user("ada")  # ada@example.org has an account
    pages = {}
    for address in (KNOWN, UNKNOWN):
        client = HostClient("localhost")
        with django_capture_on_commit_callbacks(execute=True):
            to_code_step(client, address)
            # Sent twice: the owner of a known address is told once per sign-up.
            again = client.post(
                "/join/step/administrator/", {**STEP_DATA["administrator"], "email": address}
            )
        assert (again.status_code, again["Location"]) == (302, CODE_URL)
        shown = client.get(CODE_URL)
        wrong = client.post(CODE_URL, {"code": "000000"})
        absent = client.post(CODE_URL, {"code": ""})
        pages[address] = [
            (r.status_code, normalised(r.content, address)) for r in (shown, wrong, absent)
        ]
    assert [status for status, _ in pages[KNOWN]] == [200, 400, 400]
    assert pages[KNOWN] == pages[UNKNOWN]
    assert "We sent a code to <strong>ADDRESS</strong>" in pages[KNOWN][0][1]
    # The known address got "sign in, then continue" (once), the unknown one codes.
    assert [m.to for m in mail.outbox] == [[KNOWN], [UNKNOWN], [UNKNOWN]]
    assert "already have an account" in mail.outbox[0].body
    assert "/accounts/login/?next=/join/step/administrator/" in mail.outbox[0].body
    assert not re.search(r"\b\d{6}\b", str(mail.outbox[0].body))


def test_a_known_address_can_never_complete(db: None, user, network_client) -> None:
    user("ada")
    signup = to_code_step(network_client, KNOWN)
    assert not OutboundEmail.objects.filter(purpose="onboarding/email/code").exists()
    # No code reached anyone; the review and its submit send back to the step.
    assert network_client.get("/join/step/review/")["Location"] == "/join/step/administrator/"
    assert network_client.post("/join/step/plan/", STEP_DATA["plan"]).status_code == 302
    response = network_client.post("/join/step/review/")
    assert response["Location"] == "/join/step/administrator/"
    signup.refresh_from_db()
    assert "administrator" not in signup.completed_steps and signup.territory_id is None
    assert not Territory.objects.filter(slug="kaunas").exists()


def test_a_wrong_code_is_refused_with_a_field_error(db: None, network_client) -> None:
    signup = to_code_step(network_client, UNKNOWN)
    right = sent_code(UNKNOWN)
    wrong = f"{(int(right) + 1) % 10**6:06d}"
    response = network_client.post(CODE_URL, {"code": wrong})
    assert response.status_code == 400
    assert response.context["form"].errors["code"] == [
        "This code is wrong or has expired. Check the email or send a new code."
    ]
    signup.refresh_from_db()
    assert "administrator" not in signup.completed_steps
    assert network_client.post(CODE_URL, {"code": right})["Location"] == "/join/step/plan/"


def test_the_code_expires(db: None, network_client) -> None:
    signup = to_code_step(network_client, UNKNOWN)
    state = signup.data[actions.CODE_KEY]
    state["expires"] = (timezone.now() - timedelta(seconds=1)).isoformat()
    Signup.objects.filter(pk=signup.pk).update(data={**signup.data, actions.CODE_KEY: state})
    assert network_client.post(CODE_URL, {"code": sent_code(UNKNOWN)}).status_code == 400
    # A new code works.
    assert network_client.post(CODE_URL, {"go": "resend"})["Location"] == CODE_URL
    assert network_client.post(CODE_URL, {"code": sent_code(UNKNOWN)}).status_code == 302


def test_wrong_tries_and_resends_are_limited(db: None, network_client) -> None:
    to_code_step(network_client, UNKNOWN)
    right = sent_code(UNKNOWN)
    wrong = f"{(int(right) + 1) % 10**6:06d}"
    for _ in range(actions.CODE_ATTEMPTS):
        assert network_client.post(CODE_URL, {"code": wrong}).status_code == 400
    # Spent: even the right code is refused now.
    assert network_client.post(CODE_URL, {"code": right}).status_code == 400
    for _ in range(actions.CODE_SENDS - 1):
        assert network_client.post(CODE_URL, {"go": "resend"}).status_code == 302
    refused = network_client.post(CODE_URL, {"go": "resend"})
    assert refused.status_code == 400
    assert "Too many codes were sent" in refused.content.decode()
    assert OutboundEmail.objects.filter(purpose="onboarding/email/code").count() == (
        actions.CODE_SENDS
    )
    # The last code sent still works.
    assert network_client.post(CODE_URL, {"code": sent_code(UNKNOWN)}).status_code == 302


def test_the_code_is_not_stored_in_clear(db: None, network_client) -> None:
    signup = to_code_step(network_client, UNKNOWN)
    signup.refresh_from_db()
    code = sent_code(UNKNOWN)
    row = json.dumps(signup.data) + json.dumps(signup.completed_steps) + signup.password_hash
    assert code not in row
    assert len(signup.data[actions.CODE_KEY]["digest"]) == 64


def test_a_code_of_one_signup_does_not_work_for_another(db: None) -> None:
    first, second = HostClient("localhost"), HostClient("localhost")
    to_code_step(first, UNKNOWN)
    code_of_first = sent_code(UNKNOWN)
    to_code_step(second, UNKNOWN)
    code_of_second = sent_code(UNKNOWN)
    if code_of_first != code_of_second:  # 1 in a million they are equal
        assert second.post(CODE_URL, {"code": code_of_first}).status_code == 400
    assert second.post(CODE_URL, {"code": code_of_second}).status_code == 302
    # A code proves the address it was sent to only: changing it asks for a new one.
    assert (
        first.post(
            "/join/step/administrator/", {**STEP_DATA["administrator"], "email": "x@kaunas.example"}
        )["Location"]
        == CODE_URL
    )
    assert first.post(CODE_URL, {"code": code_of_first}).status_code == 400


def test_an_account_made_meanwhile_is_still_refused_at_the_submit(db: None, network_client) -> None:
    """The 409 stays as the last defence for a race, reachable only by whoever read
    the code, i.e. the mailbox's owner."""
    start(network_client)
    fill(network_client)
    User.objects.create(email=STEP_DATA["administrator"]["email"])
    response = network_client.post("/join/step/review/")
    assert response.status_code == 409
    assert "already an account with this address" in response.content.decode()
    assert not Territory.objects.filter(slug="kaunas").exists()
