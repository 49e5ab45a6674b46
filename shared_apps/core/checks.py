"""Startup refuses a configuration that would fail silently (settings.MISSING_SETTINGS).

Registered as a system check (manage.py commands, `check --deploy` in release.sh) and
run at the start of every gunicorn worker (deploy/gunicorn.conf.py) and of Celery's
worker and beat (shared_apps.ops.celery_app), which Django's checks do not cover.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core import checks
from django.core.exceptions import ImproperlyConfigured

TAG = "configuration"

WHY = {
    "SECRET_KEY": "sessions, password-reset links and signed cookies depend on it",
    "BADGES_KEY_SECRET": (
        "every issuer's signing key is encrypted with it: a generated one is lost with the "
        "machine and no badge can be signed again"
    ),
    "DATABASE_URL": "the default points at a local development cluster",
    "REDIS_URL": "without it tasks run inside web requests and the cache is per process",
    "PLATFORM_DOMAIN": "hosts are matched against it; the default is localhost",
    "EMAIL_BACKEND": "the default prints emails to the console instead of sending them",
}


@checks.register(TAG)
def required_settings(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    if settings.LOCAL_DEFAULTS:
        return []
    return [
        checks.Error(
            f"{name} is not set ({WHY.get(name, 'required in production')}).",
            hint=(
                "Set it in the environment (deploy/env.example). For a local run on "
                "generated keys and in-process tasks, set LOCAL_DEFAULTS=1 (or DEBUG=1)."
            ),
            id="core.E001",
        )
        for name in settings.MISSING_SETTINGS
    ]


def refuse_incomplete_configuration() -> None:
    """Raise ImproperlyConfigured naming every missing setting (process start)."""
    errors = required_settings()
    if errors:
        raise ImproperlyConfigured(
            "Refusing to start: " + " ".join(f"{error.msg} {error.hint}" for error in errors)
        )
