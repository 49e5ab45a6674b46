"""A test that only checks what a response does NOT contain also passes on an error page
or the wrong page: each such test also checks something positive (a status, a marker
that proves it is the right page, `assertContains`...).

The check is a heuristic over the tests' syntax (per test function), cheap enough to run
always; it found five such tests when it was written (issue 19), all strengthened.
"""

from __future__ import annotations

import ast
import inspect
import re
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


class Source:
    """A file's text with ``segment(node)``: what ``ast.get_source_segment`` returns,
    without splitting the whole file into lines again at every call (that made the scan
    of all the tests take ~18 s of CPU; the lines are split once here, and each node's
    segment is computed once)."""

    def __init__(self, text: str) -> None:
        # The line ends ast itself counts (not str.splitlines(): it also splits at
        # form feeds and other separators that are not line ends to the parser).
        self.lines = re.split(r"(?<=\r\n)|(?<=\r)(?!\n)|(?<=\n)", text)
        self._segments: dict[int, str] = {}
        self._keep: list[ast.AST] = []  # keeps the ids above from being reused

    def segment(self, node: ast.AST) -> str:
        key = id(node)
        if key not in self._segments:
            self._keep.append(node)
            self._segments[key] = self._segment(node)
        return self._segments[key]

    def _segment(self, node: ast.AST) -> str:
        try:
            if node.end_lineno is None or node.end_col_offset is None:  # type: ignore[attr-defined]
                return ""
            first, last = node.lineno - 1, node.end_lineno - 1  # type: ignore[attr-defined]
            start, end = node.col_offset, node.end_col_offset  # type: ignore[attr-defined]
        except AttributeError:
            return ""
        # Column offsets count UTF-8 bytes.
        if first == last:
            return self.lines[first].encode()[start:end].decode()
        head = self.lines[first].encode()[start:].decode()
        tail = self.lines[last].encode()[:end].decode()
        return "".join([head, *self.lines[first + 1 : last], tail])


def _about_a_response(node: ast.expr, source: Source, bound: set[str]) -> bool:
    # A name bound to a response, or an expression using one (first["items"], len(body)).
    # `body` only as a name: an email's `.body` is not a response.
    names = {n.id for n in ast.walk(node) if isinstance(n, ast.Name)}
    if names & (bound | {"body"}):
        return True
    return any(word in source.segment(node) for word in RESPONSE_WORDS)


def absence_only_tests(text: str) -> list[tuple[str, int]]:
    """(test name, line) of the test functions whose every check of a response is a
    `not in` / `assertNotContains`."""
    found = []
    source = Source(text)
    for function in ast.walk(ast.parse(text)):
        if not isinstance(function, ast.FunctionDef) or not function.name.startswith("test"):
            continue
        # Names bound to a response or to what it rendered (body = response.content...).
        bound = {
            target.id
            for node in ast.walk(function)
            if isinstance(node, ast.Assign) and _about_a_response(node.value, source, set())
            for target in node.targets
            if isinstance(target, ast.Name)
        }
        absent: list[int] = []
        positive = False
        for node in ast.walk(function):
            if isinstance(node, ast.Call):
                name = source.segment(node.func)
                if name.endswith("assertNotContains"):
                    absent.append(node.lineno)
                positive = positive or name.endswith(POSITIVE_CALLS)
            if not isinstance(node, ast.Assert):
                continue
            for compare in (n for n in ast.walk(node.test) if isinstance(n, ast.Compare)):
                for op, right in zip(compare.ops, compare.comparators, strict=True):
                    left_source = source.segment(compare.left)
                    about = _about_a_response(right, source, bound) or _about_a_response(
                        compare.left, source, bound
                    )
                    if isinstance(op, ast.NotIn) and _about_a_response(right, source, bound):
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


def test_the_segments_are_those_of_ast():
    """Source.segment() stands in for ast.get_source_segment(): the same text for every
    node, across line ends of every kind, non-ASCII text and multi-line expressions."""
    samples = [
        "def test_x(client):\r\n    body = client.get('/ä').content\r\n"
        "    assert 'ž' not in (\r\n        body\r\n    )\r\n",
        "x = 'é'\rdef f():\r    return (1 +\r        2)\n# \x0c form feed\ny = {'ü': [\n  3]}\n",
        # Real code (a part: ast.get_source_segment() is the slow thing replaced).
        inspect.getsource(Source),
    ]
    for text in samples:
        source = Source(text)
        nodes = [n for n in ast.walk(ast.parse(text)) if hasattr(n, "end_col_offset")]
        assert len(nodes) > 10
        for node in nodes:
            assert source.segment(node) == (ast.get_source_segment(text, node) or "")
