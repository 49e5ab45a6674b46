"""Extra links of the territory admin area, registered by the apps that own the pages
(the catalogue's review pages, later badges...), from their AppConfig.ready()."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse
from django.utils.functional import Promise


@dataclass(frozen=True)
class ManageLink:
    key: str
    label: str | Promise
    url_name: str
    order: int
    admin_only: bool


_links: dict[str, ManageLink] = {}


def register_manage_link(
    key: str, *, label: str | Promise, url_name: str, order: int, admin_only: bool = True
) -> None:
    _links[key] = ManageLink(key, label, url_name, order, admin_only)


def manage_links(*, is_admin: bool, urlconf: str | None = None) -> list[dict[str, str]]:
    found = []
    for link in sorted(_links.values(), key=lambda item: item.order):
        if link.admin_only and not is_admin:
            continue
        try:
            url = reverse(link.url_name, urlconf=urlconf)
        except NoReverseMatch:
            continue
        found.append({"key": link.key, "label": str(link.label), "url": url})
    return found
