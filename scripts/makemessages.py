#!/usr/bin/env python
"""Extract translatable strings into each app's own locale/ folder.

Each app owns its translations (fewer merge conflicts, apps stay self-contained).
Run with `make makemessages`; then translate the .po files. `make` compiles them.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "platform"), str(ROOT)]
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "learning_platform.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402

from shared_apps.core.locales import project_app_dirs  # noqa: E402

LANGUAGES = [code for code, _name in settings.LANGUAGES if code != "en"]


def main() -> None:
    # -P: the app folder we run in must not shadow modules (platform/learning_platform
    # holds celery.py and sentry.py).
    django_admin = [
        sys.executable,
        "-P",
        "-m",
        "django",
        "makemessages",
        "--no-obsolete",
        "--no-location",
    ]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT / "platform"), str(ROOT)])}
    for directory in project_app_dirs():
        (directory / "locale").mkdir(exist_ok=True)
        for domain in ("django", "djangojs"):
            if domain == "djangojs" and not any(directory.rglob("*.js")):
                continue
            args = [*django_admin, "-d", domain, "--ignore", "static/vendor/*"]
            for code in LANGUAGES:
                args += ["-l", code]
            subprocess.run(args, cwd=directory, check=True, env=env, stdout=subprocess.DEVNULL)
        print(f"makemessages: {directory.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
