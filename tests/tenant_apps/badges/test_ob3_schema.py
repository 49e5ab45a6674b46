"""Issue 14, item 12: credentials pass 1EdTech's OB 3.0 JSON Schema (proof as an
array, identity types from its enumeration). tests/conftest.py also checks every
credential any test signs."""

import copy

from tenants.models import Territory
from tests.tenant_apps.badges.factories import award, in_territory, make_badge
from tests.tenant_apps.badges.ob3_schema import schema_errors


def test_an_awarded_credential_conforms_and_the_schema_has_teeth(territory_a: Territory) -> None:
    with in_territory(territory_a):
        credential = award(territory_a, make_badge(territory_a), "ada@example.org").credential
    assert schema_errors(credential) == []
    assert isinstance(credential["proof"], list)

    bare_proof = {**credential, "proof": credential["proof"][0]}
    assert any(e.startswith("proof:") for e in schema_errors(bare_proof))
    no_date = {k: v for k, v in credential.items() if k != "validFrom"}
    assert schema_errors(no_date) == ["(root): 'validFrom' is a required property"]
    url_type = copy.deepcopy(credential)
    url_type["credentialSubject"]["identifier"][0]["identityType"] = "url"
    assert schema_errors(url_type)
