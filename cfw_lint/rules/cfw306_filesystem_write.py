"""CFW306: writing files outside /tmp. Facts §8.

Reported only when the path is certain: a literal, an f-string or concatenation whose literal
start already decides it, `Path(...)`/`os.path.join(...)`/`/` joins of those, a name bound once
to one, or a path derived from `__file__` (the module lives in the read-only bundle). A path the
linter cannot evaluate is not reported; `/tmp` and `/dev` (e.g. `/dev/null`) are fine.
"""

from __future__ import annotations

import ast
import posixpath
from typing import Any, Iterator

from cfw_lint.analysis.astvalues import (
    ValueTracker,
    has_star_args,
    in_main_guard,
    literal_prefix,
    positional_or_keyword,
    string_value,
)
from cfw_lint.astrule import AstRule
from cfw_lint.diagnostics import Severity
from cfw_lint.summary import full_name

_BUNDLE = "/session/metadata/"
_PATH_CLASSES = {"pathlib.Path", "pathlib.PurePath", "pathlib.PosixPath", "pathlib.PurePosixPath"}
# (module function, positions of path arguments with their keyword names)
_OPEN_LIKE = {"io.open", "codecs.open", "gzip.open", "bz2.open", "lzma.open", "tarfile.open"}
_PATH_FUNCTIONS: dict[str, tuple[tuple[int, str | None], ...]] = {
    "os.makedirs": ((0, "name"),),
    "os.mkdir": ((0, "path"),),
    "os.remove": ((0, "path"),),
    "os.unlink": ((0, "path"),),
    "os.rmdir": ((0, "path"),),
    "os.removedirs": ((0, "name"),),
    "os.truncate": ((0, "path"),),
    "os.mkfifo": ((0, "path"),),
    "os.rename": ((0, "src"), (1, "dst")),
    "os.replace": ((0, "src"), (1, "dst")),
    "os.renames": ((0, "old"), (1, "new")),
    "os.symlink": ((1, "dst"),),
    "os.link": ((1, "dst"),),
    "shutil.copy": ((1, "dst"),),
    "shutil.copy2": ((1, "dst"),),
    "shutil.copyfile": ((1, "dst"),),
    "shutil.copytree": ((1, "dst"),),
    "shutil.move": ((0, "src"), (1, "dst")),
    "shutil.rmtree": ((0, "path"),),
    "shutil.make_archive": ((0, "base_name"),),
    # log files: handlers open their file for appending
    "logging.FileHandler": ((0, "filename"),),
    "logging.handlers.RotatingFileHandler": ((0, "filename"),),
    "logging.handlers.TimedRotatingFileHandler": ((0, "filename"),),
    "logging.handlers.WatchedFileHandler": ((0, "filename"),),
    "logging.basicConfig": ((-1, "filename"),),  # keyword only
}
_PATH_WRITERS = {
    "write_text",
    "write_bytes",
    "touch",
    "mkdir",
    "unlink",
    "rmdir",
    "rename",
    "replace",
    "symlink_to",
    "hardlink_to",
}
_PATH_METHODS = frozenset((*_PATH_WRITERS, "open"))
_PATH_PASSTHROUGH = {"resolve", "absolute", "expanduser"}
_OS_WRITE_FLAGS = {"os.O_WRONLY", "os.O_RDWR", "os.O_CREAT", "os.O_APPEND", "os.O_TRUNC"}
_CALLEE_LAST_NAMES = frozenset(
    name.rsplit(".", 1)[-1] for name in (*_OPEN_LIKE, "open", "zipfile.ZipFile", "os.open", *_PATH_FUNCTIONS)
)


def _is_write_mode(mode: ast.expr | None) -> bool:
    value = string_value(mode) if mode is not None else None
    return value is not None and any(c in value for c in "wax+")


def _first_argument(call: ast.Call) -> ast.expr | None:
    """The first argument in source order, positional or keyword (LibCST's `args[0].value`)."""
    candidates: list[ast.expr | ast.keyword] = [*call.args[:1], *call.keywords[:1]]
    if not candidates:
        return None
    first = min(candidates, key=lambda n: (n.lineno, n.col_offset))
    return first.value if isinstance(first, (ast.keyword, ast.Starred)) else first


def _join(left: tuple[str, bool], right: tuple[str, bool] | None) -> tuple[str, bool]:
    """os.path.join semantics on (prefix, whole) pairs."""
    if not left[1]:
        return left
    if right is None:
        return (left[0] + "/" if left[0] and not left[0].endswith("/") else left[0]), False
    if right[0].startswith("/"):
        return right
    if not left[0]:
        return right
    sep = "" if left[0].endswith("/") else "/"
    return left[0] + sep + right[0], right[1]


