"""`platform/` must never shadow the standard library's `platform` module."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_stdlib_platform_importable_from_repo_root() -> None:
    result = subprocess.run(
        [sys.executable, "-c", "import uuid, platform; print(platform.system())"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "Linux"


def test_manage_py_starts_from_repo_root() -> None:
    # manage.py puts platform/ on sys.path; Django imports uuid, which imports platform.
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "CRITICAL"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr


def test_platform_folder_is_not_a_package() -> None:
    assert not (ROOT / "platform" / "__init__.py").exists()
