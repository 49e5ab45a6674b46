"""The accessibility statement of the territory (public) and its editor (admins)."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from shared_apps.accounts.access import territory_admin_required
from tenant_apps.accessibility import selectors
from tenant_apps.accessibility.actions import StatementData, save_statement
from tenant_apps.accessibility.forms import StatementForm
from tenants.types import StaffRequest, TerritoryRequest


def statement(request: TerritoryRequest) -> HttpResponse:
    if request.territory is None:
        raise Http404
    saved = selectors.current_statement()
    return render(
        request,
        "accessibility/statement.html",
        {
            "statement": saved,
            "feedback_email": selectors.feedback_email(saved),
            "audit": selectors.platform_audit(),
        },
    )


@territory_admin_required
@require_http_methods(["GET", "POST"])
def edit(request: StaffRequest) -> HttpResponse:
    saved = selectors.current_statement()
    form = StatementForm(request.POST or None, instance=saved)
    if request.method == "POST" and form.is_valid():
        save_statement(
            territory=request.territory,
            data=StatementData(**form.cleaned_data),
            acting_user=request.user,
        )
        messages.success(request, _("The accessibility statement was saved."))
        return redirect("accessibility:edit")
    return render(
        request,
        "accessibility/edit.html",
        {"form": form, "statement": saved},
        status=400 if form.errors else 200,
    )
