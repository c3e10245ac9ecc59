"""Property tests for the pieces every fix and every config rule relies on."""

from __future__ import annotations

import json

import pytest

from hypothesis import given, settings
from hypothesis import strategies as st

from cfw_lint.diagnostics import Edit
from cfw_lint.fixes import apply_edits, minimize, select_non_overlapping
from cfw_lint.diagnostics import Fix
from cfw_lint.project.jsonc import parse_jsonc
from cfw_lint.source import LineIndex, decode_python

TEXT = st.text(alphabet=st.sampled_from(list("ab \n\r\t#é")), max_size=60)


@st.composite
def text_and_edit(draw):
    text = draw(TEXT)
    start = draw(st.integers(0, len(text)))
    end = draw(st.integers(start, len(text)))
    content = draw(TEXT)
    return text, Edit(start, end, content)


@given(text_and_edit())
def test_minimized_edit_has_the_same_effect(case):
    text, edit = case
    narrowed = minimize(text, edit)
    expected = apply_edits(text, [edit])
    if narrowed is None:
        assert expected == text
    else:
        assert apply_edits(text, [narrowed]) == expected
        assert edit.start <= narrowed.start <= narrowed.end <= edit.end


@given(TEXT, st.lists(st.tuples(st.integers(0, 60), st.integers(0, 5), TEXT), max_size=6))
def test_selected_fixes_never_overlap_and_apply_in_any_order(text, raw):
    fixes = []
    for start, length, content in raw:
        start = min(start, len(text))
        end = min(start + length, len(text))
        fixes.append(Fix((Edit(start, end, content),)))
    chosen = select_non_overlapping(fixes)
    edits = [e for f in chosen for e in f.edits]
    for i, a in enumerate(edits):
        for b in edits[i + 1 :]:
            assert not a.overlaps(b)
    # back-to-front application equals applying each edit to the right slice of the original
    result = apply_edits(text, edits)
    pieces, cursor = [], 0
    for e in sorted(edits, key=lambda e: e.start):
        pieces.append(text[cursor : e.start])
        pieces.append(e.content)
        cursor = e.end
    pieces.append(text[cursor:])
    assert result == "".join(pieces)


JSON = st.recursive(
    st.none() | st.booleans() | st.integers(-(10**6), 10**6) | st.text(max_size=8),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=6), children, max_size=4),
    max_leaves=15,
)


@settings(max_examples=150)
@given(JSON, st.integers(0, 3))
def test_jsonc_reads_what_json_writes(value, indent):
    text = json.dumps({"root": value}, indent=indent or None)
    data, positions, spans = parse_jsonc(text)
    assert data == {"root": value}
    line, column = positions[("root",)]
    lines = text.splitlines()
    assert lines[line - 1][column - 1] == '"'


@given(JSON)
def test_jsonc_with_comments_and_trailing_commas(value):
    body = json.dumps(value)
    text = f'// leading comment\n{{ /* block */ "a": {body}, // trailing\n "b": [1, 2,], }}\n'
    data, _, _ = parse_jsonc(text)
    assert data == {"a": value, "b": [1, 2]}


@given(TEXT)
def test_line_index_round_trips(text):
    index = LineIndex(text)
    for offset in range(len(text) + 1):
        pos = index.position(offset)
        assert index.offset(pos.line, pos.column - 1) == offset


@given(st.text(max_size=40))
def test_decoding_utf8_round_trips(text):
    data = text.encode("utf-8", errors="surrogatepass")
    try:
        source = decode_python(data)
    except Exception:
        return  # undecodable input is CFW002's business
    assert source.encode(source.text) == data


# -- generated programs: cfw-lint never raises, fixes parse and are stable ----------------------
# CI runs a short fixed budget; CFW_LINT_FUZZ=N runs N examples per property (e.g. 2000).
import datetime as _dt  # noqa: E402
import os  # noqa: E402
import tempfile  # noqa: E402
import textwrap  # noqa: E402
from pathlib import Path  # noqa: E402

import libcst as cst  # noqa: E402
from hypothesis import HealthCheck  # noqa: E402

from cfw_lint.engine import lint_python, parse  # noqa: E402
from cfw_lint.diagnostics import Diagnostic  # noqa: E402
from cfw_lint.engine import allowed  # noqa: E402
from cfw_lint.profile import build_profile  # noqa: E402
from cfw_lint.registry import all_rules, python_rules  # noqa: E402
from cfw_lint.rule import FileContext  # noqa: E402

