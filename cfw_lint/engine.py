"""The core: bytes in, results out, for one Python file.

The CLI, standard input, the tests and (later) the language server all call `lint_python`.
One parse and one batched traversal per pass; positions are resolved only when something was
reported, and fixes are built only for reports that offer one.
"""

from __future__ import annotations

import ast
import os
import re
import sys
from dataclasses import dataclass, field
from typing import Any, Callable, Mapping, Sequence

import libcst as cst
from libcst.metadata import MetadataWrapper, PositionProvider, WhitespaceInclusivePositionProvider

from cfw_lint import cstmeta, reparse
from cfw_lint.astrule import AstFile, AstReport, AstRule, char_column
from cfw_lint.diagnostics import Applicability, Diagnostic, FileResult, Position, Severity
from cfw_lint.facts import FactsCollector
from cfw_lint.fixes import FixBuilder, FixUnavailable, apply_edits, select_non_overlapping
from cfw_lint.positions import NodePositions
from cfw_lint.rule import FileContext, FileState, PythonRule, Report, SourceRule, _text_prefilter
from cfw_lint.source import DecodeError, LineIndex, SourceText, decode_python
from cfw_lint.summary import ModuleSummary, summarize
from cfw_lint.suppress import Suppressions, python_suppressions

MAX_FIX_PASSES = 10

# LibCST recurses once per nesting level; real code nests far less than this, and a
# RecursionError on a pathological file becomes a diagnostic, not a crash.
if sys.getrecursionlimit() < 6000:
    sys.setrecursionlimit(6000)


class FixMode:
    NONE = None
    SAFE = "safe"
    UNSAFE = "unsafe"


def allowed(applicability: Applicability, mode: str | None) -> bool:
    if mode is None:
        return False
    return applicability is Applicability.SAFE or mode == FixMode.UNSAFE


@dataclass
class Pass:
    """The result of checking one version of a file's text."""

    diagnostics: list[Diagnostic]
    facts: dict[str, Any] | None
    parse_error: Diagnostic | None = None
    # (line, code) of the noqa directives that suppressed something (CFW005 reports the rest)
    noqa_used: list[tuple[int, str]] = field(default_factory=list)


def _builtin(code: str, name: str, message: str, path: str, line: int = 1, column: int = 1) -> Diagnostic:
    pos = Position(line, column)
    return Diagnostic(code, name, message, Severity.ERROR, path, pos, pos)


def syntax_error(path: str, message: str, line: int = 1, column: int = 1) -> Diagnostic:
    return _builtin("CFW001", "syntax-error", message, path, line, column)


def unreadable(path: str, message: str) -> Diagnostic:
    return _builtin("CFW002", "unreadable-file", message, path)


def analysis_failed(path: str, message: str, line: int = 1, column: int = 1) -> Diagnostic:
    return _builtin("CFW004", "analysis-failed", message, path, line, column)


def refused(text: str, path: str) -> Diagnostic | None:
    """CFW001 for what CPython refuses to compile (the compiler's errors too: `return` outside a
    function, `nonlocal` at module level), CFW004 for what LibCST's parser could crash on."""
    from cfw_lint.guard import check

    refusal = check(text, path)
    if refusal is None:
        return None
    if refusal.code == "CFW001":
        return syntax_error(path, refusal.message, refusal.line, refusal.column)
    return analysis_failed(path, refusal.message, refusal.line, refusal.column)


def parse(text: str, path: str, *, checked: bool = False) -> cst.Module | Diagnostic:
    """LibCST's module for `text`; `checked` when `refused` already passed it."""
    refusal = None if checked else refused(text, path)  # what CPython refuses never reaches LibCST
    if refusal is not None:
        return refusal
    reused = reparse.reuse(text, path)  # the statements an edit left alone are not parsed again
    if reused is not None:
        return reused
    try:
        module = cst.parse_module(text)
        reparse.remember(path, text, module)
        return module
    except cst.ParserSyntaxError as exc:
        # Python's own parser points where people expect (LibCST often points at the next
        # token); use it when it agrees that the code is invalid
        located = _python_syntax_error(text)
        if located is not None:
            return syntax_error(path, *located)
        # Python accepts it, LibCST does not: say so rather than call valid code invalid
        return syntax_error(
            path,
            "cfw-lint's parser (LibCST) cannot parse this file, although Python accepts it; the "
            f"file is not checked ({exc.message.splitlines()[0] if exc.message else 'parse error'})",
            exc.editor_line,
            exc.editor_column,
        )
    except RecursionError:
        return analysis_failed(path, "could not be analysed: the code is nested too deeply for cfw-lint's parser")
    except Exception as exc:  # the native parser reports some errors as plain exceptions
        return analysis_failed(path, f"could not be analysed: cfw-lint's parser failed ({exc})")


