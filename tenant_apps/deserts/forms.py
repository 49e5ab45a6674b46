from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class PopulationUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Population file"),
        help_text=_(
            "CSV with the columns code, name, young_people, lat, lon (lat and lon may be "
            "empty for a code whose polygon is stored), or GeoJSON polygons with the "
            "properties code, name, young_people."
        ),
    )
    replace = forms.BooleanField(
        label=_("Remove the areas that are not in this file"), required=False
    )
