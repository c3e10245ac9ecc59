"""CFW603: `depends=` under implicit step dependencies (date >= 2026-02-25). Facts §2."""

from __future__ import annotations

import libcst as cst
from libcst.metadata import ScopeProvider

from cfw_lint.analysis.frameworks import arg_span
from cfw_lint.analysis.workflows import (
    StepDecl,
    WorkflowRun,
    all_params,
    is_identifier,
    positional_params,
    workflow_runs,
)
from cfw_lint.diagnostics import FixAvailability, Severity
from cfw_lint.fixes import FixBuilder
from cfw_lint.rule import FileContext, FixCallback, PythonRule
from cfw_lint.summary import ModuleSummary

# legacy positional order after (name, depends)
_LEGACY_TAIL = ("concurrent", "config")


class StepDependsRemoved(PythonRule):
    code = "CFW603"
    name = "step-depends-removed"
    severity = Severity.ERROR
    fix = FixAvailability.SAFE
    summary = "`depends=` no longer exists under implicit step dependencies; name parameters after steps."
    profile_facts = ("implicit_step_dependencies",)
    METADATA_DEPENDENCIES = (ScopeProvider,)
    triggers = ("WorkflowEntrypoint",)
    # only files importing these can hold what the rule matches (see PythonRule.modules)
    modules = ("workers", "cloudflare")

    @classmethod
    def could_fire(cls, summary: ModuleSummary, text: str) -> bool:
        # a WorkflowEntrypoint with a `run` method (analysis.workflows.workflow_runs)
        return "run" in summary.entrypoint_methods("WorkflowEntrypoint")

    @classmethod
    def applies(cls, context: FileContext) -> bool:
        return context.profile.implicit_step_dependencies

    def visit_Module(self, node: cst.Module) -> None:
        for run in workflow_runs(self):
            for decl in run.steps:
                if decl.do_call is None or decl.depends_arg is None:
                    continue
                arg = decl.depends_arg
                how = "`depends=`" if arg.keyword is not None else "a positional `depends` list"
                error = (
                    "`TypeError: _WorkflowStepWrapper._do_implicit() got an unexpected keyword argument 'depends'`"
                    if arg.keyword is not None
                    else "a `TypeError` (too many positional arguments)"
                )
                self.report(
                    arg,
                    f"{how} is gone under implicit step dependencies (compatibility date >= "
                    f"2026-02-25): `step.do` raises {error}. Drop it and name the step's "
                    "parameters after the steps it depends on",
                    fix=self._fix(run, decl),
                )

    # -- fix ---------------------------------------------------------------------------------
    def _fix(self, run: WorkflowRun, decl: StepDecl) -> FixCallback | None:
        call = decl.do_call
        assert call is not None and decl.depends_arg is not None
        renames: dict[cst.Param, str] = {}
        if not decl.depends_is_none:
            depends = decl.depends
            func = decl.func
            if depends is None or func is None:
                return None
            params = [p for p in all_params(func) if p.name.value != "ctx"]
            plain = positional_params(func)
            if len(params) != len(depends) or any(p not in plain for p in params):
                return None
            targets = []
            for dep in depends:
                dep_step = run.step_named(dep.value) if isinstance(dep, cst.Name) else None
                name = dep_step.name if dep_step is not None else None
                if name is None or not is_identifier(name) or name == "ctx":
                    return None
                targets.append(name)
            if len(set(targets)) != len(targets):
                return None
            renames = {p: t for p, t in zip(params, targets) if p.name.value != t}
            if renames and not self._renamable(func, renames):
                return None
        depends_arg = decl.depends_arg
        refs = self._references(decl.func, renames) if renames else {}

        def apply(fx: FixBuilder) -> None:
            _remove_depends(fx, call, depends_arg)
            for param, target in renames.items():
                fx.replace(param.name, target)
            for name_node, target in refs.items():
                fx.replace(name_node, target)

        return apply

    def _renamable(self, func: cst.FunctionDef, renames: dict[cst.Param, str]) -> bool:
        """Each renamed parameter is bound once, and no new name is already used in the step."""
        old = {p.name.value for p in renames}
        used = _names_in(func) - old
        if any(t in used for t in renames.values()):
            return False
        scope = self._scope(func)
        if scope is None:
            return False
        for param in renames:
            assignments = list(scope.assignments[param.name.value])
            if len(assignments) != 1 or assignments[0].node is not param:
                return False
            for ref in assignments[0].references:
                if not isinstance(ref.node, cst.Name):
                    return False
        return True

    def _references(self, func: cst.FunctionDef | None, renames: dict[cst.Param, str]) -> dict[cst.Name, str]:
        assert func is not None
        scope = self._scope(func)
        out: dict[cst.Name, str] = {}
        if scope is None:
            return out
        for param, target in renames.items():
            for assignment in scope.assignments[param.name.value]:
                for ref in assignment.references:
                    if isinstance(ref.node, cst.Name):
                        out[ref.node] = target
        return out

    def _scope(self, func: cst.FunctionDef):  # type: ignore[no-untyped-def]
        body = func.body
        first = body.body[0] if body.body else None
        if first is None:
            return None
        scope = self.get_metadata(ScopeProvider, first, None)
        return scope if scope is not None and getattr(scope, "node", None) is func else None


def _names_in(func: cst.FunctionDef) -> set[str]:
    """Every Name in the function (parameters, body, nested code), attribute names excluded."""
    found: set[str] = set()

    class _Names(cst.CSTVisitor):
        def visit_Name(self, node: cst.Name) -> None:
            found.add(node.value)

        def visit_Attribute(self, node: cst.Attribute) -> bool:
            node.value.visit(self)
            return False

    func.params.visit(_Names())
    func.body.visit(_Names())
    return found


def _remove_depends(fx: FixBuilder, call: cst.Call, depends: cst.Arg) -> None:
    """Drop the depends argument as text (the call's layout and comments stay as they are);
    legacy positional `concurrent`/`config` after it become keywords."""
    args = list(call.args)
    index = next(i for i, a in enumerate(args) if a is depends)
    keywords: dict[int, str] = {}
    if depends.keyword is None:
        for k, i in enumerate(range(index + 1, len(args))):
            a = args[i]
            if a.keyword is not None or a.star or k >= len(_LEGACY_TAIL):
                break
            keywords[i] = _LEGACY_TAIL[k]
    start, end = arg_span(fx, depends)
    if index < len(args) - 1:
        following = index + 1
        fx.edit(start, arg_span(fx, args[following])[0], f"{keywords.pop(following)}=" if following in keywords else "")
    elif index > 0:
        fx.edit(arg_span(fx, args[index - 1])[1], end, "")
    else:
        fx.edit(start, fx.tight_span(call)[1] - 1, "")
    for i, kw in keywords.items():
        at = arg_span(fx, args[i])[0]
        fx.edit(at, at, f"{kw}=")
