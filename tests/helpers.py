"""Test helpers shared by every rule's tests.

`check` lints a snippet through the real engine (one file, a given runtime profile);
`fix` returns the fixed text and asserts that it parses and that fixing again changes nothing;
`findings` gives (code, line, column) triples for exact position assertions;
`run_cli` runs the command line on a project written to a temporary directory.
"""

from __future__ import annotations

import datetime as dt
import textwrap
from pathlib import Path
from typing import Iterable

import libcst as cst

from cfw_lint.diagnostics import Diagnostic, FixAvailability, Severity
from cfw_lint.engine import lint_python
from cfw_lint.rule import PythonRule
from cfw_lint.profile import RuntimeProfile, build_profile, default_profile
from cfw_lint.registry import all_rules, python_rules
from cfw_lint.rule import FileContext

# Compatibility dates on each side of the switches, for "both sides" tests.
LEGACY_312 = "2025-07-01"  # 3.12, module-level handlers
CLASS_312 = "2025-08-20"  # 3.12, class handlers
PY313 = "2025-11-01"  # 3.13, class handlers, legacy step.do
IMPLICIT_STEPS = "2026-03-01"  # 3.13, step.do implicit dependencies, in-runtime SDK
EXTERNAL_SDK = "2026-05-01"  # 3.13, external SDK must be vendored
PY314 = "2026-10-01"  # 3.14 (python_workers_314 implied)


def profile(
    date: str | None = None,
    flags: Iterable[str] = ("python_workers",),
    *,
    sdk: str | None = None,
) -> RuntimeProfile:
    if date is None and tuple(flags) == ("python_workers",):
        base = default_profile()
    else:
        base = build_profile(dt.date.fromisoformat(date) if date else None, frozenset(flags), source="test")
    return base.with_sdk(sdk, "pylock.toml" if sdk else None)


def _context(path: str, prof: RuntimeProfile, main: bool | None) -> FileContext:
    return FileContext(path=path, abspath=Path("/project") / path, profile=prof, is_main=main)


def _rules(select: Iterable[str] | None):
    codes = list(all_rules()) if select is None else [c for c in all_rules() if any(c.startswith(s) for s in select)]
    return python_rules(codes)


def check(
    code: str,
    *,
    date: str | None = None,
    flags: Iterable[str] = ("python_workers",),
    sdk: str | None = None,
    main: bool | None = True,
    select: Iterable[str] | None = None,
    path: str = "src/entry.py",
    dedent: bool = True,
) -> list[Diagnostic]:
    """Diagnostics for a snippet. `select` limits the rules (codes or prefixes)."""
    source = textwrap.dedent(code) if dedent else code
    result = lint_python(source, _context(path, profile(date, flags, sdk=sdk), main), _rules(select))
    return result.diagnostics


def findings(code: str, rule: str | None = None, **kw) -> list[tuple[str, int, int]]:
    """(code, line, column) of each diagnostic, optionally only those of `rule`."""
    select = kw.pop("select", [rule] if rule else None)
    return [
        (d.code, d.start.line, d.start.column)
        for d in check(code, select=select, **kw)
        if rule is None or d.code == rule
    ]


def fix(
    code: str,
    *,
    unsafe: bool = False,
    date: str | None = None,
    flags: Iterable[str] = ("python_workers",),
    sdk: str | None = None,
    main: bool | None = True,
    select: Iterable[str] | None = None,
    path: str = "src/entry.py",
    dedent: bool = True,
) -> str:
    """The fixed text. Asserts the result parses and that a second fix changes nothing."""
    source = textwrap.dedent(code) if dedent else code
    context = _context(path, profile(date, flags, sdk=sdk), main)
    rules = _rules(select)
    mode = "unsafe" if unsafe else "safe"
    first = lint_python(source, context, rules, fix_mode=mode)
    fixed = first.fixed_text if first.fixed_text is not None else source
    cst.parse_module(fixed)  # raises if the fix broke the code
    second = lint_python(fixed, context, rules, fix_mode=mode)
    assert second.fixed_text is None, f"second fix changed the code again:\n{second.fixed_text}"
    return fixed


def codes(diagnostics: Iterable[Diagnostic]) -> list[str]:
    return [d.code for d in diagnostics]


def write_project(root: Path, files: dict[str, str]) -> Path:
    """Write `files` (relative path -> text, dedented) under `root`."""
    for rel, text in files.items():
        target = root / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(textwrap.dedent(text), encoding="utf-8")
    return root


def run_cli(args: list[str], *, cwd: Path | None = None, input: str | None = None):
    """Run the CLI in-process; returns click's Result (exit_code, output, stderr)."""
    import os

    from click.testing import CliRunner

    from cfw_lint.cli import main

    runner = CliRunner()
    old = os.getcwd()
    if cwd is not None:
        os.chdir(cwd)
    try:
        return runner.invoke(main, args, input=input, catch_exceptions=False)
    finally:
        os.chdir(old)


class RenameOld(PythonRule):
    """Test rule: a string literal "OLD" becomes "NEW"."""

    code = "CFW990"
    name = "test-rename-old"
    severity = Severity.WARNING
    fix = FixAvailability.SAFE
    triggers = ("OLD",)

    def visit_SimpleString(self, node: cst.SimpleString) -> None:
        if "OLD" in node.value:
            self.report(node, "OLD string", fix=lambda fx, n=node: fx.replace(n, n.value.replace("OLD", "NEW")))


_LOADED_PROBE = """
import contextlib, io, runpy, sys
sys.argv = ["cfw-lint", *sys.argv[1:]]
out = io.StringIO()
try:
    with contextlib.redirect_stdout(out):
        runpy.run_module("cfw_lint", run_name="__main__")
except SystemExit:
    pass
loaded = sorted(m for m in sys.modules if m == "libcst" or m.startswith(("libcst.", "cfw_lint.rules.")))
print(repr((loaded, out.getvalue())))
"""


def loaded_by_cli(args: list[str], cwd: Path | None = None) -> tuple[list[str], str]:
    """Run the command line in a new interpreter: (LibCST and rule modules it imported, its stdout)."""
    import os
    import subprocess
    import sys

    root = Path(__file__).resolve().parent.parent
    env = {**os.environ, "PYTHONPATH": str(root) + os.pathsep + os.environ.get("PYTHONPATH", "")}
    done = subprocess.run(
        [sys.executable, "-c", _LOADED_PROBE, *args], capture_output=True, text=True, env=env, cwd=cwd, check=True
    )
    return eval(done.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]  # noqa: S307 - our own repr
