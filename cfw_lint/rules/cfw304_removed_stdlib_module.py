"""CFW304: imports of standard-library modules that Pyodide removes. Facts §8.

A guarded import is fine and stays silent: inside `try:` with an `except` that catches
ImportError, under `contextlib.suppress(ImportError)`, in the branch of a platform test that
does not run on Pyodide (`sys.platform` is "emscripten", `os.name` "posix"; tests the linter
cannot evaluate guard both branches), under `if TYPE_CHECKING:` or `if __name__ == "__main__":`.
A project module of the same name shadows the stdlib one.
"""

from __future__ import annotations

from collections.abc import Sequence

import libcst as cst

from cfw_lint.analysis.capabilities import callee, is_main_guard, project_module_exists, string_value
from cfw_lint.analysis.names import NAME_METADATA, dotted_name, is_builtin
from cfw_lint.diagnostics import Severity
from cfw_lint.facts import import_from_module
from cfw_lint.rule import PythonRule

REMOVED = frozenset(
    """
    curses dbm ensurepip fcntl grp idlelib lib2to3 msvcrt pwd readline resource syslog termios
    tkinter turtle turtledemo venv winreg winsound
    """.split()
)
NOT_IMPORTABLE = frozenset(("pty", "tty"))  # they need termios
# import on the 3.14 bundle although the docs still list them (facts §8, observed with npm
# pyodide 314.0.4)
IMPORTABLE_ON_314 = frozenset(("fcntl", "termios", "pty", "tty"))
# OpenSSL-backed hashlib functions, absent on the 3.14 bundle (facts §8, [UNCERTAIN]: observed
# with npm pyodide 314.0.4): AttributeError on use, ImportError on `from hashlib import ...`
OPENSSL_ONLY_ON_314 = frozenset(("pbkdf2_hmac", "scrypt"))
_IMPORT_ERRORS = frozenset(("ImportError", "ModuleNotFoundError", "Exception", "BaseException"))
_PLATFORM_WORDS = ("platform", "os.name", "emscripten", "pyodide", "win32", "windows", "posix")
_DYNAMIC_IMPORTS = frozenset(("importlib.import_module", "builtins.__import__"))
_WORKERS_PLATFORM = {"sys.platform": "emscripten", "os.name": "posix"}


def _strings(node: cst.BaseExpression) -> list[str] | None:
    """A string literal, or a tuple/list/set of them."""
    value = string_value(node)
    if value is not None:
        return [value]
    if isinstance(node, (cst.Tuple, cst.List, cst.Set)):
        values = [string_value(e.value) for e in node.elements]
        return None if any(v is None for v in values) else values  # type: ignore[return-value]
    return None


