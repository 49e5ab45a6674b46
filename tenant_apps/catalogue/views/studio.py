"""The provider area: a provider's staff (and the territory admin, acting for any
provider) edit the profile, venues, staff and activities.

Every view looks the provider up among this territory's providers *and* checks the
account works there; anything else is a 404, so ids of other providers (or of other
territories, which do not exist in this schema) reveal nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any
from zoneinfo import ZoneInfo

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from shared_apps.accounts.access import territory_member_required
from shared_apps.core.formviews import form_view, render_form
from tenant_apps.catalogue import actions, geocoding, invitations, selectors
from tenant_apps.catalogue import fields as activity_fields
from tenant_apps.catalogue.forms import (
    ActivityForm,
    NewActivityForm,
    ProviderEditForm,
    StaffForm,
    VenueForm,
    activity_initial,
    autosave_payload,
    initial_from_autosave,
)
from tenant_apps.catalogue.maplayer import map_settings
from tenant_apps.catalogue.models import Activity, Provider, ProviderStaff, Venue
from tenant_apps.manage.translations import translations_page
from tenants.types import StaffRequest, TerritoryRequest

ProviderView = Callable[..., HttpResponse]


def provider_staff_view(*, owner: bool = False) -> Callable[[ProviderView], ProviderView]:
    """Resolve ``provider_id`` to the provider this account works for (or 404) and
    pass ``provider`` and ``role`` on. ``owner``: editors are refused (403 page)."""

    def decorator(view: ProviderView) -> ProviderView:
        @territory_member_required
        @wraps(view)
        def wrapped(request: StaffRequest, provider_id: int, **kwargs: Any) -> HttpResponse:
            found = selectors.provider_for_staff(provider_id, request.user, request.membership)
            if found is None:
                raise Http404
            provider, role = found
            if owner and role not in (ProviderStaff.Role.OWNER, "admin"):
                return render(request, "403.html", status=403)
            return view(request, provider=provider, role=role, **kwargs)

        return wrapped

    return decorator


@territory_member_required
def studio_home(request: StaffRequest) -> HttpResponse:
    providers = list(selectors.providers_of(request.user))
    if len(providers) == 1:
        return redirect("catalogue:studio", provider_id=providers[0].pk)
    if not providers:
        return redirect("catalogue:for_providers")
    return render(request, "catalogue/studio/home.html", {"providers": providers})


@provider_staff_view()
def studio(request: StaffRequest, *, provider: Provider, role: str) -> HttpResponse:
    activities = list(selectors.provider_activities(provider))
    counts = selectors.interested_counts([a.pk for a in activities])
    for activity in activities:
        activity.interested_count = counts.get(activity.pk, 0)  # type: ignore[attr-defined]
    context = {
        "provider": provider,
        "role": role,
        "activities": activities,
        "venues": list(provider.venues.all()),
        "staff": list(selectors.staff_members(provider)) if role != "editor" else [],
        "invitations": list(selectors.open_invitations(provider)) if role != "editor" else [],
        "staff_form": StaffForm(),
        "new_form": NewActivityForm(),
    }
    return render(request, "catalogue/studio/dashboard.html", context)


@provider_staff_view()
def edit_provider(request: StaffRequest, *, provider: Provider, role: str) -> HttpResponse:
    territory = request.territory
    initial = {
        "name": provider.name,
        "kind": provider.kind,
        "description": provider.description,
        "website": provider.website,
        "email": provider.email,
        "phone": provider.phone,
        "languages": provider.languages,
    }
    form = ProviderEditForm(
        request.POST or None,
        request.FILES or None,
        initial=initial,
        territory_languages=territory.languages,
    )

    def save(data: dict[str, Any]) -> HttpResponse:
        actions.update_provider(
            provider=provider,
            territory=territory,
            acting_user=request.user,
            name=data["name"],
            kind=data["kind"],
            description=data["description"],
            website=data["website"],
            email=data["email"],
            phone=data["phone"],
            languages=data["languages"],
            logo=data["logo"],
            remove_logo=data["remove_logo"],
        )
        messages.success(request, _("Your organisation's page was saved."))
        return redirect("catalogue:studio", provider_id=provider.pk)

    return form_view(
        request, form, "catalogue/studio/provider_form.html", {"provider": provider}, on_valid=save
    )


@require_POST
@provider_staff_view(owner=True)
def add_staff(request: StaffRequest, *, provider: Provider, role: str) -> HttpResponse:
    """Invite a colleague: the answer is the same for any address (nothing tells
    whether it has an account here); they join when they accept the emailed link."""
    form = StaffForm(request.POST)
    if form.is_valid():
        try:
            actions.invite_provider_staff(
                provider=provider,
                territory=request.territory,
                acting_user=request.user,
                email=form.cleaned_data["email"],
                role=form.cleaned_data["role"],
            )
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(
                request,
                _("An invitation was sent to %(email)s. They join once they accept it.")
                % {"email": form.cleaned_data["email"]},
            )
    else:
        messages.error(request, _("Give the email address of their account and a role."))
    return redirect("catalogue:studio", provider_id=provider.pk)


@require_POST
@provider_staff_view(owner=True)
def revoke_invitation(
    request: StaffRequest, *, provider: Provider, role: str, invitation_id: int
) -> HttpResponse:
    invitation = selectors.open_invitations(provider).filter(pk=invitation_id).first()
    if invitation is None:
        raise Http404
    actions.revoke_staff_invitation(
        invitation=invitation, territory=request.territory, acting_user=request.user
    )
    messages.success(request, _("The invitation was withdrawn."))
    return redirect("catalogue:studio", provider_id=provider.pk)


@require_http_methods(["GET", "POST"])
def invitation(request: TerritoryRequest, token: str) -> HttpResponse:
    """The invited person's page: sign in (or sign up) first, then accept. The link
    only works on its own territory's host, until it expires, and once."""
    territory = request.territory
    if territory is None:
        raise Http404
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    try:
        found = invitations.invitation_from_token(token, territory=territory)
    except invitations.InvalidInvitation:
        return render(request, "catalogue/studio/invitation.html", {"invalid": True}, status=404)
    error = ""
    if request.method == "POST":
        try:
            with transaction.atomic():
                locked = invitations.invitation_from_token(
                    token, territory=territory, for_update=True
                )
                staff = actions.accept_staff_invitation(
                    invitation=locked, user=request.user, territory=territory
                )
        except invitations.InvalidInvitation:
            return render(
                request, "catalogue/studio/invitation.html", {"invalid": True}, status=404
            )
        except ValidationError as refusal:
            error = " ".join(refusal.messages)
        else:
            messages.success(
                request, _("You now work for %(provider)s.") % {"provider": staff.provider.name}
            )
            return redirect("catalogue:studio", provider_id=staff.provider_id)
    return render(
        request,
        "catalogue/studio/invitation.html",
        {"invitation": found, "error": error},
        status=400 if error else 200,
    )


