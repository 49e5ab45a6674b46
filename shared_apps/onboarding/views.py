"""The sign-up wizard on the network site, one step per screen."""

from __future__ import annotations

import logging
import uuid
from typing import Any

from django.conf import settings
from django.core import signing
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from shared_apps.accounts.models import Membership
from shared_apps.billing import plans
from shared_apps.core.colors import (
    AA_NORMAL_TEXT,
    BLACK,
    WHITE,
    contrast_ratio,
    text_color_on,
    validate_hex_color,
)
from shared_apps.core.hosts import absolute_url, territory_url
from shared_apps.onboarding import actions
from shared_apps.onboarding.forms import WRONG_CODE, EmailCodeForm
from shared_apps.onboarding.models import Signup
from shared_apps.onboarding.steps import (
    STEPS,
    first_open_step,
    make_form,
    next_step,
    previous_step,
    raw_values,
    step_by_key,
)
from tenants.actions import check_new_slug
from tenants.models import Territory

logger = logging.getLogger(__name__)
SESSION_KEY = "onboarding_signup"
RESUME_SALT = "onboarding.resume"
HANDOFF_SALT = "onboarding.handoff"
HANDOFF_SECONDS = 600


def _network_only(request: HttpRequest) -> None:
    if getattr(request, "territory", None) is not None:
        raise Http404


def _current_signup(request: HttpRequest) -> Signup | None:
    value = request.session.get(SESSION_KEY)
    if not value:
        return None
    try:
        return Signup.objects.filter(pk=uuid.UUID(str(value))).first()
    except ValueError:
        return None


def resume_link(request: HttpRequest, signup: Signup) -> str:
    token = signing.dumps(str(signup.pk), salt=RESUME_SALT)
    return absolute_url(request, reverse("onboarding:resume", args=[token]))


def handoff_url(request: HttpRequest, signup: Signup) -> str:
    """One-time sign-in on the new site (sessions belong to one host)."""
    if signup.territory is None:
        raise ValueError("sign-up not completed")
    user_id = signup.account_id or _admin_id(signup)
    token = signing.dumps({"signup": str(signup.pk), "user": user_id}, salt=HANDOFF_SALT)
    return territory_url(signup.territory, f"/welcome/start/{token}/")


def _admin_id(signup: Signup) -> int | None:
    membership = (
        Membership.objects.filter(territory=signup.territory, role=Membership.Role.TERRITORY_ADMIN)
        .order_by("created_at")
        .first()
    )
    return membership.user_id if membership else None


@require_http_methods(["GET", "POST"])
def start(request: HttpRequest) -> HttpResponse:
    _network_only(request)
    signup = _current_signup(request)
    if request.method == "POST":
        if signup is None or signup.territory_id or request.POST.get("restart"):
            signup = actions.start_signup()
            request.session[SESSION_KEY] = str(signup.pk)
        return redirect("onboarding:step", step=first_open_step(signup))
    return render(
        request,
        "onboarding/start.html",
        {
            "signup": signup if signup and not signup.territory_id else None,
            "plans": plans.all_plans(),
            "stripe_enabled": plans.stripe_enabled(),
        },
    )


@require_GET
def resume(request: HttpRequest, token: str) -> HttpResponse:
    _network_only(request)
    try:
        value = signing.loads(
            token, salt=RESUME_SALT, max_age=settings.ONBOARDING_RESUME_DAYS * 86400
        )
        signup = Signup.objects.get(pk=uuid.UUID(str(value)))
    except (signing.BadSignature, ValueError, Signup.DoesNotExist):
        return render(request, "onboarding/resume_invalid.html", status=404)
    request.session[SESSION_KEY] = str(signup.pk)
    if signup.territory_id:
        return redirect("onboarding:done")
    return redirect("onboarding:step", step=first_open_step(signup))


