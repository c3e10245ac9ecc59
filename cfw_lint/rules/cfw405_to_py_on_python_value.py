"""CFW405: `.to_py()` on a value that is already Python. Facts §1.4, §1.6, §11 items 9 and 10."""

from __future__ import annotations

import libcst as cst

from cfw_lint.analysis.ffi import (
    FFI_METADATA,
    assigned_value,
    binding_call_chain,
    is_request_json_value,
    parent,
    parameter_of,
)
from cfw_lint.diagnostics import FixAvailability, Severity
from cfw_lint.rule import PythonRule
from cfw_lint.summary import ModuleSummary

# D1 statement methods whose results the wrapping SDK converts (python_from_rpc)
_D1_RESULTS = ("all", "first", "run", "raw")
_SINGLE_METHOD_RESULTS = (("batch",), ("run",), ("query",), ("getByIds",), ("get_by_ids",))


def _json_get(call: cst.Call) -> bool:
    """KV `get(key, "json")` / `get(key, type="json")`: a JS object, converted when wrapped."""
    for i, arg in enumerate(call.args):
        literal = isinstance(arg.value, cst.SimpleString) and arg.value.evaluated_value == "json"
        if literal and ((arg.keyword is None and i == 1) or (arg.keyword and arg.keyword.value == "type")):
            return True
    return False


class ToPyOnPythonValue(PythonRule):
    code = "CFW405"
    name = "to-py-on-python-value"
    severity = Severity.ERROR
    fix = FixAvailability.SAFE
    summary = "`.to_py()` on a value the SDK already converted (request.json(), wrapped binding results)."
    profile_facts = ("sdk_version",)
    METADATA_DEPENDENCIES = FFI_METADATA
    triggers = ("to_py",)

    @classmethod
    def could_fire(cls, summary: ModuleSummary, text: str) -> bool:
        # `.to_py()` on request.json() (an SDK request), on a binding result (`env`), or on a
        # queue message body (a WorkerEntrypoint's `queue`)
        return "to_py" in summary.attributes and (
            summary.may_read_request_json()
            or summary.may_reach_binding()
            or "queue" in summary.entrypoint_methods("WorkerEntrypoint")
        )

    def visit_Call(self, node: cst.Call) -> None:
        func = node.func
        if not isinstance(func, cst.Attribute) or func.attr.value != "to_py":
            return
        origin = self._python_origin(func.value, 0)
        if origin is None:
            return
        message = (
            f"{origin} is already a Python value, so `.to_py()` raises `AttributeError: ... "
            "object has no attribute 'to_py'`; drop `.to_py()`"
        )
        self.report(node, message, fix=self._drop(node))

    # what makes a receiver a Python value, and why (for the message)
    def _python_origin(self, node: cst.CSTNode, depth: int) -> str | None:
        if depth > 6:
            return None
        if is_request_json_value(self, node):
            return "`await request.json()` on a `workers.Request` (json.loads)"
        if isinstance(node, (cst.Attribute, cst.Subscript)):
            return self._python_origin(node.value, depth + 1)
        if self.profile.sdk_at_least(1, 3):
            target = node
            if isinstance(node, cst.Name):
                target = assigned_value(self, node) or node
            if isinstance(target, cst.Await) and self._wrapped_binding_result(target.expression):
                return (
                    "the result of a binding call wrapped by workers-runtime-sdk "
                    f">= 1.3 (here {self.profile.sdk_version})"
                )
        return None

    def _wrapped_binding_result(self, call: cst.BaseExpression) -> bool:
        if not isinstance(call, cst.Call):
            return False
        chain = binding_call_chain(call)
        if chain is None or not chain[1]:
            return False
        methods = tuple(chain[1])
        if methods[0] == "prepare" and methods[-1] in _D1_RESULTS:
            return True
        if methods in _SINGLE_METHOD_RESULTS:
            return True
        return methods == ("get",) and _json_get(call)

    def visit_Attribute(self, node: cst.Attribute) -> None:
        # queue message bodies: `msg.body.to_py()` when the SDK (>= 1.4) converts them
        if node.attr.value != "to_py" or not self.profile.sdk_at_least(1, 4):
            return
        body = node.value
        call = parent(self, node)
        if not (isinstance(call, cst.Call) and call.func is node):
            return
        if not (isinstance(body, cst.Attribute) and body.attr.value == "body"):
            return
        if isinstance(body.value, cst.Name) and self._is_queue_message(body.value):
            self.report(
                call,
                "queue message bodies are converted to Python by workers-runtime-sdk >= 1.4 "
                f"(here {self.profile.sdk_version}), so `.to_py()` raises `AttributeError`; "
                "drop `.to_py()`",
                fix=self._drop(call),
            )

    def _is_queue_message(self, name: cst.Name) -> bool:
        """`name` is the loop variable of `for name in batch.messages` in a queue handler."""
        from libcst.metadata import ScopeProvider

        scope = self.get_metadata(ScopeProvider, name, None)
        if scope is None:
            return False
        assignments = list(scope[name.value])
        if len(assignments) != 1:
            return False
        target = getattr(assignments[0], "node", None)
        loop = parent(self, target) if target is not None else None
        if not isinstance(loop, cst.For) or loop.target is not target:
            return False
        source = loop.iter
        if not (isinstance(source, cst.Attribute) and source.attr.value == "messages"):
            return False
        if not isinstance(source.value, cst.Name):
            return False
        found = parameter_of(self, source.value)
        if found is None:
            return False
        param, func = found
        entry = self.model.entrypoint_of_method(func)
        params = list(func.params.params)
        return (
            entry is not None
            and entry.kind == "WorkerEntrypoint"
            and func.name.value == "queue"
            and len(params) >= 2
            and params[1] is param
        )

    def _drop(self, call: cst.Call):
        assert isinstance(call.func, cst.Attribute)
        receiver = call.func.value
        holder = parent(self, call)
        # `x = (await r.json()).to_py()` -> `x = await r.json()`: the parentheses were only there
        # for the method call; keep them anywhere the bare expression could bind differently
        whole_value = (
            isinstance(holder, (cst.Assign, cst.AnnAssign, cst.AugAssign, cst.Return, cst.Expr, cst.Arg))
            and getattr(holder, "value", None) is call
        )
        strip = (
            whole_value
            and not call.lpar
            and len(receiver.lpar) == 1
            and isinstance(receiver, (cst.Await, cst.Name, cst.Attribute, cst.Subscript, cst.Call))
        )
        if strip:
            replacement = receiver.with_changes(lpar=[], rpar=[])
        else:
            replacement = receiver.with_changes(lpar=[*call.lpar, *receiver.lpar], rpar=[*receiver.rpar, *call.rpar])

        def apply(fx) -> None:  # type: ignore[no-untyped-def]
            fx.replace(call, replacement)

        return apply
