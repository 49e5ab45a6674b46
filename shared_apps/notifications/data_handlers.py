"""What the notifications app holds about a person (data export and deletion)."""

from __future__ import annotations

from typing import Any

from shared_apps.notifications.models import Notification, Preference


def export(user: Any) -> dict[str, Any]:
    return {
        "notifications": [
            {
                "kind": kind,
                "territory": slug or "",
                "about": params,
                "created_at": created.isoformat(),
                "read_at": read.isoformat() if read else None,
            }
            for kind, slug, params, created, read in Notification.objects.filter(user_id=user.pk)
            .order_by("created_at")
            .values_list("kind", "territory__slug", "params", "created_at", "read_at")
        ],
        "turned_off": [
            {"kind": kind, "email": email, "in_app": in_app}
            for kind, email, in_app in Preference.objects.filter(user_id=user.pk).values_list(
                "kind", "email", "in_app"
            )
        ],
    }


def erase(user: Any) -> None:
    Notification.objects.filter(user_id=user.pk).delete()
    Preference.objects.filter(user_id=user.pk).delete()
