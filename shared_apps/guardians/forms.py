"""Forms: the year and month of birth at sign-up, the guardian's address, and the
typed confirmation that deletes an account."""

from __future__ import annotations

from typing import Any

from django import forms
from django.http import HttpRequest
from django.utils import timezone
from django.utils.dates import MONTHS
from django.utils.translation import gettext_lazy as _

from shared_apps.accounts.forms import SignupPart
from shared_apps.guardians.actions import record_birth_month
from shared_apps.guardians.ages import MAXIMUM_AGE, MINIMUM_AGE, age_on


def _year_choices() -> list[tuple[str, str]]:
    this_year = timezone.localdate().year
    years = range(this_year - MINIMUM_AGE, this_year - MAXIMUM_AGE - 1, -1)
    return [("", "—"), *((str(y), str(y)) for y in years)]


class BirthMonthForm(SignupPart):
    """A part of allauth's sign-up form (learning_platform.signup). Only the year
    and month are asked: the day is not needed to apply the consent age."""

    birth_year = forms.TypedChoiceField(label=_("Year of birth"), coerce=int, choices=_year_choices)
    birth_month = forms.TypedChoiceField(
        label=_("Month of birth"),
        coerce=int,
        choices=[("", "—"), *((str(number), name) for number, name in MONTHS.items())],
    )

    def clean(self) -> dict[str, Any]:
        cleaned: dict[str, Any] = super().clean() or {}
        year, month = cleaned.get("birth_year"), cleaned.get("birth_month")
        if year and month and age_on(year, month, timezone.localdate()) < MINIMUM_AGE:
            self.add_error(
                "birth_year",
                _("You must be at least %(age)s years old to sign up.") % {"age": MINIMUM_AGE},
            )
        return cleaned

    def signup(self, request: HttpRequest, user: Any) -> None:
        record_birth_month(
            user=user,
            birth_year=self.cleaned_data["birth_year"],
            birth_month=self.cleaned_data["birth_month"],
            territory=getattr(request, "territory", None),
        )
        super().signup(request, user)


class GuardianEmailForm(forms.Form):
    guardian_email = forms.EmailField(label=_("Email address of a parent or guardian"))


class DeleteAccountForm(forms.Form):
    """Typing the word proves intent (a stray click never deletes an account)."""

    confirm = forms.CharField(max_length=40)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["confirm"].label = _("Type %(word)s to confirm") % {"word": _("DELETE")}

    def clean_confirm(self) -> str:
        value = str(self.cleaned_data["confirm"]).strip()
        if value.upper() != "DELETE" and value != str(_("DELETE")):
            raise forms.ValidationError(_("Type the word exactly as shown."))
        return value


class CardBatchForm(forms.Form):
    count = forms.IntegerField(label=_("Number of cards"), min_value=1, max_value=60, initial=10)
    label = forms.CharField(label=_("Event"), max_length=120, required=False)


class RedeemCardForm(BirthMonthForm):
    code = forms.CharField(label=_("Code on your card"), max_length=20)
    passphrase1 = forms.CharField(
        label=_("Choose a passphrase"),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    passphrase2 = forms.CharField(
        label=_("Passphrase again"),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    field_order = ["code", "birth_year", "birth_month", "passphrase1", "passphrase2"]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        one, two = cleaned.get("passphrase1"), cleaned.get("passphrase2")
        if one and two and one != two:
            self.add_error("passphrase2", _("The two passphrases differ."))
        return cleaned


class CardSignInForm(forms.Form):
    code = forms.CharField(label=_("Code on your card"), max_length=20)
    passphrase = forms.CharField(
        label=_("Passphrase"),
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
