#!/usr/bin/env python
"""Django's command-line utility for the Cities of Learning platform."""

import os
import sys
from pathlib import Path


def main() -> None:
    # The project package lives in platform/ (a source root, never a package itself:
    # see tests/platform/test_stdlib_platform.py). Appended, not prepended, so the
    # stdlib keeps precedence.
    sys.path.append(str(Path(__file__).resolve().parent / "platform"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "learning_platform.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
