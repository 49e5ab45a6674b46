"""Every string the UI can show is translated in every language we ship as complete.

For each of our apps, the strings are extracted afresh from the code (makemessages in
a scratch copy), so the test fails both when a catalogue is stale (someone forgot
`make makemessages`) and when a string is left untranslated.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest
from django.apps import apps
from django.conf import settings

ROOT = Path(__file__).resolve().parents[2]
SHIPPED = [code for code in settings.COMPLETE_LANGUAGES if code != "en"]


def our_app_dirs() -> list[Path]:
    dirs = [
        Path(config.path)
        for config in apps.get_app_configs()
        if Path(config.path).is_relative_to(ROOT)
        and not Path(config.path).is_relative_to(ROOT / ".venv")
    ]
    return [*dirs, ROOT / "platform" / "learning_platform"]


def extracted_msgids(app_dir: Path, scratch: Path) -> set[str]:
    copy = scratch / app_dir.name
    shutil.copytree(
        app_dir, copy, ignore=shutil.ignore_patterns("locale", "vendor", "__pycache__", "*.mo")
    )
    (copy / "locale").mkdir()
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT / "platform"), str(ROOT)])}
    subprocess.run(
        [sys.executable, "-P", "-m", "django", "makemessages", "-l", "lt", "--no-location"],
        cwd=copy,
        env=env,
        check=True,
        capture_output=True,
    )
    catalogue = copy / "locale" / "lt" / "LC_MESSAGES" / "django.po"
    if not catalogue.exists():
        return set()
    return {entry.msgid for entry in polib.pofile(str(catalogue)) if entry.msgid}


@pytest.mark.parametrize("app_dir", our_app_dirs(), ids=lambda path: path.name)
def test_catalogues_are_current_and_complete(app_dir: Path, tmp_path: Path) -> None:
    expected = extracted_msgids(app_dir, tmp_path)
    problems = []
    for language in SHIPPED:
        path = app_dir / "locale" / language / "LC_MESSAGES" / "django.po"
        if not path.exists():
            if expected:
                problems.append(f"{language}: no catalogue at {path.relative_to(ROOT)}")
            continue
        translated = {
            entry.msgid
            for entry in polib.pofile(str(path))
            if entry.translated() and "fuzzy" not in entry.flags and not entry.obsolete
        }
        missing = sorted(expected - translated)
        if missing:
            problems.append(f"{language}: {len(missing)} untranslated, e.g. {missing[:3]}")
    assert not problems, (
        f"{app_dir.relative_to(ROOT)} (run `make makemessages`, then translate):\n"
        + "\n".join(problems)
    )


def test_placeholders_survive_translation() -> None:
    """msgfmt --check-format: a translation that drops %(name)s would crash at runtime."""
    for app_dir in our_app_dirs():
        for po in (app_dir / "locale").glob("*/LC_MESSAGES/django.po"):
            result = subprocess.run(
                ["msgfmt", "--check-format", "-o", os.devnull, str(po)],
                capture_output=True,
                text=True,
                check=False,
            )
            assert result.returncode == 0, result.stderr
