"""One form per step of the wizard. Each validates on the server; the values typed are
kept as typed (Signup.data) and validated again, all together, at the final submit."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from shared_apps.accounts.models import User
from shared_apps.billing import plans
from shared_apps.billing.models import BillingAccount
from shared_apps.core.colors import validate_accent_color, validate_primary_color
from shared_apps.core.uploads import LOGO_RULES, clean_image
from shared_apps.onboarding.timezones import timezone_choices
from tenants.models import Territory, known_timezones
from tenants.selectors import conflicting_slug
from tenants.validation import SLUG_MAX_LENGTH, validate_new_slug


class TerritoryForm(forms.Form):
    name = forms.CharField(
        label=_("Name of the city or region"),
        max_length=120,
        help_text=_("As young people know it, for example “Kaunas” or “South Tyrol”."),
    )
    kind = forms.ChoiceField(
        label=_("Is it a city or a region?"),
        choices=Territory.Kind.choices,
        widget=forms.RadioSelect,
        initial=Territory.Kind.CITY,
    )
    country = forms.ChoiceField(label=_("Country"), choices=lambda: list(countries))
    young_people = forms.IntegerField(
        label=_("About how many young people (13-25) live there?"),
        min_value=0,
        max_value=50_000_000,
        help_text=_("A rough number is fine: it helps us suggest a plan."),
    )
    contact_name = forms.CharField(
        label=_("Contact person"), max_length=120, help_text=_("Who we can talk to about the site.")
    )
    contact_email = forms.EmailField(label=_("Contact email"))


class AddressForm(forms.Form):
    slug = forms.CharField(
        label=_("Address of your site"),
        max_length=SLUG_MAX_LENGTH,
        help_text=_("Lower-case letters, digits and hyphens, for example “kaunas”."),
        widget=forms.TextInput(
            attrs={"autocapitalize": "none", "autocomplete": "off", "spellcheck": "false"}
        ),
    )

    def clean_slug(self) -> str:
        slug = str(self.cleaned_data["slug"]).strip().lower()
        validate_new_slug(slug, conflict=conflicting_slug(slug))
        return slug


class ColorInput(forms.TextInput):
    input_type = "color"


class BrandingForm(forms.Form):
    logo = forms.FileField(
        label=_("Logo"),
        required=False,
        help_text=_("Optional. PNG, JPEG or WebP, up to 2 MB. You can add it later too."),
        widget=forms.ClearableFileInput(attrs={"accept": "image/png,image/jpeg,image/webp"}),
    )
    primary_color = forms.CharField(
        label=_("Main colour"),
        initial="#1f4e79",
        help_text=_("Header background under white text, and links. Must be dark enough."),
        widget=ColorInput,
        validators=[validate_primary_color],
    )
    accent_color = forms.CharField(
        label=_("Accent colour"),
        initial="#f2b134",
        help_text=_("Buttons and highlights under black text. Must be light enough."),
        widget=ColorInput,
        validators=[validate_accent_color],
    )

    def clean_logo(self) -> Any:
        upload = self.cleaned_data.get("logo")
        return clean_image(upload, LOGO_RULES) if isinstance(upload, UploadedFile) else None


class PlaceForm(forms.Form):
    default_language = forms.ChoiceField(
        label=_("Main language of the site"), choices=settings.LANGUAGES
    )
    languages = forms.MultipleChoiceField(
        label=_("Other languages offered"),
        choices=settings.LANGUAGES,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("Visitors can switch to these."),
    )
    timezone = forms.ChoiceField(label=_("Time zone"), choices=())
    latitude = forms.FloatField(
        label=_("Latitude of the map centre"),
        min_value=-90,
        max_value=90,
        help_text=_("Click the map, or type the coordinates, for example 54.8985."),
        widget=forms.NumberInput(attrs={"step": "any", "inputmode": "decimal"}),
    )
    longitude = forms.FloatField(
        label=_("Longitude of the map centre"),
        min_value=-180,
        max_value=180,
        help_text=_("For example 23.9036."),
        widget=forms.NumberInput(attrs={"step": "any", "inputmode": "decimal"}),
    )

    def __init__(self, *args: Any, country: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["timezone"].choices = timezone_choices(country)  # type: ignore[attr-defined]

    def clean_timezone(self) -> str:
        value = str(self.cleaned_data["timezone"])
        if value not in known_timezones():
            raise ValidationError(_("Choose a time zone from the list."))
        return value


class AdministratorForm(forms.Form):
    """The person who will run the site: the signed-in account, or a new one."""

    use_current = forms.BooleanField(required=False, widget=forms.HiddenInput)
    display_name = forms.CharField(label=_("Your name"), max_length=80, required=False)
    email = forms.EmailField(label=_("Your email address"), required=False)
    password1 = forms.CharField(
        label=_("Choose a password"),
        required=False,
        strip=False,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "new-password"}),
        help_text=_("At least 8 characters, not only digits, not a common password."),
    )
    password2 = forms.CharField(
        label=_("Password again"),
        required=False,
        strip=False,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "new-password"}),
    )
    accept_terms = forms.BooleanField(label=_("I accept the terms of service"))
    accept_dpa = forms.BooleanField(
        label=_("I accept the data processing agreement on behalf of my organisation")
    )

    def __init__(
        self, *args: Any, signed_in: User | None = None, has_password: bool = False, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.signed_in = signed_in
        self.has_password = has_password
        self.fields["accept_terms"].help_text = format_html(
            '<a href="{}" target="_blank">{}</a>',
            reverse("onboarding:terms"),
            _("Read the terms (new tab)"),
        )
        self.fields["accept_dpa"].help_text = format_html(
            '<a href="{}" target="_blank">{}</a>',
            reverse("onboarding:dpa"),
            _("Read the agreement (new tab)"),
        )
        if signed_in is not None:
            for name in ("display_name", "email", "password1", "password2"):
                del self.fields[name]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.signed_in is not None:
            data["use_current"] = True
            return data
        data["use_current"] = False
        email = str(data.get("email") or "").lower()
        # Whether the address has an account is not said here: the next page asks for
        # the code emailed to it, and only an unknown address gets one (its owner is
        # told to sign in instead: actions.send_email_code).
        if not email:
            self.add_error("email", _("Enter your email address."))
        data["email"] = email
        password1, password2 = data.get("password1"), data.get("password2")
        if not password1 and self.has_password:
            return data  # set on an earlier visit of this step
        if not password1:
            self.add_error("password1", _("Choose a password."))
        elif password1 != password2:
            self.add_error("password2", _("The two passwords differ."))
        else:
            try:
                password_validation.validate_password(str(password1), User(email=email))
            except ValidationError as error:
                self.add_error("password1", error)
        return data


class PlanForm(forms.Form):
    plan = forms.ChoiceField(label=_("Plan"), widget=forms.RadioSelect, choices=())
    payment = forms.ChoiceField(
        label=_("How will you pay?"), widget=forms.RadioSelect, choices=(), required=False
    )
    invoice_details = forms.CharField(
        label=_("Invoice details"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Organisation, address, VAT number, order reference: what your invoices need."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["plan"].choices = [  # type: ignore[attr-defined]
            (plan.key, plan_label(plan)) for plan in plans.all_plans()
        ]
        payment = [(BillingAccount.Method.INVOICE.value, _("By invoice"))]
        if plans.stripe_enabled():
            payment.insert(0, (BillingAccount.Method.STRIPE.value, _("By card (Stripe)")))
        self.fields["payment"].choices = payment  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("plan") in plans.PAID_PLANS and not data.get("payment"):
            self.add_error("payment", _("Choose how to pay for this plan."))
        if data.get("plan") == plans.PILOT:
            data["payment"] = BillingAccount.Method.NONE.value
        return data


def plan_label(plan: plans.Plan) -> str:
    if not plan.is_paid:
        return f"{plan.name}: {plan.description}"
    return str(
        _("%(name)s: %(amount)s %(currency)s a year. %(description)s")
        % {
            "name": plan.name,
            "amount": f"{plan.amount:,.0f}".replace(",", " "),
            "currency": settings.BILLING_CURRENCY,
            "description": plan.description,
        }
    )


WRONG_CODE = _("This code is wrong or has expired. Check the email or send a new code.")


class EmailCodeForm(forms.Form):
    """The one-time code sent to a new administrator's address."""

    code = forms.CharField(label=_("Code from the email"), max_length=12)

    def clean_code(self) -> str:
        code = "".join(str(self.cleaned_data["code"]).split())
        if not code.isdigit() or len(code) != 6:
            raise forms.ValidationError(WRONG_CODE)
        return code
