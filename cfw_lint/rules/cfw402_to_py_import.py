"""CFW402: `from pyodide.ffi import to_py`: there is no such function; `to_py` is a JsProxy method. Facts §6."""

from __future__ import annotations

from collections.abc import Sequence
from typing import cast

import libcst as cst
from libcst.metadata import Access, ScopeProvider

from cfw_lint.analysis.ffi import (
    FFI_METADATA,
    enclosing_statement,
    has_comment,
    in_import_guard,
    parent,
    replace_expression,
)
from cfw_lint.analysis.imports import remove_from_import
from cfw_lint.analysis.names import dotted_name, qualified_name
from cfw_lint.diagnostics import FixAvailability, Severity
from cfw_lint.facts import import_from_module
from cfw_lint.rule import PythonRule
from cfw_lint.summary import ModuleSummary

_MODULES = ("pyodide.ffi", "pyodide")
_ORIGINS = ("pyodide.ffi.to_py", "pyodide.to_py")
# receivers that take `.to_py()` without parentheses
_ATOMS = (
    cst.Name,
    cst.Attribute,
    cst.Call,
    cst.Subscript,
    cst.List,
    cst.Dict,
    cst.Set,
    cst.ListComp,
    cst.SetComp,
    cst.DictComp,
    cst.SimpleString,
    cst.FormattedString,
)


def _method_call(call: cst.Call) -> cst.Call | None:
    """`to_py(x, **kw)` as `x.to_py(**kw)`; None when the call is not of that shape."""
    if not call.args or has_comment(call):
        return None
    first, rest = call.args[0], list(call.args[1:])
    if first.keyword is not None or first.star:
        return None
    if any(a.keyword is None for a in rest):  # a second positional or *args: not mechanical
        return None
    receiver = first.value
    if not receiver.lpar and not isinstance(receiver, _ATOMS):
        receiver = receiver.with_changes(lpar=[cst.LeftParen()], rpar=[cst.RightParen()])
    if rest:
        rest[-1] = rest[-1].with_changes(comma=cst.MaybeSentinel.DEFAULT)
    return call.with_changes(
        func=cst.Attribute(value=receiver, attr=cst.Name("to_py")),
        args=rest,
        whitespace_before_args=cst.SimpleWhitespace(""),
    )


class _Rewrite(cst.CSTTransformer):
    """Rewrites the given `to_py(...)` calls (by their callee Name nodes), nested ones too."""

    def __init__(self, callees: set[int]) -> None:
        super().__init__()
        self.callees = callees

    def leave_Call(self, original_node: cst.Call, updated_node: cst.Call) -> cst.BaseExpression:
        if id(original_node.func) in self.callees:
            rewritten = _method_call(updated_node)
            assert rewritten is not None
            return rewritten
        return updated_node


