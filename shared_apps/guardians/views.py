"""The account page (network site and every territory site) and the guardian's page.

The guardian's page needs no account: the signed link is the credential. It shows
what the guardian consents to, and lets them confirm, withdraw, download the data or
delete the account.
"""

from __future__ import annotations

import json
import uuid
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from shared_apps.accounts import data_rights
from shared_apps.accounts.access import territory_staff_required
from shared_apps.accounts.actions import ensure_learner_membership, set_display_name
from shared_apps.accounts.forms import DisplayNameForm
from shared_apps.accounts.selectors import is_card_account
from shared_apps.core.formviews import form_view, render_form
from shared_apps.core.hosts import absolute_url
from shared_apps.core.navigation import my_links
from shared_apps.guardians import actions, cards
from shared_apps.guardians.forms import (
    CardBatchForm,
    CardSignInForm,
    DeleteAccountForm,
    GuardianEmailForm,
    RedeemCardForm,
)
from shared_apps.guardians.models import CodeCard
from shared_apps.guardians.selectors import (
    age_record_of,
    consent_of,
    is_restricted,
    needs_consent,
)
from shared_apps.guardians.tokens import InvalidLink, consent_from_token
from shared_apps.notifications.forms import PreferencesForm
from shared_apps.notifications.selectors import choices_of
from tenants.models import Territory
from tenants.types import StaffRequest, TerritoryRequest


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
    name_form = DisplayNameForm(initial={"display_name": request.user.display_name})
    if request.method == "POST" and request.POST.get("action") == "name":
        name_form = DisplayNameForm(request.POST)
        if name_form.is_valid():
            set_display_name(user=request.user, display_name=name_form.cleaned_data["display_name"])
            messages.success(request, _("Your name is saved."))
            return redirect("guardians:account")
    elif request.method == "POST" and request.POST.get("action") == "guardian":
        guardian_form = GuardianEmailForm(request.POST)
        if guardian_form.is_valid() and needs_consent(record):
            try:
                actions.request_consent(
                    user=request.user,
                    guardian_email=guardian_form.cleaned_data["guardian_email"],
                    build_link=lambda token: absolute_url(
                        request, reverse("guardians:guardian", args=[token])
                    ),
                    language=translation.get_language() or "en",
                    territory=request.territory,
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
            "card": getattr(request.user, "code_card", None)
            if is_card_account(request.user)
            else None,
            "guardian_form": guardian_form,
            "delete_form": delete_form,
            "name_form": name_form,
            "my_links": my_links(request),
            "notification_form": PreferencesForm(initial_choices=choices_of(request.user)),
        },
        status=status,
    )


def my_data(request: TerritoryRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    return _download(request.user)


@require_http_methods(["GET", "POST"])
def guardian_new_link(request: TerritoryRequest) -> HttpResponse:
    form = GuardianEmailForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        actions.send_fresh_links(
            guardian_email=form.cleaned_data["guardian_email"],
            build_link=lambda token: absolute_url(
                request, reverse("guardians:guardian", args=[token])
            ),
            language=translation.get_language() or "en",
            territory=request.territory,
        )
        # The same answer whether or not the address is known.
        messages.success(request, _("If a young person named this address, we sent it a new link."))
        return redirect("guardians:guardian_new_link")
    return render(request, "guardians/new_link.html", {"form": form})


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


# ---- code cards ----------------------------------------------------------------------


@territory_staff_required
@require_http_methods(["GET", "POST"])
def cards_new(request: StaffRequest) -> HttpResponse:
    def create(data: dict[str, Any]) -> HttpResponse:
        batch = cards.create_cards(
            territory=request.territory,
            count=data["count"],
            label=data["label"],
            acting_user=request.user,
        )
        return redirect("guardians:cards_print", batch=batch)

    return form_view(
        request, CardBatchForm(request.POST or None), "guardians/cards_new.html", on_valid=create
    )


@territory_staff_required
def cards_print(request: StaffRequest, batch: uuid.UUID) -> HttpResponse:
    batch_cards = list(
        CodeCard.objects.filter(territory=request.territory, batch=batch).order_by("pk")
    )
    if not batch_cards:
        raise Http404
    for card in batch_cards:
        card.display = cards.display_code(card.code)  # type: ignore[attr-defined]
    response = render(
        request,
        "guardians/cards_print.html",
        {
            "cards": batch_cards,
            "label": batch_cards[0].label,
            "redeem_url": absolute_url(request, reverse("guardians:card_redeem")),
        },
    )
    response.headers["Cache-Control"] = "no-store"
    return response


def _territory_only(request: TerritoryRequest) -> Territory:
    if request.territory is None:
        raise Http404
    return request.territory


@require_http_methods(["GET", "POST"])
def card_redeem(request: TerritoryRequest) -> HttpResponse:
    territory = _territory_only(request)
    form = RedeemCardForm(request.POST or None, initial={"code": request.GET.get("code", "")})
    if request.method == "POST" and form.is_valid():
        card = cards.unredeemed_card(territory=territory, code=form.cleaned_data["code"])
        if card is None:
            form.add_error("code", _("This code is not valid here, or was already used."))
        else:
            try:
                user = cards.redeem_card(
                    card=card,
                    passphrase=form.cleaned_data["passphrase1"],
                    birth_year=form.cleaned_data["birth_year"],
                    birth_month=form.cleaned_data["birth_month"],
                    territory=territory,
                )
            except ValidationError as error:
                form.add_error("passphrase1", error)
            else:
                login(request, user, backend="django.contrib.auth.backends.ModelBackend")
                return redirect("guardians:account")
    return render_form(request, "guardians/card_redeem.html", form)


@require_http_methods(["GET", "POST"])
def card_sign_in(request: TerritoryRequest) -> HttpResponse:
    territory = _territory_only(request)
    form = CardSignInForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = cards.authenticate_card(
                request, code=form.cleaned_data["code"], passphrase=form.cleaned_data["passphrase"]
            )
        except ValidationError as error:  # too many failed attempts (allauth's message)
            form.add_error(None, error)
        else:
            if user is None:
                form.add_error(None, _("The code or the passphrase is wrong."))
            else:
                login(request, user)
                ensure_learner_membership(user=user, territory=territory)
                return redirect("/")
    return render_form(request, "guardians/card_sign_in.html", form)