@require_POST
@provider_staff_view(owner=True)
def remove_staff(
    request: StaffRequest, *, provider: Provider, role: str, staff_id: int
) -> HttpResponse:
    staff = provider.staff.filter(pk=staff_id).first()
    if staff is None:
        raise Http404
    try:
        actions.remove_provider_staff(
            staff=staff, territory=request.territory, acting_user=request.user
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("They no longer work for this provider here."))
    return redirect("catalogue:studio", provider_id=provider.pk)


@require_http_methods(["GET"])
@provider_staff_view()
def geocode(request: StaffRequest, *, provider: Provider, role: str) -> HttpResponse:
    """Places for the venue form's address search (tenant_apps.catalogue.geocoding):
    the territory's own first. JSON: {"results": [{label, lat, lon, source, ...}]}."""
    query = request.GET.get("q", "")
    if len(query) > geocoding.MAX_QUERY:
        return JsonResponse(
            {"error": _("Ensure this value has at most 120 characters.")}, status=400
        )
    places = geocoding.search_addresses(query, territory=request.territory, provider=provider)
    return JsonResponse(
        {
            "results": [
                {
                    "label": place.label,
                    "lat": round(place.latitude, 6),
                    "lon": round(place.longitude, 6),
                    "source": place.source,
                    "neighbourhood": place.neighbourhood,
                }
                for place in places
            ]
        }
    )


