from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from tenant_apps.home.actions import HEADLINE_MAX, INTRO_MAX, TITLE_MAX
from tenant_apps.home.sections import HomeSection


class HomeTextsForm(forms.Form):
    """The home page's texts in one language; a field left empty keeps the default."""

    headline = forms.CharField(label=_("Headline"), max_length=HEADLINE_MAX, required=False)
    intro = forms.CharField(
        label=_("Introduction"),
        max_length=INTRO_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, sections: list[HomeSection], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for section in sections:
            self.fields[f"title_{section.key}"] = forms.CharField(
                label=str(section.title), max_length=TITLE_MAX, required=False
            )
        self.section_keys = [section.key for section in sections]

    def titles(self) -> dict[str, str]:
        return {key: self.cleaned_data.get(f"title_{key}", "") for key in self.section_keys}


class HomeSectionsForm(forms.Form):
    shown = forms.MultipleChoiceField(
        label=_("Sections shown on the home page"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, sections: list[HomeSection], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["shown"].choices = [(s.key, s.title) for s in sections]  # type: ignore[attr-defined]
