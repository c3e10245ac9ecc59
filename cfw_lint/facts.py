"""Facts about a Python file that project rules need, collected in the same traversal.

Serializable (they go into the cache and cross process boundaries): imported modules, top-level
classes with their bases resolved through the module's own imports, top-level functions, and a
literal `__all__`.
"""

from __future__ import annotations

from typing import Any

import libcst as cst
from libcst.helpers import get_full_name_for_node

from cfw_lint.cstmeta import TableVisitor
from cfw_lint.summary import summarize


def dotted(node: cst.BaseExpression) -> str | None:
    return get_full_name_for_node(node)


def import_from_module(node: cst.ImportFrom) -> str:
    module = dotted(node.module) if node.module is not None else ""
    return "." * len(node.relative) + (module or "")


class FactsCollector(TableVisitor):
    def __init__(self) -> None:
        super().__init__()
        self.imports: list[str] = []  # absolute module names, as imported ("bs4", "workers.asgi")
        self.relative_imports: list[str] = []
        self.aliases: dict[str, str] = {}  # top-level local name -> dotted origin
        self.classes: list[dict[str, Any]] = []
        self.functions: list[str] = []
        self.dunder_all: list[str] | None = None
        self._depth = 0  # nesting in functions/classes

    # nesting -------------------------------------------------------------------------------
    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        if self._depth == 0:
            self.functions.append(node.name.value)
        self._depth += 1

    def leave_FunctionDef(self, original_node: cst.FunctionDef) -> None:
        self._depth -= 1

    def visit_ClassDef(self, node: cst.ClassDef) -> None:
        if self._depth == 0:
            bases = []
            for arg in node.bases:
                name = dotted(arg.value)
                if name is None:
                    continue
                head, _, rest = name.partition(".")
                origin = self.aliases.get(head)
                bases.append(f"{origin}.{rest}" if origin and rest else origin or name)
            self.classes.append({"name": node.name.value, "bases": bases})
        self._depth += 1

    def leave_ClassDef(self, original_node: cst.ClassDef) -> None:
        self._depth -= 1

    # imports -------------------------------------------------------------------------------
    def visit_Import(self, node: cst.Import) -> None:
        for alias in node.names:
            name = dotted(alias.name)
            if not name:
                continue
            self.imports.append(name)
            if self._depth == 0:
                if alias.asname is not None:
                    local = dotted(alias.asname.name)  # type: ignore[arg-type]
                    if local:
                        self.aliases[local] = name
                else:
                    head = name.split(".")[0]
                    self.aliases[head] = head

    def visit_ImportFrom(self, node: cst.ImportFrom) -> None:
        module = import_from_module(node)
        if node.relative:
            self.relative_imports.append(module)
        else:
            self.imports.append(module)
        if self._depth != 0 or isinstance(node.names, cst.ImportStar):
            return
        for alias in node.names:
            name = dotted(alias.name)
            if not name:
                continue
            local = name
            if alias.asname is not None:
                local = dotted(alias.asname.name) or name  # type: ignore[arg-type]
            # `from . import views` is ".views", not "..views"
            self.aliases[local] = f"{module}{name}" if module.endswith(".") else f"{module}.{name}"

    # __all__ -------------------------------------------------------------------------------
    def visit_Assign(self, node: cst.Assign) -> None:
        if self._depth != 0:
            return
        for target in node.targets:
            if isinstance(target.target, cst.Name) and target.target.value == "__all__":
                self.dunder_all = _literal_strings(node.value)

    def facts(self) -> dict[str, Any]:
        return {
            "imports": sorted(set(self.imports)),
            "relative_imports": sorted(set(self.relative_imports)),
            "classes": self.classes,
            "functions": self.functions,
            "all": self.dunder_all,
            "aliases": self.aliases,
        }


def _literal_strings(node: cst.BaseExpression) -> list[str] | None:
    if not isinstance(node, (cst.List, cst.Tuple)):
        return None
    out: list[str] = []
    for element in node.elements:
        value = element.value
        if isinstance(value, cst.SimpleString):
            out.append(value.evaluated_value)  # type: ignore[arg-type]
        else:
            return None
    return out


def collect_facts(text: str) -> dict[str, Any] | None:
    """Facts of a file that is not being linted itself (project rules ask for them)."""
    summary = summarize(text)
    if summary is not None:
        return summary.facts()
    from cfw_lint.guard import check

    if check(text) is not None:
        return None  # refused by CPython, or unsafe for LibCST's parser
    # newer syntax than this interpreter's: LibCST may still read it
    try:
        module = cst.parse_module(text)
    except Exception:  # noqa: BLE001 - any parse failure means "no facts"
        return None
    collector = FactsCollector()
    try:
        cst.MetadataWrapper(module, unsafe_skip_copy=True).visit_batched([collector])
    except RecursionError:
        return None
    return collector.facts()
