"""CFW104: a class handler reads its own `env`/`ctx` parameter, which is None. Facts §1.3."""

from __future__ import annotations

import libcst as cst
from libcst.metadata import FunctionScope, ScopeProvider

from cfw_lint.analysis.handlers import Rename, attribute, is_plain_method, plan_renames, positional_params
from cfw_lint.diagnostics import FixAvailability, Severity
from cfw_lint.fixes import FixBuilder
from cfw_lint.rule import PythonRule
from cfw_lint.summary import ModuleSummary

# handlers whose (event, env, ctx) the runtime passes as (event, None, None) on a class
# entrypoint; `email` is left out (not in open-source workerd), RPC methods get real arguments
HANDLERS = ("fetch", "scheduled", "queue", "tail")
SLOTS = ((2, "env"), (3, "ctx"))  # positions counting self


class HandlerEnvParameter(PythonRule):
    code = "CFW104"
    name = "handler-env-parameter"
    severity = Severity.ERROR
    fix = FixAvailability.SAFE
    summary = "A class handler reads its `env`/`ctx` parameter (always None): use `self.env`/`self.ctx`."
    METADATA_DEPENDENCIES = (ScopeProvider,)
    triggers = ("WorkerEntrypoint",)
    # only files importing these can hold what the rule matches (see PythonRule.modules)
    modules = ("workers", "cloudflare")

    @classmethod
    def could_fire(cls, summary: ModuleSummary, text: str) -> bool:
        # a handler with an env (third) positional parameter, counting self
        signatures = summary.entrypoint_signatures("WorkerEntrypoint", HANDLERS)
        return any(s.positional > SLOTS[0][0] for s in signatures)

    def visit_Module(self, node: cst.Module) -> None:
        for entry in self.model.entrypoints.values():
            if entry.kind != "WorkerEntrypoint":
                continue
            for method, func in entry.methods.items():
                if method in HANDLERS and is_plain_method(func):
                    self._check(method, func)

    def _check(self, method: str, func: cst.FunctionDef) -> None:
        positional = positional_params(func.params)
        if not positional or positional[0].star:
            return
        owner = positional[0].name.value  # usually `self`
        scope = self.get_metadata(ScopeProvider, func.body, None)
        if not isinstance(scope, FunctionScope):
            return
        for index, attr in SLOTS:
            if index >= len(positional):
                continue
            param = positional[index].name.value
            assignments = list(scope.assignments[param])
            if len(assignments) != 1:
                continue  # reassigned (`env = env or self.env`): the author handles it
            guarded = _none_handling(func, param, owner, attr)
            reads = [a.node for a in assignments[0].references if id(a.node) not in guarded]
            if not reads:
                continue
            plan = plan_renames(self, func, [Rename(param, attribute(owner, attr), owner)])
            for read in reads:
                message = (
                    f"`{param}` is the {attr} parameter of `{method}`, which the runtime passes as "
                    f"`None` to class handlers on every date (`AttributeError: 'NoneType' object "
                    f"has no attribute ...` on every request); use `{owner}.{attr}`"
                )
                self.report(read, message, fix=self._fix(read, plan))

    @staticmethod
    def _fix(read: cst.CSTNode, plan):  # type: ignore[no-untyped-def]
        if plan is None or read not in plan:
            return None
        replacement = plan[read]

        def apply(fx: FixBuilder) -> None:
            assert isinstance(read, cst.Name)
            fx.replace(read, replacement.with_changes(lpar=read.lpar, rpar=read.rpar))

        return apply


def _none_handling(func: cst.FunctionDef, param: str, owner: str, attr: str) -> set[int]:
    """Reads of `param` that handle its being None: `param or self.env` (the idiom
    `bindings = env or self.env`), `param is None` / `is not None`, and truth tests
    (`if env:`, `x if env else y`). Only a None test is harmless (facts §1.3)."""
    out: set[int] = set()

    def is_param(node: cst.BaseExpression) -> bool:
        return isinstance(node, cst.Name) and node.value == param

    def truth_test(node: cst.BaseExpression) -> None:
        while isinstance(node, cst.UnaryOperation) and isinstance(node.operator, cst.Not):
            node = node.expression
        if is_param(node):
            out.add(id(node))

    class Guards(cst.CSTVisitor):
        def visit_BooleanOperation(self, node: cst.BooleanOperation) -> None:
            right = node.right
            if (
                isinstance(node.operator, cst.Or)
                and is_param(node.left)
                and isinstance(right, cst.Attribute)
                and isinstance(right.value, cst.Name)
                and right.value.value == owner
                and right.attr.value == attr
            ):
                out.add(id(node.left))

        def visit_Comparison(self, node: cst.Comparison) -> None:
            if is_param(node.left) and all(
                isinstance(c.operator, (cst.Is, cst.IsNot))
                and isinstance(c.comparator, cst.Name)
                and c.comparator.value == "None"
                for c in node.comparisons
            ):
                out.add(id(node.left))

        def visit_If(self, node: cst.If) -> None:
            truth_test(node.test)

        def visit_While(self, node: cst.While) -> None:
            truth_test(node.test)

        def visit_IfExp(self, node: cst.IfExp) -> None:
            truth_test(node.test)

    func.body.visit(Guards())
    return out
