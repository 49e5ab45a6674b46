"""On the new territory's own site: the one-time sign-in after the wizard, and the
welcome page with its checklist."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.views import redirect_to_login
from django.core import signing
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from shared_apps.accounts.access import territory_admin_required
from shared_apps.accounts.models import User
from shared_apps.accounts.selectors import membership_for
from shared_apps.billing.selectors import billing_account_for
from shared_apps.onboarding.actions import use_handoff
from shared_apps.onboarding.checklist import checklist
from shared_apps.onboarding.views import HANDOFF_SALT, HANDOFF_SECONDS
from tenants.types import StaffRequest, TerritoryRequest


@require_GET
def handoff(request: TerritoryRequest, token: str) -> HttpResponse:
    territory = request.territory
    if territory is None:
        raise Http404
    try:
        value = signing.loads(token, salt=HANDOFF_SALT, max_age=HANDOFF_SECONDS)
        signup_id = uuid.UUID(str(value["signup"]))
        user = User.objects.get(pk=value["user"], is_active=True)
    except (signing.BadSignature, KeyError, TypeError, ValueError, User.DoesNotExist):
        return redirect_to_login("/welcome/")
    if request.user.is_authenticated and request.user.pk == user.pk:
        return redirect("onboarding_territory:welcome")
    membership = membership_for(user, territory)
    if (
        membership is None
        or not membership.is_admin
        or use_handoff(signup_id=signup_id, territory=territory) is None
    ):
        messages.info(request, _("Please sign in to continue."))
        return redirect_to_login("/welcome/")
    login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    return redirect("onboarding_territory:welcome")


@territory_admin_required
def welcome(request: StaffRequest) -> HttpResponse:
    territory = request.territory
    template = (
        "onboarding/checklist.html"
        if request.headers.get("HX-Request")
        else "onboarding/welcome.html"
    )
    return render(
        request,
        template,
        {
            "items": checklist(territory, urlconf=request.urlconf),
            "account": billing_account_for(territory),
        },
    )
