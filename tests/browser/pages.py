"""The pages the browser tests visit: one list, so apps added later append theirs.

Each page says on which host it lives (the territory or the network site), which role
sees it (a visitor or a demo role of the live territory) and how to find its path in the
live territory's demo data (called inside the territory's schema).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

from django.urls import reverse

from tenant_apps.badges.models import Award, BadgeClass
from tenant_apps.catalogue.models import Activity, Provider, ProviderStaff
from tenant_apps.playlists.models import Enrolment, Playlist
from tests.browser.live import LiveSite

Site = Literal["territory", "network"]
TERRITORY_URLS = "learning_platform.urls_territory"
NETWORK_URLS = "learning_platform.urls_network"


@dataclass(frozen=True)
class Page:
    name: str
    role: str  # "anonymous" or a key of DEMO_ROLES: learner, provider, admin
    path: Callable[[LiveSite], str]
    site: Site = "territory"


def on_territory(name: str, *args: object) -> str:
    return reverse(name, args=args, urlconf=TERRITORY_URLS)


def on_network(name: str) -> str:
    return reverse(name, urlconf=NETWORK_URLS)


def a_published_activity(_site: LiveSite) -> Activity:
    return Activity.objects.filter(status=Activity.Status.PUBLISHED).order_by("pk").first()  # type: ignore[return-value]


def a_badge(_site: LiveSite) -> BadgeClass:
    return BadgeClass.objects.filter(is_archived=False).order_by("pk").first()  # type: ignore[return-value]


def learners_award(site: LiveSite) -> Award:
    return Award.objects.filter(  # type: ignore[return-value]
        recipient_email=site.users["learner"].email, revoked_at__isnull=True
    ).first()


def providers_own(site: LiveSite) -> tuple[Provider, Activity]:
    staff = ProviderStaff.objects.filter(user=site.users["provider"]).first()
    assert staff is not None, "the demo provider account works for no provider"
    activity = staff.provider.activities.order_by("pk").first()
    assert activity is not None
    return staff.provider, activity


def activity_editor(site: LiveSite) -> str:
    provider, activity = providers_own(site)
    return on_territory("catalogue:edit_activity", provider.pk, activity.pk)


def venue_editor(site: LiveSite) -> str:
    provider, _activity = providers_own(site)
    return on_territory("catalogue:new_venue", provider.pk)


def a_published_playlist(_site: LiveSite) -> Playlist:
    return Playlist.objects.filter(status=Playlist.Status.PUBLISHED).order_by("pk").first()  # type: ignore[return-value]


def learners_playlist(site: LiveSite) -> int:
    enrolment = Enrolment.objects.filter(user_id=site.users["learner"].pk).first()
    assert enrolment is not None, "the demo learner follows no playlist"
    return enrolment.playlist_id


# Every page audited by axe, at each width, in each language (tests/browser/test_axe.py).
AUDITED_PAGES: list[Page] = [
    Page("network home", "anonymous", lambda s: on_network("network:home"), "network"),
    Page("network sign-in", "anonymous", lambda s: on_network("account_login"), "network"),
    Page("backpack", "learner", lambda s: on_network("backpack:index"), "network"),
    Page("territory home", "anonymous", lambda s: on_territory("home:index")),
    Page("search", "anonymous", lambda s: on_territory("catalogue:search")),
    Page("search results", "anonymous", lambda s: on_territory("catalogue:search") + "?q=a"),
    Page(
        "activity",
        "anonymous",
        lambda s: on_territory("catalogue:activity", a_published_activity(s).pk),
    ),
    Page("providers", "anonymous", lambda s: on_territory("catalogue:providers")),
    Page("for providers", "anonymous", lambda s: on_territory("catalogue:for_providers")),
    Page("badges", "anonymous", lambda s: on_territory("badges:list")),
    Page("badge", "anonymous", lambda s: on_territory("badges:detail", a_badge(s).slug)),
    # Private until the learner shares it: audited as its recipient sees it.
    Page("award", "learner", lambda s: on_territory("badges:award", str(learners_award(s).uuid))),
    Page("verify a badge", "anonymous", lambda s: on_territory("badges:verify")),
    Page(
        "accessibility statement",
        "anonymous",
        lambda s: on_territory("accessibility:statement"),
    ),
    Page("sign-in", "anonymous", lambda s: on_territory("account_login")),
    Page("sign-up", "anonymous", lambda s: on_territory("account_signup")),
    Page("my badges", "learner", lambda s: on_territory("badges:mine")),
    Page("saved", "learner", lambda s: on_territory("catalogue:saved")),
    Page("claim a badge", "learner", lambda s: on_territory("badges:claim")),
    Page("studio", "provider", lambda s: on_territory("catalogue:studio_home")),
    Page("activity editor", "provider", activity_editor),
    Page("admin dashboard", "admin", lambda s: on_territory("manage:dashboard")),
    Page("admin settings", "admin", lambda s: on_territory("manage:settings")),
    Page("admin members", "admin", lambda s: on_territory("manage:members")),
    Page("admin badges", "admin", lambda s: on_territory("badges_manage:list")),
    Page("admin review", "admin", lambda s: on_territory("catalogue_review:overview")),
    Page("admin accessibility", "admin", lambda s: on_territory("accessibility:edit")),
    Page("playlists", "anonymous", lambda s: on_territory("playlists:list")),
    Page(
        "playlist",
        "anonymous",
        lambda s: on_territory("playlists:detail", a_published_playlist(s).pk),
    ),
    Page(
        "playlist progress",
        "learner",
        lambda s: on_territory("playlists:progress", learners_playlist(s)),
    ),
    Page("my playlists", "learner", lambda s: on_territory("playlists:mine")),
    Page("playlist studio", "provider", lambda s: on_territory("playlists:studio")),
    Page("playlist review queue", "admin", lambda s: on_territory("playlists:review")),
    Page("network search", "anonymous", lambda s: on_territory("netsearch:search") + "?q=a"),
    Page("my account", "learner", lambda s: on_territory("guardians:account")),
    Page("network account", "learner", lambda s: on_network("guardians:account"), "network"),
    Page("notifications", "learner", lambda s: on_territory("notifications:list")),
    Page("admin learning deserts", "admin", lambda s: on_territory("deserts:overview")),
    Page("admin import activities", "admin", lambda s: on_territory("imports:start")),
    Page("admin audit log", "admin", lambda s: on_territory("territory_audit:list")),
    Page("admin network templates", "admin", lambda s: on_territory("territory_templates:list")),
    Page(
        "admin invite a provider",
        "admin",
        lambda s: on_territory("catalogue_review:provider_invitations"),
    ),
    Page("admin home page texts", "admin", lambda s: on_territory("home:manage")),
    Page("venue editor", "provider", venue_editor),
    Page("open data", "anonymous", lambda s: on_territory("opendata:open_data")),
    Page("open data licence", "admin", lambda s: on_territory("opendata:open_data")),
    Page(
        "calendars",
        "provider",
        lambda s: on_territory("opendata:calendars", providers_own(s)[0].pk),
    ),
]

# Main pages whose weight is measured (tests/browser/test_light_pages.py, bench).
LIGHT_PAGES: list[Page] = [
    page
    for page in AUDITED_PAGES
    if page.name in {"territory home", "search", "activity", "playlist"}
]

# Widths and languages of the audit.
VIEWPORTS = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1280, "height": 800}}
LANGUAGES = ("en", "lt")
