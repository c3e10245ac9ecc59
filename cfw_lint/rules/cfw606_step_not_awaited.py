"""CFW606: a declared step called without `await`, or `@step.do` without its call. Facts §2."""

from __future__ import annotations

import libcst as cst

from cfw_lint.analysis.workflows import Region, WorkflowRun, workflow_runs
from cfw_lint.diagnostics import Severity
from cfw_lint.rule import PythonRule
from cfw_lint.summary import ModuleSummary

# where a value is used as data (a coroutine there is a bug), not handed on to be awaited
_DATA_USES = (
    cst.Subscript,
    cst.Attribute,
    cst.FormattedStringExpression,
    cst.Comparison,
    cst.ComparisonTarget,
    cst.BinaryOperation,
    cst.UnaryOperation,
    cst.BooleanOperation,
    cst.If,
    cst.While,
)


class StepNotAwaited(PythonRule):
    code = "CFW606"
    name = "step-not-awaited"
    severity = Severity.ERROR
    summary = "A step runs only when awaited: `await my_step()`; `@step.do` needs its call parentheses."
    triggers = ("WorkflowEntrypoint",)
    # only files importing these can hold what the rule matches (see PythonRule.modules)
    modules = ("workers", "cloudflare")

    @classmethod
    def could_fire(cls, summary: ModuleSummary, text: str) -> bool:
        # a WorkflowEntrypoint with a `run` method (analysis.workflows.workflow_runs)
        return "run" in summary.entrypoint_methods("WorkflowEntrypoint")

    def visit_Module(self, node: cst.Module) -> None:
        for run in workflow_runs(self):
            for decl in run.steps:
                if decl.bare and decl.func is not None:
                    self._bare(run, decl.node, decl.func)
            regions = [run.region] + [run.region_of(f) for f in run.region.nested.values()]
            for region in regions:
                for call in region.calls:
                    self._call(run, region, call)

    def _bare(self, run: WorkflowRun, node: cst.CSTNode, func: cst.FunctionDef) -> None:
        name = func.name.value
        self.report(
            node,
            f"`@{run.step_param}.do` without parentheses passes the function as the step's name "
            f"and binds `{name}` to the inner decorator: `await {name}()` raises `TypeError: "
            "_WorkflowStepWrapper._create_step_decorator.<locals>.decorator() missing 1 required "
            "positional argument: 'func'` (with either step.do signature). Write "
            f'`@{run.step_param}.do()` (implicit dependencies) or `@{run.step_param}.do("{name}")`',
        )

    def _call(self, run: WorkflowRun, region: Region, call: cst.Call) -> None:
        if not isinstance(call.func, cst.Name):
            return
        name = call.func.value
        if run.step_named(name) is None:
            return
        if region is not run.region and region.binds(name):
            return  # a nested function's own `name`
        if not self._dropped(run, region, call):
            return
        self.report(
            call,
            f"step `{name}()` is called without `await`: `{run.step_param}.do` only declares the "
            "step, so this makes a coroutine that never runs (and is not a result). "
            f"Write `await {name}()`, or pass the calls to `asyncio.gather(...)` and await that",
        )

    def _dropped(self, run: WorkflowRun, region: Region, call: cst.Call) -> bool:
        """The coroutine made by `call` is certainly never awaited."""
        parent = region.parent(call)
        if isinstance(parent, cst.Await):
            return False
        if isinstance(parent, cst.Expr):
            return True  # a statement of its own: created and dropped
        if isinstance(parent, cst.For) and parent.iter is call:
            return True
        if isinstance(parent, cst.Return) and region is run.region:
            return True  # run's result would be a coroutine
        if isinstance(parent, _DATA_USES):
            return True
        if isinstance(parent, cst.IfExp) and parent.test is call:
            return True
        if isinstance(parent, (cst.Assign, cst.AnnAssign)):
            targets = parent.targets if isinstance(parent, cst.Assign) else [parent]
            if len(targets) != 1 or not isinstance(targets[0].target, cst.Name):
                return False
            var = targets[0].target.value
            if len(region.bindings.get(var, ())) != 1:
                return False
            return not any(_hands_on(region, use) for use in region.name_loads.get(var, ()))
        return False  # arguments, collections, ...: handed on, assume awaited there


def _hands_on(region: Region, use: cst.Name) -> bool:
    """A use of a variable that may await it (everything except using it as data)."""
    parent = region.parent(use)
    return not isinstance(parent, _DATA_USES)
