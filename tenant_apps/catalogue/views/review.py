"""The territory admin's part: verify providers, review activities, curate interests.
Guarded by territory_admin_required; every action is audited (see actions)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from shared_apps.accounts.access import territory_admin_required
from shared_apps.core.formviews import form_view
from tenant_apps.catalogue import actions, selectors
from tenant_apps.catalogue.forms import InterestForm, ProviderInvitationForm, ReasonForm
from tenant_apps.catalogue.models import Activity, Interest, Provider
from tenants.types import StaffRequest


@territory_admin_required
def overview(request: StaffRequest) -> HttpResponse:
    return render(
        request,
        "catalogue/review/overview.html",
        {
            "pending": list(
                Provider.objects.filter(status=Provider.Status.PENDING).order_by("created_at")
            ),
            "submitted": list(selectors.submitted_activities()[:100]),
        },
    )


@territory_admin_required
def providers(request: StaffRequest) -> HttpResponse:
    status = request.GET.get("status", "")
    queryset = selectors.providers_for_review()
    if status in Provider.Status.values:
        queryset = queryset.filter(status=status)
    page = Paginator(queryset, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "catalogue/review/providers.html",
        {"page": page, "status": status, "statuses": Provider.Status.choices},
    )


@territory_admin_required
def provider_invitations(request: StaffRequest) -> HttpResponse:
    """Invite a new provider by email; see, resend and withdraw the waiting ones."""

    def invite(data: dict[str, Any]) -> HttpResponse:
        actions.invite_provider(
            territory=request.territory,
            acting_user=request.user,
            organisation_name=data["organisation_name"],
            email=data["email"],
        )
        messages.success(
            request,
            _("An invitation was sent to %(email)s. They join once they accept it.")
            % {"email": data["email"]},
        )
        return redirect("catalogue_review:provider_invitations")

    return form_view(
        request,
        ProviderInvitationForm(request.POST or None),
        "catalogue/review/provider_invitations.html",
        lambda: {"invitations": list(selectors.provider_invitations())},
        on_valid=invite,
    )


@require_POST
@territory_admin_required
def provider_invitation_decision(
    request: StaffRequest, invitation_id: int, decision: str
) -> HttpResponse:
    invitation = selectors.provider_invitations().filter(pk=invitation_id).first()
    if invitation is None or decision not in ("resend", "revoke"):
        raise Http404
    if decision == "revoke":
        actions.revoke_staff_invitation(
            invitation=invitation, territory=request.territory, acting_user=request.user
        )
        messages.success(request, _("The invitation was withdrawn."))
    else:
        try:
            actions.invite_provider(
                territory=request.territory,
                acting_user=request.user,
                organisation_name=invitation.organisation_name,
                email=invitation.email,
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request,
                _("An invitation was sent to %(email)s. They join once they accept it.")
                % {"email": invitation.email},
            )
    return redirect("catalogue_review:provider_invitations")


def _provider(provider_id: int) -> Provider:
    provider = Provider.objects.filter(pk=provider_id).first()
    if provider is None:
        raise Http404
    return provider


@territory_admin_required
def provider_review(request: StaffRequest, provider_id: int) -> HttpResponse:
    provider = _provider(provider_id)
    return render(
        request,
        "catalogue/review/provider.html",
        {
            "provider": provider,
            "staff": list(selectors.staff_members(provider)),
            "counts": selectors.activity_status_counts(provider),
            "reason_form": ReasonForm(),
        },
    )


@require_POST
@territory_admin_required
def provider_decision(request: StaffRequest, provider_id: int, decision: str) -> HttpResponse:
    provider = _provider(provider_id)
    territory, user = request.territory, request.user
    try:
        if decision == "verify":
            actions.verify_provider(provider=provider, territory=territory, acting_user=user)
            messages.success(request, _("%(name)s is verified.") % {"name": provider.name})
        elif decision == "suspend":
            form = ReasonForm(request.POST)
            reason = form.cleaned_data["reason"] if form.is_valid() else ""
            actions.suspend_provider(
                provider=provider, territory=territory, acting_user=user, reason=reason
            )
            messages.success(request, _("%(name)s is suspended.") % {"name": provider.name})
        elif decision in ("trust", "untrust"):
            actions.set_provider_trusted(
                provider=provider,
                territory=territory,
                acting_user=user,
                trusted=decision == "trust",
            )
            messages.success(request, _("Saved."))
        else:
            raise Http404
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("catalogue_review:provider", provider_id=provider.pk)


def _activity(activity_id: int) -> Activity:
    activity = (
        Activity.objects.filter(pk=activity_id)
        .select_related("provider", "venue")
        .prefetch_related("interests", "sessions")
        .first()
    )
    if activity is None:
        raise Http404
    return activity


@territory_admin_required
def activity_review(request: StaffRequest, activity_id: int) -> HttpResponse:
    activity = _activity(activity_id)
    return render(
        request,
        "catalogue/review/activity.html",
        {
            "activity": activity,
            "reason_form": ReasonForm(),
            "problems": actions.publication_problems(activity, request.territory),
            "submitted_by": selectors.submitted_by(activity),
        },
    )


@require_POST
@territory_admin_required
def activity_decision(request: StaffRequest, activity_id: int, decision: str) -> HttpResponse:
    activity = _activity(activity_id)
    territory, user = request.territory, request.user
    try:
        if decision == "approve":
            actions.approve_activity(activity=activity, territory=territory, acting_user=user)
            messages.success(request, _("Published."))
        elif decision == "return":
            form = ReasonForm(request.POST)
            reason = form.cleaned_data["reason"] if form.is_valid() else ""
            actions.return_activity(
                activity=activity, territory=territory, acting_user=user, reason=reason
            )
            messages.success(request, _("Returned to the provider with your reason."))
        else:
            raise Http404
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("catalogue_review:activity", activity_id=activity.pk)
    return redirect("catalogue_review:overview")


@territory_admin_required
def interests(request: StaffRequest) -> HttpResponse:
    return render(
        request, "catalogue/review/interests.html", {"interests": selectors.all_interests()}
    )


@territory_admin_required
def interest_form(request: StaffRequest, interest_id: int | None = None) -> HttpResponse:
    territory = request.territory
    interest = None
    if interest_id is not None:
        interest = Interest.objects.filter(pk=interest_id).first()
        if interest is None:
            raise Http404
    initial: dict[str, object] = {"position": 0, "is_active": True}
    if interest is not None:
        initial = {"position": interest.position, "is_active": interest.is_active}
        initial.update(
            {f"name_{code}": interest.names.get(code, "") for code in territory.languages}
        )
    form = InterestForm(request.POST or None, initial=initial, languages=territory.languages)

    def save(data: dict[str, Any]) -> HttpResponse:
        actions.save_interest(
            territory=territory,
            acting_user=request.user,
            names=form.names(),
            position=data["position"],
            is_active=data["is_active"],
            interest=interest,
        )
        messages.success(request, _("The interest was saved."))
        return redirect("catalogue_review:interests")

    return form_view(
        request, form, "catalogue/review/interest_form.html", {"interest": interest}, on_valid=save
    )
