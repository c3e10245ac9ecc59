"""`# noqa` comments: per line, per statement (its first line), and per file; which of them
were used (for CFW005 unused-noqa), and adding them (`--add-noqa`)."""

from __future__ import annotations

import io
import re
import tokenize
from dataclasses import dataclass, field

# noqa comments, with or without codes (`noqa: CFW201, CFW202`), case-insensitive like flake8 and ruff
_NOQA = re.compile(r"(?:#|//)\s*noqa(?::\s*(?P<codes>[A-Z]+[0-9]+(?:[\s,]+[A-Z]+[0-9]+)*))?", re.IGNORECASE)
# `# cfw-lint: noqa` or `# cfw-lint: noqa: CFW201, CFW202` on a line of its own
_FILE_NOQA = re.compile(
    r"^\s*(?:#|//)\s*cfw-lint\s*:\s*noqa(?::\s*(?P<codes>[A-Z]+[0-9]+(?:[\s,]+[A-Z]+[0-9]+)*))?\s*$",
    re.IGNORECASE,
)
_CODE = re.compile(r"[A-Z]+[0-9]+", re.IGNORECASE)

ALL = None  # marker: every code


def _codes(match: re.Match[str]) -> frozenset[str] | None:
    raw = match.group("codes")
    if not raw:
        return ALL
    return frozenset(c.upper() for c in _CODE.findall(raw))


def _ordered(match: re.Match[str]) -> tuple[str, ...]:
    return tuple(c.upper() for c in _CODE.findall(match.group("codes") or ""))


FILE = 0  # the "line" of file-level directives in `Suppressions.used`
BLANKET = "*"  # the "code" of a directive without codes in `Suppressions.used`


@dataclass(frozen=True)
class Directive:
    """One noqa comment: where it is (1-based line, 0-based columns of the `# noqa...` text)
    and the codes it lists in order (empty: every code)."""

    line: int
    start: int
    end: int
    codes: tuple[str, ...]
    file_level: bool
    text: str


@dataclass
class Suppressions:
    lines: dict[int, frozenset[str] | None] = field(default_factory=dict)
    # physical line -> first line of its logical line (statement)
    logical_start: dict[int, int] = field(default_factory=dict)
    file_all: bool = False
    file_codes: frozenset[str] = frozenset()
    directives: list[Directive] = field(default_factory=list)
    # (line or FILE, code or BLANKET) of every directive code that suppressed something
    used: set[tuple[int, str]] = field(default_factory=set)

    def statement_line(self, line: int) -> int:
        return self.logical_start.get(line, line)

    def suppressed(self, code: str, line: int) -> bool:
        if self.file_all:
            self.used.add((FILE, BLANKET))
            return True
        if self._use(FILE, self.file_codes, code):
            return True
        for candidate in {line, self.statement_line(line)}:
            if candidate in self.lines and self._use(candidate, self.lines[candidate], code):
                return True
        return False

    def _use(self, line: int, codes: frozenset[str] | None, code: str) -> bool:
        if codes is ALL:
            self.used.add((line, BLANKET))
            return True
        hits = [c for c in codes if code.startswith(c)]
        self.used.update((line, c) for c in hits)
        return bool(hits)

    def _add_comment(self, line: int, comment: str, column: int = 0) -> None:
        file_match = _FILE_NOQA.match(comment)
        if file_match:
            codes = _codes(file_match)
            start = column + len(comment) - len(comment.lstrip())
            self.directives.append(
                Directive(line, start, column + len(comment.rstrip()), _ordered(file_match), True, comment.strip())
            )
            if codes is ALL:
                self.file_all = True
            else:
                self.file_codes = self.file_codes | codes
            return
        match = _NOQA.search(comment)
        if match:
            self.directives.append(
                Directive(line, column + match.start(), column + match.end(), _ordered(match), False, match.group(0))
            )
            codes = _codes(match)
            previous = self.lines.get(line, frozenset())
            if codes is ALL or previous is ALL:
                self.lines[line] = ALL
            else:
                self.lines[line] = previous | codes


def python_suppressions(text: str) -> Suppressions:
    """Read noqa comments from real comment tokens, and map lines to their statements."""
    result = Suppressions()
    has_noqa = "noqa" in text.lower()
    try:
        start: int | None = None
        for tok in tokenize.generate_tokens(io.StringIO(text).readline):
            kind = tok.type
            if kind == tokenize.COMMENT:
                if has_noqa:
                    result._add_comment(tok.start[0], tok.string, tok.start[1])
                continue
            if kind in (tokenize.NL, tokenize.INDENT, tokenize.DEDENT, tokenize.ENDMARKER):
                continue
            if kind == tokenize.NEWLINE:
                if start is not None:
                    for line in range(start, tok.end[0] + 1):
                        result.logical_start[line] = start
                start = None
                continue
            if start is None:
                start = tok.start[0]
    except (tokenize.TokenError, SyntaxError, IndentationError):
        # a file LibCST accepted but tokenize does not: fall back to plain comment matching
        return line_suppressions(text, comment="#")
    return result


def line_suppressions(text: str, comment: str = "#") -> Suppressions:
    """noqa comments in config files (TOML `#`, JSONC `//`), matched per line."""
    result = Suppressions()
    if "noqa" not in text.lower():
        return result
    for number, line in enumerate(text.splitlines(), start=1):
        at = line.find(comment)
        if at >= 0:
            result._add_comment(number, line[at:], at)
    return result


# -- CFW005 unused-noqa ----------------------------------------------------------------------
OWN_CODE = re.compile(r"^CFW\d{0,3}$")


