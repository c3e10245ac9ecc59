"""Helpers for the global-scope and runtime-capability rules (CFW202, CFW203, CFW301-CFW306).

* `ValueTracker`: what a plain name was bound to (`s = requests.Session()`, `with X() as s`),
  resolved the way Python does it through scope metadata, so `s.get(...)` can be traced back to
  its constructor when the name has exactly one binding.
* The HTTP-client tables shared by CFW202 (import-time I/O) and CFW301 (sync clients).
* `literal_prefix`: the text a path expression certainly starts with.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterator

import libcst as cst
from libcst.metadata import ScopeProvider

from cfw_lint.analysis.names import dotted_name, qualified_name

# -- HTTP clients ------------------------------------------------------------------------------

_HTTP_VERBS = ("get", "post", "put", "patch", "delete", "head", "options", "request")

# Module-level functions that send a request when called.
REQUEST_FUNCTIONS = frozenset(
    [f"requests.{v}" for v in _HTTP_VERBS]
    + [f"httpx.{v}" for v in (*_HTTP_VERBS, "stream")]
    + ["urllib3.request", "aiohttp.request"]
    + ["urllib.request.urlopen", "urllib.request.urlretrieve"]
    + ["pyodide.http.pyfetch", "pyodide.http.pyxhr.get", "pyodide.http.open_url"]
)

# Client objects, and the methods of each that send a request.
_SESSION_METHODS = frozenset((*_HTTP_VERBS, "send", "stream"))
CLIENT_CLASSES: dict[str, frozenset[str]] = {
    "requests.Session": _SESSION_METHODS,
    "requests.session": _SESSION_METHODS,
    "requests.sessions.Session": _SESSION_METHODS,
    "httpx.Client": _SESSION_METHODS,
    "httpx.AsyncClient": _SESSION_METHODS,
    "aiohttp.ClientSession": _SESSION_METHODS,
    "urllib3.PoolManager": frozenset(("request", "urlopen", "request_encode_url", "request_encode_body")),
    "urllib3.ProxyManager": frozenset(("request", "urlopen", "request_encode_url", "request_encode_body")),
    "urllib3.HTTPConnectionPool": frozenset(("request", "urlopen")),
    "urllib3.HTTPSConnectionPool": frozenset(("request", "urlopen")),
    "urllib3.connection_from_url": frozenset(("request", "urlopen")),
    "http.client.HTTPConnection": frozenset(("request", "connect", "getresponse", "send", "putrequest")),
    "http.client.HTTPSConnection": frozenset(("request", "connect", "getresponse", "send", "putrequest")),
    "urllib.request.build_opener": frozenset(("open",)),
    "urllib.request.OpenerDirector": frozenset(("open",)),
}

# CFW301: what cannot work on a runtime without stack switching (3.12) ...
SYNC_CLIENTS_NEED_JSPI = frozenset(
    [f"requests.{v}" for v in _HTTP_VERBS]
    + ["requests.Session", "requests.session", "requests.sessions.Session"]
    + [f"httpx.{v}" for v in (*_HTTP_VERBS, "stream")]
    + ["httpx.Client"]
    + [
        "urllib3.request",
        "urllib3.PoolManager",
        "urllib3.ProxyManager",
        "urllib3.HTTPConnectionPool",
        "urllib3.HTTPSConnectionPool",
        "urllib3.connection_from_url",
        "urllib3.proxy_from_url",
    ]
)
# ... and what needs raw sockets (the 3.14 runtime's sockets).
SOCKET_CLIENTS = frozenset(
    [
        "urllib.request.urlopen",
        "urllib.request.urlretrieve",
        "urllib.request.build_opener",
        "urllib.request.OpenerDirector",
        "http.client.HTTPConnection",
        "http.client.HTTPSConnection",
    ]
)


# -- name bindings -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Bound:
    value: cst.BaseExpression
    via_with: bool  # `with value as name`: the name is value.__enter__()


class ValueTracker:
    """Records what plain names are bound to; a rule feeds it from its visit methods."""

    def __init__(self) -> None:
        self._values: dict[int, Bound] = {}
        self._elements: dict[int, cst.BaseExpression] = {}  # `for name in <iterable>`
        self._keep: list[cst.CSTNode] = []  # keeps ids stable for the traversal's lifetime

    def record(self, target: cst.CSTNode, value: cst.BaseExpression, via_with: bool = False) -> None:
        if isinstance(target, cst.Name):
            self._values[id(target)] = Bound(value, via_with)
            self._keep.append(target)

    def record_assign(self, node: cst.Assign | cst.AnnAssign | cst.NamedExpr) -> None:
        if isinstance(node, cst.Assign):
            for target in node.targets:
                self.record(target.target, node.value)
        elif isinstance(node, cst.AnnAssign):
            if node.value is not None:
                self.record(node.target, node.value)
        else:
            self.record(node.target, node.value)

    def record_with_item(self, item: cst.WithItem) -> None:
        if item.asname is not None:
            self.record(item.asname.name, item.item, via_with=True)

    def record_for(self, node: cst.For) -> None:
        if isinstance(node.target, cst.Name):
            self._elements[id(node.target)] = node.iter
            self._keep.append(node.target)

    def _single_binding(self, rule: cst.MetadataDependent, name: cst.Name) -> int | None:
        scope = rule.get_metadata(ScopeProvider, name, None)
        if scope is None:
            return None
        try:
            assignments = list(scope[name.value])
        except Exception:  # noqa: BLE001 - scope lookups on odd names
            return None
        if len(assignments) != 1:
            return None
        return id(getattr(assignments[0], "node", None))

    def value_of(self, rule: cst.MetadataDependent, name: cst.Name) -> Bound | None:
        """What `name` (a use) refers to when it has exactly one, recorded, binding."""
        binding = self._single_binding(rule, name)
        return None if binding is None else self._values.get(binding)

    def iterated_by(self, rule: cst.MetadataDependent, name: cst.Name) -> cst.BaseExpression | None:
        """The iterable when `name`'s one binding is `for name in <iterable>`."""
        binding = self._single_binding(rule, name)
        return None if binding is None else self._elements.get(binding)

    def elements_of(self, rule: cst.MetadataDependent, iterable: cst.BaseExpression) -> list[cst.BaseExpression] | None:
        """What a literal list/tuple/set or a comprehension yields (through one name), else None."""
        if isinstance(iterable, cst.Name):
            bound = self.value_of(rule, iterable)
            if bound is None or bound.via_with:
                return None
            iterable = bound.value
        if isinstance(iterable, (cst.ListComp, cst.SetComp, cst.GeneratorExp)):
            return [iterable.elt]
        if isinstance(iterable, (cst.List, cst.Tuple, cst.Set)):
            if any(isinstance(e, cst.StarredElement) for e in iterable.elements):
                return None
            return [e.value for e in iterable.elements] or None
        return None


