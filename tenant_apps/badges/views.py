"""Badge pages of a territory for everyone: the badges on offer, an award's page,
applying with evidence, claiming with a code, and the verification page."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from shared_apps.accounts.access import territory_member_required
from shared_apps.core.evidence import serve_evidence
from shared_apps.core.hosts import network_url
from shared_apps.core.types import StaffRequest, TerritoryRequest
from shared_apps.guardians.selectors import is_restricted_recipient
from tenant_apps.badges import actions, identity, verification
from tenant_apps.badges.forms import ApplicationForm, ClaimForm, VerifyForm
from tenant_apps.badges.models import Application, BadgeClass, Evidence
from tenant_apps.badges.selectors import (
    applications_of_user,
    award_by_uuid,
    awards_of_user,
    manageable_badges,
    public_badges,
)


def _territory(request: TerritoryRequest) -> object:
    if request.territory is None:
        raise Http404
    return request.territory


def badge_list(request: TerritoryRequest) -> HttpResponse:
    _territory(request)
    return render(request, "badges/list.html", {"badges": list(public_badges())})


def badge_detail(request: TerritoryRequest, slug: str) -> HttpResponse:
    territory = request.territory
    if territory is None:
        raise Http404
    badge = get_object_or_404(
        BadgeClass.objects.select_related("issuer").prefetch_related("required_badges"),
        slug=slug,
        is_archived=False,
    )
    held = request.user.is_authenticated and actions.holds(badge, request.user.email)
    return render(
        request,
        "badges/detail.html",
        {
            "badge": badge,
            "held": held,
            "json_url": identity.ob2_badge_url(territory, badge),
            "image_url": identity.badge_image_url(territory, badge, "png"),
        },
    )


def award_page(request: TerritoryRequest, award_uuid: str) -> HttpResponse:
    territory = request.territory
    if territory is None:
        raise Http404
    award = award_by_uuid(award_uuid)
    is_recipient = request.user.is_authenticated and (
        award.recipient_user_id == request.user.pk
        or award.recipient_email == request.user.email.lower()
    )
    if not is_recipient and is_restricted_recipient(award.recipient_user_id, award.recipient_email):
        # Until a guardian consents, a minor's badges have no public page.
        raise Http404
    return render(
        request,
        "badges/award.html",
        {
            "award": award,
            "badge": award.badge_class,
            "is_recipient": is_recipient,
            "assertion_url": identity.ob2_assertion_url(territory, award),
            "credential_url": identity.ob3_credential_url(territory, award),
            "image_url": identity.badge_image_url(territory, award.badge_class, "png"),
            "backpack_url": network_url("/backpack/"),
        },
    )


@territory_member_required
def my_badges(request: StaffRequest) -> HttpResponse:
    return render(
        request,
        "badges/mine.html",
        {
            "awards": list(awards_of_user(request.user.pk, request.user.email)),
            "applications": list(applications_of_user(request.user.pk)),
            "backpack_url": network_url("/backpack/"),
        },
    )


def _evidence_inputs(form: ApplicationForm) -> list[actions.EvidenceInput]:
    checked = form.cleaned_data.get("evidence_file")
    return [
        actions.EvidenceInput(
            url=form.cleaned_data.get("evidence_url") or "",
            file=checked.file if checked else None,
            content_type=checked.content_type if checked else "",
        )
    ]


@require_http_methods(["GET", "POST"])
@territory_member_required
def apply(request: StaffRequest, slug: str) -> HttpResponse:
    badge = get_object_or_404(BadgeClass, slug=slug, is_archived=False)
    if not badge.accepts_applications:
        raise Http404
    form = ApplicationForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.apply_for_badge(
                badge_class=badge,
                user=request.user,
                statement=form.cleaned_data["statement"],
                evidence=_evidence_inputs(form),
            )
        except actions.AwardError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Your application was sent. Reviewers will answer here."))
            return redirect("badges:mine")
    return render(
        request,
        "badges/apply.html",
        {"badge": badge, "form": form},
        status=400 if form.errors else 200,
    )


@require_http_methods(["GET", "POST"])
@territory_member_required
def application_detail(request: StaffRequest, application_id: int) -> HttpResponse:
    # Scoped to the applicant: someone else's application is a 404.
    application = get_object_or_404(
        Application.objects.select_related("badge_class"),
        pk=application_id,
        applicant_user_id=request.user.pk,
    )
    form = ApplicationForm(
        request.POST or None, request.FILES or None, initial={"statement": application.statement}
    )
    if request.method == "POST" and form.is_valid():
        try:
            actions.resubmit_application(
                application=application,
                user=request.user,
                statement=form.cleaned_data["statement"],
                evidence=_evidence_inputs(form),
            )
        except actions.AwardError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Your improved application was sent."))
            return redirect("badges:mine")
    return render(
        request,
        "badges/application.html",
        {"application": application, "evidence": list(application.evidence.all()), "form": form},
        status=400 if form.errors else 200,
    )


@territory_member_required
def evidence_file(request: StaffRequest, evidence_id: int) -> HttpResponse:
    """Evidence files are private: served to the applicant and to reviewers of the
    badge's issuer only, never from a public URL, never cached by proxies."""
    evidence = get_object_or_404(
        Evidence.objects.select_related("application__badge_class"), pk=evidence_id
    )
    application = evidence.application
    is_applicant = application.applicant_user_id == request.user.pk
    is_reviewer = (
        manageable_badges(request.membership).filter(pk=application.badge_class_id).exists()
    )
    if not (is_applicant or is_reviewer) or not evidence.file:
        raise Http404
    # The shared evidence path: the checked type, nosniff, a sandboxing CSP, inline
    # only for re-encoded images; refuses names outside this territory's prefix.
    return serve_evidence(  # type: ignore[return-value]
        request,
        evidence.file,
        content_type=evidence.content_type,
        download_stem=f"evidence-{evidence.pk}",
    )


