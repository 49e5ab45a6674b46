"""What other territory apps do when the catalogue verifies a provider, registered in
their AppConfig.ready() (tenant_apps.badges: a verified provider is a badge issuer, so
its issuer profile appears with the verification). The catalogue sits below badges and
never imports it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

# ``handler(territory=..., provider=..., acting_user=...)``, inside verify_provider's
# transaction: a failing handler rolls the verification back.
ProviderVerifiedHandler = Callable[..., object]
_provider_verified: list[ProviderVerifiedHandler] = []


def on_provider_verified(handler: ProviderVerifiedHandler) -> None:
    """Register ``handler`` (idempotent)."""
    if handler not in _provider_verified:
        _provider_verified.append(handler)


def provider_verified(*, territory: Any, provider: Any, acting_user: Any) -> None:
    for handler in _provider_verified:
        handler(territory=territory, provider=provider, acting_user=acting_user)
