"""axe-core (npm, package.json devDependencies) run in the page under test."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

from playwright.sync_api import Page

ROOT = Path(__file__).resolve().parents[2]
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
# WCAG 2.2 AA: axe tags its rules by the success criteria's level and version.
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


@cache
def axe_source() -> str:
    return AXE.read_text()


def audit(page: Page) -> list[dict[str, Any]]:
    """The WCAG 2.2 AA violations axe finds in the page as it is now."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.add_script_tag(content=axe_source())
    result: dict[str, Any] = page.evaluate(
        """tags => axe.run(document, {
            runOnly: {type: "tag", values: tags}, resultTypes: ["violations"], iframes: false
        })""",
        WCAG_TAGS,
    )
    violations: list[dict[str, Any]] = result["violations"]
    return violations


def describe(page_name: str, violations: list[dict[str, Any]]) -> list[str]:
    """One line per violation and element, to read in a failing test's output."""
    lines = []
    for violation in violations:
        for node in violation["nodes"][:5]:
            lines.append(
                f"{page_name}: {violation['id']} ({violation['impact']}) at "
                f"{' '.join(map(str, node['target']))}: {node['failureSummary']}".replace("\n", " ")
            )
    return lines
