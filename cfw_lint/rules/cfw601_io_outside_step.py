"""CFW601: awaited work in `WorkflowEntrypoint.run` that is not a step. Facts §2."""

from __future__ import annotations

from dataclasses import dataclass

import libcst as cst

from cfw_lint.analysis.names import dotted_name
from cfw_lint.analysis.workflows import Region, WorkflowRun, workflow_runs
from cfw_lint.diagnostics import Severity
from cfw_lint.rule import PythonRule
from cfw_lint.summary import ModuleSummary

# asyncio helpers that await what they are given
_PASS_THROUGH = {"asyncio.wait_for", "asyncio.shield", "asyncio.create_task", "asyncio.ensure_future"}
_MAX_DEPTH = 3


@dataclass
class Finding:
    node: cst.CSTNode  # where to report
    what: str  # the awaited call, as written (shortened)
    sleep: bool = False  # asyncio.sleep: not I/O, but not durable either
    via: str | None = None  # the local helper it happens in


class IoOutsideStep(PythonRule):
    code = "CFW601"
    name = "io-outside-step"
    severity = Severity.ERROR
    summary = "Awaited I/O in Workflow run() outside a step is re-run on every replay and not persisted."
    triggers = ("WorkflowEntrypoint",)
    # only files importing these can hold what the rule matches (see PythonRule.modules)
    modules = ("workers", "cloudflare")

    @classmethod
    def could_fire(cls, summary: ModuleSummary, text: str) -> bool:
        # a WorkflowEntrypoint with a `run` method (analysis.workflows.workflow_runs)
        return "run" in summary.entrypoint_methods("WorkflowEntrypoint")

    def visit_Module(self, node: cst.Module) -> None:
        for run in workflow_runs(self):
            if run.step_param is None:
                continue
            for awaited in run.region.awaits:
                for found in self._await(run, run.region, awaited, 0):
                    self._emit(run, found)

    def _emit(self, run: WorkflowRun, found: Finding) -> None:
        where = f"`{run.cls.name.value}.run`"
        if found.sleep:
            self.report(
                found.node,
                f"`{found.what}` in {where} is not durable: a replay sleeps again and the "
                f'instance stays busy meanwhile; use `await {run.step_param}.sleep("name", '
                "duration)`",
                severity=Severity.WARNING,
            )
            return
        inside = f" (inside `{found.via}()`)" if found.via else ""
        self.report(
            found.node,
            f"`await {found.what}`{inside} runs in {where} outside any step: every replay of the "
            "workflow runs it again and its result is not persisted. Move it into a "
            f"`@{run.step_param}.do(...)` function and await that step",
        )

    # -- classification ----------------------------------------------------------------------
    def _await(self, run: WorkflowRun, region: Region, node: cst.Await, depth: int) -> list[Finding]:
        return self._awaitable(run, region, node.expression, node, depth)

    def _awaitable(
        self, run: WorkflowRun, region: Region, expr: cst.BaseExpression, at: cst.CSTNode, depth: int
    ) -> list[Finding]:
        """Findings for awaiting `expr`; `at` is where a direct problem is reported."""
        if isinstance(expr, cst.Name):
            # `task = fetch(...)` ... `await task`: follow one simple assignment
            value = region.single_value(expr.value)
            if isinstance(value, cst.Call):
                return self._awaitable(run, region, value, at, depth)
            return []
        if not isinstance(expr, cst.Call):
            return []
        return self._call(run, region, expr, at, depth)

    def _call(self, run: WorkflowRun, region: Region, call: cst.Call, at: cst.CSTNode, depth: int) -> list[Finding]:
        func = call.func
        if run.uses_step(call):
            # `await helper(step)`, `step.do(...)`, `step.sleep(...)`: step work or unknowable
            return []
        if isinstance(func, cst.Name):
            name = func.value
            if run.step_named(name) is not None:
                return []
            local = region.nested.get(name)
            if local is not None and region.binds(name) and len(region.bindings.get(name, ())) == 1:
                return self._local_helper(run, local, at, depth)
            if region.binds(name):
                return []  # a local variable we do not follow
        base = func.value if isinstance(func, cst.Attribute) else None
        if isinstance(base, cst.Name) and run.is_step_alias(base.value):
            return []  # `s = step` ... `await s.sleep(...)`
        origin = self._origin(region, func)
        if origin == "asyncio.gather":
            out: list[Finding] = []
            for arg in call.args:
                if arg.keyword is None and not arg.star:
                    out.extend(self._awaitable(run, region, arg.value, arg.value, depth))
            return out
        if origin in _PASS_THROUGH:
            first = call.args[0] if call.args else None
            if first is None or first.keyword is not None or first.star:
                return []
            return self._awaitable(run, region, first.value, at, depth)
        if origin == "asyncio.sleep":
            return [Finding(at, _short(call), sleep=True)]
        if isinstance(func, (cst.Name, cst.Attribute)):
            return [Finding(at, _short(call))]
        return []  # `handlers[key]()`, `make()()`: cannot tell

    def _local_helper(self, run: WorkflowRun, helper: cst.FunctionDef, at: cst.CSTNode, depth: int) -> list[Finding]:
        """A non-step function defined in run and awaited there: its awaits run in run."""
        if depth >= _MAX_DEPTH or helper.asynchronous is None or helper.decorators:
            return []  # a decorated helper may be a step under another name
        region = run.region_of(helper)
        for awaited in region.awaits:
            found = self._await(run, region, awaited, depth + 1)
            if found and not found[0].sleep:
                first = found[0]
                return [Finding(at, first.what, via=first.via or helper.name.value)]
        return []

    def _origin(self, region: Region, func: cst.BaseExpression) -> str | None:
        name = dotted_name(func)
        if name is None or region.binds(name.split(".")[0]):
            return None
        return self.model.resolve(func)


def _short(call: cst.Call) -> str:
    text = cst.Module([]).code_for_node(call.func)
    return f"{text}(...)" if call.args else f"{text}()"
