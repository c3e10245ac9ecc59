"""CFW605: legacy `step.do`: `depends` and the step's non-`ctx` parameters differ in number. Facts §2."""

from __future__ import annotations

import libcst as cst

from cfw_lint.analysis.workflows import all_params, workflow_runs
from cfw_lint.diagnostics import Severity
from cfw_lint.rule import FileContext, PythonRule
from cfw_lint.summary import ModuleSummary


class StepDependsArity(PythonRule):
    code = "CFW605"
    name = "step-depends-arity"
    severity = Severity.ERROR
    summary = "Legacy step.do: len(depends) must equal the step's non-ctx parameters."
    profile_facts = ("implicit_step_dependencies", "sdk_version")
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
            for decl, func in run.step_functions():
                if decl.do_call is None or decl.opaque:
                    continue
                non_ctx = [p for p in all_params(func) if p.name.value != "ctx"]
                label = decl.name or func.name.value
                if decl.depends_is_none:
                    if non_ctx:
                        self.report(
                            decl.do_call,
                            f"step `{label}` has {len(non_ctx)} non-ctx parameter(s) but no "
                            "`depends=`; the runtime raises `TypeError: Step has "
                            f"{len(non_ctx)} non-ctx parameter(s) but no 'depends' list provided`. "
                            "List the steps whose results it takes in `depends=[...]` (in "
                            "parameter order), or remove the parameters",
                        )
                    continue
                depends = decl.depends
                if depends is not None:
                    self._check_entries(run, label, depends, non_ctx)
                if depends is None or len(depends) == len(non_ctx):
                    continue
                self.report(
                    decl.do_call,
                    f"step `{label}` declares {len(non_ctx)} non-ctx parameter(s) but `depends` "
                    f"has {len(depends)} item(s); the runtime raises `TypeError: Step declares "
                    f"{len(non_ctx)} non-ctx parameter(s) but 'depends' has {len(depends)} "
                    "item(s)`. Give the step one parameter per dependency (plus `ctx` if needed)",
                )

    def _check_entries(self, run, label: str, depends: list, non_ctx: list) -> None:  # type: ignore[no-untyped-def]
        """workers-runtime-sdk >= 1.8.6 checks that each entry is a declared step (facts §2)."""
        if self.profile.sdk_at_least(1, 8, 6) is not True or run.step_escapes:
            return
        steps = {s.var for s in run.steps}
        for index, entry in enumerate(depends):
            if isinstance(entry, cst.Name):
                if entry.value in steps:
                    continue
            elif not isinstance(entry, (cst.SimpleString, cst.ConcatenatedString, cst.Integer)):
                continue  # an expression that may evaluate to a step
            param = non_ctx[index].name.value if index < len(non_ctx) else "?"
            text = entry.value if isinstance(entry, (cst.Name, cst.SimpleString, cst.Integer)) else "..."
            self.report(
                entry,
                f"`depends` entry `{text}` of step `{label}` is not a step declared with "
                f"`step.do`: workers-runtime-sdk >= 1.8.6 raises `TypeError: 'depends' entry for "
                f"parameter '{param}' is not a function decorated with step.do`. List the step "
                "functions themselves",
            )
