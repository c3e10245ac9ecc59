"""CFW404: `None` bound to a D1 statement through raw FFI arrives as `undefined`. Facts §6, §11 item 4."""

from __future__ import annotations

import libcst as cst
from libcst.metadata import ScopeProvider

from cfw_lint.analysis.ffi import FFI_METADATA, assigned_value
from cfw_lint.analysis.imports import ensure_from_import, has_from_import
from cfw_lint.diagnostics import FixAvailability, Severity
from cfw_lint.rule import PythonRule
from cfw_lint.summary import ModuleSummary


def _is_prepare(node: cst.CSTNode | None) -> bool:
    return (
        isinstance(node, cst.Call)
        and isinstance(node.func, cst.Attribute)
        and node.func.attr.value == "prepare"
        and len(node.args) >= 1
    )


class NoneToJsNull(PythonRule):
    code = "CFW404"
    name = "none-to-js-null"
    severity = Severity.ERROR
    fix = FixAvailability.SAFE
    summary = "`None` in a raw D1 `.bind()` becomes `undefined`, which D1 rejects; pass `pyodide.ffi.jsnull`."
    profile_facts = ("wrapped_bindings", "python_version")
    METADATA_DEPENDENCIES = FFI_METADATA
    triggers = ("bind",)

    @classmethod
    def could_fire(cls, summary: ModuleSummary, text: str) -> bool:
        # `<...>.prepare(sql).bind(...)`, or `.bind(...)` on a name assigned one
        return "bind" in summary.attributes and "prepare" in summary.attributes

    @classmethod
    def applies(cls, context) -> bool:  # type: ignore[no-untyped-def]
        # wrapping SDKs (>= 1.3) send None as null; unknown SDK: stay silent
        return context.profile.wrapped_bindings is False

    def visit_Call(self, node: cst.Call) -> None:
        func = node.func
        if not isinstance(func, cst.Attribute) or func.attr.value != "bind":
            return
        statement = func.value
        if not _is_prepare(statement) and not _is_prepare(assigned_value(self, statement)):
            return
        for arg in node.args:
            value = arg.value
            if arg.star or not (isinstance(value, cst.Name) and value.value == "None"):
                continue
            if self.profile.has_jsnull:
                message = (
                    "`None` passed to D1 `.bind()` through raw FFI becomes JS `undefined`: "
                    "`D1_TYPE_ERROR: Type 'undefined' not supported for value 'undefined'`; "
                    "pass `jsnull` (`from pyodide.ffi import jsnull`) for SQL NULL"
                )
                self.report(value, message, fix=self._fix(value))
            else:
                message = (
                    "`None` passed to D1 `.bind()` through raw FFI becomes JS `undefined`: "
                    "`D1_TYPE_ERROR: Type 'undefined' not supported for value 'undefined'`; "
                    f"`pyodide.ffi.jsnull` needs Pyodide 0.28 (this runtime is Python "
                    f"{self.profile.python_version}): move to a compatibility date of 2025-09-29 "
                    "or later, or write the NULL into the SQL text"
                )
                self.report(value, message)

    def _fix(self, none: cst.Name):
        existing = has_from_import(self.module, "pyodide.ffi", "jsnull")
        if existing is None:
            scope = self.get_metadata(ScopeProvider, none, None)
            if scope is None or scope["jsnull"] or scope.globals.assignments["jsnull"]:
                return None  # `jsnull` means something else here

        def apply(fx) -> None:  # type: ignore[no-untyped-def]
            name = existing or ensure_from_import(fx, "pyodide.ffi", "jsnull")
            fx.replace(none, name)

        return apply
