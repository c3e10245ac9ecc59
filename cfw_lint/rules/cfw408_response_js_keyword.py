"""CFW408: JS-style `statusText=`/`webSocket=` on the SDK's `Response`. Facts §1.6."""

from __future__ import annotations

import libcst as cst

from cfw_lint.analysis.ffi import FFI_METADATA, is_sdk, keyword
from cfw_lint.diagnostics import FixAvailability, Severity
from cfw_lint.rule import PythonRule
from cfw_lint.summary import ModuleSummary

RENAMES = {"statusText": "status_text", "webSocket": "web_socket"}
# Response.json / from_json take no web_socket (it would become an unexpected keyword)
_JSON_FACTORIES = ("json", "from_json")


class ResponseJsKeyword(PythonRule):
    code = "CFW408"
    name = "response-js-keyword"
    severity = Severity.ERROR
    fix = FixAvailability.SAFE
    summary = "`Response(..., statusText=...)`: the SDK's keywords are snake_case (`status_text`, `web_socket`)."
    METADATA_DEPENDENCIES = FFI_METADATA
    triggers = ("statusText", "webSocket")
    # only files importing these can hold what the rule matches (see PythonRule.modules)
    modules = ("workers", "cloudflare")

    @classmethod
    def could_fire(cls, summary: ModuleSummary, text: str) -> bool:
        return not summary.keywords.isdisjoint(RENAMES) and summary.refers_to_sdk("Response")

    def visit_Call(self, node: cst.Call) -> None:
        func = node.func
        factory = None
        if is_sdk(self, func, "Response"):
            target = func
        elif (
            isinstance(func, cst.Attribute)
            and func.attr.value in _JSON_FACTORIES
            and is_sdk(self, func.value, "Response")
        ):
            target, factory = func.value, func.attr.value
        else:
            return
        del target
        for arg in node.args:
            if arg.keyword is None or arg.keyword.value not in RENAMES:
                continue
            old = arg.keyword.value
            new = RENAMES[old]
            call = f"Response.{factory}()" if factory else "Response()"
            message = (
                f"`{call}` takes `{new}=`, not the JavaScript name `{old}=`: "
                f"`TypeError: ... got an unexpected keyword argument '{old}'`"
            )
            fixable = keyword(node, new) is None and not (factory and new == "web_socket")
            self.report(arg.keyword, message, fix=self._rename(arg.keyword, new) if fixable else None)

    @staticmethod
    def _rename(name: cst.Name, new: str):
        def apply(fx) -> None:  # type: ignore[no-untyped-def]
            fx.replace(name, new)

        return apply