def _problem(prefix: str, whole: bool) -> str | None:
    """Why writing to a path with this literal start is wrong; None when fine or undecided."""
    if whole:
        if not prefix:
            return None
        path = posixpath.normpath(prefix)
        if path.startswith("/"):
            if path in ("/tmp", "/dev") or path.startswith(("/tmp/", "/dev/")):
                return None
            return _describe(path)
        return f"`{prefix}`, a relative path"
    if not prefix:
        return None
    if not prefix.startswith("/"):
        return f"`{prefix}...`, a relative path"
    rest = prefix.lstrip("/")
    for allowed in ("tmp/", "dev/"):
        if allowed.startswith(rest) or rest.startswith(allowed):
            return None
    return _describe(prefix + "...")


def _describe(path: str) -> str:
    if path.startswith(_BUNDLE.rstrip("/")):
        return "the module's own directory, inside the read-only Worker bundle"
    return f"`{path}`"


class FilesystemWrite(AstRule):
    code = "CFW306"
    name = "filesystem-write"
    severity = Severity.WARNING
    summary = "Writing files outside /tmp: the bundle is read-only and nothing written persists."
    triggers = (
        "open",
        "write_",
        "touch",
        "mkdir",
        "makedirs",
        "remove",
        "unlink",
        "rename",
        "replace",
        "shutil",
        "rmdir",
        "truncate",
        "symlink",
        "link",
        "FileHandler",
        "basicConfig",
    )

    def check(self) -> None:
        self.values = ValueTracker()
        names = self.names
        # LibCST's rule recorded bindings as its (source-order) walk passed them, so a name's
        # value is known from its binding on: replay bindings and calls in that order
        events: list[tuple[int, int, int, Any]] = []
        for node in names.nodes(ast.Assign, ast.AnnAssign, ast.NamedExpr):
            events.append((node.lineno, node.col_offset, 0, node))
        for node in names.nodes(ast.With, ast.AsyncWith):
            for item in node.items:
                events.append((item.context_expr.lineno, item.context_expr.col_offset, 0, item))
        # a call can only report when its callee's last name is a known one (or an import's
        # `as` name), or when it is a method that writes through a path object
        known = _CALLEE_LAST_NAMES | {
            alias.asname for node in names.nodes(ast.Import, ast.ImportFrom) for alias in node.names if alias.asname
        }
        for node in names.nodes(ast.Call):
            func = node.func
            last = (full_name(func) or "").rsplit(".", 1)[-1]
            if last in known or (isinstance(func, ast.Attribute) and func.attr in _PATH_METHODS):
                events.append((node.lineno, node.col_offset, 1, node))
        events.sort(key=lambda e: e[:3])
        for _, _, kind, node in events:
            if kind == 1:
                self._check_call(node)
            elif isinstance(node, ast.withitem):
                self.values.record_with_item(node)
            else:
                self.values.record_assign(node)

    # -- paths ---------------------------------------------------------------------------------
    def _path(self, node: ast.expr | None, depth: int = 0) -> tuple[str, bool] | None:
        """(literal start, whole?) of a path expression, or None when nothing is certain."""
        if node is None or depth > 8:
            return None
        found = literal_prefix(node)
        if found is not None:
            return found
        if isinstance(node, ast.Name):
            if node.id == "__file__":
                # the module's own path, unless the module rebinds the name
                bindings = self.names.bindings(node)
                return (_BUNDLE, False) if bindings is not None and not bindings else None
            bound = self.values.value_of(self.names, node)
            if bound is not None and not bound.via_with:
                return self._path(bound.value, depth + 1)
            return None
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Div):
            left = self._path(node.left, depth + 1)
            if left is None or not self._is_path_object(node.left, depth):
                return None
            return _join(left, self._path(node.right, depth + 1))
        if isinstance(node, ast.Attribute) and node.attr == "parent":
            base = self._path(node.value, depth + 1)
            if base is not None and base[0].startswith(_BUNDLE):
                return base  # still inside the bundle's tree
            return None
        if isinstance(node, ast.Call):
            if has_star_args(node):
                return None
            origin = self.names.callee(node.func)
            if origin in _PATH_CLASSES or origin == "os.path.join":
                if not node.args or node.keywords:
                    return None
                result = self._path(node.args[0], depth + 1)
                for arg in node.args[1:]:
                    if result is None:
                        return None
                    result = _join(result, self._path(arg, depth + 1))
                return result
            if origin in ("os.path.dirname", "os.path.abspath", "os.path.realpath") and (node.args or node.keywords):
                base = self._path(_first_argument(node), depth + 1)
                if base is not None and base[0].startswith(_BUNDLE):
                    return base
                return None
            func = node.func
            if (
                isinstance(func, ast.Attribute)
                and func.attr in _PATH_PASSTHROUGH
                and not node.args
                and not node.keywords
            ):
                if self._is_path_object(func.value, depth):
                    base = self._path(func.value, depth + 1)
                    if base is not None and base[0].startswith(_BUNDLE):
                        return base
        return None

    def _is_path_object(self, node: ast.expr, depth: int = 0) -> bool:
        """`node` is a pathlib path (built here, derived with `/`, `.parent`, or bound once)."""
        if depth > 8:
            return False
        if isinstance(node, ast.Call):
            origin = self.names.callee(node.func)
            if origin in _PATH_CLASSES:
                return True
            func = node.func
            return (
                isinstance(func, ast.Attribute)
                and func.attr in _PATH_PASSTHROUGH
                and self._is_path_object(func.value, depth + 1)
            )
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Div):
            return self._is_path_object(node.left, depth + 1)
        if isinstance(node, ast.Attribute) and node.attr == "parent":
            return self._is_path_object(node.value, depth + 1)
        if isinstance(node, ast.Name):
            bound = self.values.value_of(self.names, node)
            return bound is not None and not bound.via_with and self._is_path_object(bound.value, depth + 1)
        return False

    # -- calls ---------------------------------------------------------------------------------
    def _check_call(self, node: ast.Call) -> None:
        for what, target in self._writes(node):
            problem = _problem(*target) if target is not None else None
            if problem is not None:
                if in_main_guard(self.names, node):
                    return
                self.report(
                    node,
                    f"{what} writes to {problem}, outside `/tmp`: the Worker bundle is a read-only "
                    "mount, and nothing written elsewhere outlives the isolate. Write scratch files "
                    "under `/tmp` (`tempfile`); keep lasting data in KV, R2 or D1.",
                )
                return

    def _writes(self, node: ast.Call) -> Iterator[tuple[str, tuple[str, bool] | None]]:
        """(description, path) for each path the call writes to."""
        func = node.func
        origin = self.names.callee(func)
        if origin is None and self.names.is_builtin(func, "builtins.open"):
            origin = "open"
        if origin in _OPEN_LIKE or origin == "open":
            if _is_write_mode(positional_or_keyword(node, 1, "mode")):
                yield f"`{origin}(...)` in write mode", self._path(positional_or_keyword(node, 0, "file"))
            return
        if origin == "zipfile.ZipFile":
            if _is_write_mode(positional_or_keyword(node, 1, "mode")):
                yield "`zipfile.ZipFile(...)` in write mode", self._path(positional_or_keyword(node, 0, "file"))
            return
        if origin == "os.open":
            flags = positional_or_keyword(node, 1, "flags")
            if flags is not None and self._has_write_flag(flags):
                yield "`os.open(...)` with write flags", self._path(positional_or_keyword(node, 0, "path"))
            return
        if origin in _PATH_FUNCTIONS:
            if origin.startswith("logging.") and not self._logging_writes(node):
                return
            for index, keyword in _PATH_FUNCTIONS[origin]:
                yield f"`{origin}(...)`", self._path(positional_or_keyword(node, index, keyword))
            return
        if isinstance(func, ast.Attribute) and self._is_path_object(func.value):
            method = func.attr
            if method in _PATH_WRITERS or (method == "open" and _is_write_mode(positional_or_keyword(node, 0, "mode"))):
                yield f"`Path.{method}()`", self._path(func.value)

    @staticmethod
    def _logging_writes(node: ast.Call) -> bool:
        """A logging handler opened for reading makes no sense; anything but mode="r" writes."""
        mode = positional_or_keyword(node, 1, "mode") if node.args or node.keywords else None
        if mode is None:
            for keyword in node.keywords:
                if keyword.arg == "filemode":
                    mode = keyword.value
        value = string_value(mode) if mode is not None else None
        return value is None or any(c in value for c in "wax+")

    def _has_write_flag(self, flags: ast.expr) -> bool:
        for current in ast.walk(flags):
            if isinstance(current, (ast.Attribute, ast.Name)) and self.names.qualified_name(current) in _OS_WRITE_FLAGS:
                return True
        return False
