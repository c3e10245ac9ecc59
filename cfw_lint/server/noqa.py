"""The "Disable CFWxxx for this line" edit: add `# noqa: CODE` or extend an existing one."""

from __future__ import annotations

import io
import tokenize

from cfw_lint.suppress import _NOQA, line_suppressions, python_suppressions


def _python_lines(text: str) -> tuple[dict[int, tokenize.TokenInfo], set[int]] | None:
    """Comment token per line, and lines that end inside a string (no comment can go there)."""
    comments: dict[int, tokenize.TokenInfo] = {}
    in_string: set[int] = set()
    try:
        for tok in tokenize.generate_tokens(io.StringIO(text).readline):
            if tok.type == tokenize.COMMENT:
                comments[tok.start[0]] = tok
            elif tok.start[0] != tok.end[0] and tok.type not in (tokenize.NEWLINE, tokenize.NL):
                in_string.update(range(tok.start[0], tok.end[0]))
    except (tokenize.TokenError, SyntaxError, IndentationError):
        return None
    return comments, in_string


def _line_bounds(text: str, line: int) -> tuple[int, int] | None:
    """Offsets of the start and end (before the break) of 1-based `line`."""
    from cfw_lint.server.text import TextMap

    tm = TextMap(text)
    if line - 1 >= len(tm.starts):
        return None
    return tm.starts[line - 1], tm.line_end(line - 1)


def _edit_for_comment(comment: str, comment_start: int, code: str) -> tuple[int, int, str] | None:
    match = _NOQA.search(comment)
    if match is None:
        return None
    if not match.group("codes"):
        return None  # a bare noqa already silences every code
    if code in {c.strip().upper() for c in match.group("codes").replace(",", " ").split()}:
        return None
    at = comment_start + match.end("codes")
    return at, at, f", {code}"


def noqa_edit(text: str, lines: list[int], code: str, kind: str) -> tuple[int, int, str] | None:
    """An edit (start, end, new text) that suppresses `code` on the first usable line of
    `lines`, checked by reading the suppressions back; None when no line can take a comment."""
    marker = "//" if kind == "jsonc" else "#"
    python = kind == "python"
    info = _python_lines(text) if python else None
    for line in dict.fromkeys(lines):
        bounds = _line_bounds(text, line)
        if bounds is None:
            continue
        start, end = bounds
        line_text = text[start:end]
        edit: tuple[int, int, str] | None = None
        if python and info is not None:
            comments, in_string = info
            if line in in_string or line_text.rstrip().endswith("\\"):
                continue
            tok = comments.get(line)
            if tok is None:
                stripped = len(line_text.rstrip())
                edit = (start + stripped, end, f"  # noqa: {code}")
            elif _NOQA.search(tok.string) is None:
                edit = (end, end, f"  # noqa: {code}")  # after a comment that is not a noqa
            else:
                edit = _edit_for_comment(tok.string, start + tok.start[1], code)
        else:
            if python and line_text.rstrip().endswith("\\"):
                continue
            at = line_text.find(marker)
            if at >= 0 and _NOQA.search(line_text[at:]):
                found = _NOQA.search(line_text[at:])
                assert found is not None
                edit = _edit_for_comment(line_text[at + found.start() :], start + at + found.start(), code)
            else:
                stripped = len(line_text.rstrip())
                edit = (start + stripped, end, f"  {marker} noqa: {code}")
        if edit is None:
            continue
        new_text = text[: edit[0]] + edit[2] + text[edit[1] :]
        suppressions = python_suppressions(new_text) if python else line_suppressions(new_text, marker)
        if suppressions.suppressed(code, line):
            return edit
    return None
