"""Output formats: text (with code frames), concise, json, sarif, github.

Code frames read source lines only for files that have diagnostics, and only in `text` format.
"""

from __future__ import annotations

import json
from collections import Counter
from typing import Callable, Iterable, TextIO

from cfw_lint import __version__
from cfw_lint.diagnostics import Applicability, Diagnostic, Severity

FORMATS = ("text", "concise", "json", "sarif", "github")

_COLORS = {"bold": "1", "red": "31", "yellow": "33", "blue": "34", "cyan": "36", "dim": "2"}
_SEVERITY_COLOR = {Severity.ERROR: "red", Severity.WARNING: "yellow", Severity.INFO: "blue"}


def _paint(text: str, color: str, enabled: bool) -> str:
    return f"\x1b[{_COLORS[color]}m{text}\x1b[0m" if enabled else text


def _fix_marker(d: Diagnostic, unsafe: bool) -> str:
    if d.fix is None:
        return ""
    if d.fix.applicability is Applicability.SAFE or unsafe:
        return "[*] "
    return ""


def render_text(
    diagnostics: list[Diagnostic],
    out: TextIO,
    *,
    color: bool,
    source_of: Callable[[str], str | None],
    unsafe: bool,
) -> None:
    lines_cache: dict[str, list[str] | None] = {}
    for d in diagnostics:
        location = _paint(f"{d.path}:{d.start.line}:{d.start.column}:", "bold", color)
        code = _paint(d.code, _SEVERITY_COLOR[d.severity], color)
        out.write(f"{location} {code} {_fix_marker(d, unsafe)}{d.message}\n")
        if d.path not in lines_cache:
            text = source_of(d.path)
            lines_cache[d.path] = text.splitlines() if text is not None else None
        lines = lines_cache[d.path]
        if not lines or d.start.line > len(lines):
            out.write("\n")
            continue
        line_text = lines[d.start.line - 1].expandtabs(1)
        width = len(str(d.start.line))
        gutter = " " * (width + 1)
        start = d.start.column - 1
        if d.end.line == d.start.line:
            length = max(1, d.end.column - d.start.column)
        else:
            length = max(1, len(line_text) - start)
        caret = " " * start + "^" * length
        label = f"{d.severity.value}" + (" (fixable)" if _fix_marker(d, unsafe) else "")
        bar = _paint("|", "blue", color)
        out.write(f"{gutter}{bar}\n")
        out.write(f"{_paint(str(d.start.line), 'blue', color)} {bar} {line_text}\n")
        out.write(f"{gutter}{bar} {_paint(caret + ' ' + label, _SEVERITY_COLOR[d.severity], color)}\n")
        out.write(f"{gutter}{bar}\n\n")


def render_concise(diagnostics: list[Diagnostic], out: TextIO, *, color: bool, unsafe: bool) -> None:
    for d in diagnostics:
        location = _paint(f"{d.path}:{d.start.line}:{d.start.column}:", "bold", color)
        code = _paint(d.code, _SEVERITY_COLOR[d.severity], color)
        out.write(f"{location} {code} {_fix_marker(d, unsafe)}{d.message}\n")


def render_json(diagnostics: list[Diagnostic], out: TextIO) -> None:
    json.dump([d.to_json() for d in diagnostics], out, indent=2)
    out.write("\n")


_SARIF_LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}