def _venue_form_page(
    request: StaffRequest, provider: Provider, venue: Venue | None
) -> HttpResponse:
    form = VenueForm(request.POST or None, instance=venue)
    if request.method == "POST" and form.is_valid():
        try:
            actions.save_venue(
                provider=provider,
                territory=request.territory,
                acting_user=request.user,
                data=form.cleaned_data,
                point=form.point(),
                venue=venue,
            )
        except ValidationError as error:
            if hasattr(error, "error_dict") and "point" in error.error_dict:
                form.add_error("latitude", error.error_dict["point"])
            else:
                form.add_error(None, error)
        else:
            messages.success(request, _("The venue was saved."))
            return redirect("catalogue:studio", provider_id=provider.pk)
    return render_form(
        request,
        "catalogue/studio/venue_form.html",
        form,
        {"provider": provider, "venue": venue, "map": map_settings(request.territory)},
    )


@provider_staff_view()
def new_venue(request: StaffRequest, *, provider: Provider, role: str) -> HttpResponse:
    return _venue_form_page(request, provider, None)


@provider_staff_view()
def edit_venue(
    request: StaffRequest, *, provider: Provider, role: str, venue_id: int
) -> HttpResponse:
    venue = provider.venues.filter(pk=venue_id).first()
    if venue is None:
        raise Http404
    return _venue_form_page(request, provider, venue)


