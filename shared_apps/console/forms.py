from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from shared_apps.console.actions import TRANSITIONS

TRANSITION_LABELS = {
    "approve": _("Approve the pilot (active)"),
    "suspend": _("Suspend"),
    "reactivate": _("Reactivate"),
    "archive": _("Archive"),
}


class LifecycleForm(forms.Form):
    transition = forms.ChoiceField(label=_("Change"))
    reason = forms.CharField(
        label=_("Reason"), max_length=300, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: object, available: list[str], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["transition"].choices = [  # type: ignore[attr-defined]
            (key, TRANSITION_LABELS[key]) for key in TRANSITIONS if key in available
        ]


class EntryForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=300)


class AuditFilterForm(forms.Form):
    territory = forms.ChoiceField(label=_("Territory"), required=False)
    action = forms.CharField(label=_("Action"), required=False, max_length=80)

    def __init__(self, *args: object, territories: list[tuple[str, str]], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["territory"].choices = [("", _("All")), *territories]  # type: ignore[attr-defined]
