"""CFW302: starting threads or processes, which Pyodide cannot do. Facts §8.

Importing `threading`/`multiprocessing`, locks, `threading.local`, building a `Thread` that is
never started, `asyncio.to_thread` and `loop.run_in_executor` (Pyodide's event loop runs the
function inline) all work, so only the calls that start something are reported.
"""

from __future__ import annotations

import ast
from typing import TYPE_CHECKING

from cfw_lint.analysis.astmodel import OrderedVisitor, is_self_attribute
from cfw_lint.analysis.astvalues import ValueTracker
from cfw_lint.astrule import AstRule
from cfw_lint.diagnostics import Severity

if TYPE_CHECKING:
    from cfw_lint.summary import ModuleSummary

_THREAD_CLASSES = {"threading.Thread", "threading.Timer"}
_PROCESS_CLASSES = {
    "multiprocessing.Process",
    "multiprocessing.process.BaseProcess",
    "multiprocessing.context.Process",
    "multiprocessing.context.SpawnProcess",
    "multiprocessing.context.ForkProcess",
    "multiprocessing.context.ForkServerProcess",
}
_THREAD_EXECUTORS = {"concurrent.futures.ThreadPoolExecutor", "concurrent.futures.thread.ThreadPoolExecutor"}
_EXECUTOR_SUBMITS = ("submit", "map")

# error texts observed with npm pyodide 0.28.2 and 314.0.4 (facts §8)
_NO_THREADS = "`RuntimeError: can't start new thread` (Pyodide has no threads)"
_NO_PROCESSES = "`OSError: [Errno 138] emscripten does not support processes.` (Workers have no processes)"
_NOT_IMPLEMENTED = "`OSError: [Errno 52] Function not implemented` (Workers have no processes)"
_NO_MULTIPROCESSING = "`ModuleNotFoundError: No module named '_multiprocessing'`"
_NO_PROCESS_POOL = (
    "it fails as it is built: `NotImplementedError: This Python build lacks "
    "multiprocessing.synchronize, usually due to named semaphores being unavailable on this platform.`"
)
# os.system/exec*/spawn*: not observed inside workerd; Emscripten has no processes to run
_NO_PROCESS_CALLS = "there are no processes on Workers (Emscripten does not support them)"

# Calls that start a thread or a process as soon as they are made, with what happens.
_STARTING_CALLS: dict[str, str] = {
    "_thread.start_new_thread": _NO_THREADS,
    "_thread.start_new": _NO_THREADS,
    "multiprocessing.pool.ThreadPool": _NO_THREADS,
    "multiprocessing.dummy.Pool": _NO_THREADS,
    "multiprocessing.Pool": _NO_MULTIPROCESSING,
    "multiprocessing.pool.Pool": _NO_MULTIPROCESSING,
    "multiprocessing.Manager": _NO_MULTIPROCESSING,
    "concurrent.futures.ProcessPoolExecutor": _NO_PROCESS_POOL,
    "concurrent.futures.process.ProcessPoolExecutor": _NO_PROCESS_POOL,
    "asyncio.create_subprocess_exec": _NO_PROCESSES,
    "asyncio.create_subprocess_shell": _NO_PROCESSES,
    **{
        f"subprocess.{name}": _NO_PROCESSES
        for name in ("run", "call", "check_call", "check_output", "Popen", "getoutput", "getstatusoutput")
    },
    "os.popen": _NO_PROCESSES,
    "os.fork": _NOT_IMPLEMENTED,
    "os.forkpty": _NOT_IMPLEMENTED,
    **{
        f"os.{name}": _NO_PROCESS_CALLS
        for name in (
            "system",
            "posix_spawn",
            "posix_spawnp",
            "spawnl",
            "spawnle",
            "spawnlp",
            "spawnlpe",
            "spawnv",
            "spawnve",
            "spawnvp",
            "spawnvpe",
            "execl",
            "execle",
            "execlp",
            "execlpe",
            "execv",
            "execve",
            "execvp",
            "execvpe",
        )
    },
}


_STARTING_LAST = frozenset(origin.rsplit(".", 1)[1] for origin in _STARTING_CALLS)


# The last names of the reportable callees, by the module whose import they need: a callee
# resolves through an import of its top-level module, and the thread/process/executor classes
# (local subclasses included) through `threading`, `multiprocessing` or `concurrent`.
def _called_by_module() -> dict[str, frozenset[str]]:
    out: dict[str, set[str]] = {}
    for origin in _STARTING_CALLS:
        out.setdefault(origin.split(".")[0], set()).add(origin.rsplit(".", 1)[1])
    for top in ("threading", "multiprocessing", "concurrent"):
        out.setdefault(top, set()).update(("start", *_EXECUTOR_SUBMITS))
    return {top: frozenset(names) for top, names in out.items()}


_CALLED_BY_MODULE = _called_by_module()