@require_POST
@provider_staff_view()
def delete_venue(
    request: StaffRequest, *, provider: Provider, role: str, venue_id: int
) -> HttpResponse:
    venue = provider.venues.filter(pk=venue_id).first()
    if venue is None:
        raise Http404
    try:
        actions.delete_venue(venue=venue, acting_user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The venue was deleted."))
    return redirect("catalogue:studio", provider_id=provider.pk)


@require_POST
@provider_staff_view()
def new_activity(request: StaffRequest, *, provider: Provider, role: str) -> HttpResponse:
    form = NewActivityForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the activity a title."))
        return redirect("catalogue:studio", provider_id=provider.pk)
    activity = actions.create_activity(
        provider=provider,
        territory=request.territory,
        acting_user=request.user,
        title=form.cleaned_data["title"],
    )
    return redirect("catalogue:edit_activity", provider_id=provider.pk, activity_id=activity.pk)


def _activity(provider: Provider, activity_id: int) -> Activity:
    activity = selectors.activity_for_editing(provider, activity_id)
    if activity is None:
        raise Http404
    return activity


@provider_staff_view()
def edit_activity(
    request: StaffRequest, *, provider: Provider, role: str, activity_id: int
) -> HttpResponse:
    territory = request.territory
    activity = _activity(provider, activity_id)
    require_complete = activity.status in (Activity.Status.PUBLISHED, Activity.Status.SUBMITTED)
    form_args: dict[str, Any] = {
        "provider": provider,
        "territory_languages": territory.languages,
        "timezone": territory.timezone,
        "require_complete": require_complete,
    }
    restored = False
    if request.method == "POST":
        form = ActivityForm(request.POST, request.FILES, **form_args)
        if form.is_valid():
            data = form.cleaned_data
            try:
                actions.update_activity(
                    activity=activity,
                    territory=territory,
                    acting_user=request.user,
                    data=data,
                    description=data["description"],
                    interests=list(data["interests"]),
                    sessions=form.sessions,
                    venue=data["venue"],
                    image=data["image"],
                    remove_image=data["remove_image"],
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                if request.POST.get("then") == "submit":
                    return submit_activity_now(request, provider, activity)
                messages.success(request, _("Saved."))
                return redirect(
                    "catalogue:edit_activity", provider_id=provider.pk, activity_id=activity.pk
                )
        else:
            # Nothing typed is lost even when the form is refused.
            actions.autosave_activity(activity=activity, data=autosave_payload(request.POST))
    elif activity.autosave_data:
        restored = True
        form = ActivityForm(initial=initial_from_autosave(activity.autosave_data), **form_args)
    else:
        form = ActivityForm(initial=activity_initial(activity, territory.timezone), **form_args)
    context = {
        "provider": provider,
        "activity": activity,
        "form": form,
        "restored": restored,
        "problems": (
            actions.publication_problems(activity, territory)
            if activity.status == Activity.Status.DRAFT
            else []
        ),
    }
    return render_form(request, "catalogue/studio/activity_form.html", form, context)


@require_POST
@provider_staff_view()
def autosave_activity(
    request: StaffRequest, *, provider: Provider, role: str, activity_id: int
) -> HttpResponse:
    """htmx: keep the raw input; answer a short status line for the live region."""
    activity = _activity(provider, activity_id)
    moment = actions.autosave_activity(activity=activity, data=autosave_payload(request.POST))
    local = timezone.localtime(moment, timezone=ZoneInfo(request.territory.timezone))
    return render(
        request,
        "catalogue/studio/autosave_status.html",
        {"time": formats.time_format(local.time(), "TIME_FORMAT")},
    )


@require_POST
@provider_staff_view()
def discard_autosave(
    request: StaffRequest, *, provider: Provider, role: str, activity_id: int
) -> HttpResponse:
    activity = _activity(provider, activity_id)
    actions.discard_autosave(activity=activity)
    messages.success(request, _("Unsaved changes were discarded."))
    return redirect("catalogue:edit_activity", provider_id=provider.pk, activity_id=activity.pk)


def submit_activity_now(
    request: StaffRequest, provider: Provider, activity: Activity
) -> HttpResponse:
    try:
        activity = actions.submit_activity(
            activity=activity, territory=request.territory, acting_user=request.user
        )
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect("catalogue:edit_activity", provider_id=provider.pk, activity_id=activity.pk)
    if activity.status == Activity.Status.PUBLISHED:
        if provider.is_verified:
            messages.success(request, _("Published."))
        else:
            messages.success(
                request, _("Published; it goes public once your organisation is verified.")
            )
    else:
        messages.success(request, _("Sent for review. You will see here when it is published."))
    return redirect("catalogue:studio", provider_id=provider.pk)


@require_POST
@provider_staff_view()
def change_activity_status(
    request: StaffRequest, *, provider: Provider, role: str, activity_id: int, change: str
) -> HttpResponse:
    activity = _activity(provider, activity_id)
    territory = request.territory
    if change == "submit":
        return submit_activity_now(request, provider, activity)
    try:
        if change == "withdraw":
            actions.withdraw_activity(
                activity=activity, territory=territory, acting_user=request.user
            )
            messages.success(request, _("Withdrawn from review. It is a draft again."))
        elif change == "archive":
            actions.archive_activity(
                activity=activity, territory=territory, acting_user=request.user
            )
            messages.success(request, _("Archived. It is no longer on the site."))
        elif change == "delete":
            actions.delete_activity(
                activity=activity, territory=territory, acting_user=request.user
            )
            messages.success(request, _("Deleted."))
        else:
            raise Http404
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("catalogue:studio", provider_id=provider.pk)


@provider_staff_view()
def interested_list(
    request: StaffRequest, *, provider: Provider, role: str, activity_id: int
) -> HttpResponse:
    activity = _activity(provider, activity_id)
    return render(
        request,
        "catalogue/studio/interested.html",
        {
            "provider": provider,
            "activity": activity,
            "learners": list(selectors.interested_learners(activity)),
        },
    )


@provider_staff_view()
def activity_translations(
    request: StaffRequest, *, provider: Provider, role: str, activity_id: int
) -> HttpResponse:
    activity = _activity(provider, activity_id)
    return translations_page(
        request,
        obj=activity,
        fields=activity_fields.translated_fields(),
        rich_text=("description",),
        back_url=reverse(
            "catalogue:edit_activity",
            kwargs={"provider_id": provider.pk, "activity_id": activity.pk},
        ),
        heading=activity.title,
        save=actions.save_activity_translations,
    )
