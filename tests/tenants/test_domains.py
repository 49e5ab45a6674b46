"""Custom domains: added by a territory admin, routed only after a real DNS TXT lookup
(answered by a tiny DNS server on loopback)."""

from __future__ import annotations

import datetime
import socket
import threading
from collections.abc import Callable, Iterator
from typing import Any

import dns.message
import dns.rcode
import dns.rdatatype
import dns.rrset
import pytest
from django.db import IntegrityError, connection, transaction
from django.test import override_settings
from django.utils import timezone

from shared_apps.accounts.models import User
from shared_apps.audit.models import AuditEntry
from tenants import actions
from tenants.models import Domain, Territory
from tests.conftest import ClientFor, HostClient
from tests.servers import port

DNS_PORT = port("dns")  # this checkout's (and xdist worker's) own
TXT_RECORDS: dict[str, list[str]] = {}


def serve_dns(sock: socket.socket, stop: threading.Event) -> None:
    """Answers TXT queries from TXT_RECORDS over UDP: the real DNS wire format."""
    sock.settimeout(0.2)
    while not stop.is_set():
        try:
            wire, address = sock.recvfrom(4096)
        except TimeoutError:
            continue
        query = dns.message.from_wire(wire)
        response = dns.message.make_response(query)
        question = query.question[0]
        name = question.name.to_text().rstrip(".").lower()
        if question.rdtype == dns.rdatatype.TXT and name in TXT_RECORDS:
            response.answer.append(
                dns.rrset.from_text_list(
                    question.name, 60, "IN", "TXT", [f'"{value}"' for value in TXT_RECORDS[name]]
                )
            )
        else:
            response.set_rcode(dns.rcode.NXDOMAIN)
        sock.sendto(response.to_wire(), address)


@pytest.fixture(scope="module")
def dns_server() -> Iterator[dict[str, list[str]]]:
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sock.bind(("127.0.0.1", DNS_PORT))
    stop = threading.Event()
    thread = threading.Thread(target=serve_dns, args=(sock, stop), daemon=True)
    thread.start()
    with override_settings(DNS_NAMESERVERS=[f"127.0.0.1:{DNS_PORT}"]):
        yield TXT_RECORDS
    stop.set()
    thread.join()
    sock.close()


@pytest.fixture
def admin_b(
    client_for: ClientFor, territory_b: Territory, user: Callable[[str], User]
) -> HostClient:
    client = client_for(territory_b)
    client.sign_in(user("bruno"))
    client.cookies["django_language"] = "en"
    return client


@pytest.fixture
def admin_a(
    client_for: ClientFor, territory_a: Territory, user: Callable[[str], User]
) -> HostClient:
    client = client_for(territory_a)
    client.sign_in(user("anna"))
    client.cookies["django_language"] = "en"  # aurora speaks Lithuanian by default
    return client


def test_domain_routes_only_after_dns_verification(
    admin_a: HostClient, territory_a: Territory, dns_server: dict[str, list[str]]
) -> None:
    response = admin_a.post("/manage/domains/", {"domain": "Learn.Aurora.example"})
    assert response.status_code == 302
    domain = Domain.objects.get(domain="learn.aurora.example")
    assert (domain.kind, domain.is_verified, domain.tenant_id) == ("custom", False, territory_a.pk)
    page = admin_a.get("/manage/domains/").content.decode()
    assert f"cities-of-learning-verification={domain.verification_token}" in page
    assert "_cities-of-learning.learn.aurora.example" in page

    visitor = HostClient("learn.aurora.example")
    assert visitor.get("/").status_code == 404  # not verified: does not route

    # Record not published yet: stays unverified.
    admin_a.post(f"/manage/domains/{domain.pk}/verify/")
    assert not Domain.objects.get(pk=domain.pk).is_verified
    assert visitor.get("/").status_code == 404

    dns_server["_cities-of-learning.learn.aurora.example"] = [
        "v=spf1 -all",
        f"cities-of-learning-verification={domain.verification_token}",
    ]
    admin_a.post(f"/manage/domains/{domain.pk}/verify/")
    domain.refresh_from_db()
    assert domain.is_verified and domain.verified_at is not None
    assert AuditEntry.objects.filter(action="domain.verified", territory=territory_a).exists()
    response = visitor.get("/")  # the cached 404 route was dropped at once
    assert response.status_code == 200
    assert "Aurora" in response.content.decode()

    response = admin_a.post(f"/manage/domains/{domain.pk}/remove/")
    assert response.status_code == 302, response.content.decode()[:500]
    assert not Domain.objects.filter(pk=domain.pk).exists()
    assert visitor.get("/").status_code == 404


