"""Absolute links come from configuration, never from the request's Host port or
X-Forwarded-Proto (shared_apps/core/hosts.py, the allauth adapter)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from django.core import mail
from django.template import Context, Template
from django.test import RequestFactory, override_settings

from shared_apps.accounts.models import User
from tenants.models import Territory
from tests.conftest import HostClient
from tests.shared_apps.guardians.factories import just_turned, make_learner

# What an attacker sends: the territory's real name with a port of their choosing,
# and a scheme claimed through a proxy header that no proxy wrote.
FORGED = {"HTTP_X_FORWARDED_PROTO": "https"}


def links(message: Any) -> list[str]:
    return re.findall(r"https?://[^\s\"'<>]+", str(message.body))


def forged_client(territory: Territory) -> HostClient:
    client = HostClient(f"{territory.host}:1", territory, **FORGED)
    client.cookies["django_language"] = "en"
    return client


def test_password_reset_mail_links_to_the_configured_address(
    territory_b: Territory, django_capture_on_commit_callbacks: Any
) -> None:
    client = forged_client(territory_b)
    # Mail leaves through the outbox once the request's transaction commits.
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/accounts/password/reset/", {"email": "bea@example.org"})
    assert response.status_code == 302
    (link,) = [url for url in links(mail.outbox[-1]) if "/password/reset/key/" in url]
    assert link.startswith("http://borealis.localhost/accounts/password/reset/key/")


@override_settings(PLATFORM_SCHEME="https", PLATFORM_PORT="8443")
def test_mail_links_carry_the_platform_scheme_and_port(
    territory_b: Territory, django_capture_on_commit_callbacks: Any
) -> None:
    client = forged_client(territory_b)
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/accounts/password/reset/", {"email": "bea@example.org"})
        client.post("/accounts/password/reset/", {"email": "nobody-here@example.org"})
    found = links(mail.outbox[-2]) + links(mail.outbox[-1])
    assert any("/password/reset/key/" in url for url in found)
    assert any(url.endswith("/accounts/signup/") for url in found)  # the unknown-account mail
    for url in found:
        assert url.startswith("https://borealis.localhost:8443/"), url


def test_signup_confirmation_link_ignores_the_forged_host(
    territory_a: Territory, django_capture_on_commit_callbacks: Any
) -> None:
    client = forged_client(territory_a)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/accounts/signup/",
            {
                "email": "newcomer@example.org",
                "password1": "a long new pass phrase 2026",
                "password2": "a long new pass phrase 2026",
                "display_name": "Newcomer",
                "birth_year": "1990",
                "birth_month": "5",
            },
        )
    assert response.status_code == 302
    (link,) = [url for url in links(mail.outbox[-1]) if "/confirm-email/" in url]
    assert link.startswith("http://aurora.localhost/accounts/confirm-email/")


@pytest.mark.django_db
def test_guardian_invitation_links_to_the_configured_address(
    territory_a: Territory, django_capture_on_commit_callbacks: Any
) -> None:
    minor: User = make_learner("teen@example.org", just_turned(13), territory_a)
    client = forged_client(territory_a)
    client.sign_in(minor)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/account/", {"action": "guardian", "guardian_email": "parent@example.org"}
        )
    assert response.status_code == 302
    (link,) = [url for url in links(mail.outbox[-1]) if "/account/guardian/" in url]
    assert link.startswith("http://aurora.localhost/account/guardian/")


def test_links_between_sites_ignore_the_request(territory_a: Territory) -> None:
    page = forged_client(territory_a).get("/").content.decode()
    assert 'href="http://localhost/"' in page  # the network site
    assert "localhost:1" not in page and "https://" not in page.split("</head>")[0]


def test_the_template_tag_ignores_the_request(territory_a: Territory) -> None:
    request = RequestFactory().get("/", HTTP_HOST=f"{territory_a.host}:1", **FORGED)  # type: ignore[arg-type]
    request.territory = territory_a  # type: ignore[attr-defined]
    rendered = Template("{% load hosts %}{% absolute_url '/p/' %} {% absolute_url url %}").render(
        Context({"request": request, "url": "https://cdn.example/x.png"})
    )
    assert rendered == "http://aurora.localhost/p/ https://cdn.example/x.png"


def test_no_code_builds_links_from_the_request() -> None:
    """Templates use {% absolute_url %}, code shared_apps.core.hosts: the request's
    Host and scheme are the visitor's words."""
    root = Path(__file__).resolve().parents[3]
    templates = [
        str(path.relative_to(root))
        for folder in ("shared_apps", "tenant_apps", "tenants")
        for path in (root / folder).rglob("templates/**/*.*")
        if re.search(r"request\.(get_host|scheme|build_absolute_uri)", path.read_text())
    ]
    code = [
        str(path.relative_to(root))
        for folder in ("shared_apps", "tenant_apps", "tenants", "platform")
        for path in (root / folder).rglob("*.py")
        if "build_absolute_uri(" in path.read_text()
    ]
    assert templates == [] and code == []


def test_api_page_links_ignore_the_forged_host(territory_a: Territory) -> None:
    from tests.tenant_apps.catalogue.factories import make_provider

    for number in range(21):  # one more than a page
        make_provider(territory_a, f"Provider {number}")
    body = forged_client(territory_a).get("/api/providers/").json()
    assert body["next"].startswith("http://aurora.localhost/api/providers/?"), body["next"]
    activities = forged_client(territory_a).get("/api/activities/").json()
    for activity in activities["results"]:
        assert activity["url"].startswith("http://aurora.localhost/"), activity["url"]
