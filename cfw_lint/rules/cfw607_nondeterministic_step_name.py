"""CFW607: a step name built from the clock, randomness or uuids (replays miss the cache). Facts §2."""

from __future__ import annotations

import libcst as cst

from cfw_lint.analysis.names import NAME_METADATA, qualified_name
from cfw_lint.analysis.workflows import SLEEP_METHODS, Region, workflow_runs
from cfw_lint.diagnostics import Severity
from cfw_lint.rule import PythonRule
from cfw_lint.summary import ModuleSummary

_CLOCK = {
    "time.time",
    "time.time_ns",
    "time.monotonic",
    "time.monotonic_ns",
    "time.perf_counter",
    "time.perf_counter_ns",
    "time.localtime",
    "time.gmtime",
    "time.ctime",
    "time.strftime",
    "datetime.datetime.now",
    "datetime.datetime.utcnow",
    "datetime.datetime.today",
    "datetime.date.today",
    "os.urandom",
    "uuid.uuid1",
    "uuid.uuid4",
}
_MODULES = ("random.", "secrets.", "numpy.random.")


def entropy_source(origin: str | None) -> bool:
    if origin is None:
        return False
    return origin in _CLOCK or origin.startswith(_MODULES)


class NondeterministicStepName(PythonRule):
    code = "CFW607"
    name = "nondeterministic-step-name"
    severity = Severity.WARNING
    summary = "Step names built from time, randomness or uuids change on replay, so cached results are missed."
    METADATA_DEPENDENCIES = NAME_METADATA
    triggers = ("WorkflowEntrypoint",)
    # only files importing these can hold what the rule matches (see PythonRule.modules)
    modules = ("workers", "cloudflare")

    @classmethod
    def could_fire(cls, summary: ModuleSummary, text: str) -> bool:
        # a WorkflowEntrypoint with a `run` method (analysis.workflows.workflow_runs)
        return "run" in summary.entrypoint_methods("WorkflowEntrypoint")

    def visit_Module(self, node: cst.Module) -> None:
        for run in workflow_runs(self):
            names: list[tuple[cst.BaseExpression, str]] = []
            for decl in run.steps:
                if decl.name_expr is not None:
                    names.append((decl.name_expr, "step.do"))
            for call in run.region.calls:
                if run.is_step_attr(call.func, SLEEP_METHODS):
                    arg = _name_arg(call)
                    if arg is not None:
                        names.append((arg, f"step.{call.func.attr.value}"))  # type: ignore[attr-defined]
            for expr, what in names:
                source = self._source(run.region, expr, 0)
                if source is None:
                    continue
                self.report(
                    expr,
                    f"this `{what}` name is built from `{source}()`, which differs on every run: "
                    "when the workflow replays (after a sleep, a retry or an eviction) the step "
                    "gets a new name, so its cached result is not found and it runs again. Build "
                    "names from constants, loop indexes or the event payload",
                )

    def _source(self, region: Region, expr: cst.CSTNode, depth: int) -> str | None:
        """The clock/random call `expr` is built from, following simple local assignments."""
        found: list[str] = []
        rule = self

        class _Walk(cst.CSTVisitor):
            def visit_Call(self, node: cst.Call) -> bool:
                origin = qualified_name(rule, node.func)
                if entropy_source(origin):
                    found.append(origin)  # type: ignore[arg-type]
                    return False
                return True

            def visit_Name(self, node: cst.Name) -> None:
                if depth >= 3:
                    return
                value = region.single_value(node.value)
                if value is not None:
                    inner = rule._source(region, value, depth + 1)
                    if inner:
                        found.append(inner)

            def visit_Attribute(self, node: cst.Attribute) -> bool:
                node.value.visit(self)
                return False

        expr.visit(_Walk())
        return found[0] if found else None


def _name_arg(call: cst.Call) -> cst.BaseExpression | None:
    for arg in call.args:
        if arg.keyword is not None and arg.keyword.value == "name":
            return arg.value
    if call.args and call.args[0].keyword is None and not call.args[0].star:
        return call.args[0].value
    return None
