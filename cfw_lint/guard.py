"""Checks made before LibCST sees a file's text.

LibCST's native parser overflows its stack on very deeply nested code (about 3,000 levels
of brackets kill the process with SIGSEGV), and it accepts some code CPython refuses (brackets
nested more than 200 deep). CPython's own parser stops cleanly on both, so it looks first:
what it refuses is reported with its message, and LibCST only sees text CPython accepted.
"""

from __future__ import annotations

import ast
import re
import sys
import warnings
from dataclasses import dataclass

# CPython's tokenizer limits, the same from 3.10 to 3.14 (MAXLEVEL, MAXINDENT)
MAX_BRACKETS = 200
MAX_INDENT = 100
# Nesting beyond this is refused without asking LibCST (its parser crashes near 3,000).
SAFE_DEPTH = 1000
# The newest runtime runs 3.14: an older host refuses syntax a runtime accepts (`type X = ...`
# before 3.12, `except A, B:` before 3.14), so its parser's other syntax errors are not final.
NEWEST_RUNTIME = (3, 14)

_LIMIT_MESSAGES = ("too many nested parentheses", "too many levels of indentation", "too many statically nested blocks")
_STRING_OR_COMMENT = re.compile(
    r"""[rRbBuUfFtT]{0,2}(?:'''(?:\\.|[^\\])*?'''|\"\"\"(?:\\.|[^\\])*?\"\"\"|'(?:\\.|[^\\'\n])*'|"(?:\\.|[^\\"\n])*")|\#[^\n]*""",
    re.S,
)


@dataclass(frozen=True)
class Refusal:
    """Why a file is not handed to LibCST: `code` CFW001 (Python refuses it) or CFW004."""

    code: str
    message: str
    line: int = 1
    column: int = 1


def bracket_depth(text: str) -> int:
    """Deepest bracket nesting outside strings and comments (a close estimate: cheap, no tokenizer)."""
    stripped = _STRING_OR_COMMENT.sub("", text)
    depth = deepest = 0
    for match in re.finditer(r"[\[\](){}]", stripped):
        if match.group() in "([{":
            depth += 1
            if depth > deepest:
                deepest = depth
        elif depth:
            depth -= 1
    return deepest


def check(text: str, path: str = "<unknown>") -> Refusal | None:
    """None when LibCST may parse `text`; else what to report instead."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # SyntaxWarning for invalid escapes and the like
            # a full compile is faster than building the AST objects, and also refuses what the
            # compiler refuses (`return` outside a function, `nonlocal` at module level)
            compile(text, path, "exec", dont_inherit=True)
    except SyntaxError as exc:
        line, column = exc.lineno or 1, max(exc.offset or 1, 1)
        final = (
            sys.version_info >= NEWEST_RUNTIME
            or any(m in (exc.msg or "") for m in _LIMIT_MESSAGES)
            or _parses(text, path)  # the parser accepted it; the compiler's verdict holds everywhere
        )
        if final:
            return Refusal("CFW001", f"SyntaxError: {exc.msg}", line, column)
        if bracket_depth(text) > SAFE_DEPTH:
            return Refusal("CFW004", f"could not be analysed: brackets nested more than {SAFE_DEPTH} deep")
        return None  # newer syntax than this interpreter knows, perhaps: LibCST decides
    except (MemoryError, RecursionError) as exc:
        # the parser's own stack limit: the interpreter refuses to compile it too
        kind = type(exc).__name__
        return Refusal("CFW001", f"Python cannot compile this file: the code is nested too deeply ({kind})")
    except ValueError as exc:  # source code cannot contain null bytes (3.11 and older)
        return Refusal("CFW001", f"SyntaxError: {exc}")
    return None


def _parses(text: str, path: str) -> bool:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            compile(text, path, "exec", flags=ast.PyCF_ONLY_AST, dont_inherit=True)
    except (SyntaxError, ValueError, MemoryError, RecursionError):
        return False
    return True
