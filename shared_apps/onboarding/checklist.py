"""The welcome checklist: first things a new territory does, ticked as they get done.

Each item is a check registered by the app that owns the feature, from its
AppConfig.ready():

    register_check("activity", order=30, title=_("Publish a first activity"),
                   url_name="catalogue:new", is_done=lambda territory: ...)

Registering a key again replaces the item. The four built-in items keep their
titles here (one catalogue of strings) and the owning app only says how to tell the
item is done and where to do it, with ``provide_check(key, url_name=..., is_done=...)``.
Until an app provides a key, the item says honestly that the feature is not available
yet. ``is_done`` receives the territory and runs in its schema; it must be a single
cheap query.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

from django.urls import NoReverseMatch, reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django_tenants.utils import tenant_context

from shared_apps.accounts.models import Membership
from tenants.models import Territory

DoneFn = Callable[[Territory], bool]


@dataclass(frozen=True)
class Check:
    key: str
    order: int
    title: str | Promise
    description: str | Promise
    url_name: str = ""
    is_done: DoneFn | None = None  # None: the feature is not available yet


_checks: dict[str, Check] = {}


def register_check(
    key: str,
    *,
    order: int,
    title: str | Promise,
    description: str | Promise = "",
    url_name: str = "",
    is_done: DoneFn | None = None,
) -> None:
    _checks[key] = Check(
        key=key,
        order=order,
        title=title,
        description=description,
        url_name=url_name,
        is_done=is_done,
    )


_provided: dict[str, tuple[str, DoneFn]] = {}


def provide_check(key: str, *, url_name: str, is_done: DoneFn) -> None:
    """Let the app that owns a built-in item tick it (registration order does not matter)."""
    _provided[key] = (url_name, is_done)


def registered_checks() -> list[Check]:
    checks = []
    for check in _checks.values():
        if check.key in _provided:
            url_name, is_done = _provided[check.key]
            check = replace(check, url_name=url_name, is_done=is_done)
        checks.append(check)
    return sorted(checks, key=lambda check: check.order)


def checklist(territory: Territory, *, urlconf: str | None = None) -> list[dict[str, Any]]:
    """Each item with its state: "done", "todo" or "unavailable"."""
    items = []
    with tenant_context(territory):
        for check in registered_checks():
            if check.is_done is None:
                state = "unavailable"
            else:
                state = "done" if check.is_done(territory) else "todo"
            url = ""
            if check.url_name and state != "unavailable":
                try:
                    url = reverse(check.url_name, urlconf=urlconf)
                except NoReverseMatch:
                    url = ""
            items.append(
                {
                    "key": check.key,
                    "title": check.title,
                    "description": check.description,
                    "state": state,
                    "url": url,
                }
            )
    return items


def providers_invited(territory: Territory) -> bool:
    return Membership.objects.filter(
        territory=territory, role=Membership.Role.PROVIDER_STAFF
    ).exists()


def register_builtin_checks() -> None:
    """The four first steps of a new territory. The catalogue (interests, activities)
    and badges apps provide how the last three are checked."""
    defaults = [
        (
            "providers",
            10,
            _("Invite your first providers"),
            _("Youth centres, libraries, NGOs: invite them by email to offer activities here."),
            "manage:members",
            providers_invited,
        ),
        (
            "interests",
            20,
            _("Review the list of interests"),
            _("The passions young people search by: adapt them to your city."),
            "",
            None,
        ),
        (
            "activity",
            30,
            _("Publish a first activity"),
            _("Something young people can join this month."),
            "",
            None,
        ),
        (
            "badge",
            40,
            _("Design a first badge"),
            _("Recognise what young people learn with your providers."),
            "",
            None,
        ),
    ]
    for key, order, title, description, url_name, is_done in defaults:
        if key not in _checks:  # an owning app registered first
            register_check(
                key,
                order=order,
                title=title,
                description=description,
                url_name=url_name,
                is_done=is_done,
            )
