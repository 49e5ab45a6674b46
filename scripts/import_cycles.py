"""Print the app-level import graph and its cycles (strongly connected components).

An app is ``shared_apps.<x>`` / ``tenant_apps.<x>``, or a top-level package (``tenants``,
``learning_platform``). Every import counts, including imports inside functions and
``TYPE_CHECKING`` blocks, as import-linter sees them (grimp). ``make layers`` runs it;
``-v`` also prints each app's imports of other apps (number of module-level edges).
"""

from __future__ import annotations

import collections
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "platform"), str(ROOT)]

import grimp  # noqa: E402 - the source roots must be on the path first

ROOTS = ("learning_platform", "tenants", "shared_apps", "tenant_apps")


def app_of(module: str) -> str:
    parts = module.split(".")
    return ".".join(parts[:2]) if parts[0] in ("shared_apps", "tenant_apps") else parts[0]


def app_edges() -> tuple[list[str], dict[str, collections.Counter[str]]]:
    graph = grimp.build_graph(*ROOTS)
    edges: dict[str, collections.Counter[str]] = collections.defaultdict(collections.Counter)
    apps = sorted({app_of(module) for module in graph.modules})
    for module in graph.modules:
        for imported in graph.find_modules_directly_imported_by(module):
            if app_of(module) != app_of(imported):
                edges[app_of(module)][app_of(imported)] += 1
    return apps, edges


def cycles(apps: list[str], edges: dict[str, collections.Counter[str]]) -> list[list[str]]:
    """Tarjan's strongly connected components with more than one app, iteratively."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    for start in apps:
        if start in index:
            continue
        work = [(start, iter(sorted(edges[start])))]
        index[start] = low[start] = len(index)
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(edges[child]))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1:
                    found.append(sorted(component))
    return found


def main() -> int:
    apps, edges = app_edges()
    if "-v" in sys.argv:
        for app in apps:
            print(app, "->", dict(sorted(edges[app].items())))
    found = cycles(apps, edges)
    print(f"{len(apps)} packages; cycles: {len(found)}")
    for component in found:
        print(" cycle of", len(component), component)
    return 0


if __name__ == "__main__":
    sys.exit(main())
