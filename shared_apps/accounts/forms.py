"""Forms of the account itself: the sign-up additions and the display name."""

from __future__ import annotations

from typing import Any

from django import forms
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from shared_apps.accounts.actions import set_display_name

NAME_MAX_LENGTH = 40


def name_field() -> forms.CharField:
    # Asked of 15-year-olds too: one short question, a first name or nickname is
    # enough. Reviewers see it; the public never does while the person is a minor
    # (shared_apps.guardians.selectors.public_name).
    return forms.CharField(
        label=_("What should we call you?"),
        help_text=_("Your first name or a nickname."),
        max_length=NAME_MAX_LENGTH,
        widget=forms.TextInput(attrs={"autocomplete": "nickname"}),
    )


class SignupPart(forms.Form):
    """One part of allauth's sign-up form (ACCOUNT_SIGNUP_FORM_CLASS). The parts come
    from several apps (the name from here, the year and month of birth from
    shared_apps.guardians); the top-level package composes them
    (learning_platform.signup), so accounts imports none of the apps above it."""

    def signup(self, request: HttpRequest, user: Any) -> None:
        """Called by allauth once the account exists: each part stores its fields, then
        passes on (cooperative ``super().signup``)."""


class NameSignupForm(SignupPart):
    """The sign-up part asking what to call the person."""

    display_name = name_field()

    def clean_display_name(self) -> str:
        return clean_name(self.cleaned_data["display_name"])

    def signup(self, request: HttpRequest, user: Any) -> None:
        set_display_name(user=user, display_name=self.cleaned_data["display_name"])
        super().signup(request, user)


class DisplayNameForm(forms.Form):
    display_name = name_field()

    def clean_display_name(self) -> str:
        return clean_name(self.cleaned_data["display_name"])


def clean_name(value: str) -> str:
    name = " ".join(str(value).split())
    if not name:
        raise forms.ValidationError(_("Write a name, or a nickname."))
    return name
