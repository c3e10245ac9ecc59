"""CFW503: starting a local server or event loop in Worker code. Facts §7."""

from __future__ import annotations

import libcst as cst
from libcst.metadata import ScopeProvider

from cfw_lint.analysis.frameworks import AppBindings
from cfw_lint.analysis.names import NAME_METADATA, enclosing_functions, qualified_name
from cfw_lint.diagnostics import Severity
from cfw_lint.rule import PythonRule

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


def _is_main_test(test: cst.BaseExpression) -> str | None:
    """ "==" for `__name__ == "__main__"` (either order), "!=" for the negation."""
    if not isinstance(test, cst.Comparison) or len(test.comparisons) != 1:
        return None
    target = test.comparisons[0]
    op = target.operator
    sides = [test.left, target.comparator]
    names = [s for s in sides if isinstance(s, cst.Name) and s.value == "__name__"]
    strings = [s for s in sides if isinstance(s, cst.SimpleString) and s.evaluated_value == "__main__"]
    if len(names) != 1 or len(strings) != 1:
        return None
    if isinstance(op, cst.Equal):
        return "=="
    if isinstance(op, cst.NotEqual):
        return "!="
    return None


class LocalServerCall(PythonRule):
    code = "CFW503"
    name = "local-server-call"
    severity = Severity.ERROR
    summary = "uvicorn.run, app.run(), asyncio.run and loop.run_until_complete do not belong in a Worker."
    METADATA_DEPENDENCIES = NAME_METADATA
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

    def __init__(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self._bindings = AppBindings()
        self._guarded_blocks: set[cst.CSTNode] = set()
        self._guard_depth = 0
        self._guarded_names: set[cst.Name] = set()
        self._candidates: list[tuple[cst.Call, str]] = []
        self._app_runs: list[cst.Call] = []
        self._loop_runs: list[cst.Call] = []

    # -- `if __name__ == "__main__":` blocks (never run in a Worker) --------------------------
    def visit_If(self, node: cst.If) -> None:
        kind = _is_main_test(node.test)
        if kind == "==":
            self._guarded_blocks.add(node.body)
        elif kind == "!=" and isinstance(node.orelse, cst.Else):
            self._guarded_blocks.add(node.orelse.body)

    def visit_IndentedBlock(self, node: cst.IndentedBlock) -> None:
        if node in self._guarded_blocks:
            self._guard_depth += 1

    def leave_IndentedBlock(self, original_node: cst.IndentedBlock) -> None:
        if original_node in self._guarded_blocks:
            self._guard_depth -= 1

    def visit_SimpleStatementSuite(self, node: cst.SimpleStatementSuite) -> None:
        if node in self._guarded_blocks:
            self._guard_depth += 1

    def leave_SimpleStatementSuite(self, original_node: cst.SimpleStatementSuite) -> None:
        if original_node in self._guarded_blocks:
            self._guard_depth -= 1

    def visit_Name(self, node: cst.Name) -> None:
        if self._guard_depth:
            self._guarded_names.add(node)

    # -- calls -------------------------------------------------------------------------------
    def visit_Assign(self, node: cst.Assign) -> None:
        self._bindings.record(node)

    def visit_AnnAssign(self, node: cst.AnnAssign) -> None:
        self._bindings.record(node)

    def visit_Call(self, node: cst.Call) -> None:
        if self._guard_depth:
            return
        origin = qualified_name(self, node.func)
        if origin in _SERVERS:
            self._candidates.append((node, origin))
        elif (
            isinstance(node.func, cst.Attribute)
            and node.func.attr.value == "run"
            and isinstance(node.func.value, cst.Name)
        ):
            self._app_runs.append(node)
        elif isinstance(node.func, cst.Attribute) and node.func.attr.value in _LOOP_RUNNERS:
            receiver = node.func.value
            if isinstance(receiver, cst.Call) and qualified_name(self, receiver.func) in _LOOP_MAKERS:
                self._candidates.append((node, "loop"))
            elif isinstance(receiver, cst.Name):
                self._loop_runs.append(node)

    def leave_Module(self, original_node: cst.Module) -> None:
        for call in self._app_runs:
            app = call.func.value  # type: ignore[attr-defined]
            origin = self._bindings.app_origin(self, app, kinds="any")
            if origin is not None:
                self._candidates.append((call, origin))
        for call in self._loop_runs:
            loop = call.func.value  # type: ignore[attr-defined]
            if self._bindings.call_origin(self, loop) in _LOOP_MAKERS:
                self._candidates.append((call, "loop"))
        for call, origin in self._candidates:
            if self._dev_only(call, 0):
                continue
            self.report(call, self._message(call, origin))

    def _message(self, call: cst.Call, origin: str) -> str:
        if origin == "loop":
            method = call.func.attr.value  # type: ignore[attr-defined]
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
            app = call.func.value.value  # type: ignore[attr-defined]
            what = f"`{app}.run()` starts the `{origin.rsplit('.', 1)[1]}` development server"
        return (
            f"{what}, which cannot run in a Worker: there are no listening sockets, and the "
            "runtime calls your `Default(WorkerEntrypoint).fetch`. Serve an ASGI app with "
            "`await asgi.fetch(app, request, self.env)`; keep local-server code under "
            '`if __name__ == "__main__":`'
        )

    def _dev_only(self, node: cst.CSTNode, depth: int) -> bool:
        """`node` is in a module-level function used only under `if __name__ == "__main__":`
        (directly, or through other such functions)."""
        functions = enclosing_functions(self, node)
        if not functions or depth > 4:
            return False
        outer = functions[-1]
        if not isinstance(outer, cst.FunctionDef) or self.model.functions.get(outer.name.value) is not outer:
            return False
        scope = self.get_metadata(ScopeProvider, outer, None)
        if scope is None:
            return False
        references = [ref.node for a in scope.assignments[outer.name.value] for ref in a.references]
        if not references:
            return False
        return all(r in self._guarded_names or self._dev_only(r, depth + 1) for r in references)
