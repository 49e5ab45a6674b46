"""Managing badges (territory admin area): badge classes, awards, bulk awards, claim
codes, the review queue, issuers and keys. Every query is limited to the issuers the
member may manage (selectors.manageable_issuers)."""

from __future__ import annotations

import csv
import io

from django.contrib import messages
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from shared_apps.accounts.access import territory_admin_required, territory_staff_required
from shared_apps.accounts.models import User
from shared_apps.core.formviews import add_refusal, render_form
from shared_apps.core.hosts import absolute_url
from tenant_apps.badges import actions, identity, images
from tenant_apps.badges.forms import (
    AwardForm,
    BadgeClassForm,
    BulkAwardForm,
    ClaimCodeForm,
    IssuerForm,
    ReviewForm,
    RevokeForm,
    alignments_as_text,
    parse_recipients_csv,
)
from tenant_apps.badges.models import Application, Award, BadgeClass, ClaimCode, Issuer
from tenant_apps.badges.qr import qr_png, qr_svg
from tenant_apps.badges.selectors import (
    award_by_uuid,
    claim_codes_of,
    manageable_badges,
    manageable_issuers,
    review_queue,
)
from tenant_apps.manage.translations import translations_page
from tenants.types import StaffRequest

BULK_SALT = "badges.bulk-award"


def _badge(request: StaffRequest, slug: str) -> BadgeClass:
    return get_object_or_404(manageable_badges(request.membership), slug=slug)


@territory_staff_required
def badge_list(request: StaffRequest) -> HttpResponse:
    badges = manageable_badges(request.membership).annotate(
        award_count=Count("awards", filter=Q(awards__revoked_at__isnull=True)),
        pending=Count("applications", filter=Q(applications__status="submitted")),
    )
    return render(
        request,
        "badges/manage/list.html",
        {
            "badges": list(badges.order_by("is_archived", "name")),
            "queue": review_queue(request.membership).count(),
        },
    )


def _form_data(form: BadgeClassForm) -> actions.BadgeClassData:
    data = form.cleaned_data
    return actions.BadgeClassData(
        name=data["name"],
        description=data["description"],
        criteria_narrative=data["criteria_narrative"],
        criteria_requirements=data["criteria_requirements"],
        tags=data["tags"],
        alignments=data["alignments"],
        expires_after_days=data["expires_after_days"],
        accepts_applications=data["accepts_applications"],
        required_badges=list(data["required_badges"]),
    )


def _new_image(request: StaffRequest, form: BadgeClassForm) -> images.BadgeImage:
    """The uploaded image, else one drawn from the template."""
    upload = form.cleaned_data.get("image")
    if upload is not None:
        return images.from_upload(upload)
    return images.from_template(
        label=form.cleaned_data["name"],
        primary=request.territory.primary_color,
        accent=request.territory.accent_color,
        shape=form.cleaned_data.get("template_shape") or "circle",
    )


def _changed_image(request: StaffRequest, form: BadgeClassForm) -> images.BadgeImage | None:
    """An edited badge's new image (an upload, or the template when asked to
    regenerate); None keeps the current image."""
    if form.cleaned_data.get("image") is None and not request.POST.get("regenerate"):
        return None
    return _new_image(request, form)


@require_http_methods(["GET", "POST"])
@territory_staff_required
def badge_create(request: StaffRequest) -> HttpResponse:
    issuers = manageable_issuers(request.membership).filter(is_active=True)
    form = BadgeClassForm(
        request.POST or None,
        request.FILES or None,
        issuers=issuers,
        badges=manageable_badges(request.membership).filter(is_archived=False),
        initial={"issuer": issuers.filter(kind=Issuer.Kind.TERRITORY).first()},
    )
    if request.method == "POST" and form.is_valid():
        try:
            image = _new_image(request, form)
            badge = actions.create_badge_class(
                territory=request.territory,
                issuer=form.cleaned_data["issuer"],
                data=_form_data(form),
                image=image,
                acting_user=request.user,
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("The badge was created."))
            return redirect("badges_manage:badge", slug=badge.slug)
    return render_form(request, "badges/manage/badge_form.html", form, {"editing": False})


