"""CFW304: imports of standard-library modules that Pyodide removes. Facts §8.

A guarded import is fine and stays silent: inside `try:` with an `except` that catches
ImportError, under `contextlib.suppress(ImportError)`, in an `if` on the platform
(`sys.platform`, `os.name`, `platform.system()`, ...), under `if TYPE_CHECKING:` or
`if __name__ == "__main__":`. A project module of the same name shadows the stdlib one.
"""

from __future__ import annotations

import libcst as cst

from cfw_lint.analysis.capabilities import is_main_guard, project_module_exists, string_value, callee
from cfw_lint.analysis.names import NAME_METADATA, dotted_name, is_builtin
from cfw_lint.diagnostics import Severity
from cfw_lint.facts import import_from_module
from cfw_lint.rule import PythonRule

REMOVED = frozenset(
    """
    curses dbm ensurepip fcntl grp idlelib lib2to3 msvcrt pwd resource syslog termios tkinter
    turtle turtledemo venv winreg winsound
    """.split()
)
NOT_IMPORTABLE = frozenset(("pty", "tty"))
_IMPORT_ERRORS = frozenset(("ImportError", "ModuleNotFoundError", "Exception", "BaseException"))
_PLATFORM_WORDS = ("platform", "os.name", "emscripten", "pyodide", "win32", "windows", "posix")
_DYNAMIC_IMPORTS = frozenset(("importlib.import_module", "builtins.__import__"))


def _catches_import_error(handlers: tuple[cst.BaseExceptHandler, ...] | list) -> bool:  # type: ignore[type-arg]
    for handler in handlers:
        kind = handler.type
        if kind is None:
            return True
        kinds = [e.value for e in kind.elements] if isinstance(kind, cst.Tuple) else [kind]
        for each in kinds:
            name = dotted_name(each)
            if name is not None and name.rsplit(".", 1)[-1] in _IMPORT_ERRORS:
                return True
    return False


class RemovedStdlibModule(PythonRule):
    code = "CFW304"
    name = "removed-stdlib-module"
    severity = Severity.ERROR
    summary = "Import of a standard-library module Pyodide removes (tkinter, curses, fcntl, pwd, ...)."
    METADATA_DEPENDENCIES = NAME_METADATA
    triggers = tuple(sorted(REMOVED | NOT_IMPORTABLE))

    def __init__(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self._guards: list[bool] = []
        self._shadowed: dict[str, bool] = {}

    # -- guards ----------------------------------------------------------------------------
    @property
    def _guarded(self) -> bool:
        return any(self._guards)

    def visit_Try_body(self, node: cst.Try) -> None:
        self._guards.append(_catches_import_error(node.handlers))

    def leave_Try_body(self, node: cst.Try) -> None:
        self._guards.pop()

    def visit_TryStar_body(self, node: cst.TryStar) -> None:
        self._guards.append(_catches_import_error(node.handlers))

    def leave_TryStar_body(self, node: cst.TryStar) -> None:
        self._guards.pop()

    def visit_If(self, node: cst.If) -> None:
        # a platform test guards both branches: each is meant for some platforms only
        text = self.module.code_for_node(node.test).lower()
        self._guards.append(any(word in text for word in _PLATFORM_WORDS))

    def leave_If(self, original_node: cst.If) -> None:
        self._guards.pop()

    def visit_If_body(self, node: cst.If) -> None:
        test = node.test
        never_runs = is_main_guard(test) or dotted_name(test) in ("TYPE_CHECKING", "typing.TYPE_CHECKING")
        self._guards.append(never_runs)

    def leave_If_body(self, node: cst.If) -> None:
        self._guards.pop()

    def visit_With(self, node: cst.With) -> None:
        suppressing = False
        for item in node.items:
            call = item.item
            if isinstance(call, cst.Call) and callee(self, call.func) == "contextlib.suppress":
                suppressing = suppressing or any(
                    (dotted_name(a.value) or "").rsplit(".", 1)[-1] in _IMPORT_ERRORS for a in call.args
                )
        self._guards.append(suppressing)

    def leave_With(self, original_node: cst.With) -> None:
        self._guards.pop()

    # -- imports ---------------------------------------------------------------------------
    def visit_Import(self, node: cst.Import) -> None:
        if self._guarded:
            return
        for alias in node.names:
            self._check(alias.name, dotted_name(alias.name))

    def visit_ImportFrom(self, node: cst.ImportFrom) -> None:
        if self._guarded or node.relative or node.module is None:
            return
        self._check(node.module, import_from_module(node))

    def visit_Call(self, node: cst.Call) -> None:
        if self._guarded or not node.args:
            return
        origin = callee(self, node.func)
        if origin is None and is_builtin(self, node.func, "builtins.__import__"):
            origin = "builtins.__import__"
        if origin in _DYNAMIC_IMPORTS:
            name = string_value(node.args[0].value)
            if name:
                self._check(node, name)

    def _check(self, node: cst.CSTNode, module: str | None) -> None:
        if not module:
            return
        top = module.split(".")[0]
        if top not in REMOVED and top not in NOT_IMPORTABLE:
            return
        if top not in self._shadowed:
            self._shadowed[top] = project_module_exists(self.context, top)
        if self._shadowed[top]:
            return
        if top in NOT_IMPORTABLE:
            why = f"`{top}` cannot be imported on Python Workers"
        else:
            why = (
                f"`{top}` is removed from Pyodide's standard library: `ModuleNotFoundError: The module "
                f"'{top}' is removed from the Python standard library in the Pyodide distribution due "
                "to browser limitations.`"
            )
        self.report(
            node,
            f"{why} Guard the import (`try: ... except ImportError:`) if the code also runs "
            "elsewhere, or drop the dependency.",
        )
