"""A cheap summary of one Python file from one `ast` parse (no LibCST).

It answers what the engine must know before deciding whether a file needs LibCST at all: the
project facts (imports, top-level classes with their bases, functions, `__all__`, aliases; the
same values `facts.FactsCollector` computes from LibCST), the modules imported, top-level
definitions, and the names called. The cache and `Project.facts_for` store the facts.

Two traps of `ast`: it parses only the running interpreter's grammar, so `summarize` returns None
on a SyntaxError (the caller falls back to LibCST, which reports or accepts the file); and its
columns are UTF-8 byte offsets, so positions here are lines only, never columns.
"""

from __future__ import annotations

import ast
import io
import re
import tokenize
import warnings
from dataclasses import dataclass, field
from typing import Any


# Python's own line ends (not form feeds or other `str.splitlines` separators); the capture
# group keeps the ends out of the odd positions of `re.split`'s result
_LINE_SPLIT = re.compile(r"(\r\n|\r|\n)")


@dataclass
class Import:
    module: str  # absolute ("bs4", "workers.asgi") or relative ("..models")
    line: int
    names: tuple[str, ...] = ()  # for `from m import a, b`: a, b ("*" for a star import)
    top_level: bool = False  # at module level (not inside a function or class)


@dataclass
class ModuleSummary:
    imports: list[Import] = field(default_factory=list)
    classes: list[dict[str, Any]] = field(default_factory=list)  # top level: name, bases
    functions: list[str] = field(default_factory=list)  # top level
    dunder_all: list[Any] | None = None
    aliases: dict[str, str] = field(default_factory=dict)  # top-level local name -> dotted origin
    called: set[str] = field(default_factory=set)  # last name of every callee (`a.b.c()` -> c)
    # modules imported by a literal `__import__("x")` / `importlib.import_module("x")`
    dynamic_imports: set[str] = field(default_factory=set)
    # valid Python that LibCST may still reject: such a file must reach LibCST, which says so
    needs_libcst_parse: bool = False
    tree: ast.Module | None = field(default=None, repr=False, compare=False)  # for `ast` rules

    def facts(self) -> dict[str, Any]:
        """What project rules read about a file (the keys FactsCollector.facts() returns)."""
        absolute = {i.module for i in self.imports if not i.module.startswith(".")}
        relative = {i.module for i in self.imports if i.module.startswith(".")}
        return {
            "imports": sorted(absolute),
            "relative_imports": sorted(relative),
            "classes": self.classes,
            "functions": self.functions,
            "all": self.dunder_all,
            "aliases": self.aliases,
        }

    def imported_top_level(self) -> frozenset[str]:
        return frozenset(i.module.split(".")[0] for i in self.imports if not i.module.startswith("."))

    def imported_modules(self) -> frozenset[str]:
        """Top-level names of every module imported, statically or by a literal dynamic import
        (what the `modules` pre-filter of a rule reads)."""
        return self.imported_top_level() | {m.split(".")[0] for m in self.dynamic_imports}


def summarize(text: str) -> ModuleSummary | None:
    """The summary of `text`, or None when the running interpreter cannot parse it."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            tree = ast.parse(text)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return None
    builder = _Builder(text)
    try:
        builder.visit(tree)
    except RecursionError:
        return None
    builder.summary.tree = tree
    return builder.summary


def full_name(node: ast.AST) -> str | None:
    """libcst.helpers.get_full_name_for_node, on `ast` nodes (same results, quirks included)."""
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return f"{full_name(node.value)}.{node.attr}"
    if isinstance(node, ast.Call):
        return full_name(node.func)
    if isinstance(node, ast.Subscript):
        return full_name(node.value)
    return None


class _Builder(ast.NodeVisitor):
    def __init__(self, text: str) -> None:
        self.text = text
        self.summary = ModuleSummary()
        self._depth = 0  # nesting in functions and classes
        self._lines: list[bytes] | None = None

    def _segment(self, node: ast.expr) -> str | None:
        """ast.get_source_segment, with the text split into lines once per file, not per call
        (per call it made the summary of a long `__all__` quadratic: 17 s on the stdlib)."""
        if self._lines is None:
            self._lines = [line.encode("utf-8") for line in _LINE_SPLIT.split(self.text)[::2]]
        first, last = node.lineno - 1, (node.end_lineno or node.lineno) - 1
        if last >= len(self._lines) or node.end_col_offset is None:
            return None
        if first == last:
            return self._lines[first][node.col_offset : node.end_col_offset].decode("utf-8", "replace")
        parts = [
            self._lines[first][node.col_offset :],
            *self._lines[first + 1 : last],
            self._lines[last][: node.end_col_offset],
        ]
        return "\n".join(p.decode("utf-8", "replace") for p in parts)

    # nesting -------------------------------------------------------------------------------
    def _function(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> None:
        if self._depth == 0:
            self.summary.functions.append(node.name)
        self._depth += 1
        self.generic_visit(node)
        self._depth -= 1

    visit_FunctionDef = _function
    visit_AsyncFunctionDef = _function

    def visit_ClassDef(self, node: ast.ClassDef) -> None:
        if self._depth == 0:
            bases = []
            for base in node.bases:
                name = full_name(base.value if isinstance(base, ast.Starred) else base)
                if name is None:
                    continue
                head, _, rest = name.partition(".")
                origin = self.summary.aliases.get(head)
                bases.append(f"{origin}.{rest}" if origin and rest else origin or name)
            self.summary.classes.append({"name": node.name, "bases": bases})
        self._depth += 1
        self.generic_visit(node)
        self._depth -= 1

    # imports -------------------------------------------------------------------------------
    def visit_Import(self, node: ast.Import) -> None:
        top = self._depth == 0
        for alias in node.names:
            self.summary.imports.append(Import(alias.name, node.lineno, top_level=top))
            if top:
                if alias.asname is not None:
                    self.summary.aliases[alias.asname] = alias.name
                else:
                    head = alias.name.split(".")[0]
                    self.summary.aliases[head] = head

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        module = "." * (node.level or 0) + (node.module or "")
        names = tuple(a.name for a in node.names)
        top = self._depth == 0
        self.summary.imports.append(Import(module, node.lineno, names, top_level=top))
        if not top or names == ("*",):
            return
        for alias in node.names:
            local = alias.asname or alias.name
            self.summary.aliases[local] = f"{module}{alias.name}" if module.endswith(".") else f"{module}.{alias.name}"

    # __all__ and LibCST's blind spots --------------------------------------------------------
    def visit_Assign(self, node: ast.Assign) -> None:
        if self._depth == 0:
            for target in node.targets:
                if isinstance(target, ast.Name) and target.id == "__all__":
                    self.summary.dunder_all = self._literal_strings(node.value)
        self.generic_visit(node)

    def visit_AnnAssign(self, node: ast.AnnAssign) -> None:
        if not node.simple and isinstance(node.target, ast.Name):
            # `(x): int = 1`: Python accepts it, LibCST 1.x does not
            self.summary.needs_libcst_parse = True
        self.generic_visit(node)

    def visit_Call(self, node: ast.Call) -> None:
        func = node.func
        last = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else None
        if last is not None:
            self.summary.called.add(last)
            if last in ("__import__", "import_module") and node.args:
                first = node.args[0]
                if isinstance(first, ast.Constant) and isinstance(first.value, str) and first.value:
                    self.summary.dynamic_imports.add(first.value)
        self.generic_visit(node)

    def _literal_strings(self, node: ast.expr) -> list[Any] | None:
        """facts._literal_strings: a list/tuple of plain string literals, else None."""
        if not isinstance(node, (ast.List, ast.Tuple)):
            return None
        out: list[Any] = []  # bytes literals too, as LibCST's evaluated_value gives them
        for element in node.elts:
            if not isinstance(element, ast.Constant) or not isinstance(element.value, (str, bytes)):
                return None
            if not self._single_literal(element):
                return None  # `"a" "b"`: one constant to ast, a concatenation to LibCST
            out.append(element.value)
        return out

    def _single_literal(self, node: ast.Constant) -> bool:
        segment = self._segment(node)
        if segment is None:
            return False
        try:
            tokens = [t for t in tokenize.generate_tokens(io.StringIO(segment).readline) if t.type == tokenize.STRING]
        except (tokenize.TokenError, SyntaxError):
            return False
        return len(tokens) == 1
