"""CFW105: an entrypoint `__init__` that does not pass (ctx, env) on to the base. Facts §1.4."""

from __future__ import annotations

from typing import cast

import libcst as cst
from libcst.metadata import FunctionScope, ScopeProvider

from cfw_lint.analysis.handlers import accepts_positional, positional_params
from cfw_lint.analysis.model import ENTRYPOINT_KINDS, EntrypointClass
from cfw_lint.analysis.names import dotted_name
from cfw_lint.diagnostics import FixAvailability, Severity
from cfw_lint.fixes import FixBuilder
from cfw_lint.rule import PythonRule
from cfw_lint.summary import ModuleSummary


class _InitCalls(cst.CSTVisitor):
    """`super().__init__(...)` and `Base.__init__(self, ...)` calls, outside nested scopes."""

    def __init__(self, bases: set[str]) -> None:
        self.bases = bases
        self.calls: list[tuple[cst.Call, list[cst.Arg]]] = []  # (call, arguments after self)

    def visit_FunctionDef(self, node: cst.FunctionDef) -> bool:
        return False

    def visit_ClassDef(self, node: cst.ClassDef) -> bool:
        return False

    def visit_Lambda(self, node: cst.Lambda) -> bool:
        return False

    def visit_Call(self, node: cst.Call) -> None:
        func = node.func
        if not isinstance(func, cst.Attribute) or func.attr.value != "__init__":
            return
        owner = func.value
        if isinstance(owner, cst.Call) and isinstance(owner.func, cst.Name) and owner.func.value == "super":
            self.calls.append((node, list(node.args)))
        elif dotted_name(owner) in self.bases and node.args:
            self.calls.append((node, list(node.args[1:])))


def _is_docstring(stmt: cst.BaseStatement) -> bool:
    return (
        isinstance(stmt, cst.SimpleStatementLine)
        and len(stmt.body) == 1
        and isinstance(stmt.body[0], cst.Expr)
        and isinstance(stmt.body[0].value, (cst.SimpleString, cst.ConcatenatedString))
    )


def _sets_env_and_ctx(init: cst.FunctionDef) -> bool:
    """The constructor assigns both `self.env` and `self.ctx` itself (the idiom of some
    projects that never call the base constructor)."""
    positional = positional_params(init.params)
    if not positional:
        return False
    owner = positional[0].name.value
    assigned: set[str] = set()

    class Assigns(cst.CSTVisitor):
        def visit_FunctionDef(self, node: cst.FunctionDef) -> bool:
            return False

        def visit_AssignTarget(self, node: cst.AssignTarget) -> None:
            target = node.target
            if isinstance(target, cst.Attribute) and isinstance(target.value, cst.Name) and target.value.value == owner:
                assigned.add(target.attr.value)

    init.body.visit(Assigns())
    return {"env", "ctx"} <= assigned


def _uses_wait_until(cls: cst.ClassDef) -> bool:
    """`self.ctx.waitUntil(...)`/`wait_until(...)` in the class: the base constructor patches
    waitUntil to accept Python awaitables (facts §1.4), which a hand-set `self.ctx` lacks."""
    found = False

    class Calls(cst.CSTVisitor):
        def visit_Attribute(self, node: cst.Attribute) -> None:
            nonlocal found
            if node.attr.value in ("waitUntil", "wait_until"):
                found = True

    cls.body.visit(Calls())
    return found