def render_sarif(diagnostics: list[Diagnostic], out: TextIO) -> None:
    from cfw_lint.registry import all_rules

    rules = all_rules()
    codes = list(rules)
    sarif_rules = [
        {
            "id": code,
            "name": rule.name,
            "shortDescription": {"text": rule.summary or rule.name},
            "fullDescription": {"text": rule.summary or rule.name},
            "help": {"text": f"Run `cfw-lint rule {code}` for the full reference page."},
            "defaultConfiguration": {"level": _SARIF_LEVEL[rule.severity]},
            "properties": {"fix": rule.fix.value, "kind": rule.kind},
        }
        for code, rule in rules.items()
    ]
    results = []
    for d in diagnostics:
        result = {
            "ruleId": d.code,
            "level": _SARIF_LEVEL[d.severity],
            "message": {"text": d.message},
            "locations": [
                {
                    "physicalLocation": {
                        "artifactLocation": {"uri": d.path, "uriBaseId": "%SRCROOT%"},
                        "region": {
                            "startLine": d.start.line,
                            "startColumn": d.start.column,
                            "endLine": d.end.line,
                            "endColumn": d.end.column,
                        },
                    }
                }
            ],
        }
        if d.code in rules:
            result["ruleIndex"] = codes.index(d.code)
        results.append(result)
    document = {
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "cfw-lint",
                        "version": __version__,
                        "semanticVersion": __version__,
                        "rules": sarif_rules,
                    }
                },
                "originalUriBaseIds": {"%SRCROOT%": {"uri": "./"}},
                "results": results,
            }
        ],
    }
    json.dump(document, out, indent=2)
    out.write("\n")


def _gh_escape(value: str, *, prop: bool = False) -> str:
    value = value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    if prop:
        value = value.replace(":", "%3A").replace(",", "%2C")
    return value


_GH_COMMAND = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}


def render_github(diagnostics: list[Diagnostic], out: TextIO) -> None:
    for d in diagnostics:
        props = (
            f"file={_gh_escape(d.path, prop=True)},line={d.start.line},col={d.start.column},"
            f"endLine={d.end.line},endColumn={d.end.column},"
            f"title={_gh_escape(f'{d.code} ({d.name})', prop=True)}"
        )
        message = f"{d.path}:{d.start.line}:{d.start.column}: {d.code} {d.message}"
        out.write(f"::{_GH_COMMAND[d.severity]} {props}::{_gh_escape(message)}\n")


def statistics(diagnostics: Iterable[Diagnostic], out: TextIO, *, unsafe: bool) -> None:
    diagnostics = list(diagnostics)
    counts = Counter(d.code for d in diagnostics)
    names = {d.code: d.name for d in diagnostics}
    fixable = {d.code for d in diagnostics if _fix_marker(d, unsafe)}
    width = max((len(str(n)) for n in counts.values()), default=1)
    for code, count in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])):
        marker = "[*]" if code in fixable else "[ ]"
        out.write(f"{count:>{width}}\t{code}\t{marker} {names[code]}\n")


def summary(
    diagnostics: list[Diagnostic], fixed_count: int, *, unsafe: bool, fixing: bool, found: int | None = None
) -> str:
    """ruff's wording. With --fix, `found` is what a plain run reports, `fixed_count` how many of
    those the fixes removed; findings the fixes raised are counted as new."""
    remaining = len(diagnostics)
    if remaining == 0 and fixed_count == 0:
        return "All checks passed!"
    noun = lambda n: "error" if n == 1 else "errors"  # noqa: E731
    if fixing:
        total = found if found is not None else remaining + fixed_count
        new = remaining - (total - fixed_count)
        extra = f", {new} new" if new > 0 else ""
        text = f"Found {total} {noun(total)} ({fixed_count} fixed, {remaining} remaining{extra})."
    else:
        safe = sum(1 for d in diagnostics if d.fix and d.fix.applicability is Applicability.SAFE)
        unsafe_n = sum(1 for d in diagnostics if d.fix and d.fix.applicability is Applicability.UNSAFE)
        text = f"Found {remaining} {noun(remaining)}"
        fixable = safe + (unsafe_n if unsafe else 0)
        if fixable:
            text += f" ({fixable} fixable with `--fix`{' --unsafe-fixes' if unsafe and unsafe_n else ''})"
        text += "."
        if unsafe_n and not unsafe:
            text += (
                f"\n{unsafe_n} hidden fix{'es' if unsafe_n > 1 else ''} can be enabled with the "
                "`--unsafe-fixes` option."
            )
    return text
