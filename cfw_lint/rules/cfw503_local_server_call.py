"""CFW503: starting a local server or event loop in Worker code. Facts §7."""

from __future__ import annotations

import ast
from typing import TYPE_CHECKING

from cfw_lint.analysis.astmodel import OrderedVisitor, references, top_level_functions
from cfw_lint.analysis.frameworks import ASGI_APPS, WSGI_APPS, is_asgi_constructor
from cfw_lint.astrule import AstRule
from cfw_lint.diagnostics import Severity
from cfw_lint.summary import single_string_token

if TYPE_CHECKING:
    from cfw_lint.summary import ModuleSummary

_LOOP_MAKERS = {"asyncio.get_event_loop", "asyncio.new_event_loop", "asyncio.get_running_loop"}
_LOOP_RUNNERS = ("run_until_complete", "run_forever")
_SERVERS = {
    "uvicorn.run": "starts a uvicorn server",
    "uvicorn.main.run": "starts a uvicorn server",
    "hypercorn.asyncio.serve": "starts a hypercorn server",
    "hypercorn.trio.serve": "starts a hypercorn server",
    "aiohttp.web.run_app": "starts an aiohttp server",
    "waitress.serve": "starts a waitress server",
    "asyncio.run": "starts a new event loop",
}

# The last name of every callee the rule can report (what the summary's `called` holds).
_CALLED = frozenset({"run", *_LOOP_RUNNERS, *(origin.rsplit(".", 1)[1] for origin in _SERVERS)})


def _single_string_literal(text: str, node: ast.Constant) -> bool:
    segment = ast.get_source_segment(text, node)
    return segment is not None and single_string_token(segment)


def _is_main_test(test: ast.expr, text: str) -> str | None:
    """ "==" for `__name__ == "__main__"` (either order), "!=" for the negation."""
    if not isinstance(test, ast.Compare) or len(test.ops) != 1:
        return None
    sides = [test.left, test.comparators[0]]
    names = [s for s in sides if isinstance(s, ast.Name) and s.id == "__name__"]
    strings = [
        s for s in sides if isinstance(s, ast.Constant) and s.value == "__main__" and _single_string_literal(text, s)
    ]
    if len(names) != 1 or len(strings) != 1:
        return None
    if isinstance(test.ops[0], ast.Eq):
        return "=="
    if isinstance(test.ops[0], ast.NotEq):
        return "!="
    return None


def _has_else_block(node: ast.If) -> bool:
    """An `else:` block, not an `elif` (which `ast` also keeps in `orelse`, aligned with the `if`)."""
    if not node.orelse:
        return False
    first = node.orelse[0]
    return not (len(node.orelse) == 1 and isinstance(first, ast.If) and first.col_offset == node.col_offset)


