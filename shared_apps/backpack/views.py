"""The backpack on the network site, the learner's passport: their cities and regions,
the playlists they follow there and their badges from everywhere."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from shared_apps.backpack.actions import set_sharing
from shared_apps.backpack.linkedin import add_to_profile_url
from shared_apps.backpack.selectors import entries_for, passport, shared_entry
from shared_apps.core.hosts import absolute_url
from shared_apps.guardians.selectors import (
    RESTRICTED_MESSAGE,
    SharingRestricted,
    is_restricted,
    public_name,
)
from tenants.types import TerritoryRequest


def _network_only(request: TerritoryRequest) -> None:
    if request.territory is not None:
        raise Http404


def index(request: TerritoryRequest) -> HttpResponse:
    _network_only(request)
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    entries = list(entries_for(request.user))
    for entry in entries:
        entry.linkedin_url = add_to_profile_url(entry)  # type: ignore[attr-defined]
    return render(
        request,
        "backpack/index.html",
        {
            "entries": entries,
            "restricted": is_restricted(request.user),
            "places": passport(request.user),
        },
    )


@require_POST
def sharing(request: TerritoryRequest, entry_id: int) -> HttpResponse:
    _network_only(request)
    if not request.user.is_authenticated:
        return redirect_to_login("/backpack/")
    public = request.POST.get("public") == "1"
    evidence = request.POST.get("evidence")
    try:
        set_sharing(
            user=request.user,
            entry_id=entry_id,
            public=public,
            evidence=None if evidence is None else evidence == "1",
        )
    except SharingRestricted:
        messages.error(request, str(RESTRICTED_MESSAGE))
        return redirect("backpack:index")
    messages.success(
        request,
        _("The badge now has a public page.") if public else _("The badge is private again."),
    )
    return redirect("backpack:index")


def shared(request: TerritoryRequest, token: str) -> HttpResponse:
    _network_only(request)
    entry = shared_entry(token)
    response = render(
        request,
        "backpack/shared.html",
        {
            "entry": entry,
            # Link previews (Open Graph, Twitter cards) take PNG, not SVG; every badge
            # image is served as both.
            "preview_image": entry.image_url.removesuffix(".svg").removesuffix(".png") + ".png",
            "page_url": absolute_url(request, request.path),
            "linkedin_url": add_to_profile_url(entry),
            # The owner shared this page; their name shows only if they are an adult.
            "earner_name": public_name(entry.user_id),
        },
    )
    # A share page is for people the learner gives the link to, not for search engines.
    response.headers["X-Robots-Tag"] = "noindex"
    return response
