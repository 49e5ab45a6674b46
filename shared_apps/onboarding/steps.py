"""The wizard's steps, in order, and how each step's form is built from a sign-up."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django import forms
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from shared_apps.onboarding import forms as step_forms
from shared_apps.onboarding.models import Signup
from shared_apps.onboarding.timezones import suggested_timezone


@dataclass(frozen=True)
class Step:
    key: str
    title: str | Promise
    form_class: type[forms.Form] | None


STEPS = [
    Step("territory", _("Your city or region"), step_forms.TerritoryForm),
    Step("address", _("Your site's address"), step_forms.AddressForm),
    Step("branding", _("Logo and colours"), step_forms.BrandingForm),
    Step("place", _("Languages and place"), step_forms.PlaceForm),
    Step("administrator", _("Administrator"), step_forms.AdministratorForm),
    Step("plan", _("Plan"), step_forms.PlanForm),
    Step("review", _("Check and create"), None),
]
STEP_KEYS = [step.key for step in STEPS]
FORM_STEPS = [step for step in STEPS if step.form_class is not None]
# Fields refused at the final submit, mapped to the step where they can be fixed.
FIELD_STEPS = {
    "name": "territory",
    "kind": "territory",
    "country": "territory",
    "slug": "address",
    "primary_color": "branding",
    "accent_color": "branding",
    "logo": "branding",
    "default_language": "place",
    "languages": "place",
    "timezone": "place",
    "map_center": "place",
    "email": "administrator",
    "plan": "plan",
    "payment": "plan",
}
# Never kept in Signup.data: a password is stored only as a hash.
NOT_KEPT = {"password1", "password2", "logo"}


def step_by_key(key: str) -> Step | None:
    return next((step for step in STEPS if step.key == key), None)


def previous_step(key: str) -> str | None:
    index = STEP_KEYS.index(key)
    return STEP_KEYS[index - 1] if index > 0 else None


def next_step(key: str) -> str | None:
    index = STEP_KEYS.index(key)
    return STEP_KEYS[index + 1] if index + 1 < len(STEP_KEYS) else None


def first_open_step(signup: Signup) -> str:
    """The first step not yet completed: steps cannot be skipped."""
    for step in FORM_STEPS:
        if step.key not in signup.completed_steps:
            return step.key
    return "review"


def make_form(
    step: Step,
    signup: Signup,
    *,
    signed_in: Any = None,
    data: Any = None,
    files: Any = None,
) -> forms.Form:
    """The step's form: bound to ``data`` if given, otherwise showing what was typed."""
    if step.form_class is None:
        raise ValueError(f"step {step.key} has no form")
    kwargs: dict[str, Any] = {}
    if step.key == "place":
        kwargs["country"] = str(signup.step_data("territory").get("country", ""))
    if step.key == "administrator":
        kwargs["signed_in"] = signed_in
        kwargs["has_password"] = bool(signup.password_hash)
    if data is None:
        initial = signup.step_data(step.key)
        if step.key == "place" and not initial.get("timezone"):
            initial["timezone"] = suggested_timezone(
                str(signup.step_data("territory").get("country", ""))
            )
        return step.form_class(initial=initial, **kwargs)
    return step.form_class(data=data, files=files, **kwargs)


def raw_values(form: forms.Form, data: Any) -> dict[str, Any]:
    """The values as typed, for this form's fields (lists for multiple choices)."""
    values: dict[str, Any] = {}
    for name, field in form.fields.items():
        if name in NOT_KEPT:
            continue
        if isinstance(field, forms.MultipleChoiceField):
            values[name] = data.getlist(name) if hasattr(data, "getlist") else data.get(name, [])
        elif name in data:
            values[name] = data.get(name)
    return values
