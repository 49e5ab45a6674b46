"""Cache invalidation for host routing (infrastructure, not business logic: every
path that changes a territory or domain, admin included, must drop the cached route)."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from tenants.models import Domain, Territory
from tenants.selectors import bump_territories_version, forget_hosts


def _forget(hostnames: list[str]) -> None:
    # Now and after commit: a request between the two must not re-cache the old row.
    forget_hosts(hostnames)
    transaction.on_commit(lambda: forget_hosts(hostnames))


@receiver([post_save, post_delete], sender=Territory, dispatch_uid="tenants_territory_routes")
def territory_changed(sender: Any, instance: Territory, **kwargs: Any) -> None:
    hosts = list(Domain.objects.filter(tenant_id=instance.pk).values_list("domain", flat=True))
    _forget([*hosts, instance.host])
    bump_territories_version()
    transaction.on_commit(bump_territories_version)


@receiver([post_save, post_delete], sender=Domain, dispatch_uid="tenants_domain_routes")
def domain_changed(sender: Any, instance: Domain, **kwargs: Any) -> None:
    _forget([instance.domain])
