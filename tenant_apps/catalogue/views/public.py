"""Pages everyone sees: finding activities (list and map), an activity, a provider,
and a learner's saved list. The territory is request.territory, resolved at the edge;
only public activities of this territory's schema can be reached."""

from __future__ import annotations

from typing import Any, cast
from urllib.parse import urlencode

from django.contrib import messages
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, HttpResponseRedirect, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from shared_apps.accounts.access import territory_member_required
from shared_apps.core.formviews import form_view
from shared_apps.core.hosts import territory_url
from shared_apps.core.pagecache import FRAGMENT_SECONDS, anonymous_page_key
from tenant_apps.catalogue import actions, ics, jsonld, selectors
from tenant_apps.catalogue import schedule as sched
from tenant_apps.catalogue.cards import render_cards
from tenant_apps.catalogue.filters import NOT_FILTERS, FilterForm, NearField
from tenant_apps.catalogue.forms import InterestedForm, ProviderForm
from tenant_apps.catalogue.maplayer import map_settings
from tenant_apps.catalogue.models import Activity, Provider
from tenant_apps.catalogue.search import search, territory_today
from tenant_apps.demand.actions import queue_search
from tenants.models import Territory
from tenants.types import StaffRequest, TerritoryRequest


def _territory(request: TerritoryRequest) -> Territory:
    territory = request.territory
    if territory is None:  # territory URLconf only; kept for typing
        raise Http404
    return territory


# Filters inside the "More filters" box: it starts open when one is set.
MORE_FILTERS = ("interests", "cost", "formats", "date_from", "near", "languages", "access")


def _page_number(raw: str | None) -> int:
    try:
        return max(1, int(raw or 1))
    except ValueError:
        return 1


def filter_query(params: QueryDict, **changes: Any) -> str:
    """The query string of the current filters, with some parameters replaced."""
    query = params.copy()
    for name in NOT_FILTERS:
        query.pop(name, None)
    for name, value in changes.items():
        query.pop(name, None)
        if value not in (None, ""):
            query[name] = str(value)
    return query.urlencode()


SEARCH_PARAMS = frozenset([*FilterForm.base_fields, "page"])


def activity_search(request: TerritoryRequest) -> HttpResponse:
    """One page, list and map: the filters live in the URL; htmx swaps the list.

    For visitors who are not signed in, the page (or the list htmx asks for) is the
    same for everyone asking the same URL on the same day: kept whole in the cache
    (shared_apps.core.pagecache) with what the search log needs, and dropped when
    public content changes. The search is still logged on every request."""
    territory = _territory(request)
    partial = bool(request.htmx and not request.htmx.history_restore_request)  # type: ignore[attr-defined]
    today = territory_today(territory.timezone)
    htmx = bool(request.htmx)  # type: ignore[attr-defined]
    key = anonymous_page_key(request, "search", today, partial, htmx, query_params=SEARCH_PARAMS)
    if key is not None:
        cached: tuple[bytes, dict[str, Any] | None] | None = cache.get(key)
        if cached is not None:
            content, logged = cached
            if logged is not None:
                queue_search(**logged)
            response = HttpResponse(content)
            patch_vary_headers(response, ("HX-Request",))
            return response
    interests = selectors.active_interests()
    form = FilterForm(
        request.GET,
        interests=interests,
        languages=territory.languages,
        today=today,
    )
    form.is_valid()
    filters = form.filters()
    number = _page_number(request.GET.get("page"))
    page = search(
        filters=filters,
        language=territory.default_language,
        tz_name=territory.timezone,
        interests=interests,
        page=number,
        visitor_language=getattr(request, "LANGUAGE_CODE", ""),
    )
    logged = None
    if number == 1 and not filters.is_empty and not form.errors:
        logged = {
            "terms": filters.q,
            "filters": filters.for_log(),
            "result_count": page.total,
            "point": filters.near,
            "language": getattr(request, "LANGUAGE_CODE", ""),
        }
        queue_search(**logged)
    render_cards(page.items, interests_by_id=page.interests_by_id, currency=territory.currency)
    item_ids = [a.pk for a in page.items]
    context = {
        "form": form,
        "filters": filters,
        "page": page,
        "saved_ids": selectors.saved_ids(request.user, item_ids),
        "query": filter_query(request.GET),
        "map": map_settings(territory),
        "when_range": filters.when == "range",
        "has_more_filters": any(getattr(filters, name) for name in MORE_FILTERS),
    }
    template = "catalogue/search/results.html" if partial else "catalogue/search/page.html"
    response = render(request, template, context)
    if key is not None and not form.errors:
        cache.set(key, (response.content, logged), FRAGMENT_SECONDS)
    patch_vary_headers(response, ("HX-Request",))
    return response


