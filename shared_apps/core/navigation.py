"""Main navigation entries, registered by the apps that own the pages.

Apps register in their AppConfig.ready(); the layout shows the entries of the kind
of site being served (the network site or a territory site) in order. An entry for
some people only (the coordinators' console) gives ``visible(request)``, asked only for
signed-in visitors so anonymous pages cost no query.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
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


# ---------------------------------------------------------------------------
# The signed-in person's own things ("Find your own things")
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class MyLink:
    key: str
    label: str | Promise
    order: int
    url_name: str = ""
    # For a page on another host (the backpack lives on the network site).
    url: Callable[[Any], str] | None = None
    visible: Callable[[Any], bool] | None = None
    # A number shown beside the link (unread notifications); keep it cheap.
    count: Callable[[Any], int] | None = None


_my_links: dict[tuple[SiteKind, str], MyLink] = {}


def register_my_link(
    site: SiteKind,
    *,
    key: str,
    label: str | Promise,
    order: int,
    url_name: str = "",
    url: Callable[[Any], str] | None = None,
    visible: Callable[[Any], bool] | None = None,
    count: Callable[[Any], int] | None = None,
) -> None:
    """A link to the person's own things (saved activities, badges, the studio...),
    shown in the header's account menu and on the account page. ``visible(request)``
    says whether it applies to the person's role here; keep it free of queries (use
    ``request.membership``), it runs on every page."""
    if not url_name and url is None:
        raise ValueError("give url_name or url")
    _my_links[(site, key)] = MyLink(
        key=key,
        label=label,
        order=order,
        url_name=url_name,
        url=url,
        visible=visible,
        count=count,
    )


def membership_role(request: Any, *roles: str) -> bool:
    membership = getattr(request, "membership", None)
    return membership is not None and membership.role in roles


def my_links(request: Any) -> list[dict[str, Any]]:
    """The signed-in person's links on this site, in order (none for visitors)."""
    if not getattr(getattr(request, "user", None), "is_authenticated", False):
        return []
    site: SiteKind = "territory" if getattr(request, "territory", None) else "network"
    urlconf = getattr(request, "urlconf", None)
    result = []
    for item in sorted(
        (link for (kind, _k), link in _my_links.items() if kind == site), key=lambda i: i.order
    ):
        if item.visible is not None and not item.visible(request):
            continue
        if item.url is not None:
            url = item.url(request)
        else:
            try:
                url = reverse(item.url_name, urlconf=urlconf)
            except NoReverseMatch:
                continue
        # Called by the template only where it shows the link (not for fragments).
        count = partial(item.count, request) if item.count is not None else 0
        result.append({"key": item.key, "label": str(item.label), "url": url, "count": count})
    return result
