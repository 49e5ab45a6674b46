from django.core.cache import cache
from django_tenants.utils import schema_context, tenant_context

from tenants.models import Territory


def test_cache_entries_do_not_cross_territories(
    territory_a: Territory, territory_b: Territory
) -> None:
    with tenant_context(territory_a):
        cache.set("home:sections", "aurora's")
    with tenant_context(territory_b):
        assert cache.get("home:sections") is None
        cache.set("home:sections", "borealis'")
    with schema_context("public"):
        assert cache.get("home:sections") is None
    with tenant_context(territory_a):
        assert cache.get("home:sections") == "aurora's"
    with tenant_context(territory_b):
        assert cache.get("home:sections") == "borealis'"


def test_sign_in_limits_are_one_count_for_the_whole_network(
    territory_a: Territory, territory_b: Territory
) -> None:
    # Accounts are global: allauth's rate-limit entries must not restart per territory.
    key = "allauth:rl:allauth.account:login_failed:5/300.0/key:abc"
    with tenant_context(territory_a):
        cache.set(key, [1.0])
    with tenant_context(territory_b):
        assert cache.get(key) == [1.0]
    with schema_context("public"):
        assert cache.get(key) == [1.0]