def _add_errors(form: BadgeClassForm, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        add_refusal(form, error)
    else:
        # Errors without a field come from checking the image.
        form.add_error("image", error)


@require_http_methods(["GET", "POST"])
@territory_staff_required
def badge_edit(request: StaffRequest, slug: str) -> HttpResponse:
    badge = _badge(request, slug)
    initial = {
        "issuer": badge.issuer,
        "name": badge.name,
        "description": badge.description,
        "criteria_narrative": badge.criteria_narrative,
        "criteria_requirements": "\n".join(badge.criteria_requirements),
        "tags": ", ".join(badge.tags),
        "alignments": alignments_as_text(badge),
        "expires_after_days": badge.expires_after_days,
        "accepts_applications": badge.accepts_applications,
        "required_badges": list(badge.required_badges.all()),
        "template_shape": "",
    }
    form = BadgeClassForm(
        request.POST or None,
        request.FILES or None,
        issuers=manageable_issuers(request.membership),
        badges=manageable_badges(request.membership).filter(is_archived=False).exclude(pk=badge.pk),
        initial=initial,
        editing=True,
    )
    if request.method == "POST" and form.is_valid():
        try:
            actions.update_badge_class(
                territory=request.territory,
                badge=badge,
                data=_form_data(form),
                image=_changed_image(request, form),
                acting_user=request.user,
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("The badge was saved."))
            return redirect("badges_manage:badge", slug=badge.slug)
    return render_form(
        request, "badges/manage/badge_form.html", form, {"editing": True, "badge": badge}
    )


@require_http_methods(["GET", "POST"])
@territory_staff_required
def badge_awards(request: StaffRequest, slug: str) -> HttpResponse:
    """A badge's awards, and awarding it to one person by email."""
    badge = _badge(request, slug)
    form = AwardForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            award = actions.award_badge(
                territory=request.territory,
                badge_class=badge,
                recipient=actions.Recipient(email=form.cleaned_data["email"]),
                source=Award.Source.MANUAL,
                acting_user=request.user,
            )
        except actions.AwardError as error:
            form.add_error("email", str(error))
        else:
            messages.success(request, _("The badge was awarded."))
            return redirect(
                f"{reverse('badges_manage:badge', args=[badge.slug])}#award-{award.uuid}"
            )
    awards = Paginator(badge.awards.order_by("-issued_on"), 50).get_page(request.GET.get("page"))
    return render_form(
        request,
        "badges/manage/badge.html",
        form,
        {
            "badge": badge,
            "page": awards,
            "revoke_form": RevokeForm(),
            "public_url": identity.badge_page_url(request.territory, badge),
        },
    )


@require_POST
@territory_staff_required
def badge_archive(request: StaffRequest, slug: str) -> HttpResponse:
    badge = _badge(request, slug)
    actions.archive_badge_class(territory=request.territory, badge=badge, acting_user=request.user)
    messages.success(request, _("The badge was archived. Badges already awarded stay valid."))
    return redirect("badges_manage:list")


@require_POST
@territory_staff_required
def revoke(request: StaffRequest, award_uuid: str) -> HttpResponse:
    award = award_by_uuid(award_uuid)
    if not manageable_badges(request.membership).filter(pk=award.badge_class_id).exists():
        raise Http404
    form = RevokeForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Say why the badge is revoked."))
    else:
        actions.revoke_award(
            territory=request.territory,
            award=award,
            reason=form.cleaned_data["reason"],
            acting_user=request.user,
        )
        messages.success(request, _("The badge was revoked."))
    return redirect("badges_manage:badge", slug=award.badge_class.slug)


@require_http_methods(["GET", "POST"])
@territory_staff_required
def bulk_award(request: StaffRequest, slug: str) -> HttpResponse:
    """Upload a CSV, see a preview with an error per bad row, then confirm. The
    confirmed list travels signed, so what is awarded is exactly what was previewed."""
    badge = _badge(request, slug)
    form = BulkAwardForm(request.POST or None, request.FILES or None)
    context: dict[str, object] = {"badge": badge, "form": form}
    if request.method == "POST" and "confirm" in request.POST:
        try:
            emails = signing.loads(request.POST["confirm"], salt=BULK_SALT, max_age=3600)
        except signing.BadSignature:
            messages.error(request, _("The preview expired. Upload the file again."))
            return redirect("badges_manage:bulk", slug=badge.slug)
        awards = actions.award_many(
            territory=request.territory,
            badge_class=badge,
            recipients=[actions.Recipient(email=email) for email in emails],
            source=Award.Source.BULK,
            acting_user=request.user,
        )
        messages.success(
            request,
            _("%(count)d badges were awarded (people who already held it were skipped).")
            % {"count": len(awards)},
        )
        return redirect("badges_manage:badge", slug=badge.slug)
    if request.method == "POST" and form.is_valid():
        try:
            emails, errors = parse_recipients_csv(
                form.cleaned_data["csv_file"].read(2 * 1024 * 1024)
            )
        except ValidationError as error:
            form.add_error("csv_file", error)
        else:
            held = set(
                badge.awards.filter(
                    revoked_at__isnull=True, recipient_email__in=emails
                ).values_list("recipient_email", flat=True)
            )
            known = set(User.objects.filter(email__in=emails).values_list("email", flat=True))
            context.update(
                preview=[
                    {"email": e, "held": e in held, "has_account": e in known} for e in emails
                ],
                errors=errors,
                new_count=len([e for e in emails if e not in held]),
                confirm=signing.dumps([e for e in emails if e not in held], salt=BULK_SALT),
            )
    return render_form(request, "badges/manage/bulk.html", form, context)


@require_http_methods(["GET", "POST"])
@territory_staff_required
def claim_codes(request: StaffRequest, slug: str) -> HttpResponse:
    badge = _badge(request, slug)
    form = ClaimCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            codes = actions.create_claim_codes(
                territory=request.territory,
                badge_class=badge,
                valid_from=data["valid_from"],
                valid_until=data["valid_until"],
                label=data["label"],
                max_uses=data["max_uses"] if data["kind"] == "shared" else None,
                single_use_count=data["count"] if data["kind"] == "single" else 0,
                acting_user=request.user,
            )
        except (ValidationError, actions.AwardError) as error:
            form.add_error(None, error if isinstance(error, ValidationError) else str(error))
        else:
            messages.success(request, _("The claim codes were created."))
            return redirect("badges_manage:code", code_id=codes[0].pk)
    return render_form(
        request,
        "badges/manage/codes.html",
        form,
        {"badge": badge, "codes": list(claim_codes_of(badge))},
    )


def _code(request: StaffRequest, code_id: int) -> ClaimCode:
    return get_object_or_404(
        ClaimCode.objects.select_related("badge_class"),
        pk=code_id,
        badge_class__in=manageable_badges(request.membership),
    )


def claim_url(request: StaffRequest, claim: ClaimCode) -> str:
    return absolute_url(request, reverse("badges:claim_code", args=[claim.code]))


@territory_staff_required
def code_detail(request: StaffRequest, code_id: int) -> HttpResponse:
    """A shared code with its QR code, or a printable sheet of a batch's codes."""
    claim = _code(request, code_id)
    siblings = (
        list(ClaimCode.objects.filter(batch=claim.batch).order_by("pk")) if claim.batch else [claim]
    )
    sheet = [
        {
            "code": item,
            "url": claim_url(request, item),
            "qr": qr_svg(claim_url(request, item), title=item.code, fluid=True).decode("utf-8"),
        }
        for item in siblings
    ]
    return render(
        request,
        "badges/manage/code.html",
        {"claim": claim, "badge": claim.badge_class, "sheet": sheet},
    )


@territory_staff_required
def code_qr(request: StaffRequest, code_id: int, extension: str) -> HttpResponse:
    claim = _code(request, code_id)
    url = claim_url(request, claim)
    if extension == "svg":
        return HttpResponse(qr_svg(url, title=claim.code), content_type="image/svg+xml")
    response = HttpResponse(qr_png(url), content_type="image/png")
    response.headers["Content-Disposition"] = f'attachment; filename="claim-{claim.code}.png"'
    return response


@require_POST
@territory_staff_required
def code_deactivate(request: StaffRequest, code_id: int) -> HttpResponse:
    claim = _code(request, code_id)
    actions.deactivate_claim_code(
        territory=request.territory, claim=claim, acting_user=request.user
    )
    messages.success(request, _("The code no longer works."))
    return redirect("badges_manage:codes", slug=claim.badge_class.slug)


@territory_staff_required
def codes_csv(request: StaffRequest, code_id: int) -> HttpResponse:
    claim = _code(request, code_id)
    rows = ClaimCode.objects.filter(batch=claim.batch) if claim.batch else [claim]
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["code", "url", "valid_until"])
    for item in rows:
        writer.writerow([item.code, claim_url(request, item), item.valid_until.isoformat()])
    response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
    response.headers["Content-Disposition"] = 'attachment; filename="claim-codes.csv"'
    return response


@territory_staff_required
def reviews(request: StaffRequest) -> HttpResponse:
    applications = list(review_queue(request.membership)[:200])
    # Who applied, by name (accounts live in the public schema): one query for the page.
    names = dict(
        User.objects.filter(pk__in={a.applicant_user_id for a in applications}).values_list(
            "pk", "display_name"
        )
    )
    for application in applications:
        application.applicant_name = names.get(application.applicant_user_id) or ""  # type: ignore[attr-defined]
    return render(request, "badges/manage/reviews.html", {"applications": applications})


@require_http_methods(["GET", "POST"])
@territory_staff_required
def review(request: StaffRequest, application_id: int) -> HttpResponse:
    application = get_object_or_404(
        Application.objects.select_related("badge_class"),
        pk=application_id,
        badge_class__in=manageable_badges(request.membership),
    )
    form = ReviewForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.review_application(
                territory=request.territory,
                application=application,
                decision=form.cleaned_data["decision"],
                comment=form.cleaned_data["comment"],
                acting_user=request.user,
            )
        except ValidationError as error:
            form.add_error("comment", error.message_dict.get("comment", error.messages))
        except (actions.AwardError, PermissionDenied) as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Your review was saved."))
            return redirect("badges_manage:reviews")
    applicant = User.objects.filter(pk=application.applicant_user_id).first()
    return render_form(
        request,
        "badges/manage/review.html",
        form,
        {
            "application": application,
            "applicant": applicant,
            "evidence": list(application.evidence.all()),
        },
    )


