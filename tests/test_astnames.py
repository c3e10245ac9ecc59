"""AstNames answers what the LibCST helpers answer (the `ast` tier's acceptance test).

For every Name, Attribute and Call (and its callee) the ast tree and the LibCST tree share, by
position, compare: qualified_names, callee, is_builtin, runs_at_import_time, enclosing_functions
and the number of bindings a name has. `python tests/test_astnames.py DIR...` runs the same
comparison over a directory (the stdlib, say) and prints the counts.
"""

from __future__ import annotations

import ast
import sys
import textwrap
from pathlib import Path
from typing import Any

import libcst as cst
import pytest
from libcst.metadata import MetadataWrapper, PositionProvider, ScopeProvider

from cfw_lint.analysis import capabilities, names
from cfw_lint.analysis.astnames import AstNames, dotted_name

ROOT = Path(__file__).resolve().parent.parent


class _Rule:
    """What names.py needs from a rule: `get_metadata`."""

    def __init__(self, wrapper: MetadataWrapper) -> None:
        self.meta = wrapper.resolve_many([ScopeProvider, PositionProvider])

    def get_metadata(self, provider: Any, node: cst.CSTNode, default: Any = None) -> Any:
        return self.meta[provider].get(node, default)


def _char_col(line_text: str, byte_col: int) -> int:
    return len(line_text.encode("utf-8")[:byte_col].decode("utf-8", errors="ignore"))


def _function_key(node: Any) -> str:
    if isinstance(node, (cst.FunctionDef, ast.FunctionDef, ast.AsyncFunctionDef)):
        return node.name.value if isinstance(node, cst.FunctionDef) else node.name
    return "<lambda>"


def _cst_bindings(rule: _Rule, node: cst.Name) -> int | None:
    scope = rule.get_metadata(ScopeProvider, node)
    if scope is None:
        return None
    found = scope[node.value]
    return sum(1 for a in found if getattr(a, "node", None) is not None)


def compare(text: str) -> tuple[int, list[str]]:
    """(nodes compared, mismatch descriptions) for one module's text."""
    try:
        tree = ast.parse(text)
        module = cst.parse_module(text)
    except (SyntaxError, cst.ParserSyntaxError, ValueError, RecursionError):
        return 0, []
    rule = _Rule(MetadataWrapper(module, unsafe_skip_copy=True))
    positions = rule.meta[PositionProvider]
    by_position: dict[tuple[Any, ...], cst.CSTNode] = {}
    for node, pos in positions.items():
        if isinstance(node, (cst.Name, cst.Attribute, cst.Call)):
            key = (type(node).__name__, pos.start.line, pos.start.column, pos.end.line, pos.end.column)
            by_position.setdefault(key, node)
    lines = text.splitlines(keepends=True) + [""]
    astnames = AstNames(tree)
    compared = 0
    problems: list[str] = []
    for node in ast.walk(tree):
        if not isinstance(node, (ast.Name, ast.Attribute, ast.Call)):
            continue
        start = _char_col(lines[node.lineno - 1], node.col_offset)
        end = _char_col(lines[node.end_lineno - 1], node.end_col_offset)  # type: ignore[index]
        key = (type(node).__name__, node.lineno, start, node.end_lineno, end)
        other = by_position.get(key)
        if other is None:
            continue
        compared += 1
        where = f"{node.lineno}:{start} {ast.unparse(node)[:60]!r}"
        got: dict[str, Any] = {}
        want: dict[str, Any] = {}
        got["qualified_names"] = astnames.qualified_names(node)
        want["qualified_names"] = names.qualified_names(rule, other)
        got["runs_at_import_time"] = astnames.runs_at_import_time(node)
        want["runs_at_import_time"] = names.runs_at_import_time(rule, other)
        got["enclosing"] = [_function_key(f) for f in astnames.enclosing_functions(node)]
        want["enclosing"] = [_function_key(f) for f in names.enclosing_functions(rule, other)]
        if isinstance(node, ast.Call):
            got["callee"] = astnames.callee(node.func)
            want["callee"] = capabilities.callee(rule, other.func)  # type: ignore[attr-defined]
        if isinstance(node, ast.Name):
            got["is_builtin"] = astnames.is_builtin(node, node.id)
            want["is_builtin"] = names.is_builtin(rule, other, node.id)
            bound = astnames.bindings(node)
            got["bindings"] = None if bound is None else len(bound)
            want["bindings"] = _cst_bindings(rule, other)  # type: ignore[arg-type]
        for field, value in got.items():
            if value != want[field]:
                problems.append(f"{where}: {field} ast={value!r} libcst={want[field]!r}")
    return compared, problems


def _assert_same(text: str) -> int:
    compared, problems = compare(text)
    assert problems == []
    return compared


def _python_files(*folders: Path) -> list[Path]:
    return sorted(p for folder in folders for p in folder.rglob("*.py"))


@pytest.mark.parametrize(
    "path",
    _python_files(ROOT / "tests" / "corpus", ROOT / "fixtures"),
    ids=lambda p: str(p.relative_to(ROOT)),
)
def test_corpus_and_fixtures(path: Path) -> None:
    _assert_same(path.read_text(encoding="utf-8", errors="replace"))


