"""CFW608: legacy `step.do` without a step name. Facts §2."""

from __future__ import annotations

import libcst as cst

from cfw_lint.analysis.workflows import workflow_runs
from cfw_lint.diagnostics import FixAvailability, Severity
from cfw_lint.rule import FileContext, PythonRule
from cfw_lint.summary import ModuleSummary


class StepNameMissing(PythonRule):
    code = "CFW608"
    name = "step-name-missing"
    severity = Severity.ERROR
    fix = FixAvailability.SAFE
    summary = "Legacy step.do(name, depends=...) needs the step name; @step.do() works only from 2026-02-25."
    profile_facts = ("implicit_step_dependencies",)
    triggers = ("WorkflowEntrypoint",)
    # only files importing these can hold what the rule matches (see PythonRule.modules)
    modules = ("workers", "cloudflare")

    @classmethod
    def could_fire(cls, summary: ModuleSummary, text: str) -> bool:
        # a WorkflowEntrypoint with a `run` method (analysis.workflows.workflow_runs)
        return "run" in summary.entrypoint_methods("WorkflowEntrypoint")

    @classmethod
    def applies(cls, context: FileContext) -> bool:
        return not context.profile.implicit_step_dependencies

    def visit_Module(self, node: cst.Module) -> None:
        for run in workflow_runs(self):
            for decl in run.steps:
                call = decl.do_call
                if call is None or decl.opaque or decl.name_expr is not None:
                    continue
                fix = None
                if decl.func is not None:
                    fix = self._fix(call, decl.func.name.value)
                self.report(
                    call,
                    "under this compatibility date `step.do` has the legacy signature "
                    "`step.do(name, depends=None, concurrent=False, config=None)`: without a name "
                    "the call raises `TypeError: _WorkflowStepWrapper._do_legacy() missing 1 required "
                    "positional argument: 'name'` when `run` executes. Name the step (`@step.do(\"...\")`); naming it after "
                    "the function happens by itself only from 2026-02-25",
                    fix=fix,
                )

    @staticmethod
    def _fix(call: cst.Call, step_name: str):  # type: ignore[no-untyped-def]
        def apply(fx) -> None:  # type: ignore[no-untyped-def]
            name_arg = cst.Arg(cst.SimpleString(f'"{step_name}"'))
            if call.args:
                name_arg = name_arg.with_changes(comma=cst.Comma(whitespace_after=cst.SimpleWhitespace(" ")))
            fx.replace(call, call.with_changes(args=[name_arg, *call.args]))

        return apply
