"""CFW604: implicit `step.do`: a step parameter that names no step (and is not `ctx`). Facts §2."""

from __future__ import annotations

import libcst as cst

from cfw_lint.analysis.workflows import all_params, workflow_runs
from cfw_lint.diagnostics import Severity
from cfw_lint.rule import FileContext, PythonRule
from cfw_lint.summary import ModuleSummary


class StepParameterNotAStep(PythonRule):
    code = "CFW604"
    name = "step-parameter-not-a-step"
    severity = Severity.ERROR
    summary = "Implicit step.do: every step parameter must be `ctx` or the name of a declared step."
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
        return context.profile.implicit_step_dependencies

    def visit_Module(self, node: cst.Module) -> None:
        for run in workflow_runs(self):
            # steps declared where we cannot see them (or with computed names) could match
            if not run.step_names_known():
                continue
            names = {s.name for s in run.steps}
            for decl, func in run.step_functions():
                if decl.do_call is None or decl.opaque or decl.depends_arg is not None:
                    continue  # bare @step.do is CFW606, depends= is CFW603
                for param in all_params(func):
                    pname = param.name.value
                    if pname == "ctx" or pname in names:
                        continue
                    self.report(
                        param.name,
                        f"parameter `{pname}` of step `{decl.name}` is neither `ctx` nor the "
                        "name of a step: under implicit dependencies the runtime raises "
                        f"`TypeError: Received unexpected parameter {pname}`. Name the parameter "
                        "after the step whose result it takes, or compute the value inside the step",
                    )