def test_wrong_token_does_not_verify(admin_a: HostClient, dns_server: dict[str, list[str]]) -> None:
    admin_a.post("/manage/domains/", {"domain": "learn2.aurora.example"})
    domain = Domain.objects.get(domain="learn2.aurora.example")
    dns_server["_cities-of-learning.learn2.aurora.example"] = [
        "cities-of-learning-verification=guess"
    ]
    admin_a.post(f"/manage/domains/{domain.pk}/verify/")
    assert not Domain.objects.get(pk=domain.pk).is_verified


def test_refused_domains(admin_a: HostClient, territory_b: Territory) -> None:
    Domain.objects.create(
        domain="taken.example", tenant=territory_b, kind="custom", is_verified=True
    )
    for hostname, reason in [
        ("not a domain", "Enter a domain name"),
        ("evil.localhost", "are the platform"),
        ("taken.example", "already in use"),
    ]:
        response = admin_a.post("/manage/domains/", {"domain": hostname})
        assert response.status_code == 400
        assert reason in response.content.decode(), hostname


def test_other_territorys_domains_are_out_of_reach(
    admin_a: HostClient, territory_b: Territory, client_for: ClientFor, user: Callable[[str], User]
) -> None:
    theirs = Domain.objects.create(domain="borealis.example", tenant=territory_b, kind="custom")
    assert admin_a.post(f"/manage/domains/{theirs.pk}/verify/").status_code == 404
    assert admin_a.post(f"/manage/domains/{theirs.pk}/remove/").status_code == 404
    assert "borealis.example" not in admin_a.get("/manage/domains/").content.decode()
    assert Domain.objects.filter(pk=theirs.pk).exists()
    learner = client_for(territory_b)
    learner.sign_in(user("bea"))
    assert learner.get("/manage/domains/").status_code == 403


def publish(dns_server: dict[str, list[str]], *domains: Domain) -> None:
    """Both claimants' tokens published: whoever verifies first has proved control."""
    dns_server["_cities-of-learning." + domains[0].domain] = [
        f"cities-of-learning-verification={domain.verification_token}" for domain in domains
    ]


def test_a_pending_claim_neither_blocks_nor_shows_another_territory(
    admin_a: HostClient, admin_b: HostClient, territory_a: Territory, territory_b: Territory
) -> None:
    assert admin_b.post("/manage/domains/", {"domain": "shared.example"}).status_code == 302
    response = admin_a.post("/manage/domains/", {"domain": "shared.example"}, follow=True)
    assert response.status_code == 200
    page = response.content.decode()
    assert "already" not in page and "in use" not in page
    assert Domain.objects.filter(domain="shared.example").count() == 2
    # Each admin sees only their own claim and token.
    theirs = Domain.objects.get(domain="shared.example", tenant=territory_b)
    assert theirs.verification_token not in page
    # Adding it twice in the same territory is refused, in the territory's own words.
    response = admin_a.post("/manage/domains/", {"domain": "shared.example"})
    assert response.status_code == 400
    assert "You have already added this domain" in response.content.decode()