@require_http_methods(["GET", "POST"])
def claim(request: TerritoryRequest, code: str = "") -> HttpResponse:
    """Claim with a code typed in or scanned from a QR code. Visitors are sent to sign
    in (or sign up) and come back here with the code kept in the address."""
    territory = request.territory
    if territory is None:
        raise Http404
    form = ClaimForm(request.POST if request.method == "POST" else None, initial={"code": code})
    if request.method == "POST":
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if request.membership is None:
            raise PermissionDenied
        if form.is_valid():
            try:
                award = actions.claim_with_code(
                    territory=territory,
                    code=form.cleaned_data["code"],
                    user=request.user,
                )
            except actions.AwardError as error:
                form.add_error("code", str(error))
            else:
                messages.success(
                    request,
                    _("Well done! The badge is yours: “%(name)s”.")
                    % {"name": award.badge_class.name},
                )
                return redirect("badges:award", award_uuid=award.uuid)
    return render(
        request,
        "badges/claim.html",
        {"form": form, "code": code},
        status=400 if form.errors else 200,
    )


@require_http_methods(["GET", "POST"])
def verify(request: TerritoryRequest) -> HttpResponse:
    if request.territory is None:
        raise Http404
    initial = {"url": request.GET.get("url", "")}
    posted = request.method == "POST"
    form = VerifyForm(
        request.POST if posted else None, request.FILES if posted else None, initial=initial
    )
    result = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if data.get("image") is not None:
                source = verification.document_from_image(data["image"].read(2 * 1024 * 1024))
            elif data.get("json"):
                source = verification.parse_text(data["json"])
            else:
                source = verification.parse_text(data["url"])
            result = verification.verify(source, email=data.get("email") or "")
        except verification.VerificationError as error:
            form.add_error(None, str(error))
        except ValidationError as error:
            form.add_error(None, error)
    return render(
        request,
        "badges/verify.html",
        {"form": form, "result": result},
        status=400 if form.errors else 200,
    )
