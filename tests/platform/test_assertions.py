"""A test that only checks what a response does NOT contain also passes on an error page
or the wrong page: each such test also checks something positive (a status, a marker
that proves it is the right page, `assertContains`...).

The check is a heuristic over the tests' syntax (per test function), cheap enough to run
always; it found five such tests when it was written (issue 19), all strengthened.
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# Words of an expression that stands for a response or what it rendered.
RESPONSE_WORDS = (
    "content",
    ".text",
    "html",
    "page",
    "response",
    ".json(",
    "rendered",
    "cookies",
    "headers",
)
POSITIVE_CALLS = (
    "assertContains",
    "assertRedirects",
    "assertTemplateUsed",
    "to_have_text",
    "to_be_visible",
    "to_have_count",
    "to_have_url",
    "wait_for_url",
)


def _about_a_response(node: ast.expr, text: str, bound: set[str]) -> bool:
    # A name bound to a response, or an expression using one (first["items"], len(body)).
    # `body` only as a name: an email's `.body` is not a response.
    names = {n.id for n in ast.walk(node) if isinstance(n, ast.Name)}
    if names & (bound | {"body"}):
        return True
    source = ast.get_source_segment(text, node) or ""
    return any(word in source for word in RESPONSE_WORDS)


def absence_only_tests(text: str) -> list[tuple[str, int]]:
    """(test name, line) of the test functions whose every check of a response is a
    `not in` / `assertNotContains`."""
    found = []
    for function in ast.walk(ast.parse(text)):
        if not isinstance(function, ast.FunctionDef) or not function.name.startswith("test"):
            continue
        # Names bound to a response or to what it rendered (body = response.content...).
        bound = {
            target.id
            for node in ast.walk(function)
            if isinstance(node, ast.Assign) and _about_a_response(node.value, text, set())
            for target in node.targets
            if isinstance(target, ast.Name)
        }
        absent: list[int] = []
        positive = False
        for node in ast.walk(function):
            if isinstance(node, ast.Call):
                name = ast.get_source_segment(text, node.func) or ""
                if name.endswith("assertNotContains"):
                    absent.append(node.lineno)
                positive = positive or name.endswith(POSITIVE_CALLS)
            if not isinstance(node, ast.Assert):
                continue
            for compare in (n for n in ast.walk(node.test) if isinstance(n, ast.Compare)):
                for op, right in zip(compare.ops, compare.comparators, strict=True):
                    left_source = ast.get_source_segment(text, compare.left) or ""
                    about = _about_a_response(right, text, bound) or _about_a_response(
                        compare.left, text, bound
                    )
                    if isinstance(op, ast.NotIn) and _about_a_response(right, text, bound):
                        absent.append(node.lineno)
                    elif (isinstance(op, ast.In | ast.Eq) and about) or "status" in left_source:
                        positive = True
        if absent and not positive:
            found.append((function.name, min(absent)))
    return found


def test_the_check_tells_absence_only_from_a_positive_check():
    weak = (
        "def test_weak(client):\n"
        "    body = client.get('/').content.decode()\n"
        "    assert 'secret' not in body\n"
    )
    strong = weak + "    assert 'Welcome' in body\n"
    with_status = (
        "def test_status(client):\n"
        "    response = client.get('/')\n"
        "    assert response.status_code == 200\n"
        "    self.assertNotContains(response, 'secret')\n"
    )
    assert absence_only_tests(weak) == [("test_weak", 3)]
    assert absence_only_tests(strong) == []
    assert absence_only_tests(with_status) == []
    subscripted = (
        "def test_json(client):\n"
        "    first = client.get('/api/').json()\n"
        "    assert first['items'] == []\n"
        "    assert 'secret' not in first\n"
    )
    assert absence_only_tests(subscripted) == []


def test_no_test_checks_only_what_a_response_lacks():
    found = [
        f"{path.relative_to(ROOT)}::{name} (line {line})"
        for path in sorted((ROOT / "tests").rglob("test_*.py"))
        for name, line in absence_only_tests(path.read_text(encoding="utf-8"))
    ]
    assert found == [], (
        "these tests only check what a response does NOT contain, which an error page "
        "also passes: add a positive check of the same response (status 200 and a "
        "marker of the right page)"
    )