def _python_syntax_error(text: str) -> tuple[str, int, int] | None:
    import ast
    import warnings

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            ast.parse(text)
    except SyntaxError as exc:
        return f"SyntaxError: {exc.msg}", exc.lineno or 1, max(exc.offset or 1, 1)
    except (ValueError, RecursionError, MemoryError):
        return None
    return None


_IMPORT_LINE = re.compile(r"^[ \t]*(?:from[ \t]+([A-Za-z_][\w.]*)[ \t]+import\b|import[ \t]+([^#;\n]+))", re.M)


# `__import__("pwd")`, `importlib.import_module("curses")`: literal dynamic imports count too
_DYNAMIC_IMPORT = re.compile(r"""(?:__import__|import_module)\(\s*['"]([A-Za-z_][\w.]*)""")


def imported_top_level(text: str) -> frozenset[str]:
    """Top-level names of the modules a file imports anywhere (`import a.b as c` gives `a`).

    A superset check for the `modules` pre-filter: import statements start a line (a `;`-joined
    import is missed, which only skips rules on that rare file)."""
    found: set[str] = set()
    for match in _DYNAMIC_IMPORT.finditer(text):
        found.add(match.group(1).split(".")[0])
    for match in _IMPORT_LINE.finditer(text):
        if match.group(1):
            found.add(match.group(1).split(".")[0])
            continue
        for part in match.group(2).replace("(", " ").replace(")", " ").replace("\\", " ").split(","):
            name = part.strip().split(" ")[0]
            if name:
                found.add(name.split(".")[0])
    return frozenset(found)


def _active_rules(
    rules: Sequence[type[SourceRule]], context: FileContext, text: str, summary: ModuleSummary | None
) -> list[type[SourceRule]]:
    """The rules that can report in this file: the summary's pre-filters when `ast` parsed it,
    else the text pre-filters."""
    active = []
    imported: frozenset[str] | None = None
    for rule in rules:
        if summary is not None:
            if not rule.could_fire(summary, text):
                continue
        else:
            if rule.modules and imported is None:
                imported = imported_top_level(text)
            if not _text_prefilter(rule, text, imported):
                continue
        if not rule.applies(context):
            continue
        active.append(rule)
    return active


# Set by the test suite: every rule runs on every file, and a report from a rule whose
# pre-filter said it could not report fails loudly (the output is what the pre-filters give).
CHECK_PREFILTERS = os.environ.get("CFW_LINT_CHECK_PREFILTERS") == "1"


class PrefilterMissed(AssertionError):
    pass


