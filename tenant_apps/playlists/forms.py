"""Forms of the playlist pages. They check input and give field errors; the rules
(locked steps, N of M) are the actions'. Evidence and its review use the shared
forms of ``tenant_apps.evidence.forms``."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.core.files.base import File
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from shared_apps.core.uploads import COVER_RULES, clean_image
from tenant_apps.badges.models import BadgeClass
from tenant_apps.catalogue.models import Activity, Interest
from tenant_apps.playlists.models import Playlist, Step


class PlaylistForm(forms.ModelForm):
    cover = forms.ImageField(label=_("Cover image"), required=False)
    remove_cover = forms.BooleanField(label=_("Remove the cover image"), required=False)

    class Meta:
        model = Playlist
        fields = [
            "title",
            "description",
            "interests",
            "is_ordered",
            "min_optional",
            "starts_on",
            "ends_on",
            "estimated_hours",
            "badge_class",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 4}),
            "interests": forms.CheckboxSelectMultiple,
            "starts_on": forms.DateInput(attrs={"type": "date"}),
            "ends_on": forms.DateInput(attrs={"type": "date"}),
        }

    def __init__(
        self,
        *args: Any,
        personal: bool = False,
        badges: QuerySet[BadgeClass] | None = None,
        **kwargs: Any,
    ) -> None:
        """``badges``: the completion badges this account may attach (the territory
        admin: any; provider staff: their providers' own)."""
        super().__init__(*args, **kwargs)
        interests = cast(forms.ModelMultipleChoiceField, self.fields["interests"])
        interests.queryset = Interest.objects.filter(is_active=True).order_by("position", "slug")
        if personal:
            del self.fields["badge_class"]
        else:
            badge = cast(forms.ModelChoiceField, self.fields["badge_class"])
            badge.queryset = (badges if badges is not None else BadgeClass.objects.none()).filter(
                is_archived=False
            )

    def clean_cover(self) -> File[bytes] | None:
        upload = self.cleaned_data.get("cover")
        return clean_image(upload, COVER_RULES) if upload else None

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        starts, ends = data.get("starts_on"), data.get("ends_on")
        if starts and ends and starts > ends:
            self.add_error("ends_on", _("The end date is before the start date."))
        return data


class StepForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of step"), choices=Step.Kind.choices)
    activity = forms.ModelChoiceField(
        label=_("Activity"), queryset=Activity.objects.none(), required=False
    )
    remote_territory = forms.SlugField(label=_("Other city (address)"), required=False)
    remote_activity_id = forms.IntegerField(
        label=_("Activity number there"), required=False, min_value=1
    )
    title = forms.CharField(label=_("Title"), max_length=160, required=False)
    instructions = forms.CharField(
        label=_("Instructions"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    is_required = forms.BooleanField(label=_("Required"), required=False, initial=True)
    completion = forms.ChoiceField(
        label=_("Completed by"), choices=Step.Completion.choices, initial="evidence"
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        activity = cast(forms.ModelChoiceField, self.fields["activity"])
        activity.queryset = Activity.objects.filter(is_public=True).order_by("title", "id")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        kind = data.get("kind")
        if kind == Step.Kind.ACTIVITY and not data.get("activity"):
            self.add_error("activity", _("Choose an activity."))
        if kind == Step.Kind.REMOTE:
            if not data.get("remote_territory"):
                self.add_error("remote_territory", _("Give the city and the activity number."))
            if not data.get("remote_activity_id"):
                self.add_error("remote_activity_id", _("Give the city and the activity number."))
        if kind == Step.Kind.CHALLENGE and not (data.get("title") or "").strip():
            self.add_error("title", _("Give the challenge a title."))
        return data


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )
