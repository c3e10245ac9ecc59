"""Positions of the nodes asked about, without a code generation of the whole module.

LibCST's PositionProvider generates the code of the whole module to know where any node is.
The engine needs positions only for the reported nodes (and the nodes a fix touches). A
top-level statement always starts at column 0 of a known line, and its code generation there
gives exactly the positions the whole-module generation gives for its nodes (the module adds
nothing between statements). So: find the top-level statement that holds the node, learn the
line its code starts on, and generate that statement only. Anything else (the module itself,
its header and footer lines) falls back to the whole module.

The line each top-level statement starts on comes from the incremental parser's record of the
text (cfw_lint.reparse) or from the stdlib `ast` (a statement's first line minus its leading
lines), and is checked against the text before it is trusted.
"""

from __future__ import annotations

import ast
import dataclasses
import warnings
from collections import OrderedDict
from collections.abc import Iterator, Mapping
from typing import Any

import libcst as cst
from libcst.metadata import CodeRange, PositionProvider

from cfw_lint.cstmeta import NodeMapping
from cfw_lint.source import LineIndex

# per-process caches, bounded; a held key keeps its node alive so its id stays unique
_MAX_STATEMENTS = 4000
_MAX_MODULES = 8


class _Bounded(OrderedDict):  # type: ignore[type-arg]
    def __init__(self, limit: int) -> None:
        super().__init__()
        self.limit = limit

    def put(self, key: Any, value: Any) -> None:
        self[key] = value
        self.move_to_end(key)
        while len(self) > self.limit:
            self.popitem(last=False)


# id(module) -> (module, text, start lines of its top-level statements)
_STARTS: _Bounded = _Bounded(_MAX_MODULES)
# (id(statement), line, indent, newline) -> (statement, syntactic, inclusive, code)
_STATEMENT_POSITIONS: _Bounded = _Bounded(_MAX_STATEMENTS)
# id(statement) -> (statement, ids of every node inside it)
_DESCENDANTS: _Bounded = _Bounded(_MAX_STATEMENTS)


def remember_starts(module: cst.Module, text: str, lines: list[int]) -> None:
    """Record the line each top-level statement of `module` (parsed from `text`) starts on."""
    _STARTS.put(id(module), (module, text, lines))


def _known_starts(module: cst.Module, text: str) -> list[int] | None:
    known = _STARTS.get(id(module))
    if known is not None and known[0] is module and known[1] is text:
        return known[2]  # type: ignore[no-any-return]
    return None


def statement_start_lines(module: cst.Module, text: str) -> list[int] | None:
    """The 1-based line on which the code of each top-level statement (its leading lines
    first) starts, or None when that cannot be told cheaply."""
    known = _known_starts(module, text)
    if known is not None:
        return known
    lines = _starts_from_ast(module, text)
    if lines is not None:
        remember_starts(module, text, lines)
    return lines


def _starts_from_ast(module: cst.Module, text: str) -> list[int] | None:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            tree = ast.parse(text)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return None
    firsts: list[int] = []
    last_end = 0
    for stmt in tree.body:
        first = stmt.lineno
        for decorator in getattr(stmt, "decorator_list", ()):
            first = min(first, decorator.lineno)
        if firsts and first <= last_end:
            # `a = 1; b = 2`: one CST statement line holds both
            last_end = max(last_end, stmt.end_lineno or stmt.lineno)
            continue
        firsts.append(first)
        last_end = stmt.end_lineno or stmt.lineno
    body = module.body
    if len(firsts) != len(body):
        return None
    return [first - len(stmt.leading_lines) for first, stmt in zip(firsts, body)]


_FIELDS: dict[type, tuple[str, ...]] = {}


def _child_fields(cls: type) -> tuple[str, ...]:
    names = _FIELDS.get(cls)
    if names is None:
        names = _FIELDS[cls] = tuple(f.name for f in dataclasses.fields(cls))
    return names


def _descendants(stmt: cst.CSTNode) -> set[int]:
    cached = _DESCENDANTS.get(id(stmt))
    if cached is not None and cached[0] is stmt:
        return cached[1]  # type: ignore[no-any-return]
    found: set[int] = set()
    stack: list[Any] = [stmt]
    node_type = cst.CSTNode
    while stack:
        node = stack.pop()
        found.add(id(node))
        for name in _child_fields(type(node)):
            value = getattr(node, name)
            if isinstance(value, node_type):
                stack.append(value)
            elif isinstance(value, (tuple, list)):
                stack.extend(v for v in value if isinstance(v, node_type))
    _DESCENDANTS.put(id(stmt), (stmt, found))
    return found


