"""Issuer keys: encrypted at rest, bound to their row, rotated without breaking old badges."""

import pytest
from cryptography.exceptions import InvalidTag
from django.test import override_settings

from tenant_apps.badges import actions, keys
from tenant_apps.badges.models import IssuerKey
from tenants.models import Territory
from tests.tenant_apps.badges.factories import in_territory


def test_private_key_is_encrypted_and_bound_to_its_row(territory_a: Territory) -> None:
    with in_territory(territory_a):
        issuer = actions.ensure_territory_issuer(territory_a)
        key = keys.active_key(issuer)
        private = keys._raw_private(keys.private_key_of(key))
        assert private not in bytes(key.private_key_encrypted)
        assert keys.raw_public(keys.private_key_of(key).public_key()) == bytes(key.public_key)
        assert "private" not in repr(key) and str(bytes(key.public_key)) not in repr(key)
        moved = IssuerKey(
            issuer_id=key.issuer_id,
            number=key.number + 1,
            private_key_encrypted=key.private_key_encrypted,
        )
        with pytest.raises(InvalidTag):
            keys.private_key_of(moved)
        with override_settings(BADGES_KEY_SECRET="another secret"), pytest.raises(InvalidTag):
            keys.private_key_of(key)


def test_rotation_keeps_old_keys(territory_a: Territory) -> None:
    with in_territory(territory_a):
        issuer = actions.ensure_territory_issuer(territory_a)
        first = keys.active_key(issuer)
        assert keys.active_key(issuer).pk == first.pk
        assert (
            actions.rotate_issuer_key(territory=territory_a, issuer=issuer, acting_user=None)
            == "key-2"
        )
        assert keys.active_key(issuer).number == 2
        assert IssuerKey.objects.filter(issuer=issuer).count() == 2


def test_private_keys_never_appear_in_pages_documents_or_logs(
    territory_a, client_for, user, caplog
) -> None:
    import base64
    import logging

    from tenant_apps.badges.multibase import b58encode
    from tests.tenant_apps.badges.factories import award, make_badge

    caplog.set_level(logging.DEBUG)
    with in_territory(territory_a):
        made = award(territory_a, make_badge(territory_a))
        issuer = made.badge_class.issuer
        key = keys.active_key(issuer)
        raw = keys._raw_private(keys.private_key_of(key))
        sealed = bytes(key.private_key_encrypted)
    forms = set()
    for secret in (raw, sealed):
        forms |= {secret.hex(), base64.b64encode(secret).decode(), b58encode(secret)}
        forms.add(base64.urlsafe_b64encode(secret).decode().rstrip("="))
    anna = client_for(territory_a)
    anna.sign_in(user("anna"))
    pages = [
        "/.well-known/did.json",
        f"/ob/v3/credentials/{made.uuid}",
        f"/ob/v2/assertions/{made.uuid}",
        made.credential["credentialStatus"]["statusListCredential"].split("localhost", 1)[1],
        f"/badges/awards/{made.uuid}/download/ob3.json",
        "/manage/badges/issuers/",
        f"/manage/badges/issuers/{issuer.slug}/",
        "/api/territory/",
    ]
    responses = [anna.get(page) for page in pages]
    # Each page really rendered (an error page would pass the absence check below).
    assert [r.status_code for r in responses] == [200] * len(pages)
    text = "\n".join(r.content.decode("utf-8", "replace") for r in responses)
    text += "\n" + caplog.text + "\n" + repr(key) + str(key)
    for form in forms:
        assert form not in text
