"""Rules that run on the stdlib `ast` tree instead of LibCST (the `ast` tier).

A rule without a fix whose question the `ast` tree answers (an import, a call resolved through
imports) is an `AstRule`: it never makes its file pay for a LibCST parse and scope metadata.
All rules with fixes stay `PythonRule`s, since fixes are built on LibCST.

The tree comes from the file's summary (one `ast.parse` per file); a file the running
interpreter cannot parse (newer syntax than its own) gets no `ast` rule checks.

Positions: `ast` columns are UTF-8 byte offsets; `AstReport`s are converted to the character
columns every other diagnostic uses, so the same node gets the same position under both tiers.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from cfw_lint.diagnostics import Severity
from cfw_lint.rule import FileContext, SourceRule

if TYPE_CHECKING:
    from cfw_lint.source import LineIndex


@dataclass
class AstReport:
    rule: type[AstRule]
    message: str
    severity: Severity
    # 1-based line, 0-based UTF-8 byte column (as `ast` gives them); end exclusive
    line: int
    col: int
    end_line: int
    end_col: int


class AstFile:
    """What the `ast` rules of one file share: its tree, text, and analyses built on demand."""

    def __init__(self, tree: ast.Module, text: str) -> None:
        self.tree = tree
        self.text = text
        self._names: Any = None

    @property
    def names(self) -> Any:
        """Name resolution with LibCST's scope semantics (cfw_lint/analysis/astnames.py)."""
        if self._names is None:
            from cfw_lint.analysis.astnames import AstNames

            self._names = AstNames(self.tree)
        return self._names


class AstRule(SourceRule):
    def __init__(self, context: FileContext, file: AstFile, reports: list[AstReport]) -> None:
        self.context = context
        self.file = file
        self._reports = reports

    @property
    def tree(self) -> ast.Module:
        return self.file.tree

    @property
    def names(self) -> Any:
        return self.file.names

    def check(self) -> None:
        """Find and `report` everything in `self.tree`."""
        raise NotImplementedError

    def report(
        self,
        node: ast.AST,
        message: str,
        *,
        severity: Severity | None = None,
        end_node: ast.AST | None = None,
    ) -> None:
        """Report `node` (to the end of `end_node` when given), as PythonRule.report does."""
        last = end_node if end_node is not None else node
        self.report_span(
            node.lineno,  # type: ignore[attr-defined]
            node.col_offset,  # type: ignore[attr-defined]
            last.end_lineno,  # type: ignore[attr-defined]
            last.end_col_offset,  # type: ignore[attr-defined]
            message,
            severity=severity,
        )

    def report_span(
        self, line: int, col: int, end_line: int, end_col: int, message: str, *, severity: Severity | None = None
    ) -> None:
        """Report a span given as `ast` gives positions: lines 1-based, columns UTF-8 byte offsets."""
        self._reports.append(AstReport(type(self), message, severity or self.severity, line, col, end_line, end_col))


def char_column(index: LineIndex, text: str, line: int, byte_col: int) -> int:
    """The 0-based character column of `ast`'s UTF-8 byte column `byte_col` on `line`."""
    if byte_col == 0 or line < 1 or line > len(index.starts):
        return byte_col
    start = index.starts[line - 1]
    end = index.starts[line] if line < len(index.starts) else len(text)
    segment = text[start:end]
    if segment.isascii():
        return byte_col
    return len(segment.encode("utf-8")[:byte_col].decode("utf-8", errors="ignore"))
