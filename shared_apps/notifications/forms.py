"""Which kinds a person gets, by email and in the app (one checkbox pair per kind)."""

from __future__ import annotations

from typing import Any

from django import forms

from shared_apps.notifications.kinds import KINDS


def _field(kind: str, channel: str) -> str:
    return f"{kind}__{channel}"


class PreferencesForm(forms.Form):
    def __init__(
        self, *args: Any, initial_choices: dict[str, tuple[bool, bool]] | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.rows = []
        for key, kind in KINDS.items():
            email, in_app = (initial_choices or {}).get(key, (True, True))
            for channel, value in (("email", email), ("in_app", in_app)):
                self.fields[_field(key, channel)] = forms.BooleanField(
                    required=False,
                    initial=value,
                    disabled=not kind.optional,
                    label=str(kind.label),
                )
            self.rows.append(
                {
                    "kind": kind,
                    "email": self[_field(key, "email")],
                    "in_app": self[_field(key, "in_app")],
                }
            )

    def choices(self) -> dict[str, tuple[bool, bool]]:
        data = getattr(self, "cleaned_data", {})
        return {
            key: (bool(data.get(_field(key, "email"))), bool(data.get(_field(key, "in_app"))))
            for key, kind in KINDS.items()
            if kind.optional
        }