@territory_admin_required
def issuers(request: StaffRequest) -> HttpResponse:
    rows = [
        {"issuer": issuer, "did": identity.issuer_did(request.territory, issuer)}
        for issuer in Issuer.objects.annotate(badge_count=Count("badge_classes")).prefetch_related(
            "keys"
        )
    ]
    return render(request, "badges/manage/issuers.html", {"rows": rows, "form": IssuerForm()})


@require_POST
@territory_admin_required
def issuer_create(request: StaffRequest) -> HttpResponse:
    form = IssuerForm(request.POST)
    if form.is_valid():
        try:
            actions.create_provider_issuer(
                territory=request.territory, acting_user=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The issuer was added."))
    else:
        messages.error(request, _("Check the issuer's name and email."))
    return redirect("badges_manage:issuers")


@require_http_methods(["GET", "POST"])
@territory_admin_required
def issuer_edit(request: StaffRequest, slug: str) -> HttpResponse:
    issuer = get_object_or_404(Issuer, slug=slug)
    form = IssuerForm(
        request.POST or None,
        initial={
            "name": issuer.name,
            "email": issuer.email,
            "url": issuer.url,
            "description": issuer.description,
        },
    )
    if request.method == "POST" and form.is_valid():
        actions.update_issuer(
            territory=request.territory,
            issuer=issuer,
            acting_user=request.user,
            **form.cleaned_data,
        )
        messages.success(request, _("The issuer was saved."))
        return redirect("badges_manage:issuers")
    return render_form(
        request,
        "badges/manage/issuer_form.html",
        form,
        {"issuer": issuer, "keys": list(issuer.keys.order_by("number"))},
    )


@require_POST
@territory_admin_required
def issuer_rotate_key(request: StaffRequest, slug: str) -> HttpResponse:
    issuer = get_object_or_404(Issuer, slug=slug)
    key_id = actions.rotate_issuer_key(
        territory=request.territory, issuer=issuer, acting_user=request.user
    )
    messages.success(
        request,
        _("New signing key %(key)s. Badges signed with older keys still verify.") % {"key": key_id},
    )
    return redirect("badges_manage:issuer", slug=issuer.slug)


@require_http_methods(["GET", "POST"])
@territory_staff_required
def badge_translations(request: StaffRequest, slug: str) -> HttpResponse:
    badge = _badge(request, slug)
    return translations_page(
        request,
        obj=badge,
        fields=("name", "description"),
        back_url=reverse("badges_manage:badge", args=[badge.slug]),
        heading=badge.name,
    )
