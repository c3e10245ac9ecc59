"""Output formats, as ruff's: full (code frames), concise, json, json-lines, sarif, github, gitlab.

Code frames read source lines only for files that have diagnostics, and only in `full` format.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections import Counter
from pathlib import Path
from typing import Any, Callable, Iterable, Mapping, TextIO

from cfw_lint import __version__
from cfw_lint.diagnostics import Applicability, Diagnostic, Severity

FORMATS = ("full", "concise", "json", "json-lines", "sarif", "github", "gitlab")
# accepted on the command line and in settings; `text` was the name of `full` before 0.2
ALIASES = {"text": "full"}
DEFAULT_FORMAT = "full"


def use_color(stream: TextIO, environ: Mapping[str, str] | None = None) -> bool:
    """Colour on a terminal; `NO_COLOR` (non-empty) turns it off, `FORCE_COLOR` (non-empty, not
    `0`) turns it on anywhere. NO_COLOR wins when both are set."""
    env = os.environ if environ is None else environ
    if env.get("NO_COLOR"):
        return False
    if env.get("FORCE_COLOR", "") not in ("", "0"):
        return True
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


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


MIN_HEADLINE_WORDS = 3


def headline(message: str) -> tuple[str, str]:
    """Split a rule message into a short headline and the rest.

    Rule messages read "what is wrong: the runtime's error; what to do". The headline is the text
    up to the first `: `, `; ` or `. ` that is not inside backticks, quotes or brackets and ends
    at least three words (a bare subject such as "`fastapi`: ..." is not a headline)."""
    depth = 0
    quote: str | None = None
    for i, ch in enumerate(message):
        if quote is not None:
            if ch == quote:
                quote = None
            continue
        if ch in '`"':
            quote = ch
        elif ch in "([{":
            depth += 1
        elif ch in ")]}":
            depth = max(0, depth - 1)
        elif ch in ":;." and depth == 0 and message[i + 1 : i + 2] == " " and i > 0:
            rest = message[i + 2 :].strip()
            if rest and len(message[:i].split()) >= MIN_HEADLINE_WORDS:
                return message[:i], rest
    return message.rstrip("."), ""


CONTEXT_LINES = 2


def _display_col(line: str, column: int) -> int:
    """0-based display column of 1-based character column `column` (tabs count as 4)."""
    return len(line[: max(0, column - 1)].expandtabs(4))


def _frame(d: Diagnostic, lines: list[str], color: bool) -> tuple[list[str], int]:
    """The code frame: the span's first line with context around it, carets under the span
    (to the end of that line when the span goes on; the label says where it ends)."""
    first = d.start.line
    top = max(1, first - CONTEXT_LINES)
    bottom = min(len(lines), first + CONTEXT_LINES)
    while top < first and not lines[top - 1].strip():
        top += 1
    while bottom > first and not lines[bottom - 1].strip():
        bottom -= 1
    width = len(str(bottom))
    bar = _paint("|", "blue", color)
    raw = lines[first - 1]
    start = _display_col(raw, d.start.column)
    multiline = d.end.line > first and not (d.end.line == first + 1 and d.end.column == 1)
    if d.end.line == first:
        stop = _display_col(raw, d.end.column)
    else:
        stop = len(raw.expandtabs(4).rstrip())
    label = d.severity.value + (f" (the span ends at {d.end.line}:{d.end.column})" if multiline else "")
    caret = " " * start + "^" * max(1, stop - start) + " " + label
    out = [f"{' ' * width} {bar}"]
    for n in range(top, bottom + 1):
        text = lines[n - 1].expandtabs(4).rstrip()
        out.append(f"{_paint(str(n).rjust(width), 'blue', color)} {bar}" + (f" {text}" if text else ""))
        if n == first:
            out.append(f"{' ' * width} {bar} {_paint(caret, _SEVERITY_COLOR[d.severity], color)}")
    out.append(f"{' ' * width} {bar}")
    return out, width


def _help(d: Diagnostic, unsafe: bool) -> str | None:
    """The fix title, and how to apply it."""
    if d.fix is None:
        return None
    if d.fix.applicability is Applicability.SAFE:
        how = "`cfw-lint --fix` applies it"
    elif unsafe:
        how = "unsafe fix: `cfw-lint --fix --unsafe-fixes` applies it"
    else:
        how = "an unsafe fix is available with `--fix --unsafe-fixes`"
    return f"{d.fix.message} ({how})" if d.fix.message else how[0].upper() + how[1:]


def render_full(
    diagnostics: list[Diagnostic],
    out: TextIO,
    *,
    color: bool,
    source_of: Callable[[str], str | None],
    unsafe: bool,
) -> None:
    """ruff's `full` format: header, code frame, note, help, severity and where to read more."""
    lines_cache: dict[str, list[str] | None] = {}
    for d in diagnostics:
        short, rest = headline(d.message)
        location = _paint(f"{d.path}:{d.start.line}:{d.start.column}:", "bold", color)
        code = _paint(d.code, _SEVERITY_COLOR[d.severity], color)
        out.write(f"{location} {code} {_fix_marker(d, unsafe)}{_paint(short, 'bold', color)}\n")
        if d.path not in lines_cache:
            text = source_of(d.path)
            lines_cache[d.path] = text.splitlines() if text is not None else None
        lines = lines_cache[d.path]
        gutter = " " * 2
        if lines and d.start.line <= len(lines):
            frame, width = _frame(d, lines, color)
            out.write("\n".join(frame) + "\n")
            gutter = " " * (width + 1)
        eq = _paint("=", "blue", color)
        if rest:
            out.write(f"{gutter}{eq} {_paint('note', 'bold', color)}: {rest}\n")
        helped = _help(d, unsafe)
        if helped:
            out.write(f"{gutter}{eq} {_paint('help', 'cyan', color)}: {helped}\n")
        out.write(
            f"{gutter}{eq} {_paint(d.severity.value, _SEVERITY_COLOR[d.severity], color)}: "
            f"{d.code} ({d.name}); `cfw-lint rule {d.code}` explains it\n\n"
        )


