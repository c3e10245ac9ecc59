"""CFW301: HTTP clients the runtime cannot run. Facts §8, §3.3.

`requests`, `urllib3` and sync `httpx` block through stack switching (`run_sync`, JSPI), which
exists from the 3.13 runtime on, inside a request: they work in handlers there, contrary to
popular guides, and are reported only on 3.12. `urllib.request`/`http.client` need raw sockets,
which arrive with the 3.14 runtime. Requests made at import time fail on every runtime and are
CFW202's; this rule skips them so one call is not reported twice.
"""

from __future__ import annotations

import ast
from typing import TYPE_CHECKING

from cfw_lint.analysis.astmodel import OrderedVisitor
from cfw_lint.analysis.capabilities import REQUEST_FUNCTIONS, SOCKET_CLIENTS, SYNC_CLIENTS_NEED_JSPI
from cfw_lint.astrule import AstRule
from cfw_lint.diagnostics import Severity
from cfw_lint.rule import FileContext

if TYPE_CHECKING:
    from cfw_lint.summary import ModuleSummary

_ASYNC_ALTERNATIVES = "`await fetch(...)` from `workers`, `httpx.AsyncClient` or `aiohttp`"
# The last name of every callee the rule can report (what the summary's `called` holds).
_CALLED = frozenset(origin.rsplit(".", 1)[1] for origin in (*SYNC_CLIENTS_NEED_JSPI, *SOCKET_CLIENTS))


class SyncHttpClient(OrderedVisitor, AstRule):
    code = "CFW301"
    name = "sync-http-client"
    severity = Severity.ERROR
    summary = "requests/urllib3/httpx.Client on the 3.12 runtime; urllib.request/http.client before 3.14."
    profile_facts = ("python_version",)
    triggers = ("requests", "httpx", "urllib", "http")
    # every match resolves through one of these imports (see PythonRule.modules)
    modules = ("requests", "httpx", "urllib3", "urllib", "http")

    @classmethod
    def applies(cls, context: FileContext) -> bool:
        return not context.profile.has_sockets  # on 3.14 every client here can work

    @classmethod
    def could_fire(cls, summary: ModuleSummary, text: str) -> bool:
        return super().could_fire(summary, text) and summary.may_call(_CALLED)

    def check(self) -> None:
        self.walk(self.tree)

    def visit_Call(self, node: ast.Call) -> None:
        if self.in_main_guard:
            return
        origin = self.names.callee(node.func)
        if origin is None:
            return
        if origin in REQUEST_FUNCTIONS and self.names.runs_at_import_time(node):
            return  # an import-time request: CFW202 reports it on every runtime
        if origin in SYNC_CLIENTS_NEED_JSPI and not self.profile.has_jspi:
            self.report(
                node,
                f"`{origin}()` is a synchronous HTTP client; it needs stack switching "
                f"(`pyodide.ffi.run_sync`), which the Python {self.profile.python_version} runtime "
                f"(Pyodide {self.profile.pyodide_version}) does not have. Use {_ASYNC_ALTERNATIVES}, "
                "or move to the 3.13 runtime (compatibility date 2025-09-29 or later), where it "
                "works inside handlers.",
            )
        elif origin in SOCKET_CLIENTS and not self.profile.has_sockets:
            self.report(
                node,
                f"`{origin}()` talks to raw sockets, which do not work on the Python "
                f"{self.profile.python_version} runtime (they arrive with 3.14). Use "
                f"{_ASYNC_ALTERNATIVES}" + (", or `requests` inside a handler." if self.profile.has_jspi else "."),
            )
