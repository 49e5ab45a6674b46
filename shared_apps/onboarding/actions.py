"""The wizard's writes: saving steps, and the one final submit that creates everything."""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass, field
from typing import Any

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.contrib.gis.geos import Point
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile, File
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from shared_apps.accounts.models import User
from shared_apps.audit.actions import record
from shared_apps.billing.actions import open_billing_account
from shared_apps.onboarding.models import AgreementAcceptance, Signup
from shared_apps.onboarding.steps import FIELD_STEPS, FORM_STEPS, make_form
from tenants.actions import provision_territory
from tenants.models import Territory

logger = logging.getLogger(__name__)


class SignupIncomplete(Exception):
    """The final submit found steps to fix; ``errors`` maps step -> messages."""

    def __init__(self, errors: dict[str, list[str]]) -> None:
        super().__init__(errors)
        self.errors = errors

    @property
    def first_step(self) -> str:
        order = [step.key for step in FORM_STEPS]
        return min(self.errors, key=lambda key: order.index(key) if key in order else 99)


def start_signup() -> Signup:
    return Signup.objects.create()


@transaction.atomic
def save_step(
    *,
    signup: Signup,
    step: str,
    values: dict[str, Any],
    cleaned: dict[str, Any] | None,
    signed_in: User | None = None,
) -> Signup:
    """Keep what was typed in a step; ``cleaned`` is None when leaving the step
    without validating it (going back), which keeps the values but not the step's
    completion."""
    signup = Signup.objects.select_for_update().get(pk=signup.pk)
    if signup.territory_id:
        return signup  # completed: nothing more to change
    old_country = signup.step_data("territory").get("country")
    signup.data = {**signup.data, step: values}
    completed = [key for key in signup.completed_steps if key != step]
    if step == "territory" and old_country and old_country != values.get("country"):
        # Another country suggests another time zone: ask for the place again.
        completed = [key for key in completed if key != "place"]
        signup.data["place"] = {**signup.step_data("place"), "timezone": ""}
    if cleaned is not None:
        completed.append(step)
        if step == "branding" and cleaned.get("logo") is not None:
            if signup.logo:
                signup.logo.delete(save=False)
            signup.logo.save(f"{uuid.uuid4().hex}.img", cleaned["logo"], save=False)
        if step == "administrator":
            _save_administrator(signup, cleaned, signed_in)
    signup.completed_steps = completed
    signup.save()
    return signup


# Where the wizard remembers which addresses were already told (one email per address
# and sign-up, however often the step is sent).
TOLD_KEY = "_told_existing_account"


@transaction.atomic
def tell_existing_account(*, signup: Signup, email: str, sign_in_url: str) -> None:
    """The administrator step answers the same for any address; when the address has an
    account, its owner learns by email what to do (sign in, then continue). Nothing is
    sent for an unknown address, and the submitter cannot tell which happened."""
    from shared_apps.ops.email import queue_email, recipient_language

    address = email.strip().lower()
    owner = User.objects.filter(email__iexact=address).first()
    if owner is None:
        return
    signup = Signup.objects.select_for_update().get(pk=signup.pk)
    told = list(signup.data.get(TOLD_KEY) or [])
    if address in told:
        return
    signup.data = {**signup.data, TOLD_KEY: [*told, address]}
    signup.save(update_fields=["data", "updated_at"])
    queue_email(
        to=[owner.email],
        template_prefix="onboarding/email/existing_account",
        context={"sign_in_url": sign_in_url},
        language=recipient_language(owner),
    )


def _save_administrator(signup: Signup, cleaned: dict[str, Any], signed_in: User | None) -> None:
    if cleaned.get("use_current") and signed_in is not None:
        signup.account = signed_in
        signup.password_hash = ""
    else:
        signup.account = None
        if cleaned.get("password1"):
            # Hashed now, so the final submit does not spend a second on it.
            signup.password_hash = make_password(cleaned["password1"])
    signup.terms_version = settings.TERMS_VERSION
    signup.dpa_version = settings.DPA_VERSION
    signup.accepted_at = timezone.now()


@dataclass
class ValidatedSignup:
    cleaned: dict[str, dict[str, Any]] = field(default_factory=dict)


def validate_signup(signup: Signup) -> ValidatedSignup:
    """Every step again, as the server sees it now (an address may have been taken
    since, an account created with the same email...)."""
    result = ValidatedSignup()
    errors: dict[str, list[str]] = {}
    for step in FORM_STEPS:
        form = make_form(step, signup, signed_in=signup.account, data=signup.step_data(step.key))
        if step.key not in signup.completed_steps:
            errors[step.key] = [_("This step is not finished.")]
        elif not form.is_valid():
            errors[step.key] = [
                str(message) for messages in form.errors.values() for message in messages
            ]
        else:
            result.cleaned[step.key] = form.cleaned_data
    if "administrator" not in errors and not (signup.account_id or signup.password_hash):
        errors["administrator"] = [_("Choose a password.")]
    if errors:
        raise SignupIncomplete(errors)
    return result


