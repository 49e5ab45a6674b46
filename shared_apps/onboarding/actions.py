"""The wizard's writes: saving steps, and the one final submit that creates everything."""

from __future__ import annotations

import hmac
import logging
import secrets
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.contrib.gis.geos import Point
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile, File
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils import timezone, translation
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

from shared_apps.accounts.models import User
from shared_apps.audit.actions import record
from shared_apps.audit.events import AuditEvent
from shared_apps.billing.actions import open_billing_account
from shared_apps.notifications import actions as notifications
from shared_apps.notifications import kinds
from shared_apps.onboarding.models import AgreementAcceptance, Signup
from shared_apps.onboarding.steps import FIELD_STEPS, FORM_STEPS, make_form
from shared_apps.ops.email import queue_email, recipient_language
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
        # A new account's address must be proved first (confirm_email_code completes it).
        if not (step == "administrator" and needs_email_code(cleaned, signed_in)):
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


# The one-time code proving a new administrator's address (issue 14): kept in the
# sign-up row as an HMAC bound to this sign-up and address, never in clear.
CODE_KEY = "_email_code"
CODE_MINUTES = 30
CODE_ATTEMPTS = 5
CODE_SENDS = 5


class CodeRefused(Exception):
    """Too many codes sent for one sign-up (the same for known and unknown addresses)."""


def needs_email_code(cleaned: dict[str, Any], signed_in: User | None) -> bool:
    return not (cleaned.get("use_current") and signed_in is not None)


def _code_digest(signup: Signup, email: str, code: str) -> str:
    return salted_hmac(
        "onboarding.email_code", f"{signup.pk}:{email}:{code}", algorithm="sha256"
    ).hexdigest()


@transaction.atomic
def send_email_code(*, signup: Signup, email: str, sign_in_url: str) -> None:
    """Send a fresh code to an unknown address; for an address that has an account, the
    owner gets "sign in, then continue" instead and a code that nobody receives is kept,
    so both cases look and behave the same from the wizard."""

    address = email.strip().lower()
    signup = Signup.objects.select_for_update().get(pk=signup.pk)
    state = signup.data.get(CODE_KEY) or {}
    sends = int(state.get("sends", 0))
    if sends >= CODE_SENDS:
        raise CodeRefused(_("Too many codes were sent for this sign-up."))
    code = f"{secrets.randbelow(10**6):06d}"
    signup.data = {
        **signup.data,
        CODE_KEY: {
            "email": address,
            "digest": _code_digest(signup, address, code),
            "expires": (timezone.now() + timedelta(minutes=CODE_MINUTES)).isoformat(),
            "attempts": 0,
            "sends": sends + 1,
        },
    }
    signup.save(update_fields=["data", "updated_at"])
    if User.objects.filter(email__iexact=address).exists():
        tell_existing_account(signup=signup, email=address, sign_in_url=sign_in_url)
        return
    queue_email(
        to=[address],
        template_prefix="onboarding/email/code",
        context={"code": code, "minutes": CODE_MINUTES},
        language=translation.get_language() or settings.LANGUAGE_CODE,
    )


def pending_code_email(signup: Signup) -> str:
    state = signup.data.get(CODE_KEY) or {}
    return str(state.get("email") or "")


@transaction.atomic
def confirm_email_code(*, signup: Signup, code: str) -> bool:
    """The right code, in time and within the attempts, completes the administrator
    step. Returns False otherwise (not an exception: a wrong try must stay counted)."""
    signup = Signup.objects.select_for_update().get(pk=signup.pk)
    state = dict(signup.data.get(CODE_KEY) or {})
    if not state.get("digest") or int(state.get("attempts", 0)) >= CODE_ATTEMPTS:
        return False
    if timezone.now() > datetime.fromisoformat(str(state["expires"])):
        return False
    address = str(state["email"])
    given = "".join(code.split())
    right = hmac.compare_digest(_code_digest(signup, address, given), str(state["digest"]))
    if not right or address != str(signup.step_data("administrator").get("email", "")).lower():
        state["attempts"] = int(state.get("attempts", 0)) + 1
        signup.data = {**signup.data, CODE_KEY: state}
        signup.save(update_fields=["data", "updated_at"])
        return False
    signup.data = {**signup.data, CODE_KEY: {"sends": state.get("sends", 0), "verified": address}}
    signup.completed_steps = [
        *[key for key in signup.completed_steps if key != "administrator"],
        "administrator",
    ]
    signup.save(update_fields=["data", "completed_steps", "updated_at"])
    record(actor=None, action=AuditEvent.ONBOARDING_EMAIL_PROVED, target=signup, details={})
    return True


# Where the wizard remembers which addresses were already told (one email per address
# and sign-up, however often the step is sent).
TOLD_KEY = "_told_existing_account"


@transaction.atomic
def tell_existing_account(*, signup: Signup, email: str, sign_in_url: str) -> None:
    """The administrator step answers the same for any address; when the address has an
    account, its owner learns by email what to do (sign in, then continue). Nothing is
    sent for an unknown address, and the submitter cannot tell which happened."""

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
    if "administrator" not in errors and not signup.account_id:
        proved = (signup.data.get(CODE_KEY) or {}).get("verified")
        if proved != str(result.cleaned["administrator"].get("email", "")).lower():
            errors["administrator"] = [_("This step is not finished.")]
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
            territory, _new_account = _create_everything(signup, validated)
        except ValidationError as error:
            raise SignupIncomplete(_errors_by_step(error)) from error
    if signup.logo:
        transaction.on_commit(lambda: signup.logo.storage.delete(signup.logo.name))
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
        action=AuditEvent.ONBOARDING_COMPLETED,
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
    # The welcome email (and the first entry of the administrator's list), stored with
    # the territory and sent once this transaction commits.
    notifications.notify(
        user=admin,
        kind=kinds.TERRITORY_WELCOME,
        territory=territory,
        params={"site": territory.name},
        path="/manage/",
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
            # Verified: the wizard's one-time code proved the address.
            EmailAddress.objects.create(user=user, email=email, primary=True, verified=True)
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
