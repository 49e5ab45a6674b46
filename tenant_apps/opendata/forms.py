"""Forms of open data: the licence (territory admins) and a provider's calendars."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from tenant_apps.catalogue.models import Interest, Provider, Venue
from tenant_apps.opendata.models import LICENCES


class LicenceForm(forms.Form):
    licence = forms.ChoiceField(
        label=_("Licence of the open data"),
        choices=[(code, name) for code, (name, _url) in LICENCES.items()],
    )


class CalendarForm(forms.Form):
    url = forms.URLField(
        label=_("Calendar address (.ics)"),
        max_length=500,
        assume_scheme="https",
        help_text=_("Its events become your activities; it is read again every hour."),
    )
    venue = forms.ModelChoiceField(label=_("Venue"), queryset=Venue.objects.none(), required=False)
    interests = forms.ModelMultipleChoiceField(
        label=_("Interests"),
        queryset=Interest.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, provider: Provider, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        venue_field = cast(forms.ModelChoiceField, self.fields["venue"])
        interest_field = cast(forms.ModelMultipleChoiceField, self.fields["interests"])
        venue_field.queryset = Venue.objects.filter(provider=provider).order_by("name")
        interest_field.queryset = Interest.objects.filter(is_active=True).order_by(
            "position", "slug"
        )
