"""Building fixes from CST nodes, and applying text edits.

A fix is a set of text edits on the decoded source. Rules describe them in terms of nodes
(`replace`, `remove`, `insert_after`, ...) through a FixBuilder, which turns nodes into offsets
with LibCST's whitespace-inclusive positions. Edits are applied back to front; a pass applies
only fixes that do not overlap, and the engine re-lints and repeats until nothing changes.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Iterable, Mapping, cast

import libcst as cst

from cfw_lint.diagnostics import Edit, Fix

if TYPE_CHECKING:
    from cfw_lint.source import LineIndex


class FixUnavailable(Exception):
    """Raised by a fix callback that finds, late, that it cannot make a safe fix."""


class FixBuilder:
    def __init__(
        self,
        module: cst.Module,
        text: str,
        index: LineIndex,
        positions: Mapping[cst.CSTNode, object],
        inclusive: Mapping[cst.CSTNode, object],
    ) -> None:
        self.module = module
        self.text = text
        self.index = index
        self._positions = positions
        self._inclusive = inclusive
        self._parents: dict[cst.CSTNode, cst.CSTNode] | None = None
        self.edits: list[Edit] = []
        # what the fix changes besides the finding (shown by --show-fixes), set by the callback
        self.message: str | None = None

    # -- positions ---------------------------------------------------------------------------
    def span(self, node: cst.CSTNode) -> tuple[int, int]:
        """Offsets of the node's text as `code_for_node` renders it (parentheses included)."""
        rng = self._inclusive[node]
        return (
            self.index.offset(rng.start.line, rng.start.column),  # type: ignore[attr-defined]
            self.index.offset(rng.end.line, rng.end.column),  # type: ignore[attr-defined]
        )

    def tight_span(self, node: cst.CSTNode) -> tuple[int, int]:
        """Offsets of the node without surrounding whitespace (and without parentheses)."""
        rng = self._positions[node]
        return (
            self.index.offset(rng.start.line, rng.start.column),  # type: ignore[attr-defined]
            self.index.offset(rng.end.line, rng.end.column),  # type: ignore[attr-defined]
        )

    def indentation_of(self, node: cst.CSTNode) -> str:
        """The whitespace before the node on its first line (a statement's indentation)."""
        start, _ = self.tight_span(node)
        line_start = self.text.rfind("\n", 0, start) + 1
        prefix = self.text[line_start:start]
        return prefix if prefix.strip() == "" else ""

    # -- rendering ---------------------------------------------------------------------------
    def code(self, node: cst.CSTNode) -> str:
        return self.module.code_for_node(node)

    def render_statement(self, stmt: cst.BaseStatement, indent: str) -> str:
        """Render a statement as it must appear at `indent` (nested blocks and strings kept)."""
        if not indent:
            return self.module.code_for_node(stmt)
        block = cst.IndentedBlock(body=[stmt], indent=indent, header=cst.TrailingWhitespace())
        rendered = self.module.code_for_node(block)
        newline = self.module.default_newline
        return rendered[len(newline) :] if rendered.startswith(newline) else rendered

    # -- edits -------------------------------------------------------------------------------
    def edit(self, start: int, end: int, content: str) -> None:
        self.edits.append(Edit(start, end, content))

    def replace(self, node: cst.CSTNode, new: cst.CSTNode | str) -> None:
        if isinstance(new, str):
            start, end = self.span(node)
            self.edit(start, end, new)
            return
        if isinstance(node, cst.BaseStatement) and isinstance(new, cst.BaseStatement):
            start, end = self.span(node)
            self.edit(start, end, self.render_statement(new, self.indentation_of(node)))
            return
        content = self.code(new)
        statement = self.enclosing_statement(node) if "\n" in content or "\r" in content else None
        if statement is not None:
            # continuation lines of a multi-line expression carry the block's indentation, which
            # only the enclosing statement knows: render that statement with the node replaced
            # (the edit is narrowed to what changed)
            # `node` lies strictly inside `statement`, so the root stays a statement
            replaced = cast(cst.BaseStatement, statement.deep_replace(node, new))
            start, end = self.span(statement)
            self.edit(start, end, self.render_statement(replaced, self.indentation_of(statement)))
            return
        start, end = self.span(node)
        self.edit(start, end, content)

    def parent(self, node: cst.CSTNode) -> cst.CSTNode | None:
        """The node's parent (a parent map is built on first use, only while fixing)."""
        if self._parents is None:
            parents: dict[cst.CSTNode, cst.CSTNode] = {}

            class _Parents(cst.CSTVisitor):
                def on_visit(self, n: cst.CSTNode) -> bool:
                    for child in n.children:
                        parents[child] = n
                    return True

            self.module.visit(_Parents())
            self._parents = parents
        return self._parents.get(node)

    def enclosing_statement(self, node: cst.CSTNode) -> cst.BaseStatement | None:
        """The innermost statement (line or compound statement) containing `node`."""
        current: cst.CSTNode | None = node
        while current is not None:
            current = self.parent(current)
            if isinstance(current, (cst.SimpleStatementLine, cst.BaseCompoundStatement)):
                return current
        return None

    def replace_statements(self, old: cst.BaseStatement, new: Iterable[cst.BaseStatement]) -> None:
        indent = self.indentation_of(old)
        start, end = self.span(old)
        self.edit(start, end, "".join(self.render_statement(s, indent) for s in new))

    def remove(self, node: cst.CSTNode) -> None:
        start, end = self.span(node)
        self.edit(start, end, "")

    def insert_before(self, node: cst.CSTNode, content: str) -> None:
        start, _ = self.span(node)
        self.edit(start, start, content)

    def insert_after(self, node: cst.CSTNode, content: str) -> None:
        _, end = self.span(node)
        self.edit(end, end, content)

    def replace_module(self, new_module: cst.Module) -> None:
        """Replace the whole file; the edit is narrowed to what changed."""
        self.edit(0, len(self.text), new_module.code)

    def build(self, applicability, message: str | None) -> Fix | None:  # type: ignore[no-untyped-def]
        minimized = [minimize(self.text, e) for e in self.edits]
        edits = [e for e in minimized if e is not None]
        if not edits:
            return None
        for i, a in enumerate(edits):
            for b in edits[i + 1 :]:
                if a.overlaps(b) and not (a.start == a.end == b.start == b.end):
                    raise FixUnavailable("a fix's own edits overlap")
        return Fix(
            edits=tuple(
                Edit(
                    e.start,
                    e.end,
                    e.content,
                    start_pos=self.index.position(e.start),  # type: ignore[arg-type]
                    end_pos=self.index.position(e.end),  # type: ignore[arg-type]
                )
                for e in edits
            ),
            applicability=applicability,
            message=message or self.message,
        )


def minimize(text: str, edit: Edit) -> Edit | None:
    """Narrow an edit to the part that really changes; None when it changes nothing."""
    if edit.whole_file or edit.content is None:
        return edit
    assert edit.start is not None and edit.end is not None
    old = text[edit.start : edit.end]
    new = edit.content
    if old == new:
        return None
    prefix = 0
    limit = min(len(old), len(new))
    while prefix < limit and old[prefix] == new[prefix]:
        prefix += 1
    suffix = 0
    while suffix < limit - prefix and old[len(old) - 1 - suffix] == new[len(new) - 1 - suffix]:
        suffix += 1
    # keep whole lines' line endings intact: do not split a "\r\n"
    start = edit.start + prefix
    end = edit.end - suffix
    if prefix and text[start - 1 : start + 1] == "\r\n":
        prefix -= 1
        start -= 1
    return Edit(start, end, new[prefix : len(new) - suffix], path=edit.path)


def apply_edits(text: str, edits: Iterable[Edit]) -> str:
    """Apply non-overlapping edits (offsets into `text`), back to front."""
    ordered = sorted(edits, key=lambda e: (e.start, e.end), reverse=True)
    out = text
    for e in ordered:
        assert e.start is not None and e.end is not None and e.content is not None
        out = out[: e.start] + e.content + out[e.end :]
    return out


def select_non_overlapping(fixes: Iterable[Fix]) -> list[Fix]:
    """Greedy, in order: a fix is taken only if none of its edits overlaps a taken edit."""
    taken: list[Fix] = []
    taken_edits: list[Edit] = []
    for fix in fixes:
        if any(e.overlaps(t) for e in fix.edits for t in taken_edits):
            continue
        taken.append(fix)
        taken_edits.extend(fix.edits)
    return taken


