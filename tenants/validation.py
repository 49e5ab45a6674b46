"""Rules for a territory's address (its subdomain); every refusal says why."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

SLUG_MIN_LENGTH = 3
SLUG_MAX_LENGTH = 40
SLUG_RE = re.compile(r"^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$")

# Names that belong to the platform, its infrastructure, or would mislead people.
RESERVED_SLUGS = frozenset(
    {
        "www",
        "api",
        "admin",
        "administrator",
        "static",
        "media",
        "mail",
        "email",
        "smtp",
        "imap",
        "pop",
        "ftp",
        "ns",
        "ns1",
        "ns2",
        "dns",
        "mx",
        "network",
        "app",
        "apps",
        "help",
        "support",
        "status",
        "docs",
        "doc",
        "blog",
        "dev",
        "staging",
        "test",
        "demo",
        "cdn",
        "assets",
        "files",
        "img",
        "images",
        "auth",
        "login",
        "logout",
        "signup",
        "register",
        "account",
        "accounts",
        "billing",
        "pay",
        "payments",
        "invoice",
        "dashboard",
        "console",
        "manage",
        "root",
        "system",
        "security",
        "abuse",
        "postmaster",
        "hostmaster",
        "webmaster",
        "noreply",
        "no-reply",
        "localhost",
        "internal",
        "public",
        "private",
        "platform",
        "coordinator",
        "coordinators",
        "cities",
        "regions",
        "citiesoflearning",
        "cities-of-learning",
        "badges",
        "badge",
        "verify",
        "wallet",
        "backpack",
        "passport",
        "healthz",
        "metrics",
        "monitoring",
        "grafana",
        "sentry",
        "standby",
        "template",
        "templates",
    }
)

# Characters and pairs that read alike in a browser's address bar ("vi1nius" next to
# "vilnius", "rnikkeli" next to "mikkeli"). Deliberately short: "region-6" and
# "region-8" are different places and must both be possible.
_CONFUSABLE_PAIRS = (("rn", "m"), ("vv", "w"))
_CONFUSABLE_CHARS = str.maketrans({"0": "o", "1": "l", "i": "l", "5": "s"})


def confusable_skeleton(slug: str) -> str:
    """A normal form under which addresses that look alike are equal."""
    skeleton = slug.lower().replace("-", "")
    for pair, single in _CONFUSABLE_PAIRS:
        skeleton = skeleton.replace(pair, single)
    return skeleton.translate(_CONFUSABLE_CHARS)


def validate_slug_format(slug: str) -> None:
    """Length and DNS-safe characters (a single DNS label, lower case)."""
    if len(slug) < SLUG_MIN_LENGTH or len(slug) > SLUG_MAX_LENGTH:
        raise ValidationError(
            _("The address must be %(min)d to %(max)d characters long."),
            code="length",
            params={"min": SLUG_MIN_LENGTH, "max": SLUG_MAX_LENGTH},
        )
    if not SLUG_RE.match(slug):
        raise ValidationError(
            _(
                "Use only lower-case letters a-z, digits and hyphens, "
                "starting and ending with a letter or digit."
            ),
            code="characters",
        )
    if "--" in slug:
        # "xn--" labels are punycode; doubled hyphens also read badly aloud.
        raise ValidationError(_("The address cannot contain two hyphens in a row."), code="hyphens")


def validate_slug_not_reserved(slug: str) -> None:
    skeleton = confusable_skeleton(slug)
    if slug in RESERVED_SLUGS or any(confusable_skeleton(r) == skeleton for r in RESERVED_SLUGS):
        raise ValidationError(
            _("“%(slug)s” is reserved by the platform. Please choose another address."),
            code="reserved",
            params={"slug": slug},
        )


def validate_slug_available(slug: str, *, conflict: str | None) -> None:
    """Refuse a slug that exists already (conflict == slug) or looks like one that does.

    ``conflict`` is the existing address with the same confusable skeleton, if any
    (tenants.selectors.conflicting_slug).
    """
    if conflict is None:
        return
    if conflict == slug:
        raise ValidationError(
            _("“%(slug)s” is already taken by another territory."),
            code="taken",
            params={"slug": slug},
        )
    raise ValidationError(
        _("“%(slug)s” is too easily confused with the existing address “%(existing)s”."),
        code="confusable",
        params={"slug": slug, "existing": conflict},
    )


def validate_new_slug(slug: str, *, conflict: str | None) -> None:
    """All rules for a new territory's address; the first failing one is raised."""
    validate_slug_format(slug)
    validate_slug_not_reserved(slug)
    validate_slug_available(slug, conflict=conflict)


def schema_name_for(slug: str) -> str:
    """The schema a territory's data lives in: derived once, never renamed with the slug."""
    return "t_" + slug.replace("-", "_")
