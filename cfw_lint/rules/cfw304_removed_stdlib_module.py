"""CFW304: imports of standard-library modules that Pyodide removes. Facts §8.

A guarded import is fine and stays silent: inside `try:` with an `except` that catches
ImportError, under `contextlib.suppress(ImportError)`, in the branch of a platform test that
does not run on Pyodide (`sys.platform` is "emscripten", `os.name` "posix"; tests the linter
cannot evaluate guard both branches), under `if TYPE_CHECKING:` or `if __name__ == "__main__":`.
A project module of the same name shadows the stdlib one.
"""

from __future__ import annotations

import ast
import re
import tokenize
from collections.abc import Sequence
from typing import ClassVar

from cfw_lint.analysis.astnames import dotted_name
from cfw_lint.analysis.astvalues import is_main_guard, project_module_exists, string_value
from cfw_lint.astrule import AstRule
from cfw_lint.diagnostics import Severity
from cfw_lint.summary import ModuleSummary

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


_FLAGGED = REMOVED | NOT_IMPORTABLE
_HASHLIB_CALLS = frozenset(f"hashlib.{n}" for n in OPENSSL_ONLY_ON_314)
_TRY_NODES = (ast.Try, *([ast.TryStar] if hasattr(ast, "TryStar") else []))


def _strings(node: ast.AST) -> list[str] | None:
    """A string literal, or a tuple/list/set of them."""
    value = string_value(node)
    if value is not None:
        return [value]
    if isinstance(node, (ast.Tuple, ast.List, ast.Set)):
        values = [string_value(e.value if isinstance(e, ast.Starred) else e) for e in node.elts]
        return None if any(v is None for v in values) else values  # type: ignore[return-value]
    return None


def _arguments(call: ast.Call) -> list[ast.expr]:
    """The values of a call's arguments in source order, as LibCST's `Arg.value` gives them
    (`*x` and `k=x` both give x)."""
    values = [a.value if isinstance(a, ast.Starred) else a for a in call.args] + [k.value for k in call.keywords]
    if call.args and call.keywords:
        values.sort(key=lambda n: (n.lineno, n.col_offset))
    return values


def _catches_import_error(handlers: Sequence[ast.ExceptHandler]) -> bool:
    for handler in handlers:
        kind = handler.type
        if kind is None:
            return True
        kinds = kind.elts if isinstance(kind, ast.Tuple) else [kind]
        for each in kinds:
            name = dotted_name(each.value if isinstance(each, ast.Starred) else each)
            if name is not None and name.rsplit(".", 1)[-1] in _IMPORT_ERRORS:
                return True
    return False


_LINE_BREAK = re.compile(r"\r\n|\r|\n")


