from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _

from shared_apps.accounts.models import Membership
from shared_apps.core.colors import validate_accent_color, validate_primary_color
from shared_apps.core.uploads import COVER_RULES, LOGO_RULES, clean_image


class ColorInput(forms.TextInput):
    input_type = "color"


class BrandingForm(forms.Form):
    name = forms.CharField(label=_("Site name"), max_length=120)
    primary_color = forms.CharField(
        label=_("Primary colour"),
        help_text=_("Header background under white text, and links. Must be dark enough."),
        widget=ColorInput,
        validators=[validate_primary_color],
    )
    accent_color = forms.CharField(
        label=_("Accent colour"),
        help_text=_(
            "Highlights under black text, such as the sign-up button. Must be light enough."
        ),
        widget=ColorInput,
        validators=[validate_accent_color],
    )
    logo = forms.FileField(
        label=_("Logo"),
        required=False,
        help_text=_("PNG, JPEG or WebP, up to 2 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": "image/png,image/jpeg,image/webp"}),
    )
    remove_logo = forms.BooleanField(label=_("Remove the current logo"), required=False)
    cover_image = forms.FileField(
        label=_("Cover image"),
        required=False,
        help_text=_("PNG, JPEG or WebP, up to 5 MB. Shown on the home page."),
        widget=forms.ClearableFileInput(attrs={"accept": "image/png,image/jpeg,image/webp"}),
    )
    remove_cover = forms.BooleanField(label=_("Remove the current cover image"), required=False)
    default_language = forms.ChoiceField(label=_("Default language"), choices=settings.LANGUAGES)
    languages = forms.MultipleChoiceField(
        label=_("Languages offered"),
        choices=settings.LANGUAGES,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("Visitors can switch to these. The default language is always offered."),
    )

    def clean_logo(self) -> Any:
        upload = self.cleaned_data.get("logo")
        return clean_image(upload, LOGO_RULES) if isinstance(upload, UploadedFile) else None

    def clean_cover_image(self) -> Any:
        upload = self.cleaned_data.get("cover_image")
        return clean_image(upload, COVER_RULES) if isinstance(upload, UploadedFile) else None


class MemberRoleForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=Membership.Role.choices)