@require_http_methods(["GET", "POST"])
def step_view(request: HttpRequest, step: str) -> HttpResponse:
    _network_only(request)
    current = step_by_key(step)
    if current is None:
        raise Http404
    signup = _current_signup(request)
    if signup is None:
        return redirect("onboarding:start")
    if signup.territory_id:
        # A reload or a second click of the final submit ends where the first did.
        if step == "review" and request.method == "POST":
            return _after_signup(request, signup)
        return redirect("onboarding:done")
    keys = [s.key for s in STEPS]
    open_step = first_open_step(signup)
    if keys.index(step) > keys.index(open_step):
        return redirect("onboarding:step", step=open_step)
    if current.form_class is None:
        return _review(request, signup)

    signed_in = request.user if request.user.is_authenticated else None
    if request.method == "POST":
        form = make_form(
            current, signup, signed_in=signed_in, data=request.POST, files=request.FILES
        )
        values = raw_values(form, request.POST)
        if request.POST.get("go") == "back":
            actions.save_step(signup=signup, step=step, values=values, cleaned=None)
            return redirect("onboarding:step", step=previous_step(step) or step)
        if form.is_valid():
            actions.save_step(
                signup=signup,
                step=step,
                values=values,
                cleaned=form.cleaned_data,
                signed_in=signed_in,
            )
            if step == "administrator" and actions.needs_email_code(form.cleaned_data, signed_in):
                back = reverse("onboarding:step", args=[step])
                try:
                    # Known or unknown address, the answer is the same: "we sent a
                    # code" (issue 14); only the mailbox's owner can go on.
                    actions.send_email_code(
                        signup=signup,
                        email=form.cleaned_data["email"],
                        sign_in_url=absolute_url(
                            request, f"{reverse('account_login')}?next={back}"
                        ),
                    )
                except actions.CodeRefused as refused:
                    form.add_error(None, str(refused))
                else:
                    return redirect("onboarding:email_code")
            else:
                return redirect("onboarding:step", step=next_step(step) or "review")
        status = 400
    else:
        form = make_form(current, signup, signed_in=signed_in)
        status = 200
    return render(
        request,
        f"onboarding/steps/{step}.html",
        _step_context(request, signup, current.key, form=form),
        status=status,
    )


@require_http_methods(["GET", "POST"])
def email_code(request: HttpRequest) -> HttpResponse:
    """Right after the administrator step: the one-time code sent to the address."""
    _network_only(request)
    signup = _current_signup(request)
    if signup is None:
        return redirect("onboarding:start")
    if signup.territory_id:
        return redirect("onboarding:done")
    email = actions.pending_code_email(signup)
    if not email:
        return redirect("onboarding:step", step=first_open_step(signup))
    form = EmailCodeForm(data=request.POST if request.method == "POST" else None)
    status, refused = 200, ""
    if request.method == "POST":
        if request.POST.get("go") == "back":
            return redirect("onboarding:step", step="administrator")
        if request.POST.get("go") == "resend":
            back = reverse("onboarding:step", args=["administrator"])
            try:
                actions.send_email_code(
                    signup=signup,
                    email=email,
                    sign_in_url=absolute_url(request, f"{reverse('account_login')}?next={back}"),
                )
            except actions.CodeRefused as error:
                form, refused, status = EmailCodeForm(), str(error), 400
            else:
                return redirect("onboarding:email_code")
        elif form.is_valid() and actions.confirm_email_code(
            signup=signup, code=form.cleaned_data["code"]
        ):
            return redirect("onboarding:step", step="plan")
        else:
            if form.is_bound and not form.errors:
                form.add_error("code", WRONG_CODE)
            status = 400
    return render(
        request,
        "onboarding/steps/email_code.html",
        _step_context(request, signup, "administrator", form=form, email=email, refused=refused),
        status=status,
    )


def _step_context(request: HttpRequest, signup: Signup, step: str, **extra: Any) -> dict[str, Any]:
    keys = [s.key for s in STEPS]
    return {
        "signup": signup,
        "steps": STEPS,
        "step": step,
        "step_number": keys.index(step) + 1,
        "step_count": len(keys),
        "step_title": STEPS[keys.index(step)].title,
        "previous": previous_step(step),
        "resume_link": resume_link(request, signup),
        "completed": signup.completed_steps,
        "about": signup.step_data("territory"),
        "map_tiles_url": settings.MAP_TILE_URL,
        "platform_domain": settings.PLATFORM_DOMAIN,
        "stripe_enabled": plans.stripe_enabled(),
        **extra,
    }


def _review(request: HttpRequest, signup: Signup) -> HttpResponse:
    if request.method == "POST":
        try:
            signup = actions.complete_signup(signup_id=signup.pk, request=request)
        except actions.SignupIncomplete as problem:
            return render(
                request,
                "onboarding/steps/review.html",
                _step_context(
                    request, signup, "review", errors=problem.errors, summary=_summary(signup)
                ),
                status=409,
            )
        except Exception:
            # Everything was rolled back: say so, and let them try again.
            logger.exception("sign-up %s failed", signup.pk)
            return render(
                request,
                "onboarding/steps/review.html",
                _step_context(
                    request,
                    signup,
                    "review",
                    failed=True,
                    summary=_summary(signup),
                ),
                status=500,
            )
        return _after_signup(request, signup)
    return render(
        request,
        "onboarding/steps/review.html",
        _step_context(request, signup, "review", summary=_summary(signup)),
    )