def callee(rule: cst.MetadataDependent, func: cst.BaseExpression) -> str | None:
    """The import-derived dotted name of a call's callee when it is a plain `a.b.c` chain.

    LibCST's qualified names step through calls (`js.eval(s)(x)`'s callee is named `js.eval`),
    so anything that is not a pure name chain is refused here.
    """
    if dotted_name(func) is None:
        return None
    return qualified_name(rule, func)


def constructor_of(
    rule: cst.MetadataDependent, tracker: ValueTracker, receiver: cst.BaseExpression
) -> tuple[str, bool] | None:
    """For `X(...)` or a name bound once to `X(...)`: (X's dotted name, bound through `with`)."""
    if isinstance(receiver, cst.Call):
        origin = callee(rule, receiver.func)
        return (origin, False) if origin else None
    if isinstance(receiver, cst.Name):
        bound = tracker.value_of(rule, receiver)
        if bound is not None and isinstance(bound.value, cst.Call):
            origin = callee(rule, bound.value.func)
            return (origin, bound.via_with) if origin else None
    return None


# -- literal values ------------------------------------------------------------------------------


def string_value(node: cst.BaseExpression | None, *, bytes_ok: bool = True) -> str | None:
    """The value of a plain string literal (implicit concatenation included), else None.

    A bytes literal gives its UTF-8 text unless `bytes_ok` is False."""
    if isinstance(node, cst.SimpleString):
        value = node.evaluated_value
        if isinstance(value, bytes):
            if not bytes_ok:
                return None
            try:
                return value.decode()
            except UnicodeDecodeError:
                return None
        return value
    if isinstance(node, cst.ConcatenatedString):
        left = string_value(node.left, bytes_ok=bytes_ok)
        right = string_value(node.right, bytes_ok=bytes_ok)
        if left is not None and right is not None:
            return left + right
    return None


def literal_prefix(node: cst.BaseExpression) -> tuple[str, bool] | None:
    """(text the value certainly starts with, whether that is the whole value), or None.

    Plain strings are whole; f-strings give their leading literal text; `a + b` gives a's
    prefix (whole only when b is whole too).
    """
    whole = string_value(node)
    if whole is not None:
        return whole, True
    if isinstance(node, cst.FormattedString):
        if "b" in node.prefix.lower():
            return None
        text = ""
        for part in node.parts:
            if isinstance(part, cst.FormattedStringText):
                text += part.value
            else:
                return text, False
        return text, True
    if isinstance(node, cst.ConcatenatedString):
        left = literal_prefix(node.left)  # type: ignore[arg-type]
        if left is None:
            return None
        if not left[1]:
            return left
        right = literal_prefix(node.right)  # type: ignore[arg-type]
        if right is None:
            return left[0], False
        return left[0] + right[0], right[1]
    if isinstance(node, cst.BinaryOperation) and isinstance(node.operator, cst.Add):
        left = literal_prefix(node.left)
        if left is None:
            return None
        if not left[1]:
            return left
        right = literal_prefix(node.right)
        if right is None:
            return left[0], False
        return left[0] + right[0], right[1]
    return None


