"""What feature apps set up in a new territory's schema once it is ready.

Provisioning (tenants.actions, tenants.pool) knows no feature's models (the layers
rule): a tenant app registers a hook from its AppConfig.ready, and each hook runs once
the territory's schema exists, inside it and inside the provisioning transaction, so
the territory and what its features need appear together. Hooks must be idempotent
(the command ``ensure_territory_setup`` runs them again for existing territories).
"""

from __future__ import annotations

from collections.abc import Callable

from django_tenants.utils import schema_context

from tenants.models import Territory

SchemaReadyHook = Callable[[Territory], object]
_hooks: dict[str, SchemaReadyHook] = {}


def register_schema_ready(key: str, hook: SchemaReadyHook) -> None:
    """Run ``hook(territory)`` in every new territory's schema (keyed: registering
    again replaces, so a reloaded app does not run twice)."""
    _hooks[key] = hook


def run_schema_ready(territory: Territory) -> None:
    with schema_context(territory.schema_name):
        for hook in _hooks.values():
            hook(territory)
