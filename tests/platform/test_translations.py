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
from django.conf import settings

from shared_apps.core.locales import project_app_dirs

ROOT = Path(__file__).resolve().parents[2]
SHIPPED = [code for code in settings.COMPLETE_LANGUAGES if code != "en"]


EXTRACT = """
import json, os, sys
import django
django.setup()
from django.core.management import call_command
result = {}
for copy in sys.argv[1:]:
    os.chdir(copy)
    call_command("makemessages", locale=["lt"], no_location=True, verbosity=0)
    result[copy] = os.path.exists("locale/lt/LC_MESSAGES/django.po")
print(json.dumps(result))
"""


@pytest.fixture(scope="session")
def extracted(tmp_path_factory: pytest.TempPathFactory) -> dict[Path, set[str]]:
    """msgids extracted afresh from every app, in one process (one Django start)."""
    scratch = tmp_path_factory.mktemp("messages")
    copies = {}
    for app_dir in project_app_dirs():
        copy = scratch / app_dir.name
        ignore = shutil.ignore_patterns("locale", "vendor", "__pycache__", "*.mo")
        shutil.copytree(app_dir, copy, ignore=ignore)
        (copy / "locale").mkdir()
        copies[app_dir] = copy
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT / "platform"), str(ROOT)])}
    subprocess.run(
        [sys.executable, "-P", "-c", EXTRACT, *map(str, copies.values())],
        env=env,
        check=True,
        capture_output=True,
    )
    result = {}
    for app_dir, copy in copies.items():
        catalogue = copy / "locale" / "lt" / "LC_MESSAGES" / "django.po"
        result[app_dir] = (
            {entry.msgid for entry in polib.pofile(str(catalogue)) if entry.msgid}
            if catalogue.exists()
            else set()
        )
    return result


@pytest.mark.parametrize("app_dir", project_app_dirs(), ids=lambda path: path.name)
def test_catalogues_are_current_and_complete(
    app_dir: Path, extracted: dict[Path, set[str]]
) -> None:
    expected = extracted[app_dir]
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
    for app_dir in project_app_dirs():
        for po in (app_dir / "locale").glob("*/LC_MESSAGES/django.po"):
            result = subprocess.run(
                ["msgfmt", "--check-format", "-o", os.devnull, str(po)],
                capture_output=True,
                text=True,
                check=False,
            )
            assert result.returncode == 0, result.stderr