def test_the_first_territory_to_verify_wins(
    admin_a: HostClient,
    admin_b: HostClient,
    territory_a: Territory,
    territory_b: Territory,
    dns_server: dict[str, list[str]],
) -> None:
    admin_b.post("/manage/domains/", {"domain": "race.example"})
    admin_a.post("/manage/domains/", {"domain": "race.example"})
    ours = Domain.objects.get(domain="race.example", tenant=territory_a)
    theirs = Domain.objects.get(domain="race.example", tenant=territory_b)
    publish(dns_server, ours, theirs)

    admin_a.post(f"/manage/domains/{ours.pk}/verify/")
    ours.refresh_from_db()
    assert ours.is_verified
    response = admin_b.post(f"/manage/domains/{theirs.pk}/verify/", follow=True)
    assert "This domain is already in use." in response.content.decode()
    theirs.refresh_from_db()
    assert not theirs.is_verified
    assert HostClient("race.example").get("/").content.decode().count("Aurora") > 0
    # A third claim of a verified name is refused at once.
    response = admin_b.post("/manage/domains/", {"domain": "race.example"})
    assert "already" in response.content.decode()


def test_two_verified_rows_for_one_name_cannot_exist(
    territory_a: Territory, territory_b: Territory
) -> None:
    """What settles two verifications committing at the same moment: the second one's
    UPDATE waits for the first and then fails, and the action reports DomainTaken."""
    Domain.objects.create(
        domain="both.example", tenant=territory_a, kind="custom", is_verified=True
    )
    other = Domain.objects.create(domain="both.example", tenant=territory_b, kind="custom")
    with pytest.raises(IntegrityError), transaction.atomic():
        Domain.objects.filter(pk=other.pk).update(is_verified=True)


def test_claims_lapse_after_seven_days(
    admin_a: HostClient,
    admin_b: HostClient,
    territory_a: Territory,
    territory_b: Territory,
    dns_server: dict[str, list[str]],
) -> None:
    admin_b.post("/manage/domains/", {"domain": "old.example"})
    stale = Domain.objects.get(domain="old.example", tenant=territory_b)
    Domain.objects.filter(pk=stale.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=7, minutes=1)
    )
    publish(dns_server, stale)
    response = admin_b.post(f"/manage/domains/{stale.pk}/verify/", follow=True)
    assert "This claim has lapsed" in response.content.decode()
    assert "Lapsed: remove it and add it again" in response.content.decode()
    stale.refresh_from_db()
    assert not stale.is_verified
    assert HostClient("old.example").get("/").status_code == 404

    # A newcomer's claim sweeps the lapsed one away.
    admin_a.post("/manage/domains/", {"domain": "old.example"})
    assert list(Domain.objects.filter(domain="old.example").values_list("tenant", flat=True)) == [
        territory_a.pk
    ]


def test_two_verifications_at_the_same_moment_make_one_winner(
    django_db_setup: None, django_db_blocker: Any, dns_server: dict[str, list[str]]
) -> None:
    """Two admins click *Verify now* together, each in its own transaction and
    connection (committed rows, as on two workers): exactly one territory gets it."""
    hostname = "together.example"
    with django_db_blocker.unblock():
        claims = [
            Domain.objects.create(
                domain=hostname, tenant=Territory.objects.get(slug=slug), kind="custom"
            )
            for slug in ("aurora", "borealis")
        ]
        publish(dns_server, *claims)
        start = threading.Barrier(len(claims))
        outcomes: list[str] = []

        def verify(claim: Domain) -> None:
            try:
                start.wait()
                verified = actions.verify_custom_domain(domain=claim, acting_user=None)
                outcomes.append("verified" if verified else "not found")
            except actions.DomainTaken:
                outcomes.append("taken")
            finally:
                connection.close()

        try:
            threads = [threading.Thread(target=verify, args=(claim,)) for claim in claims]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join(timeout=60)
            assert sorted(outcomes) == ["taken", "verified"]
            assert Domain.objects.filter(domain=hostname, is_verified=True).count() == 1
        finally:
            Domain.objects.filter(domain=hostname).delete()
            AuditEntry.objects.filter(action="domain.verified", details__domain=hostname).delete()
