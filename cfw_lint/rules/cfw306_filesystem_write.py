"""CFW306: writing files outside /tmp. Facts §8.

Reported only when the path is certain: a literal, an f-string or concatenation whose literal
start already decides it, `Path(...)`/`os.path.join(...)`/`/` joins of those, a name bound once
to one, or a path derived from `__file__` (the module lives in the read-only bundle). A path the
linter cannot evaluate is not reported; `/tmp` and `/dev` (e.g. `/dev/null`) are fine.
"""

from __future__ import annotations

import posixpath

import libcst as cst
from libcst.metadata import ScopeProvider

from cfw_lint.analysis.capabilities import (
    TracksBindings,
    MainGuardMixin,
    callee,
    has_star_args,
    literal_prefix,
    positional_or_keyword,
    string_value,
)
from cfw_lint.analysis.names import NAME_METADATA, is_builtin, qualified_name
from cfw_lint.diagnostics import Severity
from cfw_lint.rule import PythonRule

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
_PATH_PASSTHROUGH = {"resolve", "absolute", "expanduser"}
_OS_WRITE_FLAGS = {"os.O_WRONLY", "os.O_RDWR", "os.O_CREAT", "os.O_APPEND", "os.O_TRUNC"}


def _is_write_mode(mode: cst.BaseExpression | None) -> bool:
    value = string_value(mode) if mode is not None else None
    return value is not None and any(c in value for c in "wax+")


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


class FilesystemWrite(MainGuardMixin, TracksBindings, PythonRule):
    code = "CFW306"
    name = "filesystem-write"
    severity = Severity.WARNING
    summary = "Writing files outside /tmp: the bundle is read-only and nothing written persists."
    METADATA_DEPENDENCIES = NAME_METADATA
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

    # -- paths ---------------------------------------------------------------------------------
    def _path(self, node: cst.BaseExpression | None, depth: int = 0) -> tuple[str, bool] | None:
        """(literal start, whole?) of a path expression, or None when nothing is certain."""
        if node is None or depth > 8:
            return None
        found = literal_prefix(node)
        if found is not None:
            return found
        if isinstance(node, cst.Name):
            if node.value == "__file__":
                # the module's own path, unless the module rebinds the name
                scope = self.get_metadata(ScopeProvider, node, None)
                return (_BUNDLE, False) if scope is not None and not list(scope["__file__"]) else None
            bound = self.values.value_of(self, node)
            if bound is not None and not bound.via_with:
                return self._path(bound.value, depth + 1)
            return None
        if isinstance(node, cst.BinaryOperation) and isinstance(node.operator, cst.Divide):
            left = self._path(node.left, depth + 1)
            if left is None or not self._is_path_object(node.left, depth):
                return None
            return _join(left, self._path(node.right, depth + 1))
        if isinstance(node, cst.Attribute) and node.attr.value == "parent":
            base = self._path(node.value, depth + 1)
            if base is not None and base[0].startswith(_BUNDLE):
                return base  # still inside the bundle's tree
            return None
        if isinstance(node, cst.Call):
            if has_star_args(node):
                return None
            origin = callee(self, node.func)
            if origin in _PATH_CLASSES or origin == "os.path.join":
                if not node.args or any(a.keyword is not None for a in node.args):
                    return None
                result = self._path(node.args[0].value, depth + 1)
                for arg in node.args[1:]:
                    if result is None:
                        return None
                    result = _join(result, self._path(arg.value, depth + 1))
                return result
            if origin in ("os.path.dirname", "os.path.abspath", "os.path.realpath") and node.args:
                base = self._path(node.args[0].value, depth + 1)
                if base is not None and base[0].startswith(_BUNDLE):
                    return base
                return None
            func = node.func
            if isinstance(func, cst.Attribute) and func.attr.value in _PATH_PASSTHROUGH and not node.args:
                if self._is_path_object(func.value, depth):
                    base = self._path(func.value, depth + 1)
                    if base is not None and base[0].startswith(_BUNDLE):
                        return base
        return None

    def _is_path_object(self, node: cst.BaseExpression, depth: int = 0) -> bool:
        """`node` is a pathlib path (built here, derived with `/`, `.parent`, or bound once)."""
        if depth > 8:
            return False
        if isinstance(node, cst.Call):
            origin = callee(self, node.func)
            if origin in _PATH_CLASSES:
                return True
            func = node.func
            return (
                isinstance(func, cst.Attribute)
                and func.attr.value in _PATH_PASSTHROUGH
                and self._is_path_object(func.value, depth + 1)
            )
        if isinstance(node, cst.BinaryOperation) and isinstance(node.operator, cst.Divide):
            return self._is_path_object(node.left, depth + 1)
        if isinstance(node, cst.Attribute) and node.attr.value == "parent":
            return self._is_path_object(node.value, depth + 1)
        if isinstance(node, cst.Name):
            bound = self.values.value_of(self, node)
            return bound is not None and not bound.via_with and self._is_path_object(bound.value, depth + 1)
        return False

    # -- calls ---------------------------------------------------------------------------------
    def visit_Call(self, node: cst.Call) -> None:
        if self.in_main_guard:
            return
        for what, target in self._writes(node):
            problem = _problem(*target) if target is not None else None
            if problem is not None:
                self.report(
                    node,
                    f"{what} writes to {problem}, outside `/tmp`: the Worker bundle is a read-only "
                    "mount, and nothing written elsewhere outlives the isolate. Write scratch files "
                    "under `/tmp` (`tempfile`); keep lasting data in KV, R2 or D1.",
                )
                return

    def _writes(self, node: cst.Call):  # type: ignore[no-untyped-def]
        """(description, path) for each path the call writes to."""
        func = node.func
        origin = callee(self, func)
        if origin is None and is_builtin(self, func, "builtins.open"):
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
        if isinstance(func, cst.Attribute) and self._is_path_object(func.value):
            method = func.attr.value
            if method in _PATH_WRITERS or (method == "open" and _is_write_mode(positional_or_keyword(node, 0, "mode"))):
                yield f"`Path.{method}()`", self._path(func.value)

    @staticmethod
    def _logging_writes(node: cst.Call) -> bool:
        """A logging handler opened for reading makes no sense; anything but mode="r" writes."""
        mode = positional_or_keyword(node, 1, "mode") if node.args else None
        if mode is None:
            for arg in node.args:
                if arg.keyword is not None and arg.keyword.value == "filemode":
                    mode = arg.value
        value = string_value(mode) if mode is not None else None
        return value is None or any(c in value for c in "wax+")

    def _has_write_flag(self, flags: cst.BaseExpression) -> bool:
        stack: list[cst.CSTNode] = [flags]
        while stack:
            current = stack.pop()
            if isinstance(current, (cst.Attribute, cst.Name)) and qualified_name(self, current) in _OS_WRITE_FLAGS:
                return True
            stack.extend(current.children)
        return False