@dataclass(frozen=True)
class Unused:
    """A directive with codes that suppress nothing; `keep` is what remains of it (None: remove)."""

    directive: Directive
    unused: tuple[str, ...]
    unknown: tuple[str, ...]
    disabled: tuple[str, ...]
    keep: str | None

    def message(self) -> str:
        if not self.directive.codes:
            return "Unused blanket `cfw-lint: noqa` directive: nothing in this file is reported"
        parts = [
            f"{label}: {', '.join(f'`{c}`' for c in codes)}"
            for label, codes in (("unused", self.unused), ("non-enabled", self.disabled), ("unknown", self.unknown))
            if codes
        ]
        return f"Unused `noqa` directive ({'; '.join(parts)})"


def unused_directives(
    suppressions: Suppressions,
    used: set[tuple[int, str]],
    enabled: frozenset[str],
    known: frozenset[str],
) -> list[Unused]:
    """Directives listing cfw-lint codes that suppressed nothing, or codes that are unknown or not
    enabled. Other tools' codes (`E501`) and blanket line `# noqa` (often meant for ruff or
    flake8) are left alone; a `CFW005` in a directive keeps it as it is."""
    out = []
    for d in suppressions.directives:
        key = FILE if d.file_level else d.line
        if not d.codes:
            if d.file_level and (key, BLANKET) not in used:
                out.append(Unused(d, (), (), (), None))
            continue
        if "CFW005" in d.codes or any("CFW005".startswith(c) for c in d.codes if OWN_CODE.match(c)):
            continue
        unused, unknown, disabled = [], [], []
        for code in d.codes:
            if not OWN_CODE.match(code):
                continue
            if not any(k.startswith(code) for k in known):
                unknown.append(code)
            elif not any(e.startswith(code) for e in enabled):
                disabled.append(code)
            elif (key, code) not in used:
                unused.append(code)
        if not (unused or unknown or disabled):
            continue
        drop = {*unused, *unknown, *disabled}
        remaining = [c for c in d.codes if c not in drop]
        keep = None
        if remaining:
            head = d.text[: _NOQA_CODES_AT.search(d.text).start("codes")]  # type: ignore[union-attr]
            keep = head + ", ".join(remaining)
        out.append(Unused(d, tuple(unused), tuple(unknown), tuple(disabled), keep))
    return out


_NOQA_CODES_AT = re.compile(r"noqa\s*:\s*(?P<codes>)", re.IGNORECASE)


def removal_span(line_text: str, line_offset: int, u: Unused) -> tuple[int, int, str]:
    """(start, end, replacement) offsets into the file text that remove or shorten `u`."""
    d = u.directive
    if u.keep is not None:
        return line_offset + d.start, line_offset + d.end, u.keep
    body = line_text.rstrip("\r\n")
    before = body[: d.start]
    after = body[d.end :]
    if not before.strip() and not after.strip():
        # a directive on a line of its own: remove the line
        return line_offset, line_offset + len(line_text), ""
    if not after.strip():
        # drop the spaces before a trailing comment too
        return line_offset + len(before.rstrip()), line_offset + len(body), ""
    rest = after.strip()
    if not rest.startswith(("#", "//")):
        # `# noqa: CFW201 - why`: the rest was part of this comment and must stay one
        rest = ("//" if d.text.startswith("//") else "#") + " " + rest
    return line_offset + d.start, line_offset + len(body), rest


# -- --add-noqa ------------------------------------------------------------------------------
def _uncommentable_lines(text: str) -> set[int]:
    """Lines whose end is inside a token (multi-line string) or continued with a backslash: a
    comment appended there would change the code."""
    out: set[int] = set()
    try:
        for tok in tokenize.generate_tokens(io.StringIO(text).readline):
            if tok.start[0] != tok.end[0] and tok.type not in (tokenize.NEWLINE, tokenize.NL):
                out.update(range(tok.start[0], tok.end[0]))
    except (tokenize.TokenError, SyntaxError, IndentationError):
        pass
    for number, line in enumerate(text.splitlines(), start=1):
        if line.endswith("\\"):
            out.add(number)
    return out


def add_noqa(
    text: str, wanted: dict[int, set[str]], *, comment: str = "#", python: bool = True
) -> tuple[str, int, list[int]]:
    """Add `# noqa: CODES` to the given lines (merged into an existing noqa comment there).

    Returns the new text, how many directives were added or extended, and the lines skipped
    because a comment cannot go there."""
    sup = python_suppressions(text) if python else line_suppressions(text, comment)
    by_line = {d.line: d for d in sup.directives if not d.file_level}
    blocked = _uncommentable_lines(text) if python else set()
    lines = text.splitlines(keepends=True)
    changed, skipped = 0, []
    for number in sorted(wanted):
        if number < 1 or number > len(lines):
            continue
        codes = set(wanted[number])
        raw = lines[number - 1]
        body = raw.rstrip("\r\n")
        ending = raw[len(body) :]
        existing = by_line.get(number)
        if existing is not None:
            if not existing.codes:
                continue  # a blanket noqa already covers everything
            merged = list(existing.codes) + sorted(codes - set(existing.codes))
            if len(merged) == len(existing.codes):
                continue
            marker = "//" if existing.text.startswith("//") else "#"
            body = f"{body[: existing.start]}{marker} noqa: {', '.join(merged)}{body[existing.end :]}"
        elif number in blocked:
            skipped.append(number)
            continue
        else:
            body = f"{body.rstrip()}  {comment} noqa: {', '.join(sorted(codes))}"
        lines[number - 1] = body + (ending or ("\n" if number < len(lines) else ""))
        changed += 1
    return "".join(lines), changed, skipped
