"""Badge pages of a territory for everyone: the badges on offer, an award's page,
applying with evidence, claiming with a code, and the verification page."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import quote, urlencode

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from shared_apps.accounts.access import territory_member_required
from shared_apps.backpack.linkedin import add_to_profile_url
from shared_apps.backpack.models import BackpackEntry
from shared_apps.backpack.selectors import public_entry
from shared_apps.core.evidence import serve_evidence
from shared_apps.core.formviews import render_form
from shared_apps.core.hosts import network_url
from shared_apps.guardians.selectors import is_restricted_recipient, public_name
from tenant_apps.badges import actions, certificate, identity, verification
from tenant_apps.badges.forms import ApplicationForm, ClaimForm, VerifyForm
from tenant_apps.badges.models import Application, Award, BadgeClass, Evidence
from tenant_apps.badges.qr import qr_svg
from tenant_apps.badges.selectors import (
    applications_of_user,
    award_by_uuid,
    awards_of_user,
    manageable_badges,
    public_badges,
)
from tenants.models import Territory
from tenants.types import StaffRequest, TerritoryRequest


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


@dataclass(frozen=True)
class VisibleAward:
    territory: Territory
    award: Award
    is_recipient: bool
    # The backpack entry when its owner made the page public, else None.
    shared: BackpackEntry | None


def _visible_award(request: TerritoryRequest, award_uuid: str) -> VisibleAward:
    """The award if this visitor may see its page: its recipient, and the staff who
    manage its badge, always; anyone else only once the learner made it public in
    their backpack (private by default), and never a restricted minor's (no guardian
    consent yet). Otherwise 404."""
    territory = request.territory
    if territory is None:
        raise Http404
    award = award_by_uuid(award_uuid)
    is_recipient = request.user.is_authenticated and (
        award.recipient_user_id == request.user.pk
        or award.recipient_email == request.user.email.lower()
    )
    shared = public_entry(territory.pk, award.uuid)
    membership = getattr(request, "membership", None)
    is_issuer_staff = (
        membership is not None
        and membership.is_staff
        and manageable_badges(membership).filter(pk=award.badge_class_id).exists()
    )
    if not (is_recipient or is_issuer_staff) and (
        shared is None or is_restricted_recipient(award.recipient_user_id, award.recipient_email)
    ):
        raise Http404
    return VisibleAward(territory=territory, award=award, is_recipient=is_recipient, shared=shared)


def _shared_evidence(visible: VisibleAward) -> list[Evidence]:
    """The evidence of the learner's application, if they chose to show it (text and
    links: files stay readable by the learner and the reviewers only)."""
    if visible.shared is None or not visible.shared.share_evidence:
        return []
    application = Application.objects.filter(award=visible.award).first()
    if application is None:
        return []
    return [item for item in application.evidence.all() if item.note or item.url]


def award_page(request: TerritoryRequest, award_uuid: str) -> HttpResponse:
    visible = _visible_award(request, award_uuid)
    territory = visible.territory
    award, badge = visible.award, visible.award.badge_class
    page_url = identity.award_page_url(territory, award)
    credential_url = identity.ob3_credential_url(territory, award)
    sharing: dict[str, str] = {}
    if visible.shared is not None:
        sharing = {
            "email": "mailto:?"
            + urlencode(
                {"subject": badge.name, "body": f"{badge.name}\n{page_url}"},
                quote_via=quote,
            ),
            "linkedin": add_to_profile_url(visible.shared) if visible.is_recipient else "",
        }
    return render(
        request,
        "badges/award.html",
        {
            "award": award,
            "badge": badge,
            "is_recipient": visible.is_recipient,
            "is_shared": visible.shared is not None,
            "earner_name": public_name(award.recipient_user_id) if visible.shared else "",
            "evidence": _shared_evidence(visible),
            "page_url": page_url,
            "sharing": sharing,
            "assertion_url": identity.ob2_assertion_url(territory, award),
            "credential_url": credential_url,
            "wallet_qr": qr_svg(credential_url, fluid=True).decode("utf-8")
            if visible.is_recipient and not award.is_revoked
            else "",
            "image_url": identity.badge_image_url(territory, badge, "png"),
            "backpack_url": network_url("/backpack/"),
        },
    )


def award_certificate(request: TerritoryRequest, award_uuid: str) -> HttpResponse:
    """The award as a printable PDF certificate (same visibility as its page)."""
    visible = _visible_award(request, award_uuid)
    territory = visible.territory
    award, badge = visible.award, visible.award.badge_class
    if award.is_revoked:
        return HttpResponse(status=410)
    earner = public_name(award.recipient_user_id) if visible.shared else ""
    if not earner and visible.is_recipient:
        # The learner's own copy carries their name (they print it for themselves).
        earner = request.user.display_name  # type: ignore[union-attr]
    status_line = ""
    if award.expires_on is not None:
        status = _("Expired on %(date)s") if award.is_expired else _("Valid until %(date)s")
        status_line = status % {"date": date_format(award.expires_on)}
    text = certificate.CertificateText(
        heading=_("Certificate"),
        badge_name=badge.name,
        earner_line=_("Awarded to %(name)s") % {"name": earner} if earner else "",
        issuer_line=_("Issued by %(issuer)s") % {"issuer": badge.issuer.name},
        date_line=_("Awarded on %(date)s") % {"date": date_format(award.issued_on)},
        criteria_heading=_("How it is earned"),
        criteria=badge.criteria_narrative,
        check_line=_("Check this badge with its issuer:"),
        page_url=identity.award_page_url(territory, award),
        status_line=status_line,
    )
    with badge.image_png.open("rb") as handle:
        png = handle.read()
    body = certificate.render(text, png)
    response = HttpResponse(body, content_type="application/pdf")
    filename = f"{badge.slug}-{str(award.uuid)[:8]}-certificate.pdf"
    response.headers["Content-Disposition"] = f'inline; filename="{filename}"'
    response.headers["X-Robots-Tag"] = "noindex"
    return response


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
    sent = form.submission()
    return [actions.EvidenceInput(url=sent.url, file=sent.file, content_type=sent.content_type)]


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
    return render_form(request, "badges/apply.html", form, {"badge": badge})


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
    return render_form(
        request,
        "badges/application.html",
        form,
        {"application": application, "evidence": list(application.evidence.all())},
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
    return render_form(request, "badges/claim.html", form, {"code": code})


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
    return render_form(request, "badges/verify.html", form, {"result": result})
