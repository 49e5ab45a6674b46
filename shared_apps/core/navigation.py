"""Main navigation entries, registered by the apps that own the pages.

Apps register in their AppConfig.ready(); the layout shows the entries of the kind
of site being served (the network site or a territory site) in order.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from django.urls import NoReverseMatch, reverse
from django.utils.functional import Promise

SiteKind = Literal["network", "territory"]


@dataclass(frozen=True)
class NavItem:
    key: str
    label: str | Promise
    url_name: str
    order: int


_items: dict[tuple[SiteKind, str], NavItem] = {}


def register_nav(
    site: SiteKind, *, key: str, label: str | Promise, url_name: str, order: int
) -> None:
    _items[(site, key)] = NavItem(key=key, label=label, url_name=url_name, order=order)


def nav_items(site: SiteKind, urlconf: str | None = None) -> list[dict[str, str]]:
    entries = sorted(
        (item for (kind, _k), item in _items.items() if kind == site), key=lambda i: i.order
    )
    result = []
    for item in entries:
        try:
            url = reverse(item.url_name, urlconf=urlconf)
        except NoReverseMatch:
            continue
        result.append({"key": item.key, "label": str(item.label), "url": url})
    return result
