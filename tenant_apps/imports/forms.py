"""Forms of the import pages."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from tenant_apps.imports.models import Kind
from tenant_apps.imports.readers import MAX_FILE_BYTES
from tenant_apps.imports.rows import Target


class UploadForm(forms.Form):
    file = forms.FileField(
        label=_("File"),
        help_text=_("CSV, XLSX or JSON (the site's API shape), up to %(mb)s MB.")
        % {"mb": MAX_FILE_BYTES // 2**20},
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx,.json"}),
    )
    kind = forms.ChoiceField(
        label=_("What the file holds"),
        choices=[(Kind.ACTIVITIES.value, _("Activities")), (Kind.PROVIDERS.value, _("Providers"))],
    )
    source = forms.SlugField(
        label=_("Source"),
        max_length=40,
        initial="import",
        help_text=_(
            "A short name of where the file comes from. Importing again from the same "
            "source updates the rows with the same external id."
        ),
    )


class MappingForm(forms.Form):
    """One choice per file column: the field it fills, or nothing."""

    def __init__(
        self,
        data: Any = None,
        *,
        columns: Sequence[str],
        targets: Sequence[Target],
        initial_columns: Mapping[str, str],
    ) -> None:
        super().__init__(data)
        self.file_columns = [c for c in columns if c]
        choices = [("", _("— not imported —")), *((t.name, t.label) for t in targets)]
        for index, column in enumerate(self.file_columns):
            self.fields[f"col_{index}"] = forms.ChoiceField(
                label=column,
                choices=choices,
                required=False,
                initial=initial_columns.get(column, ""),
            )

    def chosen(self) -> dict[str, str]:
        return {
            column: self.cleaned_data.get(f"col_{index}") or ""
            for index, column in enumerate(self.file_columns)
        }