def _summary(signup: Signup) -> dict[str, Any]:
    about, place, plan = (
        signup.step_data("territory"),
        signup.step_data("place"),
        signup.step_data("plan"),
    )
    others = place.get("languages")
    languages = [place.get("default_language"), *(others if isinstance(others, list) else [])]
    names = dict(settings.LANGUAGES)
    return {
        "name": about.get("name"),
        "kind": dict(Territory.Kind.choices).get(str(about.get("kind")), ""),
        "country": about.get("country"),
        "address": f"{signup.step_data('address').get('slug')}.{settings.PLATFORM_DOMAIN}",
        "branding": signup.step_data("branding"),
        "has_logo": bool(signup.logo),
        "languages": [str(names[code]) for code in dict.fromkeys(languages) if code in names],
        "timezone": place.get("timezone"),
        "center": (place.get("latitude"), place.get("longitude")),
        "administrator": signup.account.email
        if signup.account
        else signup.step_data("administrator").get("email"),
        "plan": plans.plan(str(plan["plan"])).name
        if plan.get("plan") in ("pilot", "city", "region")
        else "",
        "payment": plan.get("payment"),
    }


def _after_signup(request: HttpRequest, signup: Signup) -> HttpResponse:
    """Where the final submit leads: the new site, or the page that waits for it while
    its schema is built in the background (the standby pool was empty)."""
    if signup.territory is not None and signup.territory.status == Territory.Status.PROVISIONING:
        return redirect("onboarding:preparing")
    return redirect(handoff_url(request, signup))


PREPARING_REFRESH_SECONDS = 2


@require_GET
def preparing(request: HttpRequest) -> HttpResponse:
    """Refreshes itself until the new territory is live, then signs the admin in there."""
    _network_only(request)
    signup = _current_signup(request)
    if signup is None or signup.territory is None:
        return redirect("onboarding:start")
    if signup.territory.status != Territory.Status.PROVISIONING:
        return redirect(handoff_url(request, signup))
    response = render(
        request,
        "onboarding/preparing.html",
        {"territory": None, "new_territory": signup.territory},
    )
    response["Refresh"] = str(PREPARING_REFRESH_SECONDS)
    response["Cache-Control"] = "no-store"
    return response


@require_GET
def done(request: HttpRequest) -> HttpResponse:
    """After the final submit (or a reload of it): where the new site is."""
    _network_only(request)
    signup = _current_signup(request)
    if signup is None or signup.territory is None:
        return redirect("onboarding:start")
    if signup.territory.status == Territory.Status.PROVISIONING:
        return redirect("onboarding:preparing")
    return render(
        request,
        "onboarding/done.html",
        {
            "territory": None,
            "new_territory": signup.territory,
            "site": territory_url(signup.territory),
        },
    )


@require_GET
def check_address(request: HttpRequest) -> HttpResponse:
    """htmx: is the address typed so far available? Says why not."""
    _network_only(request)
    slug = request.GET.get("slug", "").strip().lower()
    problem = None
    if slug:
        try:
            check_new_slug(slug)
        except Exception as error:  # ValidationError({"slug": [...]})
            messages = getattr(error, "message_dict", {}).get("slug") or [str(error)]
            problem = messages[0]
    return render(
        request,
        "onboarding/address_status.html",
        {"slug": slug, "problem": problem, "host": f"{slug}.{settings.PLATFORM_DOMAIN}"},
    )


@require_GET
def preview(request: HttpRequest) -> HttpResponse:
    """htmx: the home page's top as it will look, with the contrast of each colour."""
    _network_only(request)
    signup = _current_signup(request)
    colours = {}
    for name, default, against in (
        ("primary_color", "#1f4e79", WHITE),
        ("accent_color", "#f2b134", BLACK),
    ):
        value = request.GET.get(name, default)
        try:
            validate_hex_color(value)
        except Exception:
            value = default
        ratio = contrast_ratio(value, against)
        colours[name] = {
            "value": value,
            "on": text_color_on(value),
            "ratio": f"{ratio:.2f}",
            "ok": ratio >= AA_NORMAL_TEXT,
        }
    about = signup.step_data("territory") if signup else {}
    return render(
        request,
        "onboarding/preview.html",
        {
            "colours": colours,
            "name": about.get("name") or _("Your city"),
            "logo_url": signup.logo.url if signup and signup.logo else "",
        },
    )


@require_GET
def document(request: HttpRequest, kind: str) -> HttpResponse:
    _network_only(request)
    version = settings.TERMS_VERSION if kind == "terms" else settings.DPA_VERSION
    return render(request, f"onboarding/{kind}.html", {"version": version})


@require_POST
def restart(request: HttpRequest) -> HttpResponse:
    _network_only(request)
    request.session.pop(SESSION_KEY, None)
    return redirect("onboarding:start")