def check_text(
    text: str,
    context: FileContext,
    rules: Sequence[type[SourceRule]],
    *,
    collect_facts: bool | None = None,
) -> Pass:
    """Lint one version of a file: one `ast` summary, the `ast` rules on its tree, then, for the
    LibCST rules that can report here, one LibCST parse and one traversal; diagnostics with fixes.

    A file on which no LibCST rule can fire never reaches LibCST: the `ast` parse checks its
    syntax and gives its project facts."""
    if collect_facts is None:
        collect_facts = context.needs_facts
    # every file gets CPython's verdict, also those that never reach LibCST
    refusal = refused(text, context.path)
    if refusal is not None:
        return Pass([refusal], None, parse_error=refusal)
    summary = summarize(text)
    tree = summary.tree if summary is not None else None
    if summary is not None and summary.needs_libcst_parse:
        summary = None
    active = _active_rules(rules, context, text, summary)
    ran = [r for r in rules if r.applies(context)] if CHECK_PREFILTERS else active
    ast_rules = [r for r in ran if issubclass(r, AstRule)]
    cst_rules = [r for r in ran if issubclass(r, PythonRule)]
    ast_found: list[Diagnostic] = []
    suppressions: Suppressions | None = None
    if ast_rules and tree is not None:
        ast_reports = _run_ast_rules(ast_rules, context, tree, text)
        _check_prefilters(context, active, {r.rule for r in ast_reports})
        if ast_reports:
            suppressions = python_suppressions(text)
            ast_found = _ast_diagnostics(text, context, ast_reports, suppressions)
    if not cst_rules and summary is not None:
        facts = summary.facts() if collect_facts else None
        used = sorted(suppressions.used) if suppressions is not None else []
        return Pass(sorted(ast_found, key=Diagnostic.sort_key), facts, noqa_used=used)
    parsed = parse(text, context.path, checked=True)
    if isinstance(parsed, Diagnostic):
        return Pass([parsed], None, parse_error=parsed)
    module = parsed
    reports: list[Report] = []
    state = FileState(module, text)
    visitors: list[cst.BatchableCSTVisitor] = [rule(context, reports, state) for rule in cst_rules]
    # the summary's facts are FactsCollector's, without a LibCST pass
    facts_collector = FactsCollector() if collect_facts and summary is None else None
    if facts_collector is not None:
        visitors.append(facts_collector)
    wrapper = MetadataWrapper(module, unsafe_skip_copy=True)
    if visitors:
        try:
            parents = cstmeta.resolve(wrapper, cstmeta.providers_of(visitors))
            if parents is None:
                wrapper.visit_batched(visitors)
            else:
                wrapper.visit_batched(visitors, before_visit=parents.enter, after_leave=parents.leave)
        except RecursionError:
            failed = analysis_failed(context.path, "could not be analysed: the code is nested too deeply for cfw-lint")
            return Pass([failed], None, parse_error=failed)
    _check_prefilters(context, active, {r.rule for r in reports})
    facts = facts_collector.facts() if facts_collector is not None else None
    if collect_facts and summary is not None:
        facts = summary.facts()
    if not reports:
        used = sorted(suppressions.used) if suppressions is not None else []
        return Pass(sorted(ast_found, key=Diagnostic.sort_key), facts, noqa_used=used)
    if suppressions is None:
        suppressions = python_suppressions(text)
    found = _diagnostics(text, context, module, wrapper, reports, suppressions)
    found = sorted(found + ast_found, key=Diagnostic.sort_key)
    return Pass(found, facts, noqa_used=sorted(suppressions.used))


def _check_prefilters(context: FileContext, active: Sequence[type[Any]], reported: set[type[Any]]) -> None:
    missed = sorted(r.code for r in reported if r not in active)
    if missed:
        raise PrefilterMissed(f"{', '.join(missed)} reported in {context.path}, which its pre-filter ruled out")


def _run_ast_rules(
    rules: Sequence[type[AstRule]], context: FileContext, tree: ast.Module, text: str
) -> list[AstReport]:
    reports: list[AstReport] = []
    file = AstFile(tree, text)
    for rule in rules:
        rule(context, file, reports).check()
    return reports


def _ast_diagnostics(
    text: str, context: FileContext, reports: list[AstReport], suppressions: Suppressions
) -> list[Diagnostic]:
    index = LineIndex(text)
    out: list[Diagnostic] = []
    seen: set[tuple] = set()
    for report in reports:
        start = Position(report.line, char_column(index, text, report.line, report.col) + 1)
        end = Position(report.end_line, char_column(index, text, report.end_line, report.end_col) + 1)
        found = _diagnostic(context, suppressions, seen, report.rule, report.message, report.severity, start, end)
        if found is not None:
            out.append(found)
    return out


def _diagnostic(
    context: FileContext,
    suppressions: Suppressions,
    seen: set[tuple],
    rule: type[SourceRule],
    message: str,
    severity: Severity,
    start: Position,
    end: Position,
) -> Diagnostic | None:
    """One report's diagnostic (without a fix), or None when it repeats an earlier report (one
    node reached twice, e.g. through two visit methods) or a noqa comment suppresses it."""
    key = (rule.code, start, end, message)
    if key in seen:
        return None
    seen.add(key)
    if suppressions.suppressed(rule.code, start.line):
        return None
    return Diagnostic(
        code=rule.code,
        name=rule.name,
        message=message,
        severity=severity,
        path=context.path,
        start=start,
        end=end,
        noqa_line=suppressions.statement_line(start.line),
    )


