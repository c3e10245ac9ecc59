"""The language server's pieces in-process: the linting session (same results as the command
line on standard input), positions, noqa edits, client settings, guarded handlers."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from cfw_lint.server.noqa import noqa_edit
from cfw_lint.server.session import ClientSettings, LintSession
from cfw_lint.server.text import TextMap
from helpers import run_cli, write_project

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures"


def cli_json(root: Path, path: Path, text: str) -> list[tuple]:
    """`cfw-lint --stdin-filename PATH -` (in-process), as (code, line, column, message)."""
    result = run_cli(
        ["--no-cache", "--output-format", "json", "--stdin-filename", str(path), "-"], cwd=root, input=text
    )
    return sorted(
        (d["code"], d["location"]["row"], d["location"]["column"], d["message"]) for d in json.loads(result.stdout)
    )


@pytest.mark.parametrize("fixture", ["bad-worker", "monorepo/workers/orders"])
def test_session_reports_what_the_command_line_reports_for_each_file(tmp_path, fixture):
    root = tmp_path / "repo"
    shutil.copytree(FIXTURES / fixture, root)
    (root / ".git").mkdir()
    session = LintSession(root)
    files = sorted(
        p
        for p in root.rglob("*")
        if p.is_file()
        and (p.suffix == ".py" or p.name in ("wrangler.toml", "wrangler.jsonc", "pyproject.toml", "requirements.txt"))
    )
    assert files
    seen_codes = set()
    for path in files:
        session.open(path, path.read_text())
    for path in files:
        outcome = session.lint(path)
        ours = sorted((d.code, d.start.line, d.start.column, d.message) for d in outcome.diagnostics)
        assert ours == cli_json(root, path, path.read_text()), path
        seen_codes.update(d.code for d in outcome.diagnostics)
    assert len(seen_codes) >= 3  # the fixtures are full of problems: the comparison is not vacuous


def test_session_sees_unsaved_buffers_of_other_files(tmp_path):
    root = write_project(
        tmp_path,
        {
            "wrangler.toml": 'name = "w"\nmain = "src/entry.py"\ncompatibility_date = "2025-11-01"\ncompatibility_flags = ["python_workers"]\n',
            "src/entry.py": "from workers import Response\n\n\nasync def on_fetch(request, env):\n    return Response('x')\n",
        },
    )
    (root / ".git").mkdir()
    session = LintSession(root)
    entry, config = root / "src/entry.py", root / "wrangler.toml"
    session.open(entry, entry.read_text())
    assert [(d.code, d.severity.value) for d in session.lint(entry).diagnostics] == [("CFW101", "error")]
    # the config buffer (unsaved) moves the date back: legacy handlers still run, so a warning
    session.open(config, config.read_text().replace("2025-11-01", "2025-07-01"))
    assert [(d.code, d.severity.value) for d in session.lint(entry).diagnostics] == [("CFW101", "warning")]
    assert entry in session.dependents(config) and config not in session.dependents(config)
    session.close(config)  # the disk version applies again
    assert [(d.code, d.severity.value) for d in session.lint(entry).diagnostics] == [("CFW101", "error")]
    # an edit of the Python buffer is seen; fix-all works on the buffer, not the file
    fixed, problems = session.fix_all(entry)
    assert problems == [] and fixed is not None and "class Default(WorkerEntrypoint)" in fixed
    session.update(entry, fixed)
    assert session.lint(entry).diagnostics == []
    assert "on_fetch" in entry.read_text()
    assert session.fix_all(entry) == (None, [])


def test_text_map_counts_utf16_units_and_line_breaks():
    text = "a = '😀x'\r\nb = 1\rc = 'é'\n"
    tm = TextMap(text)
    x = text.index("x")
    assert tm.lsp(x) == (0, 7)  # the emoji is two UTF-16 units
    assert tm.from_lsp(0, 7) == x
    assert TextMap(text, "utf-8").lsp(x) == (0, 9)
    assert TextMap(text, "utf-32").lsp(x) == (0, 6)
    assert tm.lsp(text.index("b")) == (1, 0) and tm.lsp(text.index("c")) == (2, 0)
    assert tm.offset(3, 7) == text.index("é") + 1  # cfw-lint's 1-based character columns
    assert tm.from_lsp(0, 99) == text.index("\r")  # clamped to the line's end
    assert tm.line_text(1) == "b = 1"


def test_noqa_edit_adds_extends_and_refuses():
    def apply(text, lines, code="CFW101", kind="python"):
        found = noqa_edit(text, lines, code, kind)
        if found is None:
            return None
        start, end, content = found
        return text[:start] + content + text[end:]

    assert apply("x = 1   \ny = 2\n", [1]) == "x = 1  # noqa: CFW101\ny = 2\n"
    assert apply("x = 1  # noqa: CFW201\n", [1]) == "x = 1  # noqa: CFW201, CFW101\n"
    assert apply("x = 1  # why\n", [1]) == "x = 1  # why  # noqa: CFW101\n"
    assert apply("x = 1  # noqa\n", [1]) is None  # already silences everything
    assert apply("x = 1  # noqa: CFW101\n", [1]) is None
    # the statement's first line ends inside a string: the diagnostic's own line takes it
    text = 'x = """a\nb""" + f(1)\n'
    assert apply(text, [1, 2]) == 'x = """a\nb""" + f(1)  # noqa: CFW101\n'
    assert apply("x = 1 + \\\n    2\n", [1]) is None  # a comment cannot follow a backslash
    assert apply('name = "a"\n', [1], "CFW706", "toml") == 'name = "a"  # noqa: CFW706\n'
    assert apply('{\n  "main": "a.py" // noqa: CFW704\n}\n', [2], "CFW706", "jsonc") == (
        '{\n  "main": "a.py" // noqa: CFW704, CFW706\n}\n'
    )


def test_client_settings_parse_and_report_problems():
    settings, problems = ClientSettings.parse(
        {"cfw-lint": {"select": ["CFW2"], "extendSelect": "CFW101", "ignore": ["cfw203"], "unsafeFixes": True}}
    )
    assert (settings.select, settings.extend_select, settings.ignore, settings.unsafe_fixes) == (
        ["CFW2"],
        ["CFW101"],
        ["CFW203"],
        True,
    )
    assert problems == []
    settings, problems = ClientSettings.parse({"ignore": ["NOPE1"], "unsafe-fixes": "yes", "select": 3})
    assert settings == ClientSettings()
    assert len(problems) == 3 and any("NOPE1" in p for p in problems)
    assert ClientSettings.parse(None) == (ClientSettings(), [])


def test_internal_error_in_a_request_is_logged_and_answered(monkeypatch):
    pytest.importorskip("pygls")
    from lsprotocol import types as t

    from cfw_lint.server.lsp import build_server

    server = build_server()
    logged = []
    monkeypatch.setattr(server, "log", lambda message, kind=None: logged.append(message))

    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(server, "code_actions", broken)
    handler = server.protocol.fm.features[t.TEXT_DOCUMENT_CODE_ACTION]
    params = t.CodeActionParams(
        text_document=t.TextDocumentIdentifier(uri="file:///x/entry.py"),
        range=t.Range(t.Position(0, 0), t.Position(0, 0)),
        context=t.CodeActionContext(diagnostics=[]),
    )
    assert handler(params) == []
    assert len(logged) == 1 and "RuntimeError: boom" in logged[0] and "code_action" in logged[0]


def test_linting_never_imports_the_language_server(tmp_path):
    code = (
        "import sys\nfrom click.testing import CliRunner\nfrom cfw_lint.cli import main\n"
        f"CliRunner().invoke(main, ['--no-cache', {str(FIXTURES / 'example')!r}])\n"
        "assert 'libcst' in sys.modules\n"
        "assert not [m for m in sys.modules if m.startswith(('pygls', 'lsprotocol', 'cfw_lint.server'))]\n"
    )
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, env=env, cwd=tmp_path, timeout=60)
    assert done.returncode == 0, done.stderr.decode()


def test_server_is_a_command_and_a_directory_named_server_is_still_lintable(tmp_path):
    result = run_cli(["server", "--help"])
    assert result.exit_code == 0 and "language server" in result.output.lower()
    write_project(tmp_path, {"server/entry.py": "import random\nrandom.seed(1)\n"})
    result = run_cli(["--no-cache", "./server"], cwd=tmp_path)
    assert result.exit_code == 1 and "CFW201" in result.output


def test_unchanged_file_is_not_linted_again(tmp_path, monkeypatch):
    from cfw_lint.runner import Runner

    root = write_project(tmp_path, {"src/entry.py": "import random\nrandom.seed(1)\n", "src/other.py": "x = 1\n"})
    runs = []
    real_run = Runner.run
    monkeypatch.setattr(Runner, "run", lambda self: runs.append(1) or real_run(self))
    session = LintSession(root)
    entry, other = root / "src/entry.py", root / "src/other.py"
    session.open(entry, entry.read_text())
    first = session.lint(entry)
    assert [d.code for d in first.diagnostics] == ["CFW201"]
    assert session.lint(entry) is first and len(runs) == 1  # a save, a refresh: nothing changed
    session.disk_changed(entry)  # saved: the buffer is the file
    assert session.lint(entry) is first and len(runs) == 1
    session.open(other, "y = 2\n")  # another file changed: project rules may see it
    assert session.lint(entry) is not first and len(runs) == 2
    session.settings = ClientSettings(ignore=["CFW2"])
    assert session.lint(entry).diagnostics == [] and len(runs) == 3


def test_buffer_with_an_encoding_cookie_keeps_its_text_and_columns(tmp_path):
    text = "# -*- coding: latin-1 -*-\nimport random\nname = 'café'; random.seed(1)\n"
    root = write_project(tmp_path, {"entry.py": ""})
    session = LintSession(root)
    session.open(root / "entry.py", text)
    outcome = session.lint(root / "entry.py")
    assert outcome.text == text
    assert [(d.code, d.start.line, d.start.column) for d in outcome.diagnostics] == [("CFW201", 3, 16)]
