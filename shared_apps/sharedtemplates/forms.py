"""The coordinator's forms for network templates: one editor per kind, fields instead of
raw JSON. Each editor turns its fields into the template's payload (the structure
shared_apps.sharedtemplates.actions checks again before publishing) and back, so a new
version starts from the current one."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.forms import BaseFormSet, formset_factory
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from shared_apps.sharedtemplates.models import NetworkTemplate

MAX_ROWS = 200


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


class InterestRow(forms.Form):
    """One interest: its name in any of the network's languages (English or the first
    one given makes its identifier, kept from version to version: territories match
    interests by it)."""

    slug = forms.CharField(widget=forms.HiddenInput, required=False, max_length=50)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for code, language in settings.LANGUAGES:
            self.fields[f"name_{code}"] = forms.CharField(
                label=language, max_length=80, required=False
            )

    def names(self) -> dict[str, str]:
        return {
            code: self.cleaned_data[f"name_{code}"].strip()
            for code, _language in settings.LANGUAGES
            if self.cleaned_data.get(f"name_{code}", "").strip()
        }


class AlignmentRow(forms.Form):
    framework = forms.CharField(label=_("Framework"), max_length=300, required=False)
    name = forms.CharField(label=_("Name"), max_length=300, required=False)
    url = forms.URLField(
        label=_("Web address"), max_length=300, required=False, assume_scheme="https"
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        given = [data.get(k) for k in ("framework", "name", "url")]
        if any(given) and not all(given):
            raise forms.ValidationError(
                _("Each alignment needs a framework, a name and a web address.")
            )
        return data


class StepRow(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=160, required=False)
    instructions = forms.CharField(
        label=_("Instructions"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    required = forms.BooleanField(label=_("Required"), required=False, initial=True)


InterestRows = formset_factory(InterestRow, extra=3, max_num=MAX_ROWS, validate_max=True)
AlignmentRows = formset_factory(AlignmentRow, extra=2, max_num=20, validate_max=True)
StepRows = formset_factory(StepRow, extra=3, max_num=50, validate_max=True)


class TemplateForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=120)


class BadgeFields(TemplateForm):
    badge_name = forms.CharField(label=_("Name of the badge"), max_length=120)
    description = forms.CharField(
        label=_("Description"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
    criteria_narrative = forms.CharField(
        label=_("How to earn it"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
    criteria_requirements = forms.CharField(
        label=_("Requirements, one per line"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    tags = forms.CharField(label=_("Tags, separated by commas"), max_length=400, required=False)


class PlaylistFields(TemplateForm):
    title = forms.CharField(label=_("Title"), max_length=160)
    description = forms.CharField(
        label=_("Description"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    estimated_hours = forms.IntegerField(
        label=_("Estimated hours"), min_value=1, max_value=1000, required=False
    )


class TemplateEditor:
    """The main form and the rows (a formset) of one kind of template."""

    def __init__(
        self, kind: str, data: Any = None, *, template: NetworkTemplate | None = None
    ) -> None:
        self.kind = kind
        payload: Any = template.payload if template is not None else None
        name = template.name if template is not None else ""
        if kind == NetworkTemplate.Kind.BADGE_CLASS:
            initial, rows = self._badge_initial(payload)
            self.form: TemplateForm = BadgeFields(data, initial={"name": name, **initial})
            self.rows: BaseFormSet[Any] = AlignmentRows(data, initial=rows, prefix="alignments")
        elif kind == NetworkTemplate.Kind.PLAYLIST:
            initial, rows = self._playlist_initial(payload)
            self.form = PlaylistFields(data, initial={"name": name, **initial})
            self.rows = StepRows(data, initial=rows, prefix="steps")
        else:
            self.form = TemplateForm(data, initial={"name": name})
            rows = [
                {"slug": item["slug"]}
                | {f"name_{code}": text for code, text in item["names"].items()}
                for item in payload or []
            ]
            self.rows = InterestRows(data, initial=rows, prefix="interests")

    @staticmethod
    def _badge_initial(payload: Any) -> tuple[dict[str, Any], list[dict[str, Any]]]:
        if not payload:
            return {}, []
        return {
            "badge_name": payload["name"],
            "description": payload["description"],
            "criteria_narrative": payload["criteria_narrative"],
            "criteria_requirements": "\n".join(payload["criteria_requirements"]),
            "tags": ", ".join(payload["tags"]),
        }, list(payload["alignments"])

    @staticmethod
    def _playlist_initial(payload: Any) -> tuple[dict[str, Any], list[dict[str, Any]]]:
        if not payload:
            return {}, []
        return {
            "title": payload["title"],
            "description": payload["description"],
            "estimated_hours": payload["estimated_hours"],
        }, list(payload["steps"])

    def is_valid(self) -> bool:
        valid = self.form.is_valid() & self.rows.is_valid()
        if valid and not self._filled_rows():
            self.form.add_error(None, self.empty_message())
            return False
        return valid

    @property
    def errors(self) -> bool:
        return bool(self.form.errors or self.rows.total_error_count())

    def empty_message(self) -> Any:
        if self.kind == NetworkTemplate.Kind.PLAYLIST:
            return _("Give the playlist between 1 and 50 steps.")
        if self.kind == NetworkTemplate.Kind.INTERESTS:
            return _("Give at least one interest a name.")
        return ""

    def _filled_rows(self) -> list[dict[str, Any]]:
        if self.kind == NetworkTemplate.Kind.BADGE_CLASS:
            return [{}]  # alignments are optional
        filled = []
        for row in self.rows.forms:
            data = getattr(row, "cleaned_data", None) or {}
            if self.kind == NetworkTemplate.Kind.PLAYLIST and data.get("title", "").strip():
                filled.append(data)
            elif (
                self.kind == NetworkTemplate.Kind.INTERESTS
                and isinstance(row, InterestRow)
                and row.names()
            ):
                filled.append({"slug": data.get("slug", ""), "names": row.names()})
        return filled

    def payload(self) -> Any:
        """The template's content from valid fields (the action checks it again)."""
        data = self.form.cleaned_data
        if self.kind == NetworkTemplate.Kind.BADGE_CLASS:
            alignments = [
                {k: row.cleaned_data[k] for k in ("framework", "name", "url")}
                for row in self.rows.forms
                if row.cleaned_data.get("framework")
            ]
            return {
                "name": data["badge_name"],
                "description": data["description"],
                "criteria_narrative": data["criteria_narrative"],
                "criteria_requirements": _lines(data["criteria_requirements"]),
                "tags": [t.strip() for t in data["tags"].split(",") if t.strip()],
                "alignments": alignments,
            }
        if self.kind == NetworkTemplate.Kind.PLAYLIST:
            return {
                "title": data["title"],
                "description": data["description"],
                "estimated_hours": data["estimated_hours"],
                "steps": [
                    {
                        "title": step["title"].strip(),
                        "instructions": step["instructions"],
                        "required": bool(step["required"]),
                    }
                    for step in self._filled_rows()
                ],
            }
        rows = self._filled_rows()
        items: list[dict[str, Any]] = []
        seen = {row["slug"] for row in rows if row["slug"]}
        for row in rows:
            names = row["names"]
            if row["slug"]:
                items.append({"slug": row["slug"], "names": names})
                continue
            name = names.get("en") or next(iter(names.values()))
            base = slugify(name).replace("_", "-")[:46] or "interest"
            slug, n = base, 2
            while slug in seen:
                slug = f"{base[:46]}-{n}"
                n += 1
            seen.add(slug)
            items.append({"slug": slug, "names": names})
        return items