def number_value(node: cst.BaseExpression) -> float | None:
    if isinstance(node, (cst.Integer, cst.Float)):
        return float(node.evaluated_value)
    if isinstance(node, cst.UnaryOperation) and isinstance(node.operator, cst.Minus):
        inner = number_value(node.expression)
        return -inner if inner is not None else None
    return None


def positional_or_keyword(call: cst.Call, index: int, keyword: str | None) -> cst.BaseExpression | None:
    """The argument passed at position `index` or as `keyword=`; None if absent or unknowable."""
    position = 0
    for arg in call.args:
        if arg.star:
            return None
        if arg.keyword is None:
            if position == index:
                return arg.value
            position += 1
        elif keyword is not None and arg.keyword.value == keyword:
            return arg.value
    return None


def has_star_args(call: cst.Call) -> bool:
    return any(arg.star for arg in call.args)


def attribute_chain(node: cst.BaseExpression) -> tuple[cst.BaseExpression, list[cst.Attribute]]:
    """`a.b.c` -> (a, [a.b, a.b.c]): the innermost non-attribute receiver, then each step."""
    steps: list[cst.Attribute] = []
    while isinstance(node, cst.Attribute):
        steps.append(node)
        node = node.value
    steps.reverse()
    return node, steps


def walk_calls(node: cst.CSTNode) -> Iterator[cst.Call]:
    """Calls inside `node`, not descending into nested functions, lambdas or classes."""
    stack: list[cst.CSTNode] = [node]
    while stack:
        current = stack.pop()
        if isinstance(current, cst.Call):
            yield current
        for child in current.children:
            if isinstance(child, (cst.FunctionDef, cst.Lambda, cst.ClassDef)):
                continue
            stack.append(child)


# -- code that never runs on Workers -------------------------------------------------------------


def is_main_guard(test: cst.BaseExpression) -> bool:
    """`__name__ == "__main__"` (either way round): the Worker's modules never run as __main__."""
    if not isinstance(test, cst.Comparison) or len(test.comparisons) != 1:
        return False
    target = test.comparisons[0]
    if not isinstance(target.operator, cst.Equal):
        return False
    sides = (test.left, target.comparator)
    names = [s for s in sides if isinstance(s, cst.Name) and s.value == "__name__"]
    strings = [s for s in sides if string_value(s) == "__main__"]
    return len(names) == 1 and len(strings) == 1


class MainGuardMixin:
    """Tracks whether the traversal is inside the body of `if __name__ == "__main__":`."""

    _main_guards: list[bool]

    def _guards(self) -> list[bool]:
        if not hasattr(self, "_main_guards"):
            self._main_guards = []
        return self._main_guards

    def visit_If_body(self, node: cst.If) -> None:
        self._guards().append(is_main_guard(node.test))

    def leave_If_body(self, node: cst.If) -> None:
        self._guards().pop()

    @property
    def in_main_guard(self) -> bool:
        return any(self._guards())


# -- the project's own modules -------------------------------------------------------------------


def project_module_exists(context: object, top: str) -> bool:
    """The project has its own module or package `top` next to the file or above it (up to the
    project root, and the root's `src/`): an absolute import of `top` finds it, not the stdlib
    or a dependency."""
    from pathlib import Path

    abspath: Path = context.abspath  # type: ignore[attr-defined]
    root: Path | None = getattr(context, "project_root", None)
    dirs = []
    current = abspath.parent
    while True:
        dirs.append(current)
        if root is None or current == root or current.parent == current:
            break
        if root not in current.parents:
            break
        current = current.parent
    if root is not None:
        dirs.append(root / "src")
    for folder in dirs:
        try:
            if (folder / f"{top}.py").is_file() or (folder / top / "__init__.py").is_file():
                return True
            package = folder / top
            if package.is_dir() and any(package.glob("*.py")):
                return True
        except OSError:
            continue
    return False


class TracksBindings:
    """Mixin for rules: records simple bindings in `self.values` as the traversal passes them."""

    def __init__(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.values = ValueTracker()

    def visit_Assign(self, node: cst.Assign) -> None:
        self.values.record_assign(node)

    def visit_AnnAssign(self, node: cst.AnnAssign) -> None:
        self.values.record_assign(node)

    def visit_NamedExpr(self, node: cst.NamedExpr) -> None:
        self.values.record_assign(node)

    def visit_WithItem(self, node: cst.WithItem) -> None:
        self.values.record_with_item(node)
