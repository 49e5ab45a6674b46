from tests.tenant_apps.catalogue.conftest import english, provider_a, provider_b, venue_a

__all__ = ["english", "provider_a", "provider_b", "venue_a"]
