"""The accessibility statement of the territory (public) and its editor (admins)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from shared_apps.accounts.access import territory_admin_required
from shared_apps.core.formviews import form_view
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

    def save(data: dict[str, Any]) -> HttpResponse:
        save_statement(
            territory=request.territory, data=StatementData(**data), acting_user=request.user
        )
        messages.success(request, _("The accessibility statement was saved."))
        return redirect("accessibility:edit")

    return form_view(request, form, "accessibility/edit.html", {"statement": saved}, on_valid=save)