def unresolved_names(text: str) -> set[str] | None:
    """Names a module would fail to resolve (`NameError`), by `ast` alone (never run).

    Module-level statements run in order: a name read at import time (module level, class
    bodies, decorators, defaults, bases) must be bound by an earlier statement; a global read
    inside a function must be bound somewhere in the module. Names bound in any branch count as
    bound. None when the module cannot be analysed (syntax error, `import *`)."""
    import ast
    import builtins
    import symtable

    try:
        tree = ast.parse(text)
        table = symtable.symtable(text, "<fixed>", "exec")
    except (SyntaxError, ValueError, RecursionError):
        return None
    known = set(dir(builtins)) | {
        "__file__",
        "__name__",
        "__doc__",
        "__spec__",
        "__loader__",
        "__package__",
        "__builtins__",
        "__path__",
        "__annotations__",
    }
    module_bound: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.ImportFrom)) and any(a.name == "*" for a in node.names):
            return None
    for sym in table.get_symbols():
        if sym.is_assigned() or sym.is_imported() or sym.is_namespace():
            module_bound.add(sym.get_name())
    missing: set[str] = set()

    def function_globals(t: symtable.SymbolTable) -> None:
        for child in t.get_children():
            if child.get_type() in ("function", "lambda") or child.get_type() == "class":
                for sym in child.get_symbols():
                    if (
                        sym.is_referenced()
                        and (sym.is_global() or (child.get_type() == "class" and not sym.is_local()))
                        and not sym.is_assigned()
                    ):
                        name = sym.get_name()
                        if name not in module_bound and name not in known:
                            missing.add(name)
            function_globals(child)

    function_globals(table)

    bound: set[str] = set()

    class ImportTime(ast.NodeVisitor):
        """Reads at import time, in statement order (function bodies are skipped)."""

        def visit_FunctionDef(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> None:
            for d in node.decorator_list:
                self.visit(d)
            args = node.args
            for default in [*args.defaults, *[d for d in args.kw_defaults if d is not None]]:
                self.visit(default)
            bound.add(node.name)

        visit_AsyncFunctionDef = visit_FunctionDef  # type: ignore[assignment]

        def visit_Lambda(self, node: ast.Lambda) -> None:
            for default in node.args.defaults:
                self.visit(default)

        def visit_ClassDef(self, node: ast.ClassDef) -> None:
            for d in node.decorator_list:
                self.visit(d)
            for b in [*node.bases, *[k.value for k in node.keywords]]:
                self.visit(b)
            saved = set(bound)
            for stmt in node.body:
                self.visit(stmt)
            bound.clear()
            bound.update(saved)
            bound.add(node.name)

        def visit_Name(self, node: ast.Name) -> None:
            if isinstance(node.ctx, ast.Load):
                if node.id not in bound and node.id not in known:
                    missing.add(node.id)
            else:
                bound.add(node.id)

        def visit_Import(self, node: ast.Import | ast.ImportFrom) -> None:
            for alias in node.names:
                bound.add(alias.asname or alias.name.split(".")[0])

        visit_ImportFrom = visit_Import  # type: ignore[assignment]

        def visit_Global(self, node: ast.Global) -> None:
            bound.update(node.names)

        def _comprehension(self, node: ast.AST) -> None:
            # the comprehension's own targets are local to it
            saved = set(bound)
            for gen in node.generators:  # type: ignore[attr-defined]
                self.visit(gen.iter)
                self.visit(gen.target)
                for cond in gen.ifs:
                    self.visit(cond)
            for field in ("elt", "key", "value"):
                if hasattr(node, field):
                    self.visit(getattr(node, field))
            bound.clear()
            bound.update(saved)

        visit_ListComp = visit_SetComp = visit_GeneratorExp = visit_DictComp = _comprehension  # type: ignore[assignment]

        def visit_Try(self, node: ast.Try) -> None:
            for stmt in node.body:
                self.visit(stmt)
            for h in node.handlers:
                if h.type is not None:
                    self.visit(h.type)
                if h.name:
                    bound.add(h.name)
                for stmt in h.body:
                    self.visit(stmt)
            for stmt in [*node.orelse, *node.finalbody]:
                self.visit(stmt)

        def visit_AnnAssign(self, node: ast.AnnAssign) -> None:
            if node.value is not None:
                self.visit(node.value)
            self.visit(node.target)

    annotations_deferred = any(
        isinstance(s, ast.ImportFrom) and s.module == "__future__" and any(a.name == "annotations" for a in s.names)
        for s in tree.body
    )
    visitor = ImportTime()
    if annotations_deferred:
        visitor.visit_arg = lambda node: None  # type: ignore[method-assign]
    for stmt in tree.body:
        visitor.visit(stmt)
    return missing