FUZZ = int(os.environ.get("CFW_LINT_FUZZ", "0"))
FUZZ_SETTINGS = settings(
    max_examples=FUZZ or 25,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much],
    derandomize=not FUZZ,  # CI: the same examples every run
)
RULES = python_rules(list(all_rules()))
DATES = ["2025-07-01", "2025-08-20", "2025-11-01", "2026-03-01", "2026-05-01", "2026-10-01"]


def _context(date: str, flags: tuple[str, ...], main: bool) -> FileContext:
    prof = build_profile(_dt.date.fromisoformat(date), frozenset(flags), source="test")
    return FileContext(path="src/entry.py", abspath=Path("/project/src/entry.py"), profile=prof, is_main=main)


def assert_fix_properties(source: str, context: FileContext) -> None:
    """Never raises; fixed code parses; a second pass changes nothing; no fixable finding, no change."""
    report = lint_python(source, context, RULES)
    for mode in ("safe", "unsafe"):
        first = lint_python(source, context, RULES, fix_mode=mode)
        fixable = [d for d in report.diagnostics if d.fix and allowed(d.fix.applicability, mode)]
        if not fixable:
            assert first.fixed_text is None, f"changed a file with no {mode} fix:\n{source}"
            continue
        if first.fixed_text is None:
            continue  # every fix was refused (it would not parse): nothing written
        assert not isinstance(parse(first.fixed_text, "x.py"), Diagnostic), first.fixed_text
        second = lint_python(first.fixed_text, context, RULES, fix_mode=mode)
        assert second.fixed_text is None, f"second {mode} pass changed:\n{first.fixed_text}\n---\n{second.fixed_text}"


try:
    import hypothesmith
except ImportError:  # pragma: no cover - the test extra installs it
    hypothesmith = None


@pytest.mark.skipif(hypothesmith is None, reason="hypothesmith not installed")
@settings(FUZZ_SETTINGS, max_examples=FUZZ or 10)  # hypothesmith's generation is the slow part
@given(st.data())
def test_generated_programs(data):
    source = (
        data.draw(hypothesmith.from_node(cst.Module))
        if data.draw(st.booleans())
        else data.draw(hypothesmith.from_grammar())
    )
    assert_fix_properties(source, _context(data.draw(st.sampled_from(DATES)), ("python_workers",), True))


# Worker-shaped programs: the catalog's constructs in random combinations and places.
IMPORTS = [
    "import random",
    "from random import randint, choice",
    "import requests",
    "import httpx",
    "import urllib.request",
    "from js import fetch, Object, JSON",
    "import js",
    "from pyodide.ffi import to_js",
    "from pyodide.ffi import to_js as _to_js, to_py",
    "import time",
    "import threading",
    "import subprocess",
    "import asyncio",
    "import json",
    "from workers import WorkerEntrypoint, Response, WorkflowEntrypoint, handler, fetch as wfetch",
    "from workers import Response",
    "import workers",
    "from js import Response as JsResponse",
    "from pyodide.ffi import JsNull",
    "import imp",
    "import os",
    "from fastapi import FastAPI",
    "import asgi",
    "from js import HTMLRewriter",
    "import uvicorn",
    "import numpy",
]
GLOBALS = [
    "SEED = random.random()",
    "TOKEN = randint(1, 9)",
    "PICK = choice([1, 2])",
    "random.seed(1)",
    "DATA = requests.get('https://example.com').json()",
    "time.sleep(1)",
    "OBJ = to_js({'a': 1})",
    "open('out.txt', 'w').write('x')",
    "CONFIG = {'a': 1}",
    "js.eval('1 + 1')",
    "threading.Thread(target=print).start()",
    "app = FastAPI()",
    "x = JsNull",
    "subprocess.run(['ls'])",
    "RESP = httpx.get('https://example.com')",
    "NOW = __import__('time').time()",
    "import sqlite3",
    "uvicorn.run(app)",
]
BODY = [
    "return Response('ok')",
    "r = await fetch('https://example.com')",
    "obj = to_js({'a': 1})",
    "import json",
    "time.sleep(0.1)",
    "v = random.random()",
    "return Response.json({'a': 1})",
    "data = await request.json()\nreturn Response(data.name)",
    "return Response(None)",
    "resp = await fetch('https://example.com', {'method': 'POST'})",
    "x = to_js(None)",
    "return Response(body={'a': 1}, status=200)",
    "js.console.log(to_js([1, 2]))",
    "requests.get('https://example.com')",
    "await asyncio.sleep(0)",
    "d = request.json().name",
    "return await asgi.fetch(app, request, self.env)",
    "value = self.env.KV.get('k')",
    "return JsResponse.new('x', headers={'a': 'b'})",
    "pass",
]
CALLS = ["await load()", "load()", 'await step.do("x", load)']
STEP_DECORATORS = [
    '@step.do("load")',
    "@step.do()",
    '@step.do("b", depends=[load])',
    "@step.do(f'{random.random()}')",
    "@step.do",
]


