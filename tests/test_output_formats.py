"""Output formats as ruff's: full (code frame, note, help, severity, pointer), concise, json
(schema, rule urls, paths), json-lines, gitlab, sarif help, statistics per format, colours."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from cfw_lint.diagnostics import Applicability, Diagnostic, Edit, Fix, Position, Severity
from cfw_lint.output import headline, render_full, use_color
from helpers import run_cli, write_project

WRANGLER = """\
name = "w"
main = "src/entry.py"
compatibility_date = "2026-03-01"
compatibility_flags = ["nodejs_compat"]
"""
ENTRY = """\
import random

from workers import WorkerEntrypoint

random.seed(1)


class Default(WorkerEntrypoint):
    async def fetch(self, request):
        return None
"""


def lint(root: Path, *args: str):
    return run_cli(["--no-cache", "--select", "CFW2,CFW701", *args, "."], cwd=root)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return write_project(tmp_path, {"wrangler.toml": WRANGLER, "src/entry.py": ENTRY})


def test_full_is_the_default_and_has_frame_note_help_severity_pointer(project):
    out = lint(project).stdout
    assert out == lint(project, "--output-format", "full").stdout == lint(project, "--output-format", "text").stdout
    expected_entry = (
        "src/entry.py:5:1: CFW201 `random.seed()` at global scope fails at deploy and in `wrangler dev`\n"
        "  |\n"
        "3 | from workers import WorkerEntrypoint\n"
        "4 |\n"
        "5 | random.seed(1)\n"
        "  | ^^^^^^^^^^^^^^ error\n"
        "  |\n"
        "  = note: `RuntimeError: Cannot use random.seed() outside of request context`; call it inside a "
        "handler, or use a seeded `random.Random(seed)`\n"
        "  = error: CFW201 (global-scope-entropy); `cfw-lint rule CFW201` explains it\n"
    )
    assert expected_entry in out
    # a fixable finding: [*] in the header and the fix title in help
    assert (
        'wrangler.toml:4:1: CFW701 [*] main module "src/entry.py" is Python but compatibility_flags lacks "python_workers"\n'
        in out
    )
    assert '  = help: add "python_workers" (`cfw-lint --fix` applies it)\n' in out
    assert out.rstrip().endswith("Found 2 errors (1 fixable with `--fix`).")
    assert "\x1b[" not in out


def test_concise_keeps_the_whole_message_on_one_line(project):
    lines = lint(project, "--output-format", "concise").stdout.splitlines()
    assert lines[0].startswith("src/entry.py:5:1: CFW201 `random.seed()` at global scope fails at deploy")
    assert lines[0].endswith("use a seeded `random.Random(seed)`")
    assert lines[1].startswith("wrangler.toml:4:1: CFW701 [*] ")
    assert lines[2] == "Found 2 errors (1 fixable with `--fix`)."


@pytest.mark.parametrize(
    "message,short,rest",
    [
        ("`a: b` is very bad: really; do c", "`a: b` is very bad", "really; do c"),
        ('key "x: y" lacks z; add it.', 'key "x: y" lacks z', "add it."),
        ("f(a; b) fails. Use g.", "f(a; b) fails", "Use g."),
        ("no separator here.", "no separator here", ""),
        ("ends with colon:", "ends with colon:", ""),
        ("`fastapi`: not verified for 3.13: no wheel", "`fastapi`: not verified for 3.13", "no wheel"),
    ],
)
def test_headline(message, short, rest):
    assert headline(message) == (short, rest)


def _diag(start: Position, end: Position, fix: Fix | None = None) -> Diagnostic:
    return Diagnostic("CFW999", "x", "a short headline: long", Severity.WARNING, "m.py", start, end, fix=fix)


def test_frame_for_tabs_multiline_spans_and_unsafe_fixes():
    source = "def f():\n\tx = call(\n\t\t1,\n\t)\n"
    out = io.StringIO()
    unsafe = Fix((Edit(0, 1, ""),), Applicability.UNSAFE, None)
    render_full(
        [_diag(Position(2, 6), Position(4, 3), unsafe)], out, color=False, source_of=lambda _: source, unsafe=False
    )
    text = out.getvalue()
    assert "2 |     x = call(\n  |         ^^^^^ warning (the span ends at 4:3)\n" in text
    assert "[*]" not in text  # unsafe fixes are hidden unless --unsafe-fixes
    assert "  = help: An unsafe fix is available with `--fix --unsafe-fixes`\n" in text
    out = io.StringIO()
    render_full(
        [_diag(Position(2, 2), Position(2, 3), unsafe)], out, color=True, source_of=lambda _: source, unsafe=True
    )
    assert "\x1b[" in out.getvalue() and "[*]" in out.getvalue()


def test_frame_without_source_still_prints_header_and_pointer():
    out = io.StringIO()
    render_full([_diag(Position(1, 1), Position(1, 1))], out, color=False, source_of=lambda _: None, unsafe=False)
    assert out.getvalue() == (
        "m.py:1:1: CFW999 a short headline\n  = note: long\n  = warning: CFW999 (x); `cfw-lint rule CFW999` explains it\n\n"
    )


def test_colour_env():
    class Tty(io.StringIO):
        def isatty(self) -> bool:
            return True

    assert use_color(Tty(), {}) and not use_color(io.StringIO(), {})
    assert not use_color(Tty(), {"NO_COLOR": "1"})
    assert use_color(io.StringIO(), {"FORCE_COLOR": "1"})
    assert not use_color(io.StringIO(), {"FORCE_COLOR": "0"})
    assert not use_color(io.StringIO(), {"FORCE_COLOR": "1", "NO_COLOR": "1"})


def test_force_color_through_the_cli(project, monkeypatch):
    monkeypatch.setenv("FORCE_COLOR", "1")
    monkeypatch.delenv("NO_COLOR", raising=False)
    assert "\x1b[" in lint(project).stdout
    assert "\x1b[" not in lint(project, "--output-format", "json").stdout


# -- JSON -----------------------------------------------------------------------------------
SCHEMA_KEYS = {"code", "name", "message", "severity", "filename", "location", "end_location", "fix", "url", "noqa_row"}


def test_json_schema_url_and_paths(project):
    docs = json.loads(lint(project, "--output-format", "json").stdout)
    assert [set(d) for d in docs] == [SCHEMA_KEYS, SCHEMA_KEYS]
    entry, config = docs
    assert entry["url"] == "https://github.com/cfw-lint/cfw-lint/blob/main/rules/CFW201.md"
    assert config["filename"] == "wrangler.toml"
    # the edit is in the diagnostic's own file: no path, as ruff's edits
    assert config["fix"]["edits"] and all("path" not in e for e in config["fix"]["edits"])
    assert config["fix"] == {
        "applicability": "safe",
        "message": 'add "python_workers"',
        "edits": config["fix"]["edits"],
    }


def test_json_edit_in_another_file_is_relative(tmp_path):
    # CFW803-like fixes edit pyproject.toml from a diagnostic elsewhere; simulate with the renderer
    from cfw_lint.output import document

    edit = Edit(
        0, 1, "x", path=str(tmp_path / "sub" / "pyproject.toml"), start_pos=Position(1, 1), end_pos=Position(1, 2)
    )
    d = Diagnostic(
        "CFW803", "n", "m", Severity.ERROR, "sub/wrangler.toml", Position(1, 1), Position(1, 1), Fix((edit,))
    )
    doc = document(d, cwd=tmp_path)
    assert doc["filename"] == "sub/wrangler.toml" and doc["fix"]["edits"][0]["path"] == "sub/pyproject.toml"


def test_rule_url_setting(project):
    (project / "pyproject.toml").write_text('[tool.cfw-lint]\nrule-url = "https://docs.example/{code}"\n')
    docs = json.loads(lint(project, "--output-format", "json").stdout)
    assert [d["url"] for d in docs] == ["https://docs.example/CFW201", "https://docs.example/CFW701"]
    sarif = json.loads(lint(project, "--output-format", "sarif").stdout)
    rule = next(r for r in sarif["runs"][0]["tool"]["driver"]["rules"] if r["id"] == "CFW201")
    assert rule["helpUri"] == "https://docs.example/CFW201"
    (project / "pyproject.toml").write_text('[tool.cfw-lint]\nrule-url = "https://docs.example/"\n')
    bad = lint(project)
    assert bad.exit_code == 2 and "rule-url" in bad.output


def test_json_lines(project):
    lines = lint(project, "--output-format", "json-lines").stdout.splitlines()
    assert [json.loads(line)["code"] for line in lines] == ["CFW201", "CFW701"]
    assert json.loads(lines[0]) == json.loads(lint(project, "--output-format", "json").stdout)[0]


def test_sarif_help_is_the_rule_page(project):
    sarif = json.loads(lint(project, "--output-format", "sarif").stdout)
    rule = next(r for r in sarif["runs"][0]["tool"]["driver"]["rules"] if r["id"] == "CFW201")
    assert rule["help"]["markdown"].startswith("# CFW201: global-scope-entropy\n")
    [result] = [r for r in sarif["runs"][0]["results"] if r["ruleId"] == "CFW201"]
    assert "RuntimeError" in result["message"]["text"]  # the whole message stays in SARIF


def test_gitlab_code_quality(project):
    issues = json.loads(lint(project, "--output-format", "gitlab").stdout)
    first = issues[0]
    assert first["check_name"] == "CFW201" and first["severity"] == "major"
    assert first["location"] == {
        "path": "src/entry.py",
        "positions": {"begin": {"line": 5, "column": 1}, "end": {"line": 5, "column": 15}},
    }
    assert first["description"].startswith("CFW201 `random.seed()` at global scope fails")
    assert len({i["fingerprint"] for i in issues}) == len(issues)
    # the fingerprint survives the finding moving down a line
    (project / "src/entry.py").write_text("\n" + ENTRY)
    moved = json.loads(lint(project, "--output-format", "gitlab").stdout)
    assert moved[0]["fingerprint"] == first["fingerprint"] and moved[0]["location"]["positions"]["begin"]["line"] == 6


def test_statistics_honour_the_format(project):
    (project / "src/other.py").write_text("import uuid\nA = uuid.uuid4()\n")
    # imported by the main module, so it is Worker code
    (project / "src/entry.py").write_text("import other\n" + ENTRY)
    table = lint(project, "--statistics").stdout
    assert "2\tCFW201\t[ ] global-scope-entropy\n" in table and "1\tCFW701\t[*] missing-python-workers-flag\n" in table
    rows = json.loads(lint(project, "--statistics", "--output-format", "json").stdout)
    assert rows == [
        {"code": "CFW201", "name": "global-scope-entropy", "count": 2, "fixable": False, "fixable_count": 0},
        {"code": "CFW701", "name": "missing-python-workers-flag", "count": 1, "fixable": True, "fixable_count": 1},
    ]


def test_output_file(project):
    result = lint(project, "--output-format", "json", "-o", "report.json")
    assert result.exit_code == 1 and result.stdout == ""
    assert [d["code"] for d in json.loads((project / "report.json").read_text())] == ["CFW201", "CFW701"]


def test_readme_full_output_example_is_real():
    """The README's captured `full` output: its first finding is exactly what a run prints now,
    and it lists the same findings (regenerate with `cfw-lint --no-cache fixtures/example`)."""
    root = Path(__file__).resolve().parent.parent
    readme = (root / "README.md").read_text(encoding="utf-8")
    block = readme.split("<!-- full-output-example", 1)[1].split("```text\n", 1)[1].split("```", 1)[0]
    live = run_cli(["--no-cache", "fixtures/example"], cwd=root).stdout
    first = lambda text: text.split("\n\n", 1)[0]  # noqa: E731
    assert first(block) == first(live)
    headers = lambda text: [line.split(" ", 2)[:2] for line in text.splitlines() if line.startswith("fixtures/")]  # noqa: E731
    assert headers(block) == headers(live)
    assert block.rstrip().splitlines()[-1] == live.rstrip().splitlines()[-1]