def _activity_for_request(request: TerritoryRequest, pk: int) -> Activity:
    activity = selectors.public_activity(pk) or selectors.activity_for_preview(
        pk, request.user, request.membership
    )
    if activity is None:
        raise Http404
    return activity


def activity_detail(request: TerritoryRequest, pk: int) -> HttpResponse:
    """An activity's page. For visitors who are not signed in it is the same page for
    everyone (per language and day): kept whole in the cache until public content
    changes (shared_apps.core.pagecache)."""
    territory = _territory(request)
    today = territory_today(territory.timezone)
    key = anonymous_page_key(request, "activity", pk, today)
    if key is not None:
        cached: bytes | None = cache.get(key)
        if cached is not None:
            return HttpResponse(cached)
    activity = _activity_for_request(request, pk)
    sessions = list(activity.sessions.all())
    schedule = activity.schedule(territory.timezone, sessions=sessions)
    url = territory_url(territory, activity.get_absolute_url())
    provider_url = territory_url(
        territory, reverse("catalogue:provider", args=[activity.provider.slug])
    )
    context = {
        "activity": activity,
        "preview": not activity.is_public,
        "interests": list(activity.interests.all()),
        "schedule_text": sched.describe(schedule),
        "upcoming": sched.occurrences(schedule, start=today, limit=8),
        "has_calendar": schedule.kind != sched.OPEN,
        "share_url": url,
        "jsonld": jsonld.as_script(
            jsonld.activity_jsonld(
                activity,
                schedule,
                url=url,
                provider_url=provider_url,
                currency=territory.currency,
            )
        ),
        "is_saved": bool(selectors.saved_ids(request.user, [activity.pk])),
        "interest": selectors.interest_of(request.user, activity),
        "interested_form": InterestedForm(initial={"near": request.GET.get("near", "")}),
        "map": map_settings(territory),
    }
    response = render(request, "catalogue/activity_detail.html", context)
    if key is not None and activity.is_public:
        cache.set(key, response.content, FRAGMENT_SECONDS)
    return response


def activity_calendar(request: TerritoryRequest, pk: int) -> HttpResponse:
    territory = _territory(request)
    activity = _activity_for_request(request, pk)
    schedule = activity.schedule(territory.timezone, sessions=list(activity.sessions.all()))
    if schedule.kind == sched.OPEN:
        raise Http404
    location = ""
    if activity.venue is not None and activity.is_local:
        location = f"{activity.venue.name}, {activity.venue.address}"
    elif activity.online_url:
        location = activity.online_url
    body = ics.calendar(
        uid_prefix=f"{territory.slug}-activity-{activity.pk}",
        host=territory.host,
        title=activity.title,
        description=activity.summary,
        location=location,
        url=territory_url(territory, activity.get_absolute_url()),
        occurrences=sched.occurrences(schedule, start=territory_today(territory.timezone)),
        stamp=timezone.now(),
    )
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="activity-{activity.pk}.ics"'
    return response


def _back(request: TerritoryRequest, fallback: str) -> HttpResponseRedirect:
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = fallback
    return redirect(target)