@st.composite
def worker_program(draw) -> str:
    lines = list(draw(st.lists(st.sampled_from(IMPORTS), max_size=6, unique=True)))
    lines += draw(st.lists(st.sampled_from(GLOBALS), max_size=3))

    def body(indent: int) -> str:
        stmts = draw(st.lists(st.sampled_from(BODY), min_size=1, max_size=4))
        return textwrap.indent("\n".join(stmts), " " * indent)

    shapes = draw(
        st.lists(
            st.sampled_from(["class", "class_env", "legacy", "decorated", "init", "workflow", "method"]),
            min_size=1,
            max_size=3,
        )
    )
    for i, shape in enumerate(shapes):
        name = "Default" if i == 0 else f"Worker{i}"
        if shape == "class":
            lines.append(f"class {name}(WorkerEntrypoint):\n    async def fetch(self, request):\n{body(8)}")
        elif shape == "class_env":
            lines.append(f"class {name}(WorkerEntrypoint):\n    async def fetch(self, request, env):\n{body(8)}")
        elif shape == "legacy":
            lines.append(f"async def on_fetch(request, env):\n{body(4)}")
        elif shape == "decorated":
            lines.append(f"@handler\nasync def on_fetch(request):\n{body(4)}")
        elif shape == "init":
            lines.append(
                f"class {name}(WorkerEntrypoint):\n    def __init__(self, ctx, env):\n        self.x = 1\n    async def fetch(self, request):\n{body(8)}"
            )
        elif shape == "method":
            lines.append(f"class {name}(WorkerEntrypoint):\n    async def on_fetch(self, request):\n{body(8)}")
        else:
            deco = draw(st.sampled_from(STEP_DECORATORS))
            lines.append(
                f"class {name}(WorkflowEntrypoint):\n    async def run(self, event, step):\n"
                f"        {deco}\n        async def load():\n{body(12)}\n"
                f"        result = {draw(st.sampled_from(CALLS))}\n"
                f"{body(8)}"
            )
    order = draw(st.permutations(range(len(lines)))) if draw(st.booleans()) else range(len(lines))
    return "\n".join(lines[i] for i in order) + "\n"


@FUZZ_SETTINGS
@given(
    worker_program(),
    st.sampled_from(DATES),
    st.sampled_from([("python_workers",), ("python_workers", "python_workflows")]),
    st.booleans(),
)
def test_generated_worker_programs(source, date, flags, main):
    assert_fix_properties(source, _context(date, flags, main))


@settings(
    max_examples=(FUZZ // 10) or 6,
    deadline=None,
    derandomize=not FUZZ,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(
    worker_program(),
    st.sampled_from(DATES + [None]),
    st.sampled_from(["toml", "jsonc"]),
    st.sampled_from([[], ["python_workers"], ["python_workflows"], ["python_workers", "no_python_workers_20250116"]]),
)
def test_generated_projects_with_configs(source, date, kind, flags):
    """The whole run (project rules, config fixes) on a generated Worker and config."""
    from cfw_lint.runner import Options, run

    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        (root / "src").mkdir()
        (root / "src" / "entry.py").write_text(source)
        if kind == "toml":
            text = 'name = "w"\nmain = "src/entry.py"\n'
            text += f'compatibility_date = "{date}"\n' if date else ""
            text += f"compatibility_flags = {json.dumps(flags)}\n"
            (root / "wrangler.toml").write_text(text)
        else:
            config = {"name": "w", "main": "src/entry.py", "compatibility_flags": flags}
            if date:
                config["compatibility_date"] = date
            (root / "wrangler.jsonc").write_text("// generated\n" + json.dumps(config, indent=2) + "\n")
        (root / "pyproject.toml").write_text('[project]\nname = "w"\nversion = "0"\ndependencies = ["requests"]\n')
        before = {p: p.read_bytes() for p in root.rglob("*") if p.is_file()}
        first = run(Options(paths=[str(root)], fix_mode="unsafe", no_cache=True), cwd=root)
        assert not first.errors, first.errors
        for path in root.rglob("*.py"):
            assert not isinstance(parse(path.read_text(), path.name), Diagnostic), path.read_text()
        after = {p: p.read_bytes() for p in root.rglob("*") if p.is_file()}
        second = run(Options(paths=[str(root)], fix_mode="unsafe", no_cache=True), cwd=root)
        assert not second.fixed, f"second pass fixed again: {second.fixed}"
        assert {p: p.read_bytes() for p in root.rglob("*") if p.is_file()} == after
        if not first.fixed:
            assert after == before
