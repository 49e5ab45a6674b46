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
