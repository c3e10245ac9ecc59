"""CFW407: `Response(<dict/list>)` or `Response(to_js(...))`: not a body type. Facts §1.6."""

from __future__ import annotations

import libcst as cst

from cfw_lint.analysis.ffi import (
    FFI_METADATA,
    is_json_container,
    is_mapping,
    is_sdk,
    is_to_js,
    keyword,
    enclosing_statement,
    positional,
    replace_expression,
)
from cfw_lint.diagnostics import FixAvailability, Severity
from cfw_lint.rule import PythonRule
from cfw_lint.summary import ModuleSummary

# Response(body, status, status_text, headers, web_socket); Response.json(data, status,
# status_text, headers) has no web_socket
_JSON_KEYWORDS = ("status", "status_text", "headers")


def _python_type(rule, node: cst.CSTNode) -> str:
    """The type named in the runtime's error for a Python body."""
    if isinstance(node, cst.NamedExpr):
        return _python_type(rule, node.value)
    if is_mapping(rule, node):
        return "dict"
    if isinstance(node, cst.Tuple):
        return "tuple"
    return "list"


class ResponseUnsupportedBody(PythonRule):
    code = "CFW407"
    name = "response-unsupported-body"
    severity = Severity.ERROR
    fix = FixAvailability.SAFE
    summary = "`Response(dict)` / `Response(to_js(...))` raise TypeError; use `Response.json(data)`."
    METADATA_DEPENDENCIES = FFI_METADATA
    triggers = ("Response",)
    # only files importing these can hold what the rule matches (see PythonRule.modules)
    modules = ("workers", "cloudflare")

    @classmethod
    def could_fire(cls, summary: ModuleSummary, text: str) -> bool:
        return summary.refers_to_sdk("Response")

    def visit_Call(self, node: cst.Call) -> None:
        if not is_sdk(self, node.func, "Response"):
            return
        args = positional(node)
        body_arg = args[0] if args and node.args[0] is args[0] else keyword(node, "body")
        if body_arg is None:
            return
        body = body_arg.value
        if is_to_js(self, body):
            assert isinstance(body, cst.Call)
            inner = positional(body)
            if not inner or not is_json_container(self, inner[0].value):
                return
            data = inner[0].value
            js_type = "Map" if is_mapping(self, data) else "Array"
            message = (
                f"`Response(to_js(...))` gets a JS {js_type}, which is not a body type: "
                f"`TypeError: Unsupported type in Response: {js_type}`; use "
                "`Response.json(data)` with the Python value (no to_js needed)"
            )
            unwrap_ok = body.args[0] is inner[0] and all(a.keyword is not None for a in body.args[1:])
        elif is_json_container(self, body):
            data = body
            kind = _python_type(self, body)
            message = (
                f"`Response()` does not take a {kind} body: `TypeError: Unsupported type in "
                f"Response: {kind}`; use `Response.json(data)`"
            )
            unwrap_ok = True
        else:
            return
        fix = self._fix(node, body_arg, data) if unwrap_ok and self._fixable(node, body_arg) else None
        self.report(node, message, fix=fix)

    @staticmethod
    def _fixable(node: cst.Call, body_arg: cst.Arg) -> bool:
        others = [a for a in node.args if a is not body_arg]
        if any(a.star for a in others):
            return False
        if len([a for a in node.args if a.keyword is None]) > 4:  # positional web_socket
            return False
        return all(a.keyword is None or a.keyword.value in _JSON_KEYWORDS for a in others)

    def _fix(self, node: cst.Call, body_arg: cst.Arg, data: cst.BaseExpression):
        statement = enclosing_statement(self, node)

        def apply(fx) -> None:  # type: ignore[no-untyped-def]
            func = cst.Attribute(value=node.func, attr=cst.Name("json"))
            if body_arg.keyword is None:
                args = [body_arg.with_changes(value=data) if a is body_arg else a for a in node.args]
            else:
                others = [a for a in node.args if a is not body_arg]
                first = cst.Arg(
                    value=data,
                    comma=cst.Comma(whitespace_after=cst.SimpleWhitespace(" "))
                    if others
                    else cst.MaybeSentinel.DEFAULT,
                )
                args = [first, *others]
            replace_expression(fx, statement, node, node.with_changes(func=func, args=args))

        return apply
