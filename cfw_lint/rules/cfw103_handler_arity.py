"""CFW103: `scheduled`/`queue`/`tail` that cannot take (event, env, ctx). Facts §1.3."""

from __future__ import annotations

import libcst as cst
from libcst.metadata import ScopeProvider

from cfw_lint.analysis.handlers import (
    _inside,
    accepts_positional,
    append_params,
    free_name,
    is_plain_method,
    positional_params,
)
from cfw_lint.analysis.model import STRICT_THREE_ARG_HANDLERS
from cfw_lint.diagnostics import FixAvailability, Severity
from cfw_lint.fixes import FixBuilder
from cfw_lint.rule import PythonRule
from cfw_lint.summary import ModuleSummary

EVENT_NAME = {"scheduled": "controller", "queue": "batch", "tail": "events"}


class HandlerArity(PythonRule):
    code = "CFW103"
    name = "handler-arity"
    severity = Severity.ERROR
    fix = FixAvailability.SAFE
    summary = "`scheduled`/`queue`/`tail` must accept (event, env, ctx) after self."
    METADATA_DEPENDENCIES = (ScopeProvider,)
    triggers = ("scheduled", "queue", "tail")
    # only files importing these can hold what the rule matches (see PythonRule.modules)
    modules = ("workers", "cloudflare")

    @classmethod
    def could_fire(cls, summary: ModuleSummary, text: str) -> bool:
        # a strict handler that cannot take (event, env, ctx)
        signatures = summary.entrypoint_signatures("WorkerEntrypoint", STRICT_THREE_ARG_HANDLERS)
        return any(not s.accepts_positional(3) for s in signatures)

    def visit_Module(self, node: cst.Module) -> None:
        for entry in self.model.entrypoints.values():
            if entry.kind != "WorkerEntrypoint":
                continue
            for method, func in entry.methods.items():
                if method in STRICT_THREE_ARG_HANDLERS and is_plain_method(func):
                    self._check(entry.name, method, func)

    def _check(self, cls: str, method: str, func: cst.FunctionDef) -> None:
        params = func.params
        if accepts_positional(params, 3):
            return
        positional = positional_params(params)
        given = len(positional)
        message = (
            f"the runtime calls `{method}` with three arguments after self "
            f"({EVENT_NAME[method]}, env, ctx); this signature fails with "
            f"`TypeError: {cls}.{method}() takes {given} positional argument{'s' if given != 1 else ''} "
            f"but 4 were given`: declare `{method}(self, {EVENT_NAME[method]}, env, ctx)` and use "
            "`self.env`/`self.ctx`"
        )
        if given > 4 or any(p.default is None for p in params.kwonly_params):
            # too many required parameters, or required keyword-only ones: nothing to add
            message = (
                f"the runtime calls `{method}` with exactly three arguments after self "
                f"({EVENT_NAME[method]}, env, ctx) and no keywords; this signature cannot take them: "
                f"declare `{method}(self, {EVENT_NAME[method]}, env, ctx)`"
            )
            self.report(func.name, message)
            return
        self.report(func.name, message, fix=self._fix(method, func))

    def _fix(self, method: str, func: cst.FunctionDef):  # type: ignore[no-untyped-def]
        params = func.params
        positional = positional_params(params)
        if not positional or isinstance(params.star_arg, cst.Param):
            return None
        wanted = [EVENT_NAME[method], "env", "ctx"][len(positional) - 1 :]
        taken = {p.name.value for p in (*positional, *params.kwonly_params)}
        if isinstance(params.star_kwarg, cst.Param):
            taken.add(params.star_kwarg.name.value)
        taken |= self._names_read(func)
        defaulted = any(p.default is not None for p in positional)
        new = []
        for want in wanted:
            chosen = free_name((want, f"_{want}"), taken)
            taken.add(chosen)
            default = cst.Name("None") if defaulted else None
            equal = cst.AssignEqual(
                whitespace_before=cst.SimpleWhitespace(""), whitespace_after=cst.SimpleWhitespace("")
            )
            new.append(
                cst.Param(cst.Name(chosen), default=default, equal=equal if defaulted else cst.MaybeSentinel.DEFAULT)
            )
        new_params = append_params(params, new)

        def apply(fx: FixBuilder) -> None:
            # the whole statement, so that one-per-line parameters keep their indentation (the
            # edit is narrowed to the parameters)
            fx.replace(func, func.with_changes(params=new_params))

        return apply

    def _names_read(self, func: cst.FunctionDef) -> set[str]:
        """Names the body reads from outside the function: a new parameter must not shadow one."""
        scope = self.get_metadata(ScopeProvider, func.body, None)
        if scope is None:
            return set()
        out: set[str] = set()
        collector = _Names()
        func.body.visit(collector)
        for name in collector.names:
            inner = self.get_metadata(ScopeProvider, name, None)
            if inner is None:
                continue
            for access in inner.accesses[name.value]:
                if access.node is not name:
                    continue
                if not access.referents or any(not _inside(r.scope, scope) for r in access.referents):
                    out.add(name.value)
        return out


class _Names(cst.CSTVisitor):
    def __init__(self) -> None:
        self.names: list[cst.Name] = []

    def visit_Name(self, node: cst.Name) -> None:
        self.names.append(node)
