"""The open data page (public, linked from every page's footer), the licence choice
(territory admins) and a provider's calendar imports (its staff, in the studio)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from shared_apps.accounts.access import territory_admin_required
from shared_apps.core.formviews import form_view
from shared_apps.core.hosts import territory_url
from tenant_apps.catalogue.models import Provider
from tenant_apps.catalogue.views.studio import provider_staff_view
from tenant_apps.opendata import actions, selectors
from tenant_apps.opendata.calendars import CalendarProblem
from tenant_apps.opendata.forms import CalendarForm, LicenceForm
from tenant_apps.opendata.models import CalendarError, CalendarFeed
from tenants.types import StaffRequest, TerritoryRequest


def open_data(request: TerritoryRequest) -> HttpResponse:
    territory = request.territory
    if territory is None:
        raise Http404
    licence = selectors.licence()
    membership = getattr(request, "membership", None)
    is_admin = bool(membership is not None and membership.is_admin)
    return render(
        request,
        "opendata/open_data.html",
        {
            "licence": licence,
            "catalogue_url": territory_url(territory, reverse("api-open-data-activities")),
            "changes_url": territory_url(territory, reverse("api-open-data-changes")),
            "docs_url": reverse("api-docs"),
            "licence_form": LicenceForm(initial={"licence": licence.code}) if is_admin else None,
        },
    )


@territory_admin_required
@require_POST
def set_licence(request: StaffRequest) -> HttpResponse:
    form = LicenceForm(request.POST)
    if form.is_valid():
        actions.set_licence(
            territory=request.territory,
            acting_user=request.user,
            licence=form.cleaned_data["licence"],
        )
        messages.success(request, _("The licence was saved."))
    else:
        messages.error(request, _("Choose one of the listed licences."))
    return redirect("opendata:open_data")


@provider_staff_view()
@require_http_methods(["GET", "POST"])
def calendars(request: StaffRequest, *, provider: Provider, role: str) -> HttpResponse:
    form = CalendarForm(request.POST or None, provider=provider)

    def register(data: dict[str, Any]) -> HttpResponse | None:
        try:
            actions.register_calendar(
                provider=provider,
                territory=request.territory,
                acting_user=request.user,
                url=data["url"],
                venue=data["venue"],
                interests=list(data["interests"]),
            )
        except CalendarProblem as problem:
            form.add_error("url", str(problem))
            return None
        messages.success(request, _("Added. Its events are being imported."))
        return redirect("opendata:calendars", provider_id=provider.pk)

    def page() -> dict[str, object]:
        feeds = list(CalendarFeed.objects.filter(provider=provider).order_by("pk"))
        errors = {feed.pk: list(CalendarError.objects.filter(calendar=feed)[:20]) for feed in feeds}
        for feed in feeds:
            feed.recent_errors = errors[feed.pk]  # type: ignore[attr-defined]
        return {"provider": provider, "feeds": feeds}

    return form_view(request, form, "opendata/calendars.html", page, on_valid=register)


def _calendar(provider: Provider, calendar_id: int) -> CalendarFeed:
    return get_object_or_404(CalendarFeed, pk=calendar_id, provider=provider)


@require_POST
@provider_staff_view()
def remove_calendar(
    request: StaffRequest, *, provider: Provider, role: str, calendar_id: int
) -> HttpResponse:
    actions.remove_calendar(
        calendar=_calendar(provider, calendar_id),
        territory=request.territory,
        acting_user=request.user,
    )
    messages.success(request, _("Removed. The activities it made are still yours."))
    return redirect("opendata:calendars", provider_id=provider.pk)


@require_POST
@provider_staff_view()
def sync_calendar(
    request: StaffRequest, *, provider: Provider, role: str, calendar_id: int
) -> HttpResponse:
    actions.request_sync(calendar=_calendar(provider, calendar_id))
    messages.success(request, _("It is being imported again."))
    return redirect("opendata:calendars", provider_id=provider.pk)
