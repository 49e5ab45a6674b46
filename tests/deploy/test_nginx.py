"""The shipped nginx site, run by a real nginx in front of gunicorn on loopback."""

from __future__ import annotations

import http.client
import json
import os
import socket
import ssl
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone

from tenants.models import Domain, Territory
from tests.servers import ROOT, binary, nginx_render, port, python_env, running, wait_until

pytestmark = pytest.mark.slow
CUSTOM_HOST = "learn.aurora-city.test"


def make_certificate(folder: Path, name: str, hosts: list[str]) -> tuple[Path, Path]:
    cert, key = folder / f"{name}.crt", folder / f"{name}.key"
    san = ",".join(f"DNS:{host}" for host in hosts)
    subprocess.run(
        [
            "openssl",
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-days",
            "2",
            "-subj",
            f"/CN={hosts[0]}",
            "-addext",
            f"subjectAltName={san}",
            "-keyout",
            str(key),
            "-out",
            str(cert),
        ],
        check=True,
        capture_output=True,
    )
    return cert, key


@dataclass
class Site:
    root: Path
    conf: Path
    nginx: str
    platform_cert: Path
    custom_cert: Path


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Site:
    nginx = binary("nginx", "/usr/sbin/nginx")
    if nginx is None:
        pytest.fail("nginx is missing: `make test` installs it (scripts/apt/test.txt)")
    root = tmp_path_factory.mktemp("nginx")
    for folder in ("static/core", "media/t_aurora/branding", "private/t_aurora", "certs", "logs"):
        (root / folder).mkdir(parents=True)
    (root / "static/core/site.css").write_text("body{}")
    (root / "media/t_aurora/branding/0a1b.png").write_bytes(b"\x89PNG logo")
    (root / "media/t_aurora/branding/evil.html").write_text("<script>alert(1)</script>")
    (root / "media/t_aurora/badges/").mkdir(parents=True, exist_ok=True)
    (root / "media/t_aurora/badges/b.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg"/>')
    (root / "private/t_aurora/evidence.pdf").write_bytes(b"%PDF private")
    platform_cert, platform_key = make_certificate(
        root / "certs", "platform", ["localhost", "*.localhost"]
    )
    custom_dir = root / "certs" / "custom"
    custom_dir.mkdir()
    custom_cert, _ = make_certificate(custom_dir, CUSTOM_HOST, [CUSTOM_HOST])
    nginx_render()(
        {
            "PLATFORM_DOMAIN": "localhost",
            "UPSTREAM": f"127.0.0.1:{port('gunicorn')}",
            "HTTP_LISTEN": f"127.0.0.1:{port('nginx_http')}",
            "HTTPS_LISTEN": f"127.0.0.1:{port('nginx_https')}",
            "TLS_CERT": str(platform_cert),
            "TLS_KEY": str(platform_key),
            "STATIC_ROOT": str(root / "static"),
            "MEDIA_ROOT": str(root / "media"),
            "PRIVATE_MEDIA_ROOT": str(root / "private"),
            "CUSTOM_CERT_DIR": str(custom_dir),
            "ACME_ROOT": str(root / "acme"),
            "LOG_DIR": str(root / "logs"),
        },
        root / "site",
    )
    # What the distribution's nginx.conf provides, with every path in the temp folder
    # so nginx runs without touching /etc, /var or /run.
    conf = root / "nginx.conf"
    user = "user root;\n" if os.geteuid() == 0 else ""  # workers must read the temp files
    temp = root / "temp"
    conf.write_text(
        f"""{user}worker_processes 1;
pid {root}/nginx.pid;
error_log {root}/logs/error.log warn;
daemon off;
events {{ worker_connections 256; }}
http {{
    include /etc/nginx/mime.types;
    client_body_temp_path {temp}/body;
    proxy_temp_path {temp}/proxy;
    fastcgi_temp_path {temp}/fastcgi;
    uwsgi_temp_path {temp}/uwsgi;
    scgi_temp_path {temp}/scgi;
    include {root}/site/cities-of-learning.conf;
}}
"""
    )
    temp.mkdir()
    return Site(root, conf, nginx, platform_cert, custom_cert)


def test_the_shipped_configuration_is_valid(site: Site) -> None:
    result = subprocess.run(
        [site.nginx, "-t", "-p", str(site.root), "-c", str(site.conf)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "test is successful" in result.stderr


@pytest.fixture(scope="module")
def custom_domain(django_db_setup: None, django_db_blocker: Any) -> Iterator[None]:
    """A verified custom domain of aurora, committed for the gunicorn process."""
    with django_db_blocker.unblock():
        domain = Domain.objects.create(
            domain=CUSTOM_HOST,
            tenant=Territory.objects.get(slug="aurora"),
            is_primary=False,
            kind=Domain.Kind.CUSTOM,
            is_verified=True,
            verified_at=timezone.now(),
        )
        try:
            yield
        finally:
            domain.delete()


@pytest.fixture(scope="module")
def served(site: Site, custom_domain: None) -> Iterator[Site]:
    env = python_env(
        BIND=f"127.0.0.1:{port('gunicorn')}",
        WEB_CONCURRENCY="2",
        PLATFORM_DOMAIN="localhost",
        PLATFORM_SCHEME="https",
        SECURE_COOKIES="1",
        TRUSTED_PROXY_COUNT="1",
        TRUSTED_PROXIES="127.0.0.1/32",
        PRIVATE_MEDIA_ACCEL_PREFIX="/_private/",
        LOG_FORMAT="json",
        GUNICORN_ACCESSLOG="-",
        PROMETHEUS_MULTIPROC_DIR=str(site.root / "metrics"),
    )
    (site.root / "metrics").mkdir(exist_ok=True)
    gunicorn = [sys.executable, "-m", "gunicorn", "-c", str(ROOT / "deploy/gunicorn.conf.py")]
    nginx = [site.nginx, "-p", str(site.root), "-c", str(site.conf)]
    with (
        running(gunicorn, listen_port=port("gunicorn"), env=env, log=site.root / "gunicorn.log"),
        running(nginx, listen_port=port("nginx_https"), log=site.root / "logs/nginx.out"),
    ):
        # gunicorn's master listens before its workers have loaded the app (seconds on a
        # loaded machine, longer than a test request's timeout): wait until a worker
        # answers through nginx.
        started = wait_until(lambda: _answers(site), seconds=90)
        assert started, (site.root / "gunicorn.log").read_text()[-3000:]
        yield site


def _answers(site: Site) -> bool:
    try:
        return https("localhost", "/healthz").status == 200
    except OSError:  # refused, reset or timed out while no worker is up yet
        return False


@dataclass
class Reply:
    status: int
    headers: http.client.HTTPMessage
    body: str
    peer_cert: bytes


def https(host: str, path: str = "/", *, method: str = "GET", body: bytes | None = None) -> Reply:
    context = ssl.create_default_context()
    # The test certificates are self-signed; which one nginx picked is checked instead.
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    raw = socket.create_connection(("127.0.0.1", port("nginx_https")), timeout=15)
    with context.wrap_socket(raw, server_hostname=host) as tls:
        peer = tls.getpeercert(binary_form=True) or b""
        connection = http.client.HTTPConnection(host, timeout=15)
        connection.sock = tls
        headers = {"Host": host}
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        return Reply(
            response.status,
            response.headers,
            response.read().decode(errors="replace"),
            peer,
        )


def der(cert: Path) -> bytes:
    return ssl.PEM_cert_to_DER_cert(cert.read_text())


def test_two_territories_are_served_by_host_over_tls(served: Site) -> None:
    aurora = https("aurora.localhost")
    borealis = https("borealis.localhost")
    assert aurora.status == borealis.status == 200
    assert "Aurora" in aurora.body and "Borealis" not in aurora.body
    assert "Borealis" in borealis.body and "Aurora" not in borealis.body
    assert aurora.peer_cert == der(served.platform_cert)
    # nginx's request id reached Django and came back; HSTS on every response.
    assert len(aurora.headers["X-Request-ID"]) == 32
    assert aurora.headers["Strict-Transport-Security"] == "max-age=31536000"
    # Links to the network site carry the configured scheme (PLATFORM_SCHEME).
    assert 'href="https://localhost/"' in aurora.body


def test_verified_custom_domain_gets_its_own_certificate(served: Site) -> None:
    reply = https(CUSTOM_HOST)
    assert reply.status == 200
    assert "Aurora" in reply.body
    assert reply.peer_cert == der(served.custom_cert)


def test_unknown_hosts_are_refused(served: Site) -> None:
    assert https("nowhere.localhost").status == 404
    with pytest.raises(ssl.SSLError):  # no certificate for it: no handshake
        https("learn.unknown-city.test")


def test_plain_http_redirects_to_https(served: Site) -> None:
    connection = http.client.HTTPConnection("127.0.0.1", port("nginx_http"), timeout=10)
    connection.request("GET", "/activities/?q=x", headers={"Host": "aurora.localhost"})
    response = connection.getresponse()
    assert response.status == 301
    assert response.headers["Location"] == "https://aurora.localhost/activities/?q=x"


def test_static_and_media_are_served_by_nginx_and_cached(served: Site) -> None:
    css = https("aurora.localhost", "/static/core/site.css")
    assert css.status == 200 and css.body == "body{}"
    assert css.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    logo = https("aurora.localhost", "/media/t_aurora/branding/0a1b.png")
    assert logo.status == 200
    assert logo.headers["Content-Type"] == "image/png"
    assert logo.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    # An uploaded file is never rendered as a page, whatever its name.
    evil = https("aurora.localhost", "/media/t_aurora/branding/evil.html")
    assert evil.headers["Content-Type"] == "application/octet-stream"
    assert "sandbox" in evil.headers["Content-Security-Policy"]
    # A badge SVG is an image, typed as one, sandboxed if opened on its own.
    svg = https("aurora.localhost", "/media/t_aurora/badges/b.svg")
    assert svg.status == 200
    assert svg.headers["Content-Type"] == "image/svg+xml"
    assert svg.headers["X-Content-Type-Options"] == "nosniff"
    assert svg.headers["Content-Security-Policy"] == (
        "default-src 'none'; style-src 'unsafe-inline'; sandbox"
    )


def test_private_files_and_metrics_are_not_reachable_from_outside(served: Site) -> None:
    assert https("aurora.localhost", "/_private/t_aurora/evidence.pdf").status == 404
    assert https("aurora.localhost", "/metrics").status == 404
    assert https("localhost", "/metrics").status == 404


def test_oversized_bodies_are_refused_before_django(served: Site) -> None:
    reply = https(
        "aurora.localhost", "/accounts/signup/", method="POST", body=b"x" * (13 * 1024 * 1024)
    )
    assert reply.status == 413


def test_sign_in_is_rate_limited(served: Site) -> None:
    from concurrent.futures import ThreadPoolExecutor

    def attempt(_n: int) -> int:
        return https(
            "borealis.localhost", "/accounts/login/", method="POST", body=b"login=x&password=y"
        ).status

    # At once, as a class would (and faster than the limit refills).
    with ThreadPoolExecutor(max_workers=12) as pool:
        statuses = list(pool.map(attempt, range(80)))
    # burst=40: a class of 30 behind one school address all reach Django (403: no
    # CSRF token here); a flood is stopped. Guessing is limited per account by Django.
    assert statuses.count(403) >= 41
    assert statuses.count(429) >= 10
    assert set(statuses) == {403, 429}
    assert https("borealis.localhost", "/").status == 200  # other pages are not


def test_metrics_add_up_every_gunicorn_worker_for_a_direct_scrape(served: Site) -> None:
    for _ in range(6):
        assert https("borealis.localhost", "/api/territory/").status == 200
    scrape = http.client.HTTPConnection("127.0.0.1", port("gunicorn"), timeout=10)
    scrape.request("GET", "/metrics", headers={"Host": "localhost"})
    response = scrape.getresponse()
    text = response.read().decode()
    assert response.status == 200
    served_here = [
        float(line.rsplit(" ", 1)[1])
        for line in text.splitlines()
        if line.startswith('col_http_requests_total{method="GET",site="territory",status="200"}')
    ]
    # One series, summed over both worker processes' files.
    assert len(served_here) == 1 and served_here[0] >= 6
    assert len(list((served.root / "metrics").glob("counter_*.db"))) >= 1


def test_access_logs_are_json_with_request_id_and_no_client_address(served: Site) -> None:
    reply = https("aurora.localhost", "/?q=ada%40example.org")
    request_id = reply.headers["X-Request-ID"]

    def lines(path: Path) -> list[dict[str, Any]]:
        found = []
        for line in path.read_text().splitlines():
            if line.startswith("{"):
                found.append(json.loads(line))
        return found

    time.sleep(0.5)  # gunicorn writes its access line after the response
    app = [
        line for line in lines(served.root / "gunicorn.log") if line.get("request_id") == request_id
    ]
    edge = [
        line
        for line in lines(served.root / "logs/cities-of-learning.access.log")
        if line.get("request_id") == request_id
    ]
    assert [line["logger"] for line in app] == ["gunicorn.access"]
    assert app[0]["path"] == "/" and app[0]["status"] == 200
    assert edge[0]["path"] == "/" and edge[0]["host"] == "aurora.localhost"
    text = (served.root / "gunicorn.log").read_text() + json.dumps(edge)
    assert "127.0.0.1" not in json.dumps(app + edge)
    assert "ada%40example.org" not in text and "ada@example.org" not in text