class ThreadsAndProcesses(OrderedVisitor, AstRule):
    code = "CFW302"
    name = "threads-and-processes"
    severity = Severity.ERROR
    summary = "Starting a thread, a process pool, a subprocess or os.system/fork: Workers have neither."
    triggers = ("thread", "Thread", "process", "Process", "Pool", "os", "Executor", "Manager")
    # every match resolves through one of these imports (see PythonRule.modules)
    modules = ("threading", "_thread", "multiprocessing", "concurrent", "asyncio", "subprocess", "os")

    @classmethod
    def could_fire(cls, summary: ModuleSummary, text: str) -> bool:
        if not super().could_fire(summary, text):
            return False
        imported = summary.imported_modules()
        wanted = frozenset().union(*(names for top, names in _CALLED_BY_MODULE.items() if top in imported))
        return summary.may_call(wanted)

    def check(self) -> None:
        self.values = ValueTracker()
        self._classes: list[ast.ClassDef] = []
        # local subclasses of Thread/Process: class node -> the kind of runtime class it derives from
        self._subclasses: dict[ast.ClassDef, str] = {}
        # `self.<attr> = <value>` per class, and `self.<attr>.start()` calls awaiting them
        self._attr_values: dict[tuple[ast.ClassDef, str], list[ast.expr]] = {}
        self._attr_calls: list[tuple[ast.Call, ast.ClassDef, str, str]] = []
        self.walk(self.tree)
        for call, owner, attr, method in self._attr_calls:
            values = self._attr_values.get((owner, attr), [])
            kinds = {self._class_kind(v.func) if isinstance(v, ast.Call) else None for v in values}
            if len(kinds) == 1:
                self._report_start(call, kinds.pop(), method)

    # -- what names and attributes hold ----------------------------------------------------
    def visit_ClassDef(self, node: ast.ClassDef) -> None:
        self._classes.append(node)
        for base in node.bases:
            kind = self._class_kind(base.value if isinstance(base, ast.Starred) else base)
            if kind is not None:
                self._subclasses[node] = kind
                break

    def leave_ClassDef(self, node: ast.ClassDef) -> None:
        self._classes.pop()

    def visit_Assign(self, node: ast.Assign) -> None:
        self.values.record_assign(node)
        for target in node.targets:
            self._record_attribute(target, node.value)

    def visit_AnnAssign(self, node: ast.AnnAssign) -> None:
        self.values.record_assign(node)
        if node.value is not None:
            self._record_attribute(node.target, node.value)

    def visit_NamedExpr(self, node: ast.NamedExpr) -> None:
        self.values.record_assign(node)

    def visit_withitem(self, node: ast.withitem) -> None:
        self.values.record_with_item(node)

    def visit_For(self, node: ast.For | ast.AsyncFor) -> None:
        self.values.record_for(node)

    visit_AsyncFor = visit_For  # one LibCST `For` node, `async` or not

    def _record_attribute(self, target: ast.expr, value: ast.expr) -> None:
        if self._classes and is_self_attribute(target):
            key = (self._classes[-1], target.attr)  # type: ignore[attr-defined]
            self._attr_values.setdefault(key, []).append(value)

    # -- classes -------------------------------------------------------------------------------
    def _class_kind(self, node: ast.expr) -> str | None:
        """ "thread"/"process"/"executor" when `node` names such a class (local subclasses too)."""
        origin = self.names.callee(node)
        if origin in _THREAD_CLASSES:
            return "thread"
        if origin in _PROCESS_CLASSES:
            return "process"
        if origin in _THREAD_EXECUTORS:
            return "executor"
        if isinstance(node, ast.Name):
            bindings = self.names.bindings(node)
            if bindings is not None and len(bindings) == 1 and isinstance(bindings[0], ast.ClassDef):
                return self._subclasses.get(bindings[0])
        return None

    def _instance_kind(self, receiver: ast.expr) -> str | None:
        """The kind of object `receiver` is, when it is built right there or bound once."""
        if isinstance(receiver, ast.Call):
            return self._class_kind(receiver.func)
        if isinstance(receiver, ast.Name):
            if receiver.id == "self" and self._classes:
                return self._subclasses.get(self._classes[-1])
            bound = self.values.value_of(self.names, receiver)
            if bound is not None and isinstance(bound.value, ast.Call):
                kind = self._class_kind(bound.value.func)
                # `with Thread(...) as t` binds whatever __enter__ returns; executors return self
                if kind == "executor" or not bound.via_with:
                    return kind
            # `for t in threads: t.start()` over a literal list or comprehension of threads
            iterable = self.values.iterated_by(self.names, receiver)
            elements = self.values.elements_of(self.names, iterable) if iterable is not None else None
            if elements:
                kinds = {self._class_kind(e.func) if isinstance(e, ast.Call) else None for e in elements}
                if len(kinds) == 1:
                    return kinds.pop()
        return None

    # -- calls ---------------------------------------------------------------------------------
    def visit_Call(self, node: ast.Call) -> None:
        if self.in_main_guard:
            return
        func = node.func
        # an attribute chain's import-derived name ends with its attribute: resolve only those
        # that can be a starting call (a bare name can be an alias of one)
        if not isinstance(func, ast.Attribute) or func.attr in _STARTING_LAST:
            origin = self.names.callee(func)
            if origin in _STARTING_CALLS:
                self.report(node, f"`{origin}()` cannot work: {_STARTING_CALLS[origin]}.")
                return
        if not isinstance(func, ast.Attribute):
            return
        method = func.attr
        if method != "start" and method not in _EXECUTOR_SUBMITS:
            return
        if is_self_attribute(func.value) and self._classes:
            self._attr_calls.append((node, self._classes[-1], func.value.attr, method))  # type: ignore[attr-defined]
            return
        self._report_start(node, self._instance_kind(func.value), method)

    def _report_start(self, node: ast.Call, kind: str | None, method: str) -> None:
        if kind == "thread" and method == "start":
            self.report(node, f"Starting a thread raises {_NO_THREADS}; use `asyncio` tasks instead.")
        elif kind == "process" and method == "start":
            # 0.28.2: the fork fails; 314.0.4: the C module is missing (facts §8)
            error = _NOT_IMPLEMENTED if self.profile.python < (3, 14) else _NO_MULTIPROCESSING
            self.report(node, f"Starting a `multiprocessing` process raises {error}.")
        elif kind == "executor" and method in _EXECUTOR_SUBMITS:
            self.report(
                node,
                f"`ThreadPoolExecutor.{method}()` starts a worker thread, which raises {_NO_THREADS}; "
                "call the function directly, or await `asyncio.to_thread(...)` (run inline on Workers).",
            )
