"""What the `ast` rules of the global-scope and capability families share (CFW201-CFW203,
CFW301, CFW302, CFW503): a traversal in LibCST's order, and the module's top level (functions,
entrypoint classes, handlers) as `model.ModuleModel` gives it on LibCST.

The traversal is iterative (a file nested thousands deep must not overflow the stack), visits
nodes in the order LibCST does (decorators before the function, its parameters and return
annotation before its body), and tracks `if __name__ == "__main__":` bodies (their `else` is not
guarded): the rules record bindings as they pass them, so the order decides what a later use
sees, exactly as it did when these rules ran on LibCST.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Callable, Iterator

from cfw_lint.analysis.astnames import dotted_name, params_with_defaults
from cfw_lint.analysis.astvalues import is_main_guard
from cfw_lint.analysis.model import ENTRYPOINT_BASES, LEGACY_HANDLERS

if TYPE_CHECKING:
    from cfw_lint.analysis.astnames import AstNames


_SCOPES = (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)

# markers on the traversal stack
_LEAVE = 0
_GUARD_ON = 1
_GUARD_OFF = 2


def _arguments(node: ast.arguments) -> list[ast.AST]:
    """Each parameter's annotation, then its default (LibCST's Param order)."""
    out: list[ast.AST] = []
    for arg, default in params_with_defaults(node):
        out.append(arg)
        if default is not None:
            out.append(default)
    return out


def _position(node: ast.AST) -> tuple[int, int]:
    return node.lineno, node.col_offset  # type: ignore[attr-defined]


def children(node: ast.AST) -> list[ast.AST]:
    """`node`'s children in LibCST's visiting order (source order where `ast` differs)."""
    kind = type(node)
    if kind is ast.FunctionDef or kind is ast.AsyncFunctionDef:
        out: list[ast.AST] = [*node.decorator_list, *getattr(node, "type_params", ()), node.args]  # type: ignore[attr-defined]
        if node.returns is not None:  # type: ignore[attr-defined]
            out.append(node.returns)  # type: ignore[attr-defined]
        out.extend(node.body)  # type: ignore[attr-defined]
        return out
    if kind is ast.ClassDef:
        return [
            *node.decorator_list,  # type: ignore[attr-defined]
            *getattr(node, "type_params", ()),
            *node.bases,  # type: ignore[attr-defined]
            *node.keywords,  # type: ignore[attr-defined]
            *node.body,  # type: ignore[attr-defined]
        ]
    if kind is ast.arguments:
        return _arguments(node)  # type: ignore[arg-type]
    if kind is ast.Call:
        arguments: list[ast.AST] = [*node.args, *node.keywords]  # type: ignore[attr-defined]
        if node.args and node.keywords and _position(node.keywords[0]) < _position(node.args[-1]):  # type: ignore[attr-defined]
            arguments.sort(key=_position)  # `f(a=1, *rest)`
        return [node.func, *arguments]  # type: ignore[attr-defined]
    if kind is ast.Dict:
        out = []
        for key, value in zip(node.keys, node.values):  # type: ignore[attr-defined]
            if key is not None:
                out.append(key)
            out.append(value)
        return out
    if kind is ast.IfExp:
        return [node.body, node.test, node.orelse]  # type: ignore[attr-defined]
    fields = _FIELDS.get(kind)
    if fields is None:
        fields = _FIELDS[kind] = tuple(f for f in kind._fields if f not in _NOT_CHILDREN)
    out = []
    for name in fields:
        value = getattr(node, name, None)
        if value is None:
            continue
        if type(value) is list:
            out.extend(item for item in value if isinstance(item, ast.AST))
        elif isinstance(value, ast.AST):
            out.append(value)
    return out


# Fields that never hold a node a visitor looks at: load/store contexts, operators, and plain
# values (names, identifiers, flags); `children` skips them without looking.
_NOT_CHILDREN = frozenset(
    ("ctx", "op", "ops", "id", "attr", "arg", "level", "conversion", "is_async", "kind", "type_comment")
)
_FIELDS: dict[type, tuple[str, ...]] = {ast.Name: (), ast.Constant: (), ast.alias: (), ast.Global: (), ast.Nonlocal: ()}


_Dispatch = tuple[dict[type, Callable[..., Any]], dict[type, Callable[..., Any]]]
_TABLES: dict[type, _Dispatch] = {}


def _dispatch(cls: type) -> _Dispatch:
    table = _TABLES.get(cls)
    if table is None:
        visits: dict[type, Callable[..., Any]] = {}
        leaves: dict[type, Callable[..., Any]] = {}
        for attr in dir(cls):
            prefix, _, type_name = attr.partition("_")
            if prefix not in ("visit", "leave") or not type_name:
                continue
            node_type = getattr(ast, type_name, None)
            if isinstance(node_type, type) and issubclass(node_type, ast.AST):
                (visits if prefix == "visit" else leaves)[node_type] = getattr(cls, attr)
        table = _TABLES[cls] = (visits, leaves)
    return table


class OrderedVisitor:
    """Calls `visit_<ast class>(node)` before a node's children (a False return skips them, a
    list return walks only those) and `leave_<ast class>(node)` after, in LibCST's order,
    without recursion.

    `in_main_guard` is true inside the blocks `guarded_blocks` names: by default the body (not
    the test, not the else) of an `if __name__ == "__main__":`, as `MainGuardMixin` does.
    """

    _main_guards = 0

    @property
    def in_main_guard(self) -> bool:
        return self._main_guards > 0

    def guarded_blocks(self, node: ast.If) -> tuple[bool, bool]:
        """Whether (the body, the else block) of `node` never run in a Worker."""
        return is_main_guard(node.test), False

    def walk(self, tree: ast.AST) -> None:
        visits, leaves = _dispatch(type(self))
        stack: list[Any] = [tree]
        pop = stack.pop
        push = stack.append
        extend = stack.extend
        while stack:
            node = pop()
            if type(node) is tuple:
                marker, target = node
                if marker == _LEAVE:
                    leaves[type(target)](self, target)
                elif marker == _GUARD_ON:
                    self._main_guards += 1
                else:
                    self._main_guards -= 1
                continue
            kind = type(node)
            visit = visits.get(kind)
            if visit is not None:
                result = visit(self, node)
                if result is False:
                    continue
                if type(result) is list:  # walk only these children (the rest never matters)
                    if kind in leaves:
                        push((_LEAVE, node))
                    extend(reversed(result))
                    continue
            if kind in leaves:
                push((_LEAVE, node))
            if kind is ast.If:
                body, orelse = self.guarded_blocks(node)
                if body or orelse:
                    if orelse:
                        push((_GUARD_OFF, None))
                    extend(reversed(node.orelse))
                    if orelse:
                        push((_GUARD_ON, None))
                    if body:
                        push((_GUARD_OFF, None))
                    extend(reversed(node.body))
                    if body:
                        push((_GUARD_ON, None))
                    push(node.test)
                    continue
            extend(reversed(children(node)))


def outside_bodies(node: ast.AST) -> list[ast.AST]:
    """What of a function or lambda runs where it is defined: decorators, annotations, defaults
    (for a rule that only looks at import-time code, the body never matters)."""
    if isinstance(node, ast.Lambda):
        return [node.args]
    out = children(node)
    return out[: len(out) - len(node.body)]  # type: ignore[attr-defined]


def is_self_attribute(node: ast.AST, attr: str | None = None) -> bool:
    """`self.<attr>` (any attribute when `attr` is None); names.is_self_attribute on `ast`."""
    return (
        isinstance(node, ast.Attribute)
        and isinstance(node.value, ast.Name)
        and node.value.id == "self"
        and (attr is None or node.attr == attr)
    )


def top_level_functions(tree: ast.Module) -> dict[str, ast.FunctionDef | ast.AsyncFunctionDef]:
    """`def`s directly in the module body by name, the last one winning (ModuleModel.functions)."""
    return {s.name: s for s in tree.body if isinstance(s, (ast.FunctionDef, ast.AsyncFunctionDef))}


def references(names: AstNames, definition: ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef) -> list[ast.AST]:
    """The uses of `definition`'s name that LibCST lists as references of that name's assignments
    in the scope defining it (`scope.assignments[name]`, each one's `.references`).

    Reads AstNames' accesses (its private state): which bindings an access reaches is exactly
    what AstNames computes for qualified names, and must not be computed a second way.
    """
    scope = names._scopes.get(id(definition))
    if scope is None:
        return []
    own = scope.assignments.get(definition.name)
    if not own:
        return []
    out = []
    for access in names._accesses.values():
        if access.node.id != definition.name:
            continue
        if any(binding in own for binding in names._referents(access)):
            out.append(names._resolve_access(access)[0])
    return out


def walk_calls(statements: list[ast.stmt]) -> Iterator[ast.Call]:
    """The calls in a function's body, in its order (last child first), not descending into
    nested functions, lambdas or classes."""
    stack: list[ast.AST] = list(statements)
    while stack:
        current = stack.pop()
        if isinstance(current, ast.Call):
            yield current
        for child in children(current):
            if not isinstance(child, _SCOPES):
                stack.append(child)


def first_argument(call: ast.Call) -> ast.expr | None:
    """The value of LibCST's `call.args[0]`: the first argument in source order, positional,
    keyword or starred."""
    first: ast.expr | ast.keyword | None = None
    candidates: list[ast.expr | ast.keyword] = [*call.args[:1], *call.keywords[:1]]
    for arg in candidates:
        if first is None or _position(arg) < _position(first):
            first = arg
    if isinstance(first, ast.keyword):
        return first.value
    if isinstance(first, ast.Starred):
        return first.value
    return first


def walk_statements(tree: ast.Module) -> Iterator[ast.stmt]:
    """Every statement of the module, nested ones included, without visiting expressions."""
    stack: list[Any] = list(reversed(tree.body))
    while stack:
        statement = stack.pop()
        yield statement
        for block in (
            getattr(statement, "finalbody", None),
            getattr(statement, "orelse", None),
            getattr(statement, "handlers", None),
            getattr(statement, "cases", None),
            getattr(statement, "body", None),
        ):
            if not block or not isinstance(block, list):
                continue  # a Lambda/IfExp body is an expression, never a statement list
            for item in reversed(block):
                if isinstance(item, (ast.ExceptHandler, ast.match_case)):
                    stack.extend(reversed(item.body))
                else:
                    stack.append(item)


_Function = ast.FunctionDef | ast.AsyncFunctionDef


@dataclass
class EntrypointClass:
    node: ast.ClassDef
    kind: str  # WorkerEntrypoint | DurableObject | WorkflowEntrypoint
    methods: dict[str, _Function] = field(default_factory=dict)


class TopLevel:
    """model.ModuleModel on the `ast` tree: top-level imports, functions, entrypoint classes."""

    def __init__(self, tree: ast.Module) -> None:
        self.aliases: dict[str, str] = {}  # local name -> dotted origin, top-level imports
        self.functions = top_level_functions(tree)
        self.entrypoints: dict[ast.ClassDef, EntrypointClass] = {}
        local_kinds: dict[str, str] = {}
        for statement in tree.body:
            if isinstance(statement, (ast.Import, ast.ImportFrom)):
                self._record_import(statement)
            elif isinstance(statement, ast.ClassDef):
                kind = self._entrypoint_kind(statement, local_kinds)
                if kind is not None:
                    local_kinds[statement.name] = kind
                    methods = {
                        f.name: f for f in statement.body if isinstance(f, (ast.FunctionDef, ast.AsyncFunctionDef))
                    }
                    self.entrypoints[statement] = EntrypointClass(statement, kind, methods)

    def _record_import(self, node: ast.Import | ast.ImportFrom) -> None:
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.asname is not None:
                    self.aliases[alias.asname] = alias.name
                else:
                    head = alias.name.split(".")[0]
                    self.aliases[head] = head
            return
        if node.level or node.module is None or any(a.name == "*" for a in node.names):
            return
        for alias in node.names:
            self.aliases[alias.asname or alias.name] = f"{node.module}.{alias.name}"

    def resolve(self, node: ast.AST) -> str | None:
        """Dotted origin of a Name/Attribute through the module's top-level imports."""
        name = dotted_name(node)
        if name is None:
            return None
        head, _, rest = name.partition(".")
        origin = self.aliases.get(head)
        if origin is None:
            return None
        return f"{origin}.{rest}" if rest else origin

    def _entrypoint_kind(self, node: ast.ClassDef, local_kinds: dict[str, str]) -> str | None:
        for base in node.bases:
            if isinstance(base, ast.Starred):
                base = base.value
            written = dotted_name(base)
            if written in local_kinds:
                return local_kinds[written]
            origin = self.resolve(base)
            if origin in ENTRYPOINT_BASES:
                return ENTRYPOINT_BASES[origin]
        return None

    def entrypoint_of_method(self, func: ast.AST) -> EntrypointClass | None:
        for entry in self.entrypoints.values():
            if any(m is func for m in entry.methods.values()):
                return entry
        return None

    def is_handler(self, func: ast.AST, *, maybe_main: bool = True) -> bool:
        """A method of an entrypoint class (RPC methods included), or a legacy handler."""
        if self.entrypoint_of_method(func) is not None:
            return True
        return maybe_main and self.is_legacy_handler(func)

    def is_legacy_handler(self, func: ast.AST) -> bool:
        return (
            isinstance(func, (ast.FunctionDef, ast.AsyncFunctionDef))
            and func.name in LEGACY_HANDLERS
            and self.functions.get(func.name) is func
        )
