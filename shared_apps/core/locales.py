"""Where this project's translation catalogues live (each app owns its locale/)."""

from __future__ import annotations

from pathlib import Path

from django.apps import apps
from django.conf import settings

ROOT = Path(settings.BASE_DIR)


def project_app_dirs() -> list[Path]:
    """Our apps (not third-party ones in the virtualenv), plus the project package
    whose settings hold strings such as the language names."""
    venv = ROOT / ".venv"
    ours = [
        Path(config.path)
        for config in apps.get_app_configs()
        if Path(config.path).is_relative_to(ROOT) and not Path(config.path).is_relative_to(venv)
    ]
    return [*ours, ROOT / "platform" / "learning_platform"]
