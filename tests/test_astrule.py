"""The `ast` tier: rules on the stdlib `ast` tree share the engine's positions, noqa and order."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from cfw_lint import engine
from cfw_lint.astrule import AstRule
from cfw_lint.diagnostics import Severity
from cfw_lint.engine import lint_python
from cfw_lint.profile import default_profile
from cfw_lint.rule import FileContext


class CallsBoom(AstRule):
    code = "CFW999"
    name = "calls-boom"
    severity = Severity.ERROR
    triggers = ("boom",)

    def check(self) -> None:
        for node in ast.walk(self.tree):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "boom":
                self.report(node, "boom() called")


@pytest.fixture(autouse=True)
def _prefilters_as_released(monkeypatch: pytest.MonkeyPatch) -> None:
    # these tests check the pre-filters themselves (CFW_LINT_CHECK_PREFILTERS=1 runs every rule)
    monkeypatch.setattr(engine, "CHECK_PREFILTERS", False)


def _lint(text: str, rules=(CallsBoom,)):
    context = FileContext(path="m.py", abspath=Path("/p/m.py"), profile=default_profile(), is_main=None)
    return lint_python(text, context, list(rules))


def _spans(result):
    return [(d.code, d.start.line, d.start.column, d.end.line, d.end.column) for d in result.diagnostics]


def test_positions_are_character_columns() -> None:
    text = 'x = "héllo"; boom(1)\nboom(\n  2)\n'
    assert _spans(_lint(text)) == [("CFW999", 1, 14, 1, 21), ("CFW999", 2, 1, 3, 5)]


def test_noqa_suppresses_and_is_counted_as_used() -> None:
    result = _lint("boom()  # noqa: CFW999\nboom()  # noqa: CFW123\n")
    assert _spans(result) == [("CFW999", 2, 1, 2, 7)]
    assert result.noqa_used == [(1, "CFW999")]


def test_prefilter_keeps_the_rule_off_files_without_the_trigger() -> None:
    calls = []

    class Counting(CallsBoom):
        def check(self) -> None:
            calls.append(1)

    _lint("print(1)\n", (Counting,))
    assert calls == []
    _lint("boom\n", (Counting,))
    assert calls == [1]


def test_check_mode_fails_on_a_report_the_prefilter_ruled_out(monkeypatch: pytest.MonkeyPatch) -> None:
    class Lying(CallsBoom):
        triggers = ("never-there",)

    assert _spans(_lint("boom()\n", (Lying,))) == []
    monkeypatch.setattr(engine, "CHECK_PREFILTERS", True)
    with pytest.raises(engine.PrefilterMissed, match="CFW999"):
        _lint("boom()\n", (Lying,))


def test_file_python_cannot_parse_gets_a_syntax_error_not_ast_findings() -> None:
    result = _lint("boom(\n")
    assert [d.code for d in result.diagnostics] == ["CFW001"]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("x = 1\nreturn x\n", "'return' outside function"),
        ("def f():\n    from os import *\n", "import * only allowed at module level"),
        ("nonlocal x\n", "nonlocal declaration not allowed at module level"),
    ],
)
def test_compiler_errors_are_reported_where_no_rule_runs(text: str, message: str) -> None:
    # `ast` accepts these; CPython's compiler does not, and the file never reaches LibCST
    result = _lint(text, ())
    assert [(d.code, d.message) for d in result.diagnostics] == [("CFW001", f"SyntaxError: {message}")]
    assert [d.code for d in _lint("boom()\n" + text).diagnostics] == ["CFW001"]