class ToPyImport(PythonRule):
    code = "CFW402"
    name = "to-py-import"
    severity = Severity.ERROR
    fix = FixAvailability.SAFE
    summary = "`from pyodide.ffi import to_py` fails: there is no such function; use the method `x.to_py()`."
    METADATA_DEPENDENCIES = FFI_METADATA
    triggers = ("to_py",)
    # only files importing these can hold what the rule matches (see PythonRule.modules)
    modules = ("pyodide",)

    MESSAGE = (
        "`pyodide.ffi` has no `to_py` function: `ImportError: cannot import name 'to_py' from "
        "'pyodide.ffi'`; conversion from JavaScript is the JsProxy method `x.to_py()`"
    )

    @classmethod
    def could_fire(cls, summary: ModuleSummary, text: str) -> bool:
        return summary.imports_name(_MODULES, ("to_py",)) or summary.refers_to(_ORIGINS)

    def visit_ImportFrom(self, node: cst.ImportFrom) -> None:
        if node.relative or isinstance(node.names, cst.ImportStar):
            return
        if import_from_module(node) not in _MODULES or in_import_guard(self, node):
            return
        for alias in node.names:
            if dotted_name(alias.name) == "to_py":
                self.report(alias, self.MESSAGE, fix=self._import_fix(node, alias))

    def visit_Attribute(self, node: cst.Attribute) -> None:
        # `map(pyodide.ffi.to_py, xs)`: referenced, not called (calls are handled below)
        if node.attr.value != "to_py":
            return
        holder = parent(self, node)
        if isinstance(holder, cst.Call) and holder.func is node:
            return
        if qualified_name(self, node) in ("pyodide.ffi.to_py", "pyodide.to_py"):
            self.report(node, "`pyodide.ffi.to_py` does not exist: `AttributeError`; use the method `x.to_py()`")

    def visit_Call(self, node: cst.Call) -> None:
        # `pyodide.ffi.to_py(x)` through a module import
        if not isinstance(node.func, cst.Attribute) or node.func.attr.value != "to_py":
            return
        if qualified_name(self, node.func) not in ("pyodide.ffi.to_py", "pyodide.to_py"):
            return
        message = "`pyodide.ffi.to_py` does not exist: `AttributeError`; use the method `x.to_py()`"
        rewritten = _method_call(node)
        fix = None
        if rewritten is not None and not any(
            qualified_name(self, n) in ("pyodide.ffi.to_py", "pyodide.to_py") for n in _attributes(node.args)
        ):
            statement = enclosing_statement(self, node)
            fix = lambda fx: replace_expression(fx, statement, node, rewritten)  # noqa: E731
        self.report(node, message, fix=fix)

    def _import_fix(self, node: cst.ImportFrom, alias: cst.ImportAlias):
        statement = parent(self, node)
        if not isinstance(statement, cst.SimpleStatementLine):
            return None
        local = alias.evaluated_alias or alias.evaluated_name
        scope = self.get_metadata(ScopeProvider, node, None)
        if scope is None:
            return None
        references: list[Access] = []
        for assignment in scope.assignments[local]:
            if getattr(assignment, "node", None) is not node:
                return None  # the name is bound elsewhere too: not mechanical
            references.extend(assignment.references)
        calls: list[cst.Call] = []
        for access in references:
            call = parent(self, access.node)
            if not isinstance(call, cst.Call) or call.func is not access.node or _method_call(call) is None:
                return None  # `map(to_py, xs)` and the like
            calls.append(call)
        # only the outermost calls are replaced; nested ones are rewritten inside them
        callee_ids = {id(c.func) for c in calls}
        call_set = set(map(id, calls))
        outermost = [
            (c, enclosing_statement(self, c)) for c in calls if not any(id(a) in call_set for a in self._ancestors(c))
        ]
        remaining = [s for s in _block_of(self, statement) if s is not statement]
        names = cast(Sequence[cst.ImportAlias], node.names)  # holds `alias`: not an ImportStar
        if len(remaining) == 0 and len(names) == 1 and len(statement.body) == 1:
            # the import is alone in its block: removing it would leave the block empty
            return None

        if sum(dotted_name(a.name) == "to_py" for a in names) > 1:
            return None

        def apply(fx) -> None:  # type: ignore[no-untyped-def]
            remove_from_import(fx, statement, node, {"to_py"})
            for call, holder in outermost:
                # _Rewrite.leave_Call returns an expression, never a removal or flatten sentinel
                replace_expression(fx, holder, call, cast(cst.BaseExpression, call.visit(_Rewrite(callee_ids))))

        return apply

    def _ancestors(self, node: cst.CSTNode):
        up = parent(self, node)
        while up is not None:
            yield up
            up = parent(self, up)


def _attributes(args) -> list[cst.Attribute]:
    found: list[cst.Attribute] = []

    class Collect(cst.CSTVisitor):
        def visit_Attribute(self, node: cst.Attribute) -> None:
            if node.attr.value == "to_py":
                found.append(node)

    for arg in args:
        arg.visit(Collect())
    return found


def _block_of(rule, statement: cst.CSTNode) -> list[cst.CSTNode]:
    holder = parent(rule, statement)
    if isinstance(holder, (cst.Module, cst.IndentedBlock)):
        return list(holder.body)
    return [statement]