def _statement_positions(
    stmt: cst.CSTNode, line: int, module: cst.Module
) -> tuple[dict[cst.CSTNode, CodeRange], dict[cst.CSTNode, CodeRange], str]:
    key = (id(stmt), line, module.default_indent, module.default_newline)
    cached = _STATEMENT_POSITIONS.get(key)
    if cached is not None and cached[0] is stmt:
        return cached[1], cached[2], cached[3]
    from cfw_lint.cstmeta import _BothPositionsState

    provider = PositionProvider()
    state = _BothPositionsState(
        default_indent=module.default_indent, default_newline=module.default_newline, provider=provider
    )
    state.inclusive = {}
    state.line = line
    state.column = 0
    stmt._codegen(state)  # noqa: SLF001
    code = "".join(state.tokens)
    syntactic: dict[cst.CSTNode, CodeRange] = provider._computed  # type: ignore[assignment]  # noqa: SLF001
    _STATEMENT_POSITIONS.put(key, (stmt, syntactic, state.inclusive, code))
    return syntactic, state.inclusive, code


class NodePositions:
    """Positions (PositionProvider's and WhitespaceInclusivePositionProvider's) of the nodes
    asked about, computed one top-level statement at a time."""

    def __init__(self, module: cst.Module, text: str, index: LineIndex | None = None) -> None:
        self.module = module
        self.text = text
        self._index = index
        self._starts: list[int] | None = None
        self._starts_known = False
        self._checked: set[int] = set()
        self._full: tuple[Mapping[cst.CSTNode, CodeRange], Mapping[cst.CSTNode, CodeRange]] | None = None
        self.syntactic = _View(self, inclusive=False)
        self.inclusive = _View(self, inclusive=True)

    @property
    def index(self) -> LineIndex:
        if self._index is None:
            self._index = LineIndex(self.text)
        return self._index

    def _start_lines(self) -> list[int] | None:
        if not self._starts_known:
            self._starts = statement_start_lines(self.module, self.text)
            self._starts_known = True
        return self._starts

    def full(self) -> tuple[Mapping[cst.CSTNode, CodeRange], Mapping[cst.CSTNode, CodeRange]]:
        if self._full is None:
            from cfw_lint.cstmeta import _both_positions

            self._full = _both_positions(self.module)
        return self._full

    def lookup(self, node: cst.CSTNode, inclusive: bool) -> CodeRange:
        starts = self._start_lines()
        if starts is not None and node is not self.module:
            target = id(node)
            for number, stmt in enumerate(self.module.body):
                if target not in _descendants(stmt):
                    continue
                syntactic, inclusive_map, code = _statement_positions(stmt, starts[number], self.module)
                if number not in self._checked:
                    if not self._matches(starts[number], code, number == len(self.module.body) - 1):
                        break  # the start line was wrong: trust only the whole module
                    self._checked.add(number)
                return (inclusive_map if inclusive else syntactic)[node]
        syntactic_full, inclusive_full = self.full()
        return (inclusive_full if inclusive else syntactic_full)[node]

    def _matches(self, line: int, code: str, last: bool) -> bool:
        starts = self.index.starts
        if line < 1 or line > len(starts):
            return False
        offset = starts[line - 1]
        if self.text.startswith(code, offset):
            return True
        if last and not self.module.has_trailing_newline and not self.module.footer:
            # the module drops the final newline its last statement generates
            for newline in ("\r\n", "\n", "\r"):
                if code.endswith(newline):
                    code = code[: -len(newline)]
                    break
            return self.text.endswith(code) and len(self.text) - len(code) == offset
        return False


class _View(NodeMapping):
    def __init__(self, owner: NodePositions, inclusive: bool) -> None:
        self._owner = owner
        self._inclusive = inclusive

    def __getitem__(self, node: cst.CSTNode) -> CodeRange:
        return self._owner.lookup(node, self._inclusive)

    def __iter__(self) -> Iterator[cst.CSTNode]:
        full = self._owner.full()
        return iter(full[1] if self._inclusive else full[0])

    def __len__(self) -> int:
        full = self._owner.full()
        return len(full[1] if self._inclusive else full[0])
