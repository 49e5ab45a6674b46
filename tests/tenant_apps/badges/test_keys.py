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
