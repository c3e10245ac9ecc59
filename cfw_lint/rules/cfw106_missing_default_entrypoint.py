"""CFW106: the Worker's main module exports no `Default` entrypoint. Facts §1.2, §1.5."""

from __future__ import annotations

import libcst as cst
from libcst.metadata import Assignment, GlobalScope, ScopeProvider

from cfw_lint.analysis.model import ENTRYPOINT_BASES, LEGACY_HANDLERS
from cfw_lint.analysis.names import dotted_name
from cfw_lint.diagnostics import Severity
from cfw_lint.rule import FileContext, PythonRule

NO_FETCH = '"Handler does not export a fetch() function."'


def _literal_names(node: cst.BaseExpression) -> list[str] | None:
    if not isinstance(node, (cst.List, cst.Tuple)):
        return None
    out = []
    for element in node.elements:
        if isinstance(element, cst.StarredElement) or not isinstance(element.value, cst.SimpleString):
            return None
        value = element.value.evaluated_value
        if not isinstance(value, str):
            return None
        out.append(value)
    return out


class MissingDefaultEntrypoint(PythonRule):
    code = "CFW106"
    name = "missing-default-entrypoint"
    severity = Severity.ERROR
    summary = "The Worker's main module defines (or exports) no `class Default(WorkerEntrypoint)`."
    profile_facts = ("class_handlers",)
    METADATA_DEPENDENCIES = (ScopeProvider,)

    @classmethod
    def applies(cls, context: FileContext) -> bool:
        return context.is_main is True  # only when a Worker config names this module

    def leave_Module(self, original_node: cst.Module) -> None:
        scope = self.get_metadata(ScopeProvider, original_node, None)
        if not isinstance(scope, GlobalScope) or self._star_import(original_node):
            return  # `from x import *` may bring anything in
        exported = self._dunder_all(scope)
        bindings = list(scope.assignments["Default"])
        if bindings:
            self._check_default(original_node, bindings, exported)
            return
        if any(scope.assignments[n] for n in LEGACY_HANDLERS):
            # legacy mode: module-level handlers serve the Worker; class mode: CFW101 reports
            # them (with the fix that creates `Default`), so saying it twice is only noise
            return
        kinds = [e for e in self.model.entrypoints.values()]
        named = [e for e in kinds if e.kind == "WorkerEntrypoint"]
        if named:
            entry = named[0]
            self.report(
                entry.node.name,
                f"the main module has no `Default` entrypoint: `{entry.name}` is a named "
                "entrypoint, reachable only through service bindings that name it; HTTP requests "
                f"and cron triggers fail with {NO_FETCH} Name the class `Default`",
            )
            return
        if kinds:
            # a Worker that only hosts Durable Objects or Workflows for other Workers: valid
            return
        legacy = "" if self.profile.class_handlers else " nor (on this legacy date) a module-level `on_fetch`"
        self.report(
            original_node,
            "the Worker's main module defines no `class Default(WorkerEntrypoint)`"
            f"{legacy}: every request fails with {NO_FETCH}",
        )

    def _check_default(self, module: cst.Module, bindings, exported) -> None:  # type: ignore[no-untyped-def]
        classes = [a.node for a in bindings if isinstance(a.node, cst.ClassDef)]
        if exported is not None and "Default" not in exported[0]:
            self.report(
                exported[1],
                "`__all__` leaves out `Default`: the runtime only collects the entrypoints "
                f"`__all__` names, so the Worker has no default handler ({NO_FETCH}); add "
                '"Default" to `__all__`',
            )
            return
        if len(classes) != len(bindings) or self.model.default_class() is not None:
            return  # imported or assigned (trusted), or a WorkerEntrypoint class
        for node in classes:
            kind = self._kind(node)
            if kind is None:
                continue  # a base we cannot see into
            what = "not a subclass of anything" if kind == "" else f"a {kind}, not a WorkerEntrypoint"
            self.report(
                node.name,
                f"`Default` is {what}: the runtime only takes `WorkerEntrypoint` subclasses as the "
                f"default entrypoint ({NO_FETCH}); declare `class Default(WorkerEntrypoint)`",
            )

    def _kind(self, node: cst.ClassDef) -> str | None:
        """The SDK kind a class certainly is: '' for none, None when a base is unknown."""
        local = {e.name: e.kind for e in self.model.entrypoints.values()}
        plain_locals = {
            s.name.value for s in self.module.body if isinstance(s, cst.ClassDef) and s.name.value not in local
        }
        kinds = []
        for arg in node.bases:
            if arg.keyword is not None:
                continue
            written = dotted_name(arg.value)
            origin = self.model.resolve(arg.value)
            if written in local:
                kinds.append(local[written])
            elif origin in ENTRYPOINT_BASES:
                kinds.append(ENTRYPOINT_BASES[origin])
            elif written == "object" or (written in plain_locals and written != node.name.value):
                continue
            else:
                return None
        if "WorkerEntrypoint" in kinds:
            return None
        return kinds[0] if kinds else ""

    @staticmethod
    def _star_import(module: cst.Module) -> bool:
        for stmt in module.body:
            if isinstance(stmt, cst.SimpleStatementLine):
                for small in stmt.body:
                    if isinstance(small, cst.ImportFrom) and isinstance(small.names, cst.ImportStar):
                        return True
        return False

    def _dunder_all(self, scope: GlobalScope) -> tuple[list[str], cst.CSTNode] | None:
        """The names in a literal `__all__` and where it is set; None when absent or computed."""
        assignments = list(scope.assignments["__all__"])
        if len(assignments) != 1 or assignments[0].references:
            return None  # reassigned, or changed later (`__all__.append(...)`): cannot tell
        assignment = assignments[0]
        if not isinstance(assignment, Assignment):
            return None  # a global scope's `__all__` is never a builtin binding
        target = assignment.node
        for stmt in self.module.body:
            if not isinstance(stmt, cst.SimpleStatementLine):
                continue
            for small in stmt.body:
                if isinstance(small, (cst.Assign, cst.AnnAssign)) and small.value is not None:
                    targets = [t.target for t in small.targets] if isinstance(small, cst.Assign) else [small.target]
                    if any(t is target for t in targets):
                        names = _literal_names(small.value)
                        return (names, small) if names is not None else None
        return None
