"""The territory admin area. The territory is request.territory (resolved at the
edge); every query below is scoped to it."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from shared_apps.accounts.access import territory_admin_required, territory_staff_required
from shared_apps.accounts.actions import LastAdminError, change_member_role
from shared_apps.accounts.models import Membership
from shared_apps.accounts.selectors import territory_members
from shared_apps.core.figures import live_figures
from shared_apps.core.formviews import form_view
from tenant_apps.manage.forms import BrandingForm, MemberRoleForm
from tenant_apps.manage.links import manage_groups
from tenants.actions import update_branding
from tenants.types import StaffRequest


@territory_staff_required
def dashboard(request: StaffRequest) -> HttpResponse:
    territory = request.territory
    counts = dict(
        Membership.objects.filter(territory=territory)
        .values_list("role")
        .annotate(n=Count("id"))
        .values_list("role", "n")
    )
    roles = [(label, counts.get(value, 0)) for value, label in Membership.Role.choices]
    return render(
        request,
        "manage/dashboard.html",
        # Counted now, not the console's hourly snapshot: an admin who just approved
        # an activity sees it counted.
        {
            "roles": roles,
            "figures": live_figures(territory),
            # The area's pages as grouped cards (one COUNT per link that counts).
            "groups": manage_groups(
                territory,
                is_admin=request.membership.is_admin,
                urlconf=getattr(request, "urlconf", None),
            ),
        },
    )


@territory_admin_required
def settings_view(request: StaffRequest) -> HttpResponse:
    territory = request.territory
    initial = {
        "name": territory.name,
        "primary_color": territory.primary_color,
        "accent_color": territory.accent_color,
        "default_language": territory.default_language,
        "languages": territory.languages,
    }
    form = BrandingForm(request.POST or None, request.FILES or None, initial=initial)

    def save(data: dict[str, Any]) -> HttpResponse:
        update_branding(
            territory=territory,
            acting_user=request.user,
            name=data["name"],
            primary_color=data["primary_color"],
            accent_color=data["accent_color"],
            default_language=data["default_language"],
            languages=data["languages"],
            logo=data["logo"],
            cover_image=data["cover_image"],
            remove_logo=data["remove_logo"],
            remove_cover=data["remove_cover"],
        )
        messages.success(request, _("The site's settings were saved."))
        return redirect("manage:settings")

    return form_view(request, form, "manage/settings.html", on_valid=save)


@territory_admin_required
def members(request: StaffRequest) -> HttpResponse:
    territory = request.territory
    page = Paginator(territory_members(territory), 50).get_page(request.GET.get("page"))
    return render(request, "manage/members.html", {"page": page, "roles": Membership.Role.choices})


@require_POST
@territory_admin_required
def change_role(request: StaffRequest, membership_id: int) -> HttpResponse:
    territory = request.territory
    # Scoped to this territory: another territory's membership id is a 404 here.
    membership = get_object_or_404(Membership, pk=membership_id, territory=territory)
    form = MemberRoleForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose one of the listed roles."))
        return redirect("manage:members")
    try:
        change_member_role(
            membership=membership, role=form.cleaned_data["role"], acting_user=request.user
        )
    except LastAdminError:
        messages.error(
            request, _("The territory needs at least one admin. Make someone else admin first.")
        )
    else:
        messages.success(request, _("The role was changed."))
    return redirect("manage:members")
