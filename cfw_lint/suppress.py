"""`# noqa` comments: per line, per statement (its first line), and per file."""

from __future__ import annotations

import io
import re
import tokenize
from dataclasses import dataclass, field

# noqa comments, with or without codes (`noqa: CFW201, CFW202`), case-insensitive like flake8 and ruff
_NOQA = re.compile(
    r"(?:#|//)\s*noqa(?::\s*(?P<codes>[A-Z]+[0-9]+(?:[\s,]+[A-Z]+[0-9]+)*))?", re.IGNORECASE
)
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


def _matches(codes: frozenset[str] | None, code: str) -> bool:
    if codes is ALL:
        return True
    return any(code.startswith(c) for c in codes)


@dataclass
class Suppressions:
    lines: dict[int, frozenset[str] | None] = field(default_factory=dict)
    # physical line -> first line of its logical line (statement)
    logical_start: dict[int, int] = field(default_factory=dict)
    file_all: bool = False
    file_codes: frozenset[str] = frozenset()

    def statement_line(self, line: int) -> int:
        return self.logical_start.get(line, line)

    def suppressed(self, code: str, line: int) -> bool:
        if self.file_all or (self.file_codes and _matches(self.file_codes, code)):
            return True
        for candidate in {line, self.statement_line(line)}:
            if candidate in self.lines and _matches(self.lines[candidate], code):
                return True
        return False

    def _add_comment(self, line: int, comment: str) -> None:
        file_match = _FILE_NOQA.match(comment)
        if file_match:
            codes = _codes(file_match)
            if codes is ALL:
                self.file_all = True
            else:
                self.file_codes = self.file_codes | codes
            return
        match = _NOQA.search(comment)
        if match:
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
                    result._add_comment(tok.start[0], tok.string)
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
            result._add_comment(number, line[at:])
    return result
