"""The fix-writing guarantees, on rules registered only for these tests:
encoding cookie, BOM, CRLF, file mode kept; untouched files not rewritten; a fix that breaks
parsing never written; --diff changes nothing; standard input prints the fixed text."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import libcst as cst
import pytest

import cfw_lint.registry as registry
from cfw_lint.diagnostics import FixAvailability, Severity
from cfw_lint.rule import PythonRule
from helpers import RenameOld, run_cli


class BreakIt(PythonRule):
    """Test rule: its fix produces code that does not parse."""

    code = "CFW991"
    name = "test-break-it"
    severity = Severity.WARNING
    fix = FixAvailability.SAFE
    triggers = ("BREAK",)

    def visit_Name(self, node: cst.Name) -> None:
        if node.value == "BREAK":
            self.report(node, "BREAK name", fix=lambda fx, n=node: fx.replace(n, "def ("))


class UnsafeUpper(PythonRule):
    """Test rule: an unsafe fix ("lower" becomes "LOWER")."""

    code = "CFW992"
    name = "test-unsafe-upper"
    severity = Severity.WARNING
    fix = FixAvailability.UNSAFE
    triggers = ("lower",)

    def visit_SimpleString(self, node: cst.SimpleString) -> None:
        if "lower" in node.value:
            self.report(node, "lower string", fix=lambda fx, n=node: fx.replace(n, n.value.upper()))


@pytest.fixture(autouse=True)
def test_rules(monkeypatch):
    rules = dict(registry.all_rules())
    rules.update({"CFW990": RenameOld, "CFW991": BreakIt, "CFW992": UnsafeUpper})
    monkeypatch.setattr(registry, "all_rules", lambda: rules)


def _run(tmp_path: Path, *args: str, input: str | None = None):
    return run_cli(["--no-cache", "--select", "CFW99", *args], cwd=tmp_path, input=input)


def test_fix_keeps_pep263_encoding(tmp_path):
    target = tmp_path / "mod.py"
    target.write_bytes('# -*- coding: latin-1 -*-\nname = "café"\nx = "OLD"\n'.encode("latin-1"))
    result = _run(tmp_path, "--fix", ".")
    assert result.exit_code == 0, result.output
    assert target.read_bytes() == '# -*- coding: latin-1 -*-\nname = "café"\nx = "NEW"\n'.encode("latin-1")


def test_fix_keeps_bom_and_crlf(tmp_path):
    target = tmp_path / "mod.py"
    target.write_bytes(b'\xef\xbb\xbfa = 1\r\nx = "OLD"\r\nb = 2\r\n')
    _run(tmp_path, "--fix", ".")
    assert target.read_bytes() == b'\xef\xbb\xbfa = 1\r\nx = "NEW"\r\nb = 2\r\n'


def test_fix_keeps_file_mode(tmp_path):
    target = tmp_path / "tool.py"
    target.write_text('#!/usr/bin/env python\nx = "OLD"\n')
    os.chmod(target, 0o751)
    _run(tmp_path, "--fix", ".")
    assert stat.S_IMODE(target.stat().st_mode) == 0o751
    assert target.read_text() == '#!/usr/bin/env python\nx = "NEW"\n'
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")], "no temporary file left"


def test_untouched_files_are_not_rewritten(tmp_path):
    clean = tmp_path / "clean.py"
    clean.write_text("x = 'fine'\n")
    dirty = tmp_path / "dirty.py"
    dirty.write_text("x = 'OLD'\n")
    before = clean.stat()
    os.utime(clean, ns=(before.st_atime_ns, before.st_mtime_ns - 10_000_000_000))
    before = clean.stat()
    _run(tmp_path, "--fix", ".")
    after = clean.stat()
    assert (after.st_ino, after.st_mtime_ns) == (before.st_ino, before.st_mtime_ns)
    assert dirty.read_text() == "x = 'NEW'\n"


def test_fix_that_breaks_parsing_is_not_written(tmp_path):
    target = tmp_path / "mod.py"
    original = "BREAK = 1\nprint(BREAK)\n"
    target.write_text(original)
    result = _run(tmp_path, "--fix", ".")
    assert target.read_text() == original
    assert "not applied" in result.stderr
    assert result.exit_code == 1  # the problems remain


def test_diff_prints_and_changes_nothing(tmp_path):
    target = tmp_path / "mod.py"
    target.write_text("x = 'OLD'\n")
    result = _run(tmp_path, "--diff", ".")
    assert target.read_text() == "x = 'OLD'\n"
    assert result.exit_code == 1
    assert "-x = 'OLD'\n+x = 'NEW'\n" in result.stdout
    assert "--- a/mod.py" in result.stdout and "+++ b/mod.py" in result.stdout


def test_diff_with_nothing_to_fix_exits_zero(tmp_path):
    (tmp_path / "mod.py").write_text("x = 1\n")
    result = _run(tmp_path, "--diff", ".")
    assert result.exit_code == 0
    assert result.stdout == ""


def test_stdin_fix_prints_fixed_source(tmp_path):
    result = _run(tmp_path, "--fix", "-", "--stdin-filename", "src/entry.py", input="y = 'OLD'\n")
    assert result.stdout == "y = 'NEW'\n"
    assert result.exit_code == 0
    assert not (tmp_path / "src").exists(), "standard input is never written to disk"


def test_show_fixes_lists_applied_fixes(tmp_path):
    (tmp_path / "mod.py").write_text("a = 'OLD'\nb = 'OLD'\n")
    result = _run(tmp_path, "--fix", "--show-fixes", ".")
    assert "Fixed 2 problems:" in result.stdout
    assert "- mod.py:" in result.stdout and "2 × CFW990" in result.stdout


def test_fix_summary_and_remaining_exit_code(tmp_path):
    (tmp_path / "mod.py").write_text("a = 'OLD'\n")
    result = _run(tmp_path, "--fix", ".")
    assert "Found 1 error (1 fixed, 0 remaining)." in result.stdout
    assert result.exit_code == 0


def test_overlapping_fixes_converge_over_passes(tmp_path):
    # two reports on nested nodes of one line: applied over two passes, then stable
    (tmp_path / "mod.py").write_text("x = ('OLD', 'OLD')\n")
    _run(tmp_path, "--fix", ".")
    assert (tmp_path / "mod.py").read_text() == "x = ('NEW', 'NEW')\n"


def test_unsafe_fixes_need_the_option(tmp_path):
    target = tmp_path / "mod.py"
    target.write_text("a = 'lower'\nb = 'OLD'\n")
    report = _run(tmp_path, ".")
    assert "Found 2 errors (1 fixable with `--fix`)." in report.stdout
    assert "1 hidden fix can be enabled with the `--unsafe-fixes` option." in report.stdout
    _run(tmp_path, "--fix", ".")
    assert target.read_text() == "a = 'lower'\nb = 'NEW'\n"
    _run(tmp_path, "--fix", "--unsafe-fixes", ".")
    assert target.read_text() == "a = 'LOWER'\nb = 'NEW'\n"


def test_json_output_carries_fix_edits(tmp_path):
    import json

    (tmp_path / "mod.py").write_text("x = 1\ny = 'OLD'\n")
    [d] = json.loads(_run(tmp_path, "--output-format", "json", ".").stdout)
    assert d["fix"]["applicability"] == "safe"
    [edit] = d["fix"]["edits"]
    # narrowed to what changes: "OLD" -> "NEW" inside the string literal
    assert edit == {"content": "NEW", "location": {"row": 2, "column": 6}, "end_location": {"row": 2, "column": 9}}