@require_POST
@territory_member_required
def toggle_saved(request: StaffRequest, pk: int) -> HttpResponse:
    activity = selectors.public_activity(pk)
    if activity is None:
        raise Http404
    if request.POST.get("save") == "0":
        actions.forget_saved(user=request.user, activity=activity)
        saved = False
    else:
        actions.save_for_later(user=request.user, activity=activity)
        saved = True
    if request.htmx:  # type: ignore[attr-defined]
        return render(
            request,
            "catalogue/partials/save_button.html",
            {"activity": activity, "is_saved": saved},
        )
    messages.success(request, _("Saved to your list.") if saved else _("Removed from your list."))
    return _back(request, activity.get_absolute_url())


@require_POST
@territory_member_required
def interested(request: StaffRequest, pk: int) -> HttpResponse:
    activity = selectors.public_activity(pk)
    if activity is None or activity.join_method != Activity.JoinMethod.INTERESTED:
        raise Http404
    form = InterestedForm(request.POST)
    form.is_valid()
    if request.POST.get("withdraw"):
        actions.withdraw_interest(user=request.user, activity=activity)
        messages.success(request, _("The provider no longer sees you as interested."))
        return redirect(activity.get_absolute_url())
    try:
        point = NearField(required=False).clean(form.cleaned_data.get("near", ""))
    except ValidationError:
        point = None
    actions.mark_interested(
        user=request.user,
        activity=activity,
        share_contact=form.cleaned_data.get("share_contact", False),
        point=point,
    )
    messages.success(
        request,
        _("The provider knows you are interested. The activity is on your list."),
    )
    return redirect(activity.get_absolute_url())


@territory_member_required
def saved_list(request: StaffRequest) -> HttpResponse:
    activities = selectors.saved_activities(request.user)
    render_cards(
        activities,
        interests_by_id={i.pk: i for i in selectors.active_interests()},
        currency=request.territory.currency,
    )
    return render(
        request,
        "catalogue/saved.html",
        {"activities": activities, "saved_ids": {a.pk for a in activities}},
    )


def provider_detail(request: TerritoryRequest, slug: str) -> HttpResponse:
    territory = _territory(request)
    provider = selectors.public_provider(slug)
    if provider is None:
        raise Http404
    venues = list(provider.venues.all())
    context = {
        "provider": provider,
        "venues": venues,
        "activities": selectors.provider_public_activities(provider),
        "map": map_settings(territory),
        "activities_query": urlencode({"provider": provider.slug}),
    }
    return render(request, "catalogue/provider_detail.html", context)


def provider_list(request: TerritoryRequest) -> HttpResponse:
    page = Paginator(selectors.public_providers().order_by("name"), 60).get_page(
        request.GET.get("page")
    )
    return render(request, "catalogue/provider_list.html", {"page": page})


def for_providers(request: TerritoryRequest) -> HttpResponse:
    """What a provider gets here, and the way in: register, or go to your organisations."""
    providers: list[Provider] = []
    if request.user.is_authenticated and request.membership is not None:
        providers = list(selectors.providers_of(cast(Any, request.user)))
    return render(request, "catalogue/for_providers.html", {"providers": providers})


@territory_member_required
def register_provider(request: StaffRequest) -> HttpResponse:
    territory = request.territory
    form = ProviderForm(
        request.POST or None, request.FILES or None, territory_languages=territory.languages
    )

    def register(data: dict[str, Any]) -> HttpResponse:
        provider = actions.register_provider(
            territory=territory,
            user=request.user,
            name=data["name"],
            kind=data["kind"],
            description=data["description"],
            website=data["website"],
            email=data["email"],
            phone=data["phone"],
            languages=data["languages"],
            logo=data["logo"],
        )
        messages.success(
            request,
            _(
                "Your organisation is registered. You can prepare activities now; they go "
                "public once the territory has verified your organisation."
            ),
        )
        return redirect("catalogue:studio", provider_id=provider.pk)

    return form_view(request, form, "catalogue/provider_register.html", on_valid=register)
