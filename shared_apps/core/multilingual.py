"""Texts entered in several languages: an activity, a playlist or a badge is written in
the territory's default language, and its staff may add the same texts in the site's
other languages. Readers see their language, else the original.

The other languages live in the object's ``translations`` JSON field, keyed by
language code: ``{"en": {"title": "Robotics club", "summary": "..."}}``. Only the
texts a translator filled in are stored; an empty one falls back to the original.
Search indexes every language (tenant_apps.catalogue.indexing).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from django import forms
from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext_lazy as _

# What a translatable field may hold, by field name; the form follows these.
LIMITS = {"title": 160, "name": 120, "summary": 300, "description": 5000}


def localized(obj: Any, field: str, language: str | None = None) -> str:
    """``obj.<field>`` in the reader's language (the active one by default), falling
    back from "pt-br" to "pt", then to the original text."""
    original = getattr(obj, field, "") or ""
    translations = getattr(obj, "translations", None) or {}
    language = (language or translation.get_language() or "").lower()
    for code in (language, language.split("-")[0]):
        text = (translations.get(code) or {}).get(field)
        if text:
            return str(text)
    return str(original)


def other_languages(territory: Any) -> list[str]:
    """The site's languages besides the default one, in which texts can be added."""
    return [code for code in territory.languages if code != territory.default_language]


class TranslationsForm(forms.Form):
    """One field per (language, translatable field); all optional."""

    def __init__(
        self,
        *args: Any,
        languages: Sequence[str],
        fields: Sequence[str],
        initial_translations: Mapping[str, Mapping[str, str]],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        names = dict(settings.LANGUAGES)
        labels = {
            "title": _("Title in %(language)s"),
            "name": _("Name in %(language)s"),
            "summary": _("Summary in %(language)s"),
            "description": _("Description in %(language)s"),
        }
        self.languages = list(languages)
        self.translatable = list(fields)
        for code in self.languages:
            for field in self.translatable:
                language = translation.gettext(str(names.get(code, code)))
                self.fields[f"{code}__{field}"] = forms.CharField(
                    label=labels[field] % {"language": language},
                    required=False,
                    max_length=LIMITS[field],
                    widget=forms.Textarea(attrs={"rows": 4, "lang": code})
                    if field == "description"
                    else forms.TextInput(attrs={"lang": code}),
                    initial=(initial_translations.get(code) or {}).get(field, ""),
                )

    def translations(self, clean_text: Callable[[str, str], str]) -> dict[str, dict[str, str]]:
        """The filled-in texts by language (``clean_text(field, value)`` sanitises)."""
        result: dict[str, dict[str, str]] = {}
        for code in self.languages:
            texts = {
                field: clean_text(field, value.strip())
                for field in self.translatable
                if (value := self.cleaned_data.get(f"{code}__{field}") or "").strip()
            }
            if texts:
                result[code] = texts
        return result