render_text = render_full  # the name used before `full`


def render_concise(diagnostics: list[Diagnostic], out: TextIO, *, color: bool, unsafe: bool) -> None:
    for d in diagnostics:
        location = _paint(f"{d.path}:{d.start.line}:{d.start.column}:", "bold", color)
        code = _paint(d.code, _SEVERITY_COLOR[d.severity], color)
        out.write(f"{location} {code} {_fix_marker(d, unsafe)}{d.message}\n")


def document(d: Diagnostic, *, cwd: Path | None = None, url: str | None = None) -> dict[str, Any]:
    """One diagnostic in the JSON schema (ruff's fields plus `name` and `severity`).

    `filename` and each edit's `path` are both relative to the working directory (an edit's
    `path` only appears when it changes another file than `filename`)."""
    data = d.to_json()
    if url is not None:
        data["url"] = url
    if data.get("fix"):
        base = Path(os.path.abspath(cwd or os.getcwd()))
        own = os.path.abspath(base / d.path)
        for edit in data["fix"]["edits"]:
            target = edit.pop("path", None)
            if target is None or os.path.abspath(base / target) == own:
                continue
            try:
                edit["path"] = Path(os.path.abspath(base / target)).relative_to(base).as_posix()
            except ValueError:
                edit["path"] = str(target)
    return data


def rule_url(code: str, template: str | None = None) -> str | None:
    from cfw_lint.registry import rule_url as default_url

    if template:
        return template.replace("{code}", code)
    return default_url(code)


def render_json(
    diagnostics: list[Diagnostic], out: TextIO, *, cwd: Path | None = None, url_template: str | None = None
) -> None:
    docs = [document(d, cwd=cwd, url=rule_url(d.code, url_template)) for d in diagnostics]
    json.dump(docs, out, indent=2)
    out.write("\n")


def render_json_lines(
    diagnostics: list[Diagnostic], out: TextIO, *, cwd: Path | None = None, url_template: str | None = None
) -> None:
    for d in diagnostics:
        out.write(json.dumps(document(d, cwd=cwd, url=rule_url(d.code, url_template))) + "\n")


_GITLAB_SEVERITY = {Severity.ERROR: "major", Severity.WARNING: "minor", Severity.INFO: "info"}


def render_gitlab(diagnostics: list[Diagnostic], out: TextIO) -> None:
    """GitLab code quality report (a JSON array of issues)."""
    seen: Counter[str] = Counter()
    issues = []
    for d in diagnostics:
        # stable when lines move: path, code and message, plus a counter for repeats
        basis = f"{d.path}\0{d.code}\0{d.message}"
        seen[basis] += 1
        fingerprint = hashlib.sha256(f"{basis}\0{seen[basis]}".encode()).hexdigest()[:32]
        issues.append(
            {
                "description": f"{d.code} {headline(d.message)[0]}",
                "check_name": d.code,
                "fingerprint": fingerprint,
                "severity": _GITLAB_SEVERITY[d.severity],
                "location": {
                    "path": d.path,
                    "positions": {
                        "begin": {"line": d.start.line, "column": d.start.column},
                        "end": {"line": d.end.line, "column": d.end.column},
                    },
                },
            }
        )
    json.dump(issues, out, indent=2)
    out.write("\n")


_SARIF_LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}


def _sarif_help(code: str) -> dict[str, str]:
    """The rule's reference page: the long explanation lives there, not in every message."""
    from cfw_lint.docs import rule_page

    page = rule_page(code)
    pointer = f"Run `cfw-lint rule {code}` for the full reference page."
    if page is None:
        return {"text": pointer}
    return {"text": page, "markdown": page}


def render_sarif(diagnostics: list[Diagnostic], out: TextIO, *, url_template: str | None = None) -> None:
    from cfw_lint.registry import all_rules

    rules = all_rules()
    codes = list(rules)
    sarif_rules = [
        {
            "id": code,
            "name": rule.name,
            "shortDescription": {"text": rule.summary or rule.name},
            "fullDescription": {"text": rule.summary or rule.name},
            "help": _sarif_help(code),
            **({"helpUri": rule_url(code, url_template)} if rule_url(code, url_template) else {}),
            "defaultConfiguration": {"level": _SARIF_LEVEL[rule.severity]},
            "properties": {"fix": rule.fix.value, "kind": rule.kind},
        }
        for code, rule in rules.items()
    ]
    results = []
    for d in diagnostics:
        result: dict[str, Any] = {
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


def statistics(diagnostics: Iterable[Diagnostic], out: TextIO, *, unsafe: bool, fmt: str = "full") -> None:
    """Counts per rule: a JSON array for json/json-lines, else ruff's table."""
    diagnostics = list(diagnostics)
    counts = Counter(d.code for d in diagnostics)
    names = {d.code: d.name for d in diagnostics}
    fixable = Counter(d.code for d in diagnostics if _fix_marker(d, unsafe))
    ordered = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    if fmt in ("json", "json-lines"):
        rows = [
            {
                "code": code,
                "name": names[code],
                "count": count,
                "fixable": fixable[code] > 0,
                "fixable_count": fixable[code],
            }
            for code, count in ordered
        ]
        json.dump(rows, out, indent=2)
        out.write("\n")
        return
    width = max((len(str(n)) for n in counts.values()), default=1)
    for code, count in ordered:
        marker = "[*]" if fixable[code] else "[ ]"
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