def complete_signup(*, signup_id: uuid.UUID, request: HttpRequest | None = None) -> Signup:
    """The final submit: the administrator's account, the territory (schema, address,
    admin membership), its billing account and the accepted agreements, all in one
    transaction.

    Idempotent: the sign-up row is locked, and once it has its territory every later
    submit (a double click, a reload, another tab) returns it unchanged.
    """
    with transaction.atomic():
        signup = Signup.objects.select_for_update().get(pk=signup_id)
        if signup.territory_id:
            return signup
        validated = validate_signup(signup)
        try:
            territory, new_account = _create_everything(signup, validated)
        except ValidationError as error:
            raise SignupIncomplete(_errors_by_step(error)) from error
    if signup.logo:
        transaction.on_commit(lambda: signup.logo.storage.delete(signup.logo.name))
    if new_account is not None and request is not None:
        _send_verification(request, new_account)
    logger.info("sign-up %s created territory %s", signup.pk, territory.slug)
    return signup


def _create_everything(signup: Signup, validated: ValidatedSignup) -> tuple[Territory, User | None]:
    about = validated.cleaned["territory"]
    place = validated.cleaned["place"]
    brand = validated.cleaned["branding"]
    plan = validated.cleaned["plan"]
    admin, new_account = _administrator(signup, validated.cleaned["administrator"])
    logo: File[bytes] | None = None
    if signup.logo:
        with signup.logo.open("rb") as stored:
            logo = ContentFile(stored.read(), name="logo" + _suffix(signup.logo.name))
    territory = provision_territory(
        name=about["name"],
        slug=validated.cleaned["address"]["slug"],
        kind=about["kind"],
        country=str(about["country"]),
        default_language=place["default_language"],
        languages=place["languages"],
        timezone_name=place["timezone"],
        map_center=Point(place["longitude"], place["latitude"], srid=4326),
        primary_color=brand["primary_color"],
        accent_color=brand["accent_color"],
        status=Territory.Status.TRIAL,
        admin=admin,
        acting_user=admin,
        logo=logo,
        # With the standby pool empty, answer now and build the schema in the background
        # (the wizard then shows a page that waits for it).
        build_schema_later=True,
    )
    open_billing_account(
        territory=territory,
        plan_key=plan["plan"],
        method=plan["payment"],
        acting_user=admin,
        invoice_details=plan.get("invoice_details", ""),
    )
    accepted_at = signup.accepted_at or timezone.now()
    AgreementAcceptance.objects.bulk_create(
        [
            AgreementAcceptance(
                user=admin,
                territory=territory,
                document=AgreementAcceptance.Document.TERMS,
                version=signup.terms_version or settings.TERMS_VERSION,
                accepted_at=accepted_at,
            ),
            AgreementAcceptance(
                user=admin,
                territory=territory,
                document=AgreementAcceptance.Document.DPA,
                version=signup.dpa_version or settings.DPA_VERSION,
                accepted_at=accepted_at,
            ),
        ]
    )
    signup.territory = territory
    signup.completed_at = timezone.now()
    signup.password_hash = ""
    signup.save(update_fields=["territory", "completed_at", "password_hash", "updated_at"])
    record(
        actor=admin,
        action="onboarding.completed",
        territory=territory,
        target=signup,
        details={
            "plan": plan["plan"],
            "payment": plan["payment"],
            "young_people": about["young_people"],
            "terms_version": signup.terms_version,
            "dpa_version": signup.dpa_version,
        },
    )
    return territory, new_account


def _suffix(name: str) -> str:
    return "." + name.rsplit(".", 1)[-1] if "." in name else ""


def _administrator(signup: Signup, cleaned: dict[str, Any]) -> tuple[User, User | None]:
    if signup.account is not None:
        return signup.account, None
    email = cleaned["email"]
    try:
        with transaction.atomic():
            user = User.objects.create(
                email=email,
                display_name=cleaned.get("display_name", ""),
                password=signup.password_hash,
            )
            EmailAddress.objects.create(user=user, email=email, primary=True, verified=False)
    except IntegrityError as error:
        raise ValidationError(
            {"email": _("There is already an account with this address. Sign in with it.")}
        ) from error
    return user, user


def _errors_by_step(error: ValidationError) -> dict[str, list[str]]:
    by_step: dict[str, list[str]] = {}
    if hasattr(error, "error_dict"):
        for name, messages in error.message_dict.items():
            by_step.setdefault(FIELD_STEPS.get(name, "territory"), []).extend(messages)
    else:
        by_step["territory"] = list(error.messages)
    return by_step


def _send_verification(request: HttpRequest, user: User) -> None:
    """Called after the commit, within the request (allauth builds the link from it)."""
    address = EmailAddress.objects.filter(user=user, primary=True).first()
    if address is not None:
        address.send_confirmation(request, signup=True)


@transaction.atomic
def use_handoff(*, signup_id: uuid.UUID, territory: Territory) -> Signup | None:
    """Mark the one-time sign-in on the new site as used; None if it was already."""
    signup = (
        Signup.objects.select_for_update()
        .filter(pk=signup_id, territory=territory, handoff_used_at__isnull=True)
        .first()
    )
    if signup is None:
        return None
    signup.handoff_used_at = timezone.now()
    signup.save(update_fields=["handoff_used_at", "updated_at"])
    return signup
