"""Conformance, proven with verifiers that are not ours, against a live server.

Open Badges 2.0: 1EdTech's validator (badgecheck, in its own virtualenv) checks hosted
assertions, baked PNG and baked SVG, and must refuse a wrong recipient, a revoked, an
expired and a tampered badge. Open Badges 3.0: an independent verifier (conformance/
ob3_verifier.py) resolves the issuer's did:web over HTTP, checks the eddsa-rdfc-2022
proof, the Bitstring Status List and the dates.
"""

from __future__ import annotations

import copy
import json
import struct
import subprocess
import uuid
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.utils import timezone
from django_tenants.utils import tenant_context

from tenant_apps.badges import actions, dataintegrity, identity
from tests.tenant_apps.badges.conformance import live
from tests.tenant_apps.badges.conformance.ob3_verifier import OB3Verifier
from tests.tenant_apps.badges.factories import award, make_badge

ROOT = Path(__file__).resolve().parents[3]
BADGECHECK = ROOT / ".data" / "badgecheck" / "bin" / "python"
RUNNER = Path(__file__).parent / "conformance" / "badgecheck_runner.py"
RECIPIENT = "learner@conformance.example"

# django_db: makes pytest-django set up the test database even when only these run.
pytestmark = [pytest.mark.slow, pytest.mark.django_db]


@dataclass
class Live:
    base: str
    urls: dict[str, str]
    credentials: dict[str, dict[str, Any]]


@pytest.fixture(scope="module")
def live_network(django_db_setup: None, django_db_blocker: Any) -> Iterator[Live]:
    with django_db_blocker.unblock(), live.live_territory() as (territory, port):
        with tenant_context(territory):
            provider = actions.create_provider_issuer(
                territory=territory, name="Makers Club", email="hello@makers.example"
            )
            svg_badge = make_badge(territory, "Volunteer")
            png_badge = make_badge(territory, "Digital maker", png=True, issuer=provider)
            now = timezone.now()
            awards = {
                "valid": award(territory, svg_badge, RECIPIENT),
                "png": award(territory, png_badge, RECIPIENT),
                "revoked": award(territory, svg_badge, "revoked@conformance.example"),
                "expired": award(
                    territory,
                    svg_badge,
                    "expired@conformance.example",
                    issued_on=now - timedelta(days=400),
                    expires_on=now - timedelta(days=30),
                ),
            }
            actions.revoke_award(
                territory=territory, award=awards["revoked"], reason="Mistake", acting_user=None
            )
            # Rotation: the old key stays in the DID document; new awards use the new key.
            actions.rotate_issuer_key(
                territory=territory, issuer=svg_badge.issuer, acting_user=None
            )
            awards["after_rotation"] = award(territory, svg_badge, "rotated@conformance.example")
            urls = {name: identity.ob2_assertion_url(territory, a) for name, a in awards.items()}
            urls.update(
                {
                    f"{name}.ob2.png": identity.baked_url(territory, a, "ob2.png")
                    for name, a in awards.items()
                }
            )
            urls.update(
                {
                    f"{name}.ob2.svg": identity.baked_url(territory, a, "ob2.svg")
                    for name, a in awards.items()
                }
            )
            urls.update(
                {
                    f"{name}.ob3.png": identity.baked_url(territory, a, "ob3.png")
                    for name, a in awards.items()
                }
            )
            credential_urls = {
                name: identity.ob3_credential_url(territory, a) for name, a in awards.items()
            }
        with live.gunicorn(port) as base:
            credentials = {}
            for name, url in credential_urls.items():
                status, body = live.fetch(base, url)
                assert status == 200, (name, status)
                credentials[name] = json.loads(body)
            yield Live(base=base, urls=urls, credentials=credentials)


