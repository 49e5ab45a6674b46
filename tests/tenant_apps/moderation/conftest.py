from tests.tenant_apps.catalogue.conftest import provider_a, provider_b, venue_a

__all__ = ["provider_a", "provider_b", "venue_a"]
