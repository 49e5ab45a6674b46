"""The account page (network site and every territory site) and the guardian's page.

The guardian's page needs no account: the signed link is the credential. It shows
what the guardian consents to, and lets them confirm, withdraw, download the data or
delete the account.
"""

from __future__ import annotations

import json

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from shared_apps.accounts import data_rights
from shared_apps.core.types import TerritoryRequest
from shared_apps.guardians import actions
from shared_apps.guardians.forms import DeleteAccountForm, GuardianEmailForm
from shared_apps.guardians.selectors import (
    age_record_of,
    consent_of,
    is_restricted,
    needs_consent,
)
from shared_apps.guardians.tokens import InvalidLink, consent_from_token


def _download(user: object) -> HttpResponse:
    data = data_rights.export_user_data(user)
    body = json.dumps(data, indent=2, ensure_ascii=False, default=data_rights.json_default)
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    response.headers["Content-Disposition"] = 'attachment; filename="my-data.json"'
    response.headers["Cache-Control"] = "no-store"
    return response


@require_http_methods(["GET", "POST"])
def account(request: TerritoryRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    record = age_record_of(request.user)
    guardian_form = GuardianEmailForm()
    delete_form = DeleteAccountForm()
    if request.method == "POST" and request.POST.get("action") == "guardian":
        guardian_form = GuardianEmailForm(request.POST)
        if guardian_form.is_valid() and needs_consent(record):
            try:
                actions.request_consent(
                    user=request.user,
                    guardian_email=guardian_form.cleaned_data["guardian_email"],
                    build_link=lambda token: request.build_absolute_uri(
                        reverse("guardians:guardian", args=[token])
                    ),
                    language=translation.get_language() or "en",
                )
            except ValidationError as error:
                guardian_form.add_error(None, error)
            else:
                messages.success(
                    request,
                    _("We sent the link. It works for %(days)s days.")
                    % {"days": settings.GUARDIAN_LINK_MAX_AGE_DAYS},
                )
                return redirect("guardians:account")
    elif request.method == "POST" and request.POST.get("action") == "delete":
        delete_form = DeleteAccountForm(request.POST)
        if delete_form.is_valid():
            refusal = data_rights.refusal(request.user)
            if refusal:
                delete_form.add_error(None, refusal)
            else:
                data_rights.delete_account(request.user, via="self")
                logout(request)
                messages.success(request, _("Your account and your data were deleted."))
                return redirect("/")
    status = 200 if request.method == "GET" else 400
    return render(
        request,
        "guardians/account.html",
        {
            "age_record": record,
            "needs_consent": needs_consent(record),
            "restricted": is_restricted(request.user),
            "consent": consent_of(request.user),
            "guardian_form": guardian_form,
            "delete_form": delete_form,
        },
        status=status,
    )


def my_data(request: TerritoryRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    return _download(request.user)


@require_http_methods(["GET", "POST"])
def guardian(request: TerritoryRequest, token: str) -> HttpResponse:
    try:
        consent = consent_from_token(token)
    except InvalidLink:
        return render(request, "guardians/invalid_link.html", status=404)
    delete_form = DeleteAccountForm()
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "confirm":
            actions.confirm_consent(consent=consent)
            messages.success(request, _("Thank you. Your consent is recorded."))
            return redirect(request.path)
        if action == "withdraw":
            actions.withdraw_consent(consent=consent)
            messages.success(request, _("Consent withdrawn. The account is restricted again."))
            return redirect(request.path)
        if action == "download":
            return _download(consent.user)
        if action == "delete":
            delete_form = DeleteAccountForm(request.POST)
            if delete_form.is_valid():
                refusal = data_rights.refusal(consent.user)
                if refusal:
                    delete_form.add_error(None, refusal)
                else:
                    with transaction.atomic():
                        data_rights.delete_account(consent.user, via="guardian")
                    return render(request, "guardians/deleted.html")
    return render(
        request,
        "guardians/guardian.html",
        {"consent": consent, "learner": consent.user, "delete_form": delete_form},
        status=200 if request.method == "GET" or delete_form.is_bound is False else 400,
    )