def badgecheck(cases: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    if not BADGECHECK.exists():
        pytest.fail("badgecheck is not installed: run `make test` (it creates .data/badgecheck)")
    result = subprocess.run(
        [str(BADGECHECK), str(RUNNER)],
        input=json.dumps(cases),
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(result.stdout)


def download(network: Live, name: str, tmp_path: Path) -> Path:
    status, body = live.fetch(network.base, network.urls[name], accept="*/*")
    assert status == 200, (name, status)
    path = tmp_path / name
    path.write_bytes(body)
    return path


def errors(report: dict[str, Any]) -> list[str]:
    return [m["result"] for m in report.get("messages", []) if m.get("messageLevel") == "ERROR"]


def png_with_text(png: bytes, keyword: bytes, text: str) -> bytes:
    """Replace the text of the iTXt chunk ``keyword`` (a hand-made tampered image)."""
    out, offset = [png[:8]], 8
    while offset < len(png):
        (length,) = struct.unpack(">I", png[offset : offset + 4])
        kind, data = png[offset + 4 : offset + 8], png[offset + 8 : offset + 8 + length]
        if kind == b"iTXt" and data.startswith(keyword + b"\0"):
            data = keyword + b"\0\0\0\0\0" + text.encode()
        out.append(struct.pack(">I", len(data)) + kind + data)
        out.append(struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))
        offset += 12 + length
    return b"".join(out)


def text_of(png: bytes, keyword: bytes) -> str:
    offset = 8
    while offset < len(png):
        (length,) = struct.unpack(">I", png[offset : offset + 4])
        kind, data = png[offset + 4 : offset + 8], png[offset + 8 : offset + 8 + length]
        if kind == b"iTXt" and data.startswith(keyword + b"\0"):
            return data.split(b"\0", 5)[5].decode()
        offset += 12 + length
    raise AssertionError(f"no iTXt {keyword!r}")


def test_badgecheck_accepts_hosted_baked_png_and_baked_svg(
    live_network: Live, tmp_path: Path
) -> None:
    recipient = {"email": RECIPIENT}
    cases: list[dict[str, Any]] = [
        {"name": "hosted", "url": live_network.urls["valid"], "recipient": recipient},
        {"name": "hosted-provider", "url": live_network.urls["png"], "recipient": recipient},
        {"name": "after-rotation", "url": live_network.urls["after_rotation"]},
        {
            "name": "png",
            "file": str(download(live_network, "valid.ob2.png", tmp_path)),
            "recipient": recipient,
        },
        {
            "name": "svg",
            "file": str(download(live_network, "valid.ob2.svg", tmp_path)),
            "recipient": recipient,
        },
        {"name": "png-of-png-badge", "file": str(download(live_network, "png.ob2.png", tmp_path))},
        {"name": "svg-of-png-badge", "file": str(download(live_network, "png.ob2.svg", tmp_path))},
        {"name": "baked-url", "url": live_network.urls["valid.ob2.png"]},
    ]
    reports = badgecheck(cases)
    for case in cases:
        report = reports[case["name"]]
        assert report["valid"] is True, (case["name"], errors(report))
        assert report["errorCount"] == 0


def test_badgecheck_refuses_wrong_recipient_revoked_expired_and_tampered(
    live_network: Live, tmp_path: Path
) -> None:
    baked = download(live_network, "valid.ob2.png", tmp_path).read_bytes()
    assertion = json.loads(text_of(baked, b"openbadges"))
    forged = dict(assertion, id=live_network.urls["valid"].rsplit("/", 1)[0] + f"/{uuid.uuid4()}")
    forged_png = tmp_path / "forged.png"
    forged_png.write_bytes(png_with_text(baked, b"openbadges", json.dumps(forged)))
    corrupted = tmp_path / "corrupted.png"
    corrupted.write_bytes(baked.replace(b"sha256$", b"sha256#", 1))  # CRC no longer matches
    unhosted = {k: v for k, v in assertion.items() if k != "id"}
    cases: list[dict[str, Any]] = [
        {
            "name": "wrong-recipient",
            "url": live_network.urls["valid"],
            "recipient": {"email": "someone.else@example.org"},
        },
        {"name": "revoked", "url": live_network.urls["revoked"]},
        {"name": "expired", "url": live_network.urls["expired"]},
        {"name": "forged-id", "file": str(forged_png)},
        {"name": "corrupted-png", "file": str(corrupted)},
        {"name": "json-without-hosted-id", "json": unhosted},
    ]
    reports = badgecheck(cases)
    for case in cases:
        assert reports[case["name"]]["valid"] is False, case["name"]
    # Each refused for its own reason (not, say, because the server was unreachable).
    assert any("did not match" in e for e in errors(reports["wrong-recipient"]))
    assert any("expired on" in e for e in errors(reports["expired"]))
    # A revoked assertion answers 410 with only id/revoked/reason: badgecheck 1.x
    # reports the assertion's required properties as missing.
    assert any("Required property recipient" in e for e in errors(reports["revoked"]))
    assert any("could not be interpreted" in e for e in errors(reports["forged-id"]))
    assert any("Checksum error" in e for e in errors(reports["corrupted-png"]))
    assert any("No hosted verification URL" in e for e in errors(reports["json-without-hosted-id"]))


def test_revoked_assertion_answers_410_with_reason(live_network: Live) -> None:
    status, body = live.fetch(live_network.base, live_network.urls["revoked"])
    assert status == 410
    document = json.loads(body)
    assert document["revoked"] is True and document["revocationReason"] == "Mistake"


def test_ob3_credentials_verify_independently(live_network: Live) -> None:
    verifier = OB3Verifier(live_network.base)
    for name in ("valid", "png", "after_rotation"):
        report = verifier.verify(live_network.credentials[name])
        assert report.valid, (name, report.errors)
    assert live_network.credentials["after_rotation"]["proof"][0]["verificationMethod"].endswith(
        "#key-2"
    )
    assert live_network.credentials["valid"]["proof"][0]["verificationMethod"].endswith("#key-1")


def test_ob3_tampered_forged_revoked_and_expired_are_detected(live_network: Live) -> None:
    verifier = OB3Verifier(live_network.base)
    tampered = copy.deepcopy(live_network.credentials["valid"])
    tampered["credentialSubject"]["achievement"]["name"] = "Astronaut"
    assert "bad signature" in verifier.verify(tampered).errors

    forged = dataintegrity.sign(
        {k: v for k, v in live_network.credentials["valid"].items() if k != "proof"},
        private_key=Ed25519PrivateKey.generate(),
        verification_method=live_network.credentials["valid"]["proof"][0]["verificationMethod"],
        created=timezone.now(),
    )
    assert "bad signature" in verifier.verify(forged).errors

    assert verifier.verify(live_network.credentials["revoked"]).errors == ["revoked"]
    assert verifier.verify(live_network.credentials["expired"]).errors == ["expired"]


def test_ob3_baked_png_holds_the_signed_credential(live_network: Live, tmp_path: Path) -> None:
    baked = download(live_network, "valid.ob3.png", tmp_path).read_bytes()
    credential = json.loads(text_of(baked, b"openbadgecredential"))
    assert credential == live_network.credentials["valid"]
    assert OB3Verifier(live_network.base).verify(credential).valid


def test_public_documents_never_carry_an_email_or_key_material(live_network: Live) -> None:
    documents = [json.dumps(c) for c in live_network.credentials.values()]
    for name in ("valid", "png"):
        documents.append(live.fetch(live_network.base, live_network.urls[name])[1].decode())
    did = live_network.credentials["valid"]["issuer"]["id"]
    documents.append(json.dumps(OB3Verifier(live_network.base).resolve_did(did)))
    text = "\n".join(documents)
    assert RECIPIENT not in text and "conformance.example" not in text
    assert "private" not in text.lower()
