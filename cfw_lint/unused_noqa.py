"""CFW005 unused-noqa, as ruff's RUF100: noqa directives naming cfw-lint codes that suppressed
nothing, that are unknown, or that are not enabled. It runs in the runner after every other
check and fix, since only then is it known which directives were used (the engine reports what
it suppressed in Python files, the runner's filter what it suppressed for project rules)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

from cfw_lint.diagnostics import Applicability, Diagnostic, Edit, Fix, Position, Severity
from cfw_lint.source import DecodeError, LineIndex, decode_python
from cfw_lint.suppress import line_suppressions, python_suppressions, removal_span, unused_directives

if TYPE_CHECKING:
    from cfw_lint.files import Found
    from cfw_lint.runner import Runner

CODE = "CFW005"
# a file that does not parse or read has no trustworthy record of what was suppressed
_BROKEN = ("CFW001", "CFW002", "CFW003")


def unused_noqa_diagnostics(runner: Runner, found: list[Found]) -> None:
    from cfw_lint.registry import rule_kinds, rule_table

    known = frozenset(rule_kinds())  # no rule module imported: a cached run stays without LibCST
    if CODE not in known:
        return
    meta = rule_table()[CODE]
    name, severity = meta["name"], Severity(meta["severity"])
    broken = {d.path for d in runner.result.diagnostics if d.code in _BROKEN}
    fix_mode = runner.o.fix_mode or ("safe" if runner.o.diff else None)
    for f in found:
        path = Path(os.path.abspath(f.path))
        enabled = runner.codes_for(path)
        display = runner.display(path)
        if CODE not in enabled or display in broken:
            continue
        if f.kind == "python" and path in runner.without_noqa:
            continue  # its bytes hold no directive: not read again
        project = runner.index.project_of(path)
        if f.kind == "python":
            recorded = runner._noqa_used.get(path)
            # not linted, linted before this version recorded usage, or not Worker code (only
            # parse problems are reported there, so every directive would look unused)
            if recorded is None or not project.is_worker_source(path):
                continue
            used = {(int(line), str(code)) for line, code in recorded}
        else:
            if project.config is None:
                continue  # project rules did not run
            used = set()
        text = project.read_text(path)
        if text is None or "noqa" not in text.lower():
            continue
        if f.kind == "python":
            suppressions = python_suppressions(text)
        else:
            suppressions = line_suppressions(text, "//" if path.suffix in (".json", ".jsonc") else "#")
        used |= runner._filter_used.get(path, set())
        unused = unused_directives(suppressions, used, enabled, known)
        if not unused:
            continue
        index = LineIndex(text)
        lines = text.splitlines(keepends=True)
        offsets = [0]
        for line in lines:
            offsets.append(offsets[-1] + len(line))
        diagnostics = []
        for u in unused:
            d = u.directive
            start, end, replacement = removal_span(lines[d.line - 1], offsets[d.line - 1], u)
            title = f"Remove unused codes, keep `{u.keep}`" if u.keep else "Remove the directive"
            edit = Edit(start, end, replacement, start_pos=index.position(start), end_pos=index.position(end))
            diagnostics.append(
                Diagnostic(
                    code=CODE,
                    name=name,
                    message=u.message(),
                    severity=severity,
                    path=display,
                    start=Position(d.line, d.start + 1),
                    end=Position(d.line, d.end + 1),
                    fix=Fix((edit,), Applicability.SAFE, title),
                    noqa_line=d.line,
                )
            )
        diagnostics = runner.fix_policy_for(path)(diagnostics)
        fixes = []
        if fix_mode is not None:  # the engine (and LibCST) only when fixing
            from cfw_lint.engine import allowed

            fixes = [d for d in diagnostics if d.fix and allowed(d.fix.applicability, fix_mode)]
        runner.result.diagnostics.extend(d for d in diagnostics if d not in fixes)
        if fixes:
            from cfw_lint.fixes import apply_edits

            fixed = apply_edits(text, [e for d in fixes if d.fix is not None for e in d.fix.edits])
            if f.kind == "python" and not _parses(fixed):
                runner.result.diagnostics.extend(fixes)  # never write code that does not parse
                continue
            _apply(runner, path, f.kind, text, fixed, len(fixes))


def _parses(text: str) -> bool:
    import ast
    import warnings

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            ast.parse(text)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return False
    return True


def _apply(runner: Runner, path: Path, kind: str, before: str, after: str, count: int) -> None:
    from cfw_lint.runner import _encode_config, unified_diff, write_atomic

    display = runner.display(path)
    project = runner.index.project_of(path)
    project.overrides[path] = after
    if runner.o.diff:
        # one diff per file: replace the one earlier fixes produced, from the unchanged file
        header = f"--- a/{display}\n"
        runner.result.diffs = [c for c in runner.result.diffs if not c.startswith(header)]
        original = before
        try:
            data = path.read_bytes()
            original = decode_python(data).text if kind == "python" else data.decode("utf-8-sig")
        except (OSError, UnicodeDecodeError, ValueError, DecodeError):
            pass
        runner.result.diffs.append(unified_diff(display, original, after))
        return
    runner.result.fixed.setdefault(display, []).extend([CODE] * count)
    if runner.stdin_path is not None:
        if path == runner.stdin_path:
            runner.result.stdin_output = after
        return
    try:
        if kind == "python":
            data = decode_python(path.read_bytes()).encode(after)
        else:
            data = _encode_config(path, after)
        write_atomic(path, data)
    except (OSError, ValueError, DecodeError) as exc:
        runner.result.errors.append(f"{display}: could not write fixes: {exc}")