class RemovedStdlibModule(AstRule):
    code = "CFW304"
    name = "removed-stdlib-module"
    severity = Severity.ERROR
    summary = "Import of a standard-library module Pyodide removes (tkinter, curses, fcntl, pwd, ...)."
    triggers = tuple(sorted(REMOVED | NOT_IMPORTABLE | OPENSSL_ONLY_ON_314))
    # the import scan also sees literal `__import__("x")` / `import_module("x")`
    modules = tuple(sorted(REMOVED | NOT_IMPORTABLE | {"hashlib"}))
    _DYNAMIC_CALLS: ClassVar[frozenset[str]] = frozenset(("__import__", "import_module"))

    @classmethod
    def could_fire(cls, summary: ModuleSummary, text: str) -> bool:
        imported = summary.imported_modules()
        if not imported.isdisjoint(_FLAGGED):
            return True
        if "hashlib" not in imported:
            return False
        if any(name in text for name in OPENSSL_ONLY_ON_314):
            return True
        # a dynamic import the summary cannot read (`import_module(name="pwd")`)
        return not summary.called.isdisjoint(cls._DYNAMIC_CALLS) and any(t in text for t in cls.triggers)

    def check(self) -> None:
        self._shadowed: dict[str, bool] = {}
        self._lines: list[bytes] | None = None
        self._platform_text = any(word in self.file.text.lower() for word in _PLATFORM_WORDS)
        self._guards: dict[tuple[int, str], bool] = {}
        names = self.names
        for node in names.nodes(ast.Import):
            for alias in node.names:
                if alias.name.split(".")[0] in _FLAGGED and not self._guarded(node):
                    self._check_alias(alias)
        for node in names.nodes(ast.ImportFrom):
            if self._import_from_candidate(node) and not self._guarded(node):
                self._import_from(node)
        for node in names.nodes(ast.Call):
            if (node.args or node.keywords) and self._call_candidate(node) and not self._guarded(node):
                self._call(node)

    @staticmethod
    def _import_from_candidate(node: ast.ImportFrom) -> bool:
        if node.level or node.module is None:
            return False
        if node.module == "hashlib":
            return any(alias.name in OPENSSL_ONLY_ON_314 for alias in node.names)
        return node.module.split(".")[0] in _FLAGGED

    @staticmethod
    def _call_candidate(node: ast.Call) -> bool:
        func = node.func
        if isinstance(func, ast.Attribute) and func.attr in OPENSSL_ONLY_ON_314:
            return True
        name = string_value(_arguments(node)[0])
        return bool(name) and name.split(".")[0] in _FLAGGED  # type: ignore[union-attr]

    def _guarded(self, node: ast.AST) -> bool:
        """Inside a `try` body catching ImportError, a `with` suppressing it, or an `if` branch
        that does not run on Workers (or is for some platforms only)."""
        child, parent = node, self.names.parent(node)
        while parent is not None:
            if isinstance(parent, ast.If):
                if any(c is child for c in parent.body):
                    if self._guard(parent, "body"):
                        return True
                elif any(c is child for c in parent.orelse) and self._guard(parent, "orelse"):
                    return True
            elif isinstance(parent, _TRY_NODES):
                if any(c is child for c in parent.body) and self._guard(parent, "try"):
                    return True
            elif isinstance(parent, (ast.With, ast.AsyncWith)) and self._guard(parent, "with"):
                return True
            child, parent = parent, self.names.parent(parent)
        return False

    def _guard(self, node: ast.AST, part: str) -> bool:
        key = (id(node), part)
        found = self._guards.get(key)
        if found is None:
            if part == "try":
                found = _catches_import_error(node.handlers)  # type: ignore[attr-defined]
            elif part == "with":
                found = self._suppresses_import_error(node)  # type: ignore[arg-type]
            else:
                body, orelse = self._if_guards(node)  # type: ignore[arg-type]
                self._guards[(id(node), "body")] = body
                self._guards[(id(node), "orelse")] = orelse
                found = body if part == "body" else orelse
            self._guards[key] = found
        return found

    # -- guards ----------------------------------------------------------------------------
    def _if_guards(self, node: ast.If) -> tuple[bool, bool]:
        """Whether the body, and the else branch, are guarded by the test."""
        test = node.test
        never_runs = is_main_guard(test) or dotted_name(test) in ("TYPE_CHECKING", "typing.TYPE_CHECKING")
        on_workers = self._platform_test(test)
        platformish = on_workers is None and self._platformish(test)
        body = never_runs or on_workers is False or platformish
        orelse = bool(node.orelse) and (on_workers is True or platformish)
        return body, orelse

    def _platformish(self, test: ast.expr) -> bool:
        """A test about the platform the linter cannot evaluate: each branch is for some platforms."""
        if not self._platform_text:
            return False
        text = self._segment(test).lower()
        return any(word in text for word in _PLATFORM_WORDS)

    def _platform_test(self, test: ast.expr) -> bool | None:
        """The value of a platform test on Workers (Pyodide: sys.platform "emscripten", os.name
        "posix"), or None when it is not one the linter can evaluate."""
        if isinstance(test, ast.UnaryOp) and isinstance(test.op, ast.Not):
            inner = self._platform_test(test.operand)
            return None if inner is None else not inner
        if isinstance(test, ast.BoolOp):
            values = [self._platform_test(v) for v in test.values]
            if isinstance(test.op, ast.And):
                if False in values:
                    return False
                return None if None in values else True
            if True in values:
                return True
            return None if None in values else False
        if isinstance(test, ast.Call) and isinstance(test.func, ast.Attribute):
            arguments = _arguments(test)
            if len(arguments) != 1:
                return None
            value = self._platform_value(test.func.value)
            if value is not None and test.func.attr in ("startswith", "endswith"):
                options = _strings(arguments[0])
                if options is not None:
                    method = getattr(value, test.func.attr)
                    return any(method(o) for o in options)
            return None
        if isinstance(test, ast.Compare) and len(test.ops) == 1:
            operator = test.ops[0]
            value, other = self._platform_value(test.left), test.comparators[0]
            if value is None:
                value, other = self._platform_value(test.comparators[0]), test.left
                if value is None or not isinstance(operator, (ast.Eq, ast.NotEq)):
                    return None
            options = _strings(other)
            if options is None:
                return None
            if isinstance(operator, (ast.Eq, ast.In)):
                return value in options
            if isinstance(operator, (ast.NotEq, ast.NotIn)):
                return value not in options
        return None

    def _platform_value(self, node: ast.expr) -> str | None:
        if isinstance(node, ast.Call) and not node.args and not node.keywords:
            return "Emscripten" if self.names.callee(node.func) == "platform.system" else None
        if dotted_name(node) is None:
            return None
        return _WORKERS_PLATFORM.get(self.names.callee(node) or "")

    def _suppresses_import_error(self, node: ast.With | ast.AsyncWith) -> bool:
        for item in node.items:
            call = item.context_expr
            if not isinstance(call, ast.Call):
                continue
            if not any((dotted_name(a) or "").rsplit(".", 1)[-1] in _IMPORT_ERRORS for a in _arguments(call)):
                continue
            if self.names.callee(call.func) == "contextlib.suppress":
                return True
        return False

    # -- imports ---------------------------------------------------------------------------
    def _check_alias(self, alias: ast.alias) -> None:
        top = alias.name.split(".")[0]
        if top in _FLAGGED:
            end = self._name_end(alias.lineno, alias.col_offset, alias.name)
            self._check((alias.lineno, alias.col_offset, *end), alias.name)

    def _import_from(self, node: ast.ImportFrom) -> None:
        if node.level or node.module is None:
            return
        module = node.module
        if module == "hashlib":
            for alias in node.names:
                if alias.name in OPENSSL_ONLY_ON_314:
                    end = self._name_end(alias.lineno, alias.col_offset, alias.name)
                    self._hashlib((alias.lineno, alias.col_offset, *end), alias.name, "ImportError: cannot import name")
            return
        if module.split(".")[0] in _FLAGGED:
            self._check(self._module_span(node), module)

    def _call(self, node: ast.Call) -> None:
        func = node.func
        if isinstance(func, ast.Attribute) and func.attr in OPENSSL_ONLY_ON_314:
            if self.names.callee(func) in _HASHLIB_CALLS:
                self._hashlib(_span(func), func.attr, "AttributeError: module 'hashlib' has no attribute")
                return
        name = string_value(_arguments(node)[0])
        if not name or name.split(".")[0] not in _FLAGGED:
            return
        origin = self.names.callee(func)
        if origin is None and self.names.is_builtin(func, "builtins.__import__"):
            origin = "builtins.__import__"
        if origin in _DYNAMIC_IMPORTS:
            self._check(_span(node), name)

    def _hashlib(self, span: tuple[int, int, int, int], name: str, error: str) -> None:
        if self.profile.python < (3, 14):
            return  # 3.12/3.13 load OpenSSL with hashlib
        self.report_span(
            *span,
            f"`hashlib.{name}` needs OpenSSL, which the Python 3.14 runtime's Pyodide no longer "
            f"ships: `{error} '{name}'` (observed in Pyodide 314.0.4). Use a pure-Python "
            "implementation, or guard it and fall back.",
            severity=Severity.WARNING,
        )

    def _check(self, span: tuple[int, int, int, int], module: str | None) -> None:
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
        self.report_span(
            *span,
            f"{why} Guard the import (`try: ... except ImportError:`) if the code also runs "
            "elsewhere, or drop the dependency.",
        )

    # -- positions `ast` does not give: a dotted name in an import ---------------------------
    def _line(self, line: int) -> bytes:
        if self._lines is None:
            self._lines = [part.encode("utf-8") for part in _LINE_BREAK.split(self.file.text)]
        return self._lines[line - 1] if 0 < line <= len(self._lines) else b""

    def _segment(self, node: ast.AST) -> str:
        """The source text of `node` (LibCST's `code_for_node` without the parentheses)."""
        start, end = node.lineno, node.end_lineno  # type: ignore[attr-defined]
        if start == end:
            return self._line(start)[node.col_offset : node.end_col_offset].decode("utf-8", "replace")  # type: ignore[attr-defined]
        parts = [self._line(start)[node.col_offset :]]  # type: ignore[attr-defined]
        parts += [self._line(n) for n in range(start + 1, end)]  # type: ignore[operator]
        parts.append(self._line(end)[: node.end_col_offset])  # type: ignore[arg-type, attr-defined]
        return "\n".join(p.decode("utf-8", "replace") for p in parts)

    def _name_end(self, line: int, col: int, name: str) -> tuple[int, int]:
        """Where the dotted `name` that starts at (line, byte col) ends: usually right after it,
        but `a . b` and continuation lines are legal."""
        encoded = name.encode("utf-8")
        if self._line(line)[col : col + len(encoded)] == encoded:
            return line, col + len(encoded)
        return self._tokens_end(line, col, name.split("."))

    def _module_span(self, node: ast.ImportFrom) -> tuple[int, int, int, int]:
        """The position of the module name of `from X import ...` (after `from`)."""
        text = self._line(node.lineno)
        match = re.compile(rb"from[ \t]+").match(text, node.col_offset)
        module = (node.module or "").encode("utf-8")
        if match is not None and text[match.end() : match.end() + len(module)] == module:
            return node.lineno, match.end(), node.lineno, match.end() + len(module)
        return self._tokens_span(node.lineno, node.col_offset, (node.module or "").split("."), skip_first=True)

    def _tokens_end(self, line: int, col: int, parts: list[str]) -> tuple[int, int]:
        span = self._tokens_span(line, col, parts, skip_first=False)
        return span[2], span[3]

    def _tokens_span(self, line: int, col: int, parts: list[str], *, skip_first: bool) -> tuple[int, int, int, int]:
        """Tokenize from (line, col): the span of the NAME tokens `parts` (after one keyword when
        `skip_first`). Falls back to the start position when the tokens do not match."""
        first = self._line(line)[:col].decode("utf-8", "replace")
        lines = [self._line(n).decode("utf-8", "replace") + "\n" for n in range(line + 1, len(self._lines or []) + 1)]
        source = iter([self._line(line).decode("utf-8", "replace")[len(first) :] + "\n", *lines])
        found: list[tokenize.TokenInfo] = []
        try:
            for token in tokenize.generate_tokens(lambda: next(source, "")):
                if token.type in (tokenize.COMMENT, tokenize.NL, tokenize.NEWLINE):
                    continue
                if skip_first:
                    skip_first = False
                    continue
                if token.type == tokenize.NAME and len(found) < len(parts) and token.string == parts[len(found)]:
                    found.append(token)
                    if len(found) == len(parts):
                        break
                elif not (token.type == tokenize.OP and token.string == "."):
                    break
        except (tokenize.TokenError, SyntaxError):
            pass
        if not found:
            return line, col, line, col
        start, end = found[0].start, found[-1].end

        def byte_col(row: int, column: int) -> int:
            offset = len(first) if row == 1 else 0
            text = self._line(line + row - 1).decode("utf-8", "replace")
            return len(text[: offset + column].encode("utf-8"))

        return line + start[0] - 1, byte_col(*start), line + end[0] - 1, byte_col(*end)


def _span(node: ast.AST) -> tuple[int, int, int, int]:
    return node.lineno, node.col_offset, node.end_lineno, node.end_col_offset  # type: ignore[attr-defined]