class InitWithoutSuper(PythonRule):
    code = "CFW105"
    name = "init-without-super"
    severity = Severity.ERROR
    fix = FixAvailability.SAFE
    summary = "An entrypoint `__init__` must call `super().__init__(ctx, env)`, ctx first."
    triggers = ("__init__",)
    # only files importing these can hold what the rule matches (see PythonRule.modules)
    modules = ("workers", "cloudflare")
    METADATA_DEPENDENCIES = (ScopeProvider,)

    @classmethod
    def could_fire(cls, summary: ModuleSummary, text: str) -> bool:
        return "__init__" in summary.entrypoint_methods(*ENTRYPOINT_KINDS)

    def visit_Module(self, node: cst.Module) -> None:
        for entry in self.model.entrypoints.values():
            init = entry.methods.get("__init__")
            if init is not None:
                self._check(entry, init)

    def _check(self, entry: EntrypointClass, init: cst.FunctionDef) -> None:
        kind = entry.kind
        if not accepts_positional(init.params, 2):
            self.report(
                init.name,
                f"`{entry.name}.__init__` cannot take the (ctx, env) the runtime constructs a "
                f"{kind} with (TypeError); declare `__init__(self, ctx, env)` and call "
                "`super().__init__(ctx, env)`",
            )
            return
        bases = {dotted_name(arg.value) for arg in entry.node.bases if arg.keyword is None}
        collector = _InitCalls({b for b in bases if b})
        init.body.visit(collector)
        if not collector.calls:
            if _sets_env_and_ctx(init) and not _uses_wait_until(entry.node):
                return  # sets them itself; nothing needs the SDK's waitUntil patch
            self.report(
                init.name,
                f"`{entry.name}.__init__` does not call `super().__init__(ctx, env)`: the {kind} "
                "never sets up `self.env` and `self.ctx` (nor wraps the bindings), so using them "
                f"fails with `AttributeError: '{entry.name}' object has no attribute 'env'`",
                fix=self._add_super(init),
            )
            return
        positional = positional_params(init.params)
        ctx_param = positional[1].name.value if len(positional) > 1 else None
        env_param = positional[2].name.value if len(positional) > 2 else None
        for call, args in collector.calls:
            problem = self._problem(args, ctx_param, env_param)
            if problem:
                self.report(call, problem)
        if (
            ctx_param == "env"
            and env_param in ("ctx", "state")
            and not any(self._passes(args, ctx_param, env_param) is False for _, args in collector.calls)
        ):
            # passed through in the right order, but the names say the opposite of the values:
            # a problem as soon as the constructor uses them for anything else
            passed = {id(a.value) for _, args in collector.calls for a in args}
            if self._used_beyond(init, (ctx_param, env_param), passed):
                self.report(
                    positional[1],
                    f"`__init__(self, {ctx_param}, {env_param})`: the runtime passes ctx first, so "
                    f"`{ctx_param}` holds the context and `{env_param}` the bindings; name them "
                    "`(self, ctx, env)`",
                )

    @staticmethod
    def _add_super(init: cst.FunctionDef):  # type: ignore[no-untyped-def]
        """`super().__init__(ctx, env)` as the constructor's first statement (after its
        docstring), with the constructor's own parameter names."""
        positional = positional_params(init.params)
        if len(positional) < 3 or any(p.star for p in positional[:3]) or not isinstance(init.body, cst.IndentedBlock):
            return None
        ctx, env = positional[1].name.value, positional[2].name.value
        body = list(init.body.body)
        at = 1 if body and _is_docstring(body[0]) else 0

        def apply(fx: FixBuilder) -> None:
            call = f"super().__init__({ctx}, {env})"
            indent = fx.indentation_of(body[0])
            newline = fx.module.default_newline
            if at < len(body):
                # above the statement and the comment lines that belong to it
                start, _ = fx.tight_span(body[at])
                line_start = fx.text.rfind("\n", 0, start) + 1
                # every libcst BaseStatement is one of these two
                statement = cast(cst.SimpleStatementLine | cst.BaseCompoundStatement, body[at])
                for _ in statement.leading_lines:
                    line_start = fx.text.rfind("\n", 0, max(line_start - 1, 0)) + 1
                fx.edit(line_start, line_start, f"{indent}{call}{newline}")
            else:
                fx.insert_after(body[0], f"{indent}{call}{newline}")

        return apply

    def _used_beyond(self, init: cst.FunctionDef, params: tuple[str, str], passed: set[int]) -> bool:
        scope = self.get_metadata(ScopeProvider, init.body, None)
        if not isinstance(scope, FunctionScope):
            return False
        for param in params:
            for assignment in scope.assignments[param]:
                if any(id(access.node) not in passed for access in assignment.references):
                    return True
        return False

    @staticmethod
    def _values(args: list[cst.Arg]) -> tuple[cst.BaseExpression | None, cst.BaseExpression | None] | None:
        """(ctx value, env value) of a base `__init__(ctx, env)` call; None when unknowable."""
        if any(a.star for a in args):
            return None
        positional = [a.value for a in args if a.keyword is None]
        keywords = {a.keyword.value: a.value for a in args if a.keyword is not None}
        slots: list[cst.BaseExpression | None] = [*positional[:2]]
        while len(slots) < 2:
            slots.append(None)
        ctx = slots[0] if slots[0] is not None else keywords.get("ctx")
        env = slots[1] if slots[1] is not None else keywords.get("env")
        return ctx, env

    def _passes(self, args: list[cst.Arg], ctx_param: str | None, env_param: str | None) -> bool | None:
        """True: passes (ctx, env) through in order; False: swapped; None: cannot tell."""
        values = self._values(args)
        if values is None or values[0] is None or values[1] is None:
            return None
        ctx, env = (v.value if isinstance(v, cst.Name) else None for v in values)
        if (ctx, env) == (ctx_param, env_param):
            return True
        if (ctx, env) == (env_param, ctx_param):
            return False
        return None

    def _problem(self, args: list[cst.Arg], ctx_param: str | None, env_param: str | None) -> str | None:
        values = self._values(args)
        if values is None:
            return None
        if values[0] is None or values[1] is None:
            missing = " and ".join(n for n, v in zip(("ctx", "env"), values) if v is None)
            return (
                f"the base `__init__(self, ctx, env)` is called without {missing}: "
                "`TypeError: ... missing required positional argument`; pass "
                f"`super().__init__({ctx_param or 'ctx'}, {env_param or 'env'})`"
            )
        if self._passes(args, ctx_param, env_param) is False:
            return (
                f"(ctx, env) passed to the base `__init__` swapped: it takes ctx first, so "
                "`self.env` would be the context and `self.ctx` the bindings; call "
                f"`super().__init__({ctx_param}, {env_param})`"
            )
        return None
