"""CFW202: network, timer or binding I/O while the module is imported. Facts §5.

This rule owns every request made at import time, whatever the runtime: a sync client that
works in a handler on 3.13+ still fails at top level. CFW301 therefore skips import-time
requests and only reports clients the runtime cannot run at all.
"""

from __future__ import annotations

import ast
from typing import TYPE_CHECKING

from cfw_lint.analysis.astmodel import OrderedVisitor, first_argument, top_level_functions, walk_calls
from cfw_lint.analysis.astvalues import (
    ValueTracker,
    constructor_of,
    has_star_args,
    number_value,
    positional_or_keyword,
    string_value,
)
from cfw_lint.analysis.capabilities import CLIENT_CLASSES, REQUEST_FUNCTIONS
from cfw_lint.astrule import AstRule
from cfw_lint.diagnostics import Severity

if TYPE_CHECKING:
    from cfw_lint.summary import ModuleSummary

_FETCH = {"js.fetch", "workers.fetch", "js.globalThis.fetch"}
_TIMERS = {"js.setTimeout", "js.setInterval", "js.globalThis.setTimeout", "js.globalThis.setInterval"}
_SOCKETS = {"socket.create_connection"}
# async APIs: at import time the request cannot even be awaited (and if scheduled, is refused)
_COROUTINES = {"workers.fetch", "pyodide.http.pyfetch", "aiohttp.request"}
_ASYNC_CLIENTS = {"httpx.AsyncClient", "aiohttp.ClientSession"}
_SYNC_HTTPX = {f"httpx.{v}" for v in ("get", "post", "put", "patch", "delete", "head", "options", "request", "stream")}

# Methods of bindings (KV, R2, D1, Queues, service and Durable Object stubs, AI, Vectorize,
# Analytics Engine, Workflows) that perform I/O; JS names and the SDK's snake_case names.
# `prepare`, `idFromName`, `bind` only build objects and are not listed.
_BINDING_IO = frozenset(
    """
    get getWithMetadata get_with_metadata put delete list head fetch connect
    send sendBatch send_batch run exec batch dump first all raw
    query insert upsert getByIds get_by_ids deleteByIds delete_by_ids describe
    writeDataPoint write_data_point create createBatch create_batch
    createMultipartUpload create_multipart_upload resumeMultipartUpload resume_multipart_upload
    """.split()
)

_DISALLOWED = (
    "`Error: Disallowed operation called within global scope. Asynchronous I/O (ex: fetch() or "
    "connect()), setting a timeout, and generating random values are not allowed within global "
    "scope.`"
)


# The last name of every callee the rule can report, directly or inside a local function
# (what the summary's `called` holds).
_CALLED = frozenset(
    {
        "connect",
        *(o.rsplit(".", 1)[1] for o in (*_FETCH, *_TIMERS, *_SOCKETS, *REQUEST_FUNCTIONS)),
        *(m for methods in CLIENT_CLASSES.values() for m in methods),
        *_BINDING_IO,
    }
)


