"""The kinds of notification: what each says, and whether a person may turn it off.

A sentence names only things the reader may see (their badge, their activity, the
playlist they follow, the site): never another person, never a reviewer's comment
(the link leads to where the reader sees it, after that site's own checks).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Kind:
    key: str
    label: str | Promise  # in the preferences list
    sentence: str | Promise  # %(name)s placeholders filled from the params
    detail: str | Promise = ""  # an extra paragraph for the email
    optional: bool = True  # guardian consent and account mails cannot be turned off

    def text(self, params: dict[str, Any]) -> str:
        return _fill(self.sentence, params)

    def detail_text(self, params: dict[str, Any]) -> str:
        return _fill(self.detail, params) if self.detail else ""


class _Blank(dict[str, Any]):
    # A parameter an older row lacks reads as empty, not as an error.
    def __missing__(self, key: str) -> str:
        return ""


def _fill(template: str | Promise, params: dict[str, Any]) -> str:
    return str(template) % _Blank({key: str(value) for key, value in params.items()})


BADGE_AWARDED = "badge_awarded"
EVIDENCE_APPROVED = "evidence_approved"
EVIDENCE_IMPROVE = "evidence_improve"
EVIDENCE_REJECTED = "evidence_rejected"
ACTIVITY_APPROVED = "activity_approved"
ACTIVITY_RETURNED = "activity_returned"
STEP_UNLOCKED = "step_unlocked"
PROVIDER_INVITED = "provider_invited"
ORGANISATION_INVITED = "organisation_invited"
CONSENT_NEEDED = "consent_needed"
TERRITORY_WELCOME = "territory_welcome"

_INVITATION_DETAIL = _(
    "Open the link to accept: sign in, or sign up, with this email address first. "
    "The link works for %(days)s days, once. If you did not expect this message, ignore "
    "it: nothing happens without your answer."
)

KINDS: dict[str, Kind] = {
    kind.key: kind
    for kind in [
        Kind(
            BADGE_AWARDED,
            _("A badge is awarded to me"),
            _("You earned the badge “%(badge)s”."),
        ),
        Kind(
            EVIDENCE_APPROVED,
            _("My evidence is approved"),
            _("Your evidence for “%(title)s” was approved."),
        ),
        Kind(
            EVIDENCE_IMPROVE,
            _("My evidence needs improvement"),
            _("Your evidence for “%(title)s” needs some improvement. Open it to see what to do."),
        ),
        Kind(
            EVIDENCE_REJECTED,
            _("My evidence is not accepted"),
            _("Your evidence for “%(title)s” was not accepted. Open it to see why."),
        ),
        Kind(
            ACTIVITY_APPROVED,
            _("An activity of mine is approved"),
            _("Your activity “%(title)s” was approved and is published."),
        ),
        Kind(
            ACTIVITY_RETURNED,
            _("An activity of mine is returned"),
            _("Your activity “%(title)s” was returned to you. Open it to see why."),
        ),
        Kind(
            STEP_UNLOCKED,
            _("A playlist step opens for me"),
            _("A new step of “%(playlist)s” is open: “%(step)s”."),
        ),
        Kind(
            PROVIDER_INVITED,
            _("I am invited to an organisation's team"),
            _("You are invited to join the team of “%(provider)s” on %(site)s."),
            _INVITATION_DETAIL,
        ),
        Kind(
            ORGANISATION_INVITED,
            _("I am invited to add my organisation"),
            _("You are invited to add “%(provider)s” to %(site)s."),
            _INVITATION_DETAIL,
        ),
        Kind(
            CONSENT_NEEDED,
            _("A parent or guardian needs to confirm"),
            _(
                "A parent or guardian needs to confirm your account. "
                "Open your account page to send them the link."
            ),
            optional=False,
        ),
        Kind(
            TERRITORY_WELCOME,
            _("Welcome to a new site"),
            _("Welcome! %(site)s is ready, and you are its administrator."),
            _(
                "Start with the checklist on your site: add your interests, invite your "
                "first providers and publish the first activities."
            ),
            optional=False,
        ),
    ]
}


def get_kind(key: str) -> Kind:
    return KINDS[key]