def _diagnostics(
    text: str,
    context: FileContext,
    module: cst.Module,
    wrapper: MetadataWrapper,
    reports: list[Report],
    suppressions: Suppressions | None = None,
) -> list[Diagnostic]:
    # positions only for what was reported (and what fixes touch), not the whole module
    index = LineIndex(text)
    node_positions = NodePositions(module, text, index)
    positions: Mapping[Any, Any] = node_positions.syntactic
    inclusive: Mapping[Any, Any] = node_positions.inclusive
    metadata = wrapper._metadata  # noqa: SLF001 - reuse what a rule already had computed
    if PositionProvider in metadata and WhitespaceInclusivePositionProvider in metadata:
        positions, inclusive = metadata[PositionProvider], metadata[WhitespaceInclusivePositionProvider]
    if suppressions is None:
        suppressions = python_suppressions(text)
    out: list[Diagnostic] = []
    seen: set[tuple] = set()
    for report in reports:
        rng = positions[report.node]
        end_rng = positions[report.end_node] if report.end_node is not None else rng
        start = Position(rng.start.line, rng.start.column + 1)
        end = Position(end_rng.end.line, end_rng.end.column + 1)
        found = _diagnostic(context, suppressions, seen, report.rule, report.message, report.severity, start, end)
        if found is None:
            continue
        if report.fix is not None:
            builder = FixBuilder(module, text, index, positions, inclusive)
            try:
                report.fix(builder)
                found.fix = builder.build(report.applicability, None)
            except FixUnavailable:
                pass
        out.append(found)
    out.sort(key=Diagnostic.sort_key)
    return out


def lint_python(
    data: bytes | str,
    context: FileContext,
    rules: Sequence[type[SourceRule]],
    *,
    fix_mode: str | None = None,
    fix_policy: Callable[[list[Diagnostic]], list[Diagnostic]] | None = None,
) -> FileResult:
    """Lint (and with `fix_mode`, fix) one Python file given as bytes or already decoded text.

    `fix_policy` drops or re-classifies fixes (settings `fixable`, `extend-safe-fixes` ...)."""
    result = FileResult(path=context.path)
    if isinstance(data, bytes):
        try:
            source = decode_python(data)
        except DecodeError as exc:
            result.diagnostics = [unreadable(context.path, f"not decodable: {exc}")]
            return result
    else:
        source = SourceText(text=data, encoding="utf-8", bom=False)
    text = source.text
    current = check_text(text, context, rules)
    if fix_policy is not None:
        current.diagnostics = fix_policy(current.diagnostics)
    for _ in range(MAX_FIX_PASSES):
        if fix_mode is None or current.parse_error is not None:
            break
        candidates = [d.fix for d in current.diagnostics if d.fix and allowed(d.fix.applicability, fix_mode)]
        if not candidates:
            break
        by_fix = {id(d.fix): d.code for d in current.diagnostics if d.fix}
        chosen = select_non_overlapping(candidates)
        new_text = apply_edits(text, [e for f in chosen for e in f.edits])
        following = check_text(new_text, context, rules)
        if fix_policy is not None:
            following.diagnostics = fix_policy(following.diagnostics)
        if following.parse_error is not None:
            # a fix that breaks parsing is never written; keep what we had
            codes = ", ".join(sorted({by_fix[id(f)] for f in chosen}))
            print(
                f"cfw-lint: warning: fixes ({codes}) for {context.path} produced code that does "
                f"not parse; they were not applied",
                file=sys.stderr,
            )
            break
        result.applied.extend(by_fix[id(f)] for f in chosen)
        text, current = new_text, following
    result.diagnostics = current.diagnostics
    result.facts = current.facts
    result.noqa_used = None if current.parse_error is not None else current.noqa_used
    if text != source.text:
        result.fixed_text = text
    return result


__all__ = [
    "FixMode",
    "Suppressions",
    "check_text",
    "lint_python",
    "parse",
]
