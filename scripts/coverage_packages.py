"""Print the line coverage of each package (an app, tenants, the platform) and the total,
from the data `make coverage` collected (.data/coverage)."""

from __future__ import annotations

import sys
from collections import defaultdict
from pathlib import Path

import coverage

ROOT = Path(__file__).resolve().parents[1]


def package_of(path: Path) -> str:
    parts = path.relative_to(ROOT).parts
    if parts[0] in ("shared_apps", "tenant_apps") and len(parts) > 2:
        return f"{parts[0]}.{parts[1]}"
    return "learning_platform" if parts[0] == "platform" else parts[0]


def main() -> int:
    cov = coverage.Coverage(data_file=str(ROOT / ".data" / "coverage"))
    cov.load()
    statements: dict[str, int] = defaultdict(int)
    missing: dict[str, int] = defaultdict(int)
    for name in cov.get_data().measured_files():
        path = Path(name)
        if ROOT not in path.parents:
            continue
        _file, lines, _excluded, missed, _text = cov.analysis2(name)
        package = package_of(path)
        statements[package] += len(lines)
        missing[package] += len(missed)
    for package in sorted(statements):
        covered = statements[package] - missing[package]
        percent = 100 * covered / statements[package] if statements[package] else 100.0
        print(f"{package:34} {statements[package]:6} statements {percent:5.1f}%")
    total = sum(statements.values())
    if not total:
        print("no coverage data: run `make coverage`")
        return 1
    covered = total - sum(missing.values())
    print(f"{'TOTAL':34} {total:6} statements {100 * covered / total:5.1f}%")
    return 0


if __name__ == "__main__":
    sys.exit(main())
