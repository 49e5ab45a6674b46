"""Links of the territory admin area, registered by the apps that own the pages (the
catalogue's review pages, badges, playlists...) from their AppConfig.ready().

The area's menu lists them; its overview shows them as cards grouped by what an admin
does (content, people, the site, figures), each with a line saying what is there and,
where it is one cheap COUNT, how many things wait (``count``: run only on the overview,
once per link, in the territory's schema).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.urls import NoReverseMatch, reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from tenants.models import Territory

# Counts what waits, given the territory (already the connection's schema).
Count = Callable[["Territory"], int]

# Group key -> (title, icon in shared_apps/core/static/core/icons), in display order.
GROUPS: dict[str, tuple[str | Promise, str]] = {
    "content": (_("Learning content"), "path"),
    "people": (_("People"), "people"),
    "site": (_("Your site"), "settings"),
    "figures": (_("Figures and records"), "chart"),
}


@dataclass(frozen=True)
class ManageLink:
    key: str
    label: str | Promise
    url_name: str
    order: int
    admin_only: bool
    group: str = "site"
    description: str | Promise = ""
    count: Count | None = None


_links: dict[str, ManageLink] = {}


def register_manage_link(
    key: str,
    *,
    label: str | Promise,
    url_name: str,
    order: int,
    admin_only: bool = True,
    group: str = "site",
    description: str | Promise = "",
    count: Count | None = None,
) -> None:
    if group not in GROUPS:
        raise ValueError(f"unknown admin area group {group!r}: one of {sorted(GROUPS)}")
    _links[key] = ManageLink(key, label, url_name, order, admin_only, group, description, count)


def _visible(*, is_admin: bool, urlconf: str | None) -> list[tuple[ManageLink, str]]:
    found = []
    for link in sorted(_links.values(), key=lambda item: item.order):
        if link.admin_only and not is_admin:
            continue
        try:
            url = reverse(link.url_name, urlconf=urlconf)
        except NoReverseMatch:
            continue
        found.append((link, url))
    return found


def manage_links(*, is_admin: bool, urlconf: str | None = None) -> list[dict[str, str]]:
    """The menu's links, in order."""
    return [
        {"key": link.key, "label": str(link.label), "url": url}
        for link, url in _visible(is_admin=is_admin, urlconf=urlconf)
    ]


def manage_groups(
    territory: Territory, *, is_admin: bool, urlconf: str | None = None
) -> list[dict[str, object]]:
    """The overview's cards: each group with its links, descriptions and counts (one
    query per link that has a count)."""
    groups: dict[str, list[dict[str, object]]] = {key: [] for key in GROUPS}
    for link, url in _visible(is_admin=is_admin, urlconf=urlconf):
        groups[link.group].append(
            {
                "key": link.key,
                "label": str(link.label),
                "url": url,
                "description": str(link.description),
                "count": link.count(territory) if link.count is not None else None,
            }
        )
    return [
        {"key": key, "title": str(GROUPS[key][0]), "icon": GROUPS[key][1], "links": links}
        for key, links in groups.items()
        if links
    ]