SNIPPETS = {
    "imports": """
        import os
        import os.path
        import xml.etree.ElementTree as ET
        from urllib import request as rq, parse
        from . import sibling
        from ..pkg import thing as other
        from .mod import *
        os.path.join(os.sep, "x")
        os.getcwd()
        ET.parse("f")
        rq.urlopen("u").read()
        parse.quote("x")
        sibling.helper()
        other.go()
        os.path.join("a").strip().upper()
        os.environ["X"].split()
    """,
    "shadowing": """
        import random
        def f(random):
            random.seed(1)
        def g():
            random.seed(2)
            random = 3
        random.seed(3)
        random = None
        random.seed(4)
        open("x")
        def open(p):
            return p
        open("y")
        print = print
        print("z")
    """,
    "use_before_import": """
        def h():
            return json.dumps({})
        json.loads("1")
        import json
        json.dumps(1)
        x = x + 1
        len([])
    """,
    "class_scope": """
        import subprocess
        class A:
            subprocess = None
            subprocess.run()
            def m(self):
                return subprocess.run(["ls"])
            x = [subprocess.call() for _ in range(3)]
            y = lambda: subprocess.call()
        class B(subprocess.Popen, metaclass=type):
            @staticmethod
            def s():
                class C:
                    def d(self):
                        return subprocess.Popen
    """,
    "global_nonlocal": """
        import threading
        def outer():
            threading = 1
            def inner():
                nonlocal threading
                threading.Thread()
            def other():
                global threading
                threading.Thread()
            return inner, other
        def setter():
            global socket
            import socket
        socket.socket()
        def reads():
            socket.create_connection(("h", 1))
    """,
    "comprehensions_and_walrus": """
        import os
        paths = [os.path.join(p, q) for p in os.listdir() for q in p if q]
        s = {k: os.stat(v) for k, v in paths}
        g = (y for x in paths for y in x if y)
        if (os := 1):
            pass
        [z := 2 for _ in range(2)]
        z.real
        w = [os for os in range(3)]
        dict(a=1, *[], **{})
        f = lambda a, b=os.sep, *c, d=os.name, **e: a + os.name
    """,
    "try_except_and_with": """
        try:
            import tomllib
        except ImportError as tomllib:
            tomllib = None
        import contextlib
        with contextlib.suppress(ImportError) as cm, open("f") as fh:
            import tomli
        tomli.loads(fh.read())
        for line in fh:
            line.strip()
        else:
            line.upper()
        del fh
        fh.close()
        x = 1 if (y := 2) else y
    """,
    "decorators_and_defaults": """
        import functools
        class P:
            @property
            def v(self):
                return 1
            @v.setter
            def v(self, value):
                pass
        @functools.lru_cache(maxsize=None)
        def cached(x: functools.partial = functools.partial(print)) -> functools.partial:
            return functools.reduce
        def wraps(functools=functools.wraps):
            return functools
    """,
    "match": """
        import enum
        match enum.auto():
            case enum.Enum(value=v) as matched:
                v.bit_length()
                matched.name
            case [first, *rest]:
                first.x
            case {"k": enum, **others}:
                enum.Flag
        enum.IntEnum
    """,
    "type_variables": """
        import typing
        from typing import TypeVar as TV, NewType
        T = typing.TypeVar(name, bound=int)
        def f(name):
            U = TV(name.upper(), *c)
            V = NewType(g(name), int)
            W = TV(name=name)
        X = typing.cast(name, y)
    """,
    "calls_through": """
        import js
        js.eval("1")("x")
        js.JSON.parse("{}").keys()
        getattr(js, "eval")("2")
        (js.eval)("3")
        js.eval.call(None, "4")
        [js][0].eval("5")
        type(js).eval
    """,
}


@pytest.mark.parametrize("name", sorted(SNIPPETS))
def test_tricky_snippets(name: str) -> None:
    assert _assert_same(textwrap.dedent(SNIPPETS[name])) > 5


def test_the_comparison_can_fail() -> None:
    """A resolution that differs is reported (the harness is not vacuous)."""
    text = "import random\nrandom.seed(1)\n"
    tree = ast.parse(text)
    names_ = AstNames(tree)
    call = next(n for n in ast.walk(tree) if isinstance(n, ast.Call))
    assert names_.callee(call.func) == "random.seed"
    assert names_.qualified_names(call.func) == {"random.seed"}
    compared, problems = compare(text)
    assert compared >= 3 and problems == []


def test_api_answers() -> None:
    text = textwrap.dedent(
        """
        import os.path as p
        from . import util
        def f():
            import json
            return lambda: json.dumps(p.join(util.x))
        class K:
            v = open("a")
        """
    )
    tree = ast.parse(text)
    names_ = AstNames(tree)
    calls = {ast.unparse(n.func): n for n in ast.walk(tree) if isinstance(n, ast.Call)}
    dumps = calls["json.dumps"]
    assert names_.callee(dumps.func) == "json.dumps"
    assert names_.callee(calls["p.join"].func) == "os.path.join"
    assert names_.qualified_names(calls["p.join"].args[0]) == {".util.x"}
    assert names_.matches(dumps.func, ["x", "json.dumps"]) == "json.dumps"
    assert [getattr(f, "name", "<lambda>") for f in names_.enclosing_functions(dumps)] == ["<lambda>", "f"]
    assert not names_.runs_at_import_time(dumps)
    opened = calls["open"]
    assert names_.runs_at_import_time(opened)
    assert names_.is_builtin(opened.func, "open")
    assert names_.bindings(opened.func) == []
    assert isinstance(names_.parent(opened), ast.Assign)
    assert dotted_name(dumps.func) == "json.dumps"
    assert dotted_name(opened) is None


def main(argv: list[str]) -> int:
    total = 0
    failures = 0
    files = 0
    for folder in argv:
        for path in _python_files(Path(folder)):
            try:
                text = path.read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError):
                continue
            try:
                compared, problems = compare(text)
            except RecursionError:
                continue
            files += 1
            total += compared
            failures += len(problems)
            for problem in problems:
                print(f"{path}:{problem}")
    print(f"{files} files, {total} nodes compared, {failures} mismatches")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
