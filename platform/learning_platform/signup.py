"""allauth's sign-up form (ACCOUNT_SIGNUP_FORM_CLASS), composed from the parts the apps
give: the name (shared_apps.accounts), then the year and month of birth
(shared_apps.guardians). Composed here, in the top layer, because accounts sits below
guardians and must not import it."""

from __future__ import annotations

from shared_apps.accounts.forms import NameSignupForm
from shared_apps.guardians.forms import BirthMonthForm


class SignupForm(NameSignupForm, BirthMonthForm):
    """``signup`` runs each part's in turn (NameSignupForm, then BirthMonthForm)."""

    field_order = ["display_name", "birth_year", "birth_month"]