def _catches_import_error(handlers: Sequence[cst.ExceptHandler | cst.ExceptStarHandler]) -> bool:
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
    triggers = tuple(sorted(REMOVED | NOT_IMPORTABLE | OPENSSL_ONLY_ON_314))
    # the import scan also sees literal `__import__("x")` / `import_module("x")`
    modules = tuple(sorted(REMOVED | NOT_IMPORTABLE | {"hashlib"}))

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

    def visit_If_body(self, node: cst.If) -> None:
        test = node.test
        never_runs = is_main_guard(test) or dotted_name(test) in ("TYPE_CHECKING", "typing.TYPE_CHECKING")
        on_workers = self._platform_test(test)
        self._guards.append(never_runs or on_workers is False or (on_workers is None and self._platformish(test)))

    def leave_If_body(self, node: cst.If) -> None:
        self._guards.pop()

    def visit_If_orelse(self, node: cst.If) -> None:
        on_workers = self._platform_test(node.test)
        self._guards.append(on_workers is True or (on_workers is None and self._platformish(node.test)))

    def leave_If_orelse(self, node: cst.If) -> None:
        self._guards.pop()

    def _platformish(self, test: cst.BaseExpression) -> bool:
        """A test about the platform the linter cannot evaluate: each branch is for some platforms."""
        text = self.module.code_for_node(test).lower()
        return any(word in text for word in _PLATFORM_WORDS)

    def _platform_test(self, test: cst.BaseExpression) -> bool | None:
        """The value of a platform test on Workers (Pyodide: sys.platform "emscripten", os.name
        "posix"), or None when it is not one the linter can evaluate."""
        if isinstance(test, cst.UnaryOperation) and isinstance(test.operator, cst.Not):
            inner = self._platform_test(test.expression)
            return None if inner is None else not inner
        if isinstance(test, cst.BooleanOperation):
            left, right = self._platform_test(test.left), self._platform_test(test.right)
            if isinstance(test.operator, cst.And):
                if left is False or right is False:
                    return False
                return None if left is None or right is None else True
            if left is True or right is True:
                return True
            return None if left is None or right is None else False
        if isinstance(test, cst.Call) and isinstance(test.func, cst.Attribute) and len(test.args) == 1:
            value = self._platform_value(test.func.value)
            if value is not None and test.func.attr.value in ("startswith", "endswith"):
                options = _strings(test.args[0].value)
                if options is not None:
                    method = getattr(value, test.func.attr.value)
                    return any(method(o) for o in options)
            return None
        if isinstance(test, cst.Comparison) and len(test.comparisons) == 1:
            target = test.comparisons[0]
            value, other = self._platform_value(test.left), target.comparator
            if value is None:
                value, other = self._platform_value(target.comparator), test.left
                if value is None or not isinstance(target.operator, (cst.Equal, cst.NotEqual)):
                    return None
            options = _strings(other)
            if options is None:
                return None
            if isinstance(target.operator, (cst.Equal, cst.In)):
                return value in options
            if isinstance(target.operator, (cst.NotEqual, cst.NotIn)):
                return value not in options
        return None

    def _platform_value(self, node: cst.BaseExpression) -> str | None:
        if isinstance(node, cst.Call) and not node.args:
            return "Emscripten" if callee(self, node.func) == "platform.system" else None
        return _WORKERS_PLATFORM.get(callee(self, node) or "")

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
        module = import_from_module(node)
        if module == "hashlib" and not isinstance(node.names, cst.ImportStar):
            for alias in node.names:
                if isinstance(alias.name, cst.Name) and alias.name.value in OPENSSL_ONLY_ON_314:
                    self._hashlib(alias.name, alias.name.value, "ImportError: cannot import name")
            return
        self._check(node.module, module)

    def visit_Call(self, node: cst.Call) -> None:
        if self._guarded or not node.args:
            return
        origin = callee(self, node.func)
        if isinstance(node.func, cst.Attribute) and origin in {f"hashlib.{n}" for n in OPENSSL_ONLY_ON_314}:
            self._hashlib(node.func, node.func.attr.value, "AttributeError: module 'hashlib' has no attribute")
            return
        if origin is None and is_builtin(self, node.func, "builtins.__import__"):
            origin = "builtins.__import__"
        if origin in _DYNAMIC_IMPORTS:
            name = string_value(node.args[0].value)
            if name:
                self._check(node, name)

    def _hashlib(self, node: cst.CSTNode, name: str, error: str) -> None:
        if self.profile.python < (3, 14):
            return  # 3.12/3.13 load OpenSSL with hashlib
        self.report(
            node,
            f"`hashlib.{name}` needs OpenSSL, which the Python 3.14 runtime's Pyodide no longer "
            f"ships: `{error} '{name}'` (observed in Pyodide 314.0.4). Use a pure-Python "
            "implementation, or guard it and fall back.",
            severity=Severity.WARNING,
        )

    def _check(self, node: cst.CSTNode, module: str | None) -> None:
        if not module:
            return
        top = module.split(".")[0]
        if top not in REMOVED and top not in NOT_IMPORTABLE:
            return
        if top in IMPORTABLE_ON_314 and self.profile.python >= (3, 14):
            return
        if top not in self._shadowed:
            self._shadowed[top] = project_module_exists(self.context, top)
        if self._shadowed[top]:
            return
        if top in NOT_IMPORTABLE:
            why = f"`{top}` cannot be imported on this Python Workers runtime (it needs `termios`)."
        elif top == "lib2to3" and self.profile.python >= (3, 13):
            # gone from CPython 3.13 itself, so Pyodide adds no note
            why = "`lib2to3` is not in the standard library: `ModuleNotFoundError: No module named 'lib2to3'`."
        else:
            why = (
                f"`{top}` is removed from Pyodide's standard library: `ModuleNotFoundError: No module "
                f"named '{top}'` (uncaught, with the note \"The module '{top}' is removed from the Python "
                'standard library in the Pyodide distribution due to browser limitations.").'
            )
        self.report(
            node,
            f"{why} Guard the import (`try: ... except ImportError:`) if the code also runs "
            "elsewhere, or drop the dependency.",
        )
