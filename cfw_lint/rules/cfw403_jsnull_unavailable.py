"""CFW403: `jsnull`/`JsNull` imported on the 3.12 runtime (Pyodide 0.26 has neither). Facts §3.3, §6."""

from __future__ import annotations

import libcst as cst

from cfw_lint.analysis.ffi import FFI_METADATA, ancestors, in_import_guard
from cfw_lint.analysis.names import dotted_name, qualified_name
from cfw_lint.diagnostics import Severity
from cfw_lint.facts import import_from_module
from cfw_lint.rule import PythonRule
from cfw_lint.summary import ModuleSummary

_NAMES = ("jsnull", "JsNull")


def _version_checked(rule, node: cst.CSTNode) -> bool:
    """Inside `if sys.version_info >= (3, 13):` or a similar version test."""
    for up in ancestors(rule, node):
        if isinstance(up, (cst.If, cst.IfExp)) and "version_info" in rule.module.code_for_node(up.test):
            return True
    return False


class JsnullUnavailable(PythonRule):
    code = "CFW403"
    name = "jsnull-unavailable"
    severity = Severity.ERROR
    summary = "`pyodide.ffi.jsnull`/`JsNull` do not exist on the Python 3.12 runtime (Pyodide 0.26)."
    profile_facts = ("python_version",)
    METADATA_DEPENDENCIES = FFI_METADATA
    triggers = ("jsnull", "JsNull")
    # only files importing these can hold what the rule matches (see PythonRule.modules)
    modules = ("pyodide",)

    @classmethod
    def could_fire(cls, summary: ModuleSummary, text: str) -> bool:
        return summary.imports_name(("pyodide.ffi",), _NAMES) or summary.refers_to(
            ("pyodide.ffi.jsnull", "pyodide.ffi.JsNull")
        )

    @classmethod
    def applies(cls, context) -> bool:  # type: ignore[no-untyped-def]
        return not context.profile.has_jsnull

    def _message(self, what: str) -> str:
        return (
            f"`{what}` does not exist on this runtime (Python {self.profile.python_version}, "
            f"Pyodide {self.profile.pyodide_version}): `ImportError: cannot import name "
            f"'{what.rsplit('.', 1)[-1]}' from 'pyodide.ffi'`; it arrives with Pyodide 0.28 "
            "(compatibility date 2025-09-29 or later), or guard the import with "
            "`try: ... except ImportError:`"
        )

    def visit_ImportFrom(self, node: cst.ImportFrom) -> None:
        if node.relative or isinstance(node.names, cst.ImportStar):
            return
        if import_from_module(node) != "pyodide.ffi":
            return
        if in_import_guard(self, node) or _version_checked(self, node):
            return
        for alias in node.names:
            if dotted_name(alias.name) in _NAMES:
                self.report(alias, self._message(f"pyodide.ffi.{dotted_name(alias.name)}"))

    def visit_Attribute(self, node: cst.Attribute) -> None:
        if node.attr.value not in _NAMES:
            return
        origin = qualified_name(self, node)
        if origin not in ("pyodide.ffi.jsnull", "pyodide.ffi.JsNull"):
            return
        if in_import_guard(self, node) or _version_checked(self, node):
            return
        self.report(node, self._message(origin))