class LocalServerCall(OrderedVisitor, AstRule):
    code = "CFW503"
    name = "local-server-call"
    severity = Severity.ERROR
    summary = "uvicorn.run, app.run(), asyncio.run and loop.run_until_complete do not belong in a Worker."
    triggers = ("run", "serve")
    # only files importing these can hold what the rule matches (see PythonRule.modules)
    modules = (
        "uvicorn",
        "hypercorn",
        "aiohttp",
        "waitress",
        "asyncio",
        "flask",
        "fastapi",
        "starlette",
        "quart",
        "litestar",
        "django",
        "sanic",
        "bottle",
    )

    @classmethod
    def could_fire(cls, summary: ModuleSummary, text: str) -> bool:
        return super().could_fire(summary, text) and summary.may_call(_CALLED)

    def check(self) -> None:
        # `name = value` with one plain target (frameworks.AppBindings), by the target's id
        self._values: dict[int, ast.expr] = {}
        self._guarded_names: set[int] = set()
        self._candidates: list[tuple[ast.Call, str]] = []
        self._app_runs: list[ast.Call] = []
        self._loop_runs: list[ast.Call] = []
        self._functions = top_level_functions(self.tree)
        self.walk(self.tree)
        for call in self._app_runs:
            origin = self._app_origin(call.func.value)  # type: ignore[attr-defined]
            if origin is not None:
                self._candidates.append((call, origin))
        for call in self._loop_runs:
            made_by = self._call_origin(call.func.value)  # type: ignore[attr-defined]
            if made_by is not None and made_by in _LOOP_MAKERS:
                self._candidates.append((call, "loop"))
        for call, origin in self._candidates:
            if self._dev_only(call, 0):
                continue
            self.report(call, self._message(call, origin))

    # -- `if __name__ == "__main__":` blocks (never run in a Worker) --------------------------
    def guarded_blocks(self, node: ast.If) -> tuple[bool, bool]:
        kind = _is_main_test(node.test, self.file.text)
        if kind == "==":
            return True, False
        return False, kind == "!=" and _has_else_block(node)

    def visit_Name(self, node: ast.Name) -> None:
        if self.in_main_guard:
            self._guarded_names.add(id(node))

    # -- what names hold (frameworks.AppBindings) ----------------------------------------------
    def visit_Assign(self, node: ast.Assign) -> None:
        if len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
            self._values[id(node.targets[0])] = node.value

    def visit_AnnAssign(self, node: ast.AnnAssign) -> None:
        if node.value is not None and isinstance(node.target, ast.Name):
            self._values[id(node.target)] = node.value

    def _constructors(self, name: ast.Name) -> list[str | None] | None:
        """What each binding of `name` calls, when every one is `name = <call>(...)`."""
        bindings = self.names.bindings(name)
        if not bindings:
            return None
        out = []
        for binding in bindings:
            value = self._values.get(id(binding)) if isinstance(binding, ast.Name) else None
            if not isinstance(value, ast.Call):
                return None
            out.append(self.names.qualified_name(value.func))
        return out

    def _app_origin(self, name: ast.Name) -> str | None:
        """AppBindings.app_origin(kinds="any"): the app constructor `name` certainly holds."""
        origins = self._constructors(name)
        if origins is None:
            return None
        if not all(is_asgi_constructor(o) or o in WSGI_APPS for o in origins):
            return None
        # prefer the application class over a middleware that wraps it
        for origin in origins:
            if origin in ASGI_APPS or origin in WSGI_APPS:
                return origin
        return origins[0]

    def _call_origin(self, name: ast.Name) -> str | None:
        """AppBindings.call_origin: the one function whose call `name` certainly holds."""
        origins = self._constructors(name)
        if origins is None or len(set(origins)) != 1:
            return None
        return origins[0]

    # -- calls -------------------------------------------------------------------------------
    def visit_Call(self, node: ast.Call) -> None:
        if self.in_main_guard:
            return
        func = node.func
        origin = self.names.qualified_name(func)
        if origin in _SERVERS:
            self._candidates.append((node, origin))
        elif isinstance(func, ast.Attribute) and func.attr == "run" and isinstance(func.value, ast.Name):
            self._app_runs.append(node)
        elif isinstance(func, ast.Attribute) and func.attr in _LOOP_RUNNERS:
            receiver = func.value
            if isinstance(receiver, ast.Call) and self.names.qualified_name(receiver.func) in _LOOP_MAKERS:
                self._candidates.append((node, "loop"))
            elif isinstance(receiver, ast.Name):
                self._loop_runs.append(node)

    def _message(self, call: ast.Call, origin: str) -> str:
        if origin == "loop":
            method = call.func.attr  # type: ignore[attr-defined]
            return (
                f"`.{method}(...)` drives an event loop of its own, but Worker code already runs "
                "on the runtime's loop, which nothing else may run or block. `await` the "
                "coroutine in an async handler instead"
            )
        if origin == "asyncio.run":
            return (
                "`asyncio.run(...)` starts a new event loop, but Worker code already runs on "
                "the runtime's loop (in a handler: `RuntimeError: asyncio.run() cannot be called "
                "from a running event loop`). `await` the coroutine in an async handler instead"
            )
        if origin in _SERVERS:
            what = f"`{origin}(...)` {_SERVERS[origin]}"
        else:
            app = call.func.value.id  # type: ignore[attr-defined]
            what = f"`{app}.run()` starts the `{origin.rsplit('.', 1)[1]}` development server"
        return (
            f"{what}, which cannot run in a Worker: there are no listening sockets, and the "
            "runtime calls your `Default(WorkerEntrypoint).fetch`. Serve an ASGI app with "
            "`await asgi.fetch(app, request, self.env)`; keep local-server code under "
            '`if __name__ == "__main__":`'
        )

    def _dev_only(self, node: ast.AST, depth: int) -> bool:
        """`node` is in a module-level function used only under `if __name__ == "__main__":`
        (directly, or through other such functions)."""
        functions = self.names.enclosing_functions(node)
        if not functions or depth > 4:
            return False
        outer = functions[-1]
        if (
            not isinstance(outer, (ast.FunctionDef, ast.AsyncFunctionDef))
            or self._functions.get(outer.name) is not outer
        ):
            return False
        uses = references(self.names, outer)
        if not uses:
            return False
        return all(id(r) in self._guarded_names or self._dev_only(r, depth + 1) for r in uses)