class GlobalScopeIO(OrderedVisitor, AstRule):
    code = "CFW202"
    name = "global-scope-io"
    severity = Severity.ERROR
    summary = "fetch, HTTP requests, timers or binding calls at global scope fail at deploy and in dev."
    triggers = (
        "fetch",
        "http",
        "requests",
        "urllib",
        "setTimeout",
        "setInterval",
        "env",
        "import_from_javascript",
        "socket",
    )
    # every match resolves through one of these imports (see PythonRule.modules)
    modules = ("js", "workers", "pyodide", "requests", "httpx", "urllib", "urllib3", "aiohttp", "http", "socket")

    @classmethod
    def could_fire(cls, summary: ModuleSummary, text: str) -> bool:
        return super().could_fire(summary, text) and summary.may_call(_CALLED)

    def check(self) -> None:
        self.values = ValueTracker()
        self._functions = top_level_functions(self.tree)
        self.walk(self.tree)

    # -- bindings ------------------------------------------------------------------------------
    def visit_Assign(self, node: ast.Assign) -> None:
        self.values.record_assign(node)

    visit_AnnAssign = visit_Assign  # type: ignore[assignment]
    visit_NamedExpr = visit_Assign  # type: ignore[assignment]

    def visit_withitem(self, node: ast.withitem) -> None:
        self.values.record_with_item(node)

    # -- calls -----------------------------------------------------------------------------
    def visit_Call(self, node: ast.Call) -> None:
        if self.in_main_guard or not self.names.runs_at_import_time(node):
            return
        problem = self._problem(node)
        if problem is None:
            problem = self._through_local_function(node)
        if problem is not None:
            self.report(
                node,
                f"{problem} at global scope, which the runtime refuses while the module is imported "
                f"(at deploy and in `wrangler dev`): {_DISALLOWED} Move it into a handler.",
            )

    def _problem(self, node: ast.Call) -> str | None:
        """What I/O the call does, or None. Independent of where the call is."""
        origin = self.names.callee(node.func)
        if origin in _FETCH or origin in REQUEST_FUNCTIONS or origin in _SOCKETS:
            sync = origin.split(".")[0] in ("requests", "urllib", "urllib3") or origin in _SYNC_HTTPX
            if sync:
                note = " (and a sync client cannot block outside a request: no stack switching)"
            elif origin in _COROUTINES:
                note = " (it returns a coroutine, which cannot be awaited at import time)"
            else:
                note = ""
            return f"`{origin}()` performs network I/O{note}"
        if origin in _TIMERS:
            delay = self._delay(node)
            if delay is not None and delay != 0:
                return f"`{origin.rsplit('.', 1)[1]}` with a delay sets a timer"
            return None
        func = node.func
        if not isinstance(func, ast.Attribute):
            return None
        method = func.attr
        made_by = constructor_of(self.names, self.values, func.value)
        if made_by is not None and method in CLIENT_CLASSES.get(made_by[0], ()):
            note = (
                " (it returns a coroutine, which cannot be awaited at import time)"
                if made_by[0] in _ASYNC_CLIENTS
                else ""
            )
            return f"`.{method}()` on a `{made_by[0]}` sends a request{note}"
        if method == "connect" and self._is_js_module(func.value, "cloudflare:sockets"):
            return "`connect()` from `cloudflare:sockets` opens a socket"
        binding = self._binding_of(func.value)
        if binding is not None and method in _BINDING_IO:
            return f"`.{method}()` on the `env.{binding}` binding performs I/O"
        return None

    def _through_local_function(self, node: ast.Call) -> str | None:
        """A call of a sync function of this module whose own body does I/O (one level)."""
        func = node.func
        if not isinstance(func, ast.Name):
            return None
        definition = self._functions.get(func.id)
        if not isinstance(definition, ast.FunctionDef):
            return None  # calling an async def only creates a coroutine
        bindings = self.names.bindings(func)
        if bindings is None or len(bindings) != 1 or bindings[0] is not definition:
            return None  # rebound, imported or shadowed: not certainly that function
        for inner in walk_calls(definition.body):
            problem = self._problem(inner)
            if problem is not None:
                return f"`{func.id}()` does I/O in its body ({problem})"
        return None

    def _delay(self, node: ast.Call) -> float | None:
        """The timer's delay when it is a number (0 when omitted); None when unknown."""
        if has_star_args(node):
            return None
        delay = positional_or_keyword(node, 1, None)
        if delay is None:
            return 0.0
        value = number_value(delay)
        if value is None and isinstance(delay, ast.Name):
            bound = self.values.value_of(self.names, delay)
            if bound is not None and not bound.via_with:
                value = number_value(bound.value)
        return value

    def _is_import_from_javascript(self, node: ast.expr, module: str) -> bool:
        if not isinstance(node, ast.Call):
            return False
        first = first_argument(node)
        if first is None:
            return False
        origin = self.names.callee(node.func) or ""
        if origin.rsplit(".", 1)[-1] != "import_from_javascript":
            return False
        return string_value(first) == module

    def _is_js_module(self, node: ast.expr, module: str) -> bool:
        if self._is_import_from_javascript(node, module):
            return True
        if isinstance(node, ast.Name):
            bound = self.values.value_of(self.names, node)
            return bound is not None and not bound.via_with and self._is_import_from_javascript(bound.value, module)
        return False

    def _is_env(self, node: ast.expr, depth: int = 0) -> bool:
        """`env` from `workers`, or `import_from_javascript("cloudflare:workers").env`."""
        if self.names.callee(node) == "workers.env":
            return True
        if isinstance(node, ast.Attribute) and node.attr == "env":
            return self._is_js_module(node.value, "cloudflare:workers")
        if isinstance(node, ast.Name) and self.names.qualified_name(node) is None and depth < 8:
            bound = self.values.value_of(self.names, node)
            if bound is not None and not bound.via_with:
                return self._is_env(bound.value, depth + 1)
        return False

    def _binding_of(self, receiver: ast.expr) -> str | None:
        """The binding name when `receiver` is `env.X` or derived from it (`env.DB.prepare(...)`,
        or a name bound once to one of those)."""
        current: ast.expr = receiver
        for _ in range(16):
            if isinstance(current, ast.Attribute):
                if self._is_env(current.value):
                    return current.attr
                current = current.value
            elif isinstance(current, ast.Call):
                current = current.func
            elif isinstance(current, ast.Name):
                bound = self.values.value_of(self.names, current)
                if bound is None or bound.via_with:
                    return None
                current = bound.value
            else:
                return None
        return None
