"""deploy/gunicorn.conf.py's worker hook: once the application is loaded, its objects
leave the garbage collector's generations (gc.freeze), so full collections during
large responses no longer walk every module, class and URL pattern."""

from __future__ import annotations

import gc
import runpy

import pytest

from shared_apps.core import checks
from tests.servers import ROOT


def test_a_booted_worker_freezes_the_loaded_application(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    conf = runpy.run_path(str(ROOT / "deploy/gunicorn.conf.py"))
    # The configuration check is the hook's other half (tested with a real gunicorn in
    # tests/shared_apps/core/test_checks.py); here the settings are the test ones.
    monkeypatch.setattr(checks, "refuse_incomplete_configuration", lambda: None)
    gc.unfreeze()
    assert gc.get_freeze_count() == 0
    try:
        conf["post_worker_init"](object())
        assert gc.get_freeze_count() > 10_000  # Django and the project, loaded
    finally:
        gc.unfreeze()
