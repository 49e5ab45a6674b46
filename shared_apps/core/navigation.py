"""Main navigation entries, registered by the apps that own the pages.

Apps register in their AppConfig.ready(); the layout shows the entries of the kind
of site being served (the network site or a territory site) in order. An entry for
some people only (the coordinators' console) gives ``visible(request)``, asked only for
signed-in visitors so anonymous pages cost no query.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal

from django.urls import NoReverseMatch, reverse
from django.utils.functional import Promise

SiteKind = Literal["network", "territory"]


@dataclass(frozen=True)
class NavItem:
    key: str
    label: str | Promise
    url_name: str
    order: int
    visible: Callable[[Any], bool] | None = None


_items: dict[tuple[SiteKind, str], NavItem] = {}


def register_nav(
    site: SiteKind,
    *,
    key: str,
    label: str | Promise,
    url_name: str,
    order: int,
    visible: Callable[[Any], bool] | None = None,
) -> None:
    _items[(site, key)] = NavItem(
        key=key, label=label, url_name=url_name, order=order, visible=visible
    )


def nav_items(
    site: SiteKind, urlconf: str | None = None, request: Any = None
) -> list[dict[str, str]]:
    entries = sorted(
        (item for (kind, _k), item in _items.items() if kind == site), key=lambda i: i.order
    )
    signed_in = bool(getattr(getattr(request, "user", None), "is_authenticated", False))
    result = []
    for item in entries:
        if item.visible is not None and not (signed_in and item.visible(request)):
            continue
        try:
            url = reverse(item.url_name, urlconf=urlconf)
        except NoReverseMatch:
            continue
        result.append({"key": item.key, "label": str(item.label), "url": url})
    return result
