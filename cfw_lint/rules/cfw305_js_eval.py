"""CFW305: JavaScript code generation from strings (`js.eval`, `js.Function.new`). Facts §6.

workerd refuses it while handling a request. From 2025-06-01 (`allow_eval_during_startup`) it is
allowed during top-level evaluation; whether that window covers every snapshot path of a Python
Worker is untested, so import-time use is a warning there and an error before that date.
"""

from __future__ import annotations

import ast

from cfw_lint.analysis.astnames import dotted_name
from cfw_lint.analysis.astvalues import in_main_guard
from cfw_lint.astrule import AstRule
from cfw_lint.diagnostics import Severity

_CODEGEN = {
    "js.eval": "js.eval()",
    "js.globalThis.eval": "js.globalThis.eval()",
    "js.Function.new": "js.Function.new()",
    "js.globalThis.Function.new": "js.globalThis.Function.new()",
    "js.Function": "js.Function()",
    "js.globalThis.Function": "js.globalThis.Function()",
    # Pyodide's run_js hands its string to JavaScript's eval
    "pyodide.code.run_js": "pyodide.code.run_js()",
}
_EVAL_ERROR = "`EvalError: Code generation from strings disallowed for this context`"


class JsEval(AstRule):
    code = "CFW305"
    name = "js-eval"
    severity = Severity.ERROR
    summary = "js.eval / js.Function.new: code generation from strings is refused in handlers."
    profile_facts = ("allow_eval_during_startup",)
    triggers = ("eval", "Function", "run_js")
    # every match resolves through one of these imports (see PythonRule.modules)
    modules = ("js", "pyodide")

    def check(self) -> None:
        for node in self.names.nodes(ast.Call):
            if dotted_name(node.func) is not None:
                self._check_call(node)

    def _check_call(self, node: ast.Call) -> None:
        origin = self.names.callee(node.func)
        if origin not in _CODEGEN or in_main_guard(self.names, node):
            return
        what = f"`{_CODEGEN[origin]}` compiles JavaScript from a string"
        if not self.names.runs_at_import_time(node):
            self.report(
                node,
                f"{what}, which workerd refuses while handling a request: {_EVAL_ERROR}. Write the "
                "logic in Python, or call a function defined in a JavaScript module.",
            )
        elif self.profile.allow_eval_during_startup:
            self.report(
                node,
                f"{what} at global scope: allowed during startup since 2025-06-01 "
                "(`allow_eval_during_startup`), but untested for a Python Worker's snapshot, and "
                f"any call of it during a request fails with {_EVAL_ERROR}.",
                severity=Severity.WARNING,
            )
        else:
            self.report(
                node,
                f"{what} at global scope, which this compatibility date refuses too (startup eval "
                f"needs a date of 2025-06-01 or later, `allow_eval_during_startup`): {_EVAL_ERROR}.",
            )
