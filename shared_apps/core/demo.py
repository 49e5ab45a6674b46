"""Registry of demo-data steps, so each app loads its own part of the demo network.

`python manage.py load_demo` provisions the demo territories and users, then runs the
registered steps in order: network steps once in the public schema, territory steps
once per demo territory inside its schema. Every step must be idempotent: `make run`
calls load_demo on every start.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal

Scope = Literal["network", "territory"]


@dataclass(frozen=True)
class DemoStep:
    name: str
    order: int
    scope: Scope
    run: Callable[..., Any]


_steps: dict[str, DemoStep] = {}


def demo_step(
    *, order: int, scope: Scope = "territory"
) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Register a demo loader.

    Territory steps are called as ``run(territory, users)`` inside the territory's
    schema, network steps as ``run(territories, users)`` in the public schema, where
    ``users`` maps the README's demo roles to User objects.
    """

    def register(func: Callable[..., Any]) -> Callable[..., Any]:
        name = f"{func.__module__}.{func.__qualname__}"
        _steps[name] = DemoStep(name=name, order=order, scope=scope, run=func)
        return func

    return register


def registered_steps() -> list[DemoStep]:
    return sorted(_steps.values(), key=lambda step: (step.order, step.name))
