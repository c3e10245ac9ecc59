"""Name resolution on the stdlib `ast` tree, with the semantics of LibCST's ScopeProvider.

The `ast`-tier rules (cfw_lint/astrule.py) ask the questions names.py answers on LibCST
(`qualified_names`, `is_builtin`, `runs_at_import_time`, ...) and must get the same answers, so
a ported rule finds exactly what it found before. This module therefore reproduces LibCST's
scope model, quirks included, rather than Python's:

* scopes: global, function (and lambda), class, comprehension, annotation (PEP 695); a class
  scope is invisible from nested scopes; `global`/`nonlocal` redirect bindings;
* bindings are numbered in LibCST's traversal order (decorators after the body, a `for` target
  before its iterable, ...); a bare-name access sees the bindings of its own scope made before
  it, else those of the parent scope;
* a walrus binds in the scope it appears in (comprehensions included), `del x` is an access,
  `except E as e` binds, match-pattern captures do not bind;
* `import a.b` binds `a.b` and `a`; an access `a.b.c` is resolved through the longest dotted
  name bound; qualified names of an attribute chain use all bindings of its prefix, unordered.

tests/test_astnames.py checks every Name/Attribute/callee of the corpus against LibCST.
"""

from __future__ import annotations

import ast
import builtins
from typing import Any, Callable, Iterable, Iterator

from cfw_lint.summary import full_name

__all__ = ["AstNames", "dotted_name", "full_name"]

_GLOBAL, _FUNCTION, _CLASS, _COMPREHENSION, _ANNOTATION, _BUILTIN = range(6)
_LOCAL, _IMPORT, _BUILTIN_SOURCE = "local", "import", "builtin"

_FUNCTIONS = (ast.FunctionDef, ast.AsyncFunctionDef)
_COMPREHENSIONS = (ast.ListComp, ast.SetComp, ast.GeneratorExp, ast.DictComp)


def dotted_name(node: ast.AST) -> str | None:
    """`a.b.c` for a Name/Attribute chain, else None (no resolution)."""
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        base = dotted_name(node.value)
        return f"{base}.{node.attr}" if base else None
    return None


class _Binding:
    __slots__ = ("name", "scope", "node", "index", "source", "alias")

    def __init__(self, name: str, scope: _Scope, node: ast.AST | None, index: int, source: str) -> None:
        self.name = name
        self.scope = scope
        self.node = node  # Name/arg/def/import/handler node; None for a builtin
        self.index = index
        self.source = source

    def qualified(self, full: str) -> set[tuple[str, str]]:
        if self.source == _BUILTIN_SOURCE:
            return {(f"builtins.{self.name}", _BUILTIN_SOURCE)}
        if self.source == _LOCAL:
            prefix = self.scope.prefix
            return {(f"{prefix}.{full}" if prefix else full, _LOCAL)}
        return _import_qualified(self.node, full)  # type: ignore[arg-type]


def _import_qualified(node: ast.Import | ast.ImportFrom, full: str) -> set[tuple[str, str]]:
    """ImportAssignment.get_qualified_names_for (every alias of the statement is tried)."""
    module = ""
    if isinstance(node, ast.ImportFrom):
        module = node.module or ""
        if node.level:
            module = "." * node.level + module
    results = set()
    for alias in node.names:
        if alias.name == "*":
            continue
        parts = alias.name.split(".")
        for i in range(len(parts), 0, -1):
            real = ".".join(parts[:i])
            as_name = real
            if module and module.endswith("."):
                real = f"{module}{real}"
            elif module:
                real = f"{module}.{real}"
            if alias.asname:
                as_name = alias.asname
            if full.startswith(as_name):
                remaining = full.split(as_name, 1)[1]
                if remaining and not remaining.startswith("."):
                    continue
                remaining = remaining.lstrip(".")
                results.add((f"{real}.{remaining}" if remaining else real, _IMPORT))
                break
    return results


class _Scope:
    __slots__ = ("kind", "parent", "node", "assignments", "count", "overwrites", "globals", "prefix")

    def __init__(self, kind: int, parent: _Scope | None, node: ast.AST | None, name: str | None = None) -> None:
        self.kind = kind
        self.parent: _Scope = parent if parent is not None else self
        self.node = node
        self.assignments: dict[str, list[_Binding]] = {}
        self.count = 0
        self.overwrites: dict[str, _Scope] = {}
        self.globals: _Scope = self if kind == _GLOBAL else (parent.globals if parent is not None else self)
        if kind in (_GLOBAL, _BUILTIN) or parent is None:
            self.prefix = ""
        elif kind == _CLASS:
            self.prefix = ".".join(p for p in (parent.prefix, name) if p)
        elif kind == _COMPREHENSION:
            self.prefix = ".".join(p for p in (parent.prefix, "<comprehension>") if p)
        elif kind == _ANNOTATION:
            self.prefix = parent.prefix
        else:
            self.prefix = ".".join(p for p in (parent.prefix, name, "<locals>") if p)

    # -- LibCST's Scope methods, one for one -------------------------------------------------

    def visible_from_children(self, from_scope: _Scope) -> bool:
        if self.kind == _CLASS:
            return from_scope.parent is self and from_scope.kind == _ANNOTATION
        return True

    def next_visible_parent(self, from_scope: _Scope, first: _Scope | None = None) -> _Scope:
        parent = first if first is not None else self.parent
        while not parent.visible_from_children(from_scope):
            parent = parent.parent
        return parent

    def assignment_target(self, name: str) -> _Scope:
        if self.kind == _BUILTIN or self.kind == _GLOBAL:
            return self
        scope = self.overwrites.get(name)
        if scope is not None:
            return self.next_visible_parent(self, scope).assignment_target(name)
        return self

    def contains(self, name: str) -> bool:
        if self.kind == _BUILTIN:
            return hasattr(builtins, name)
        if self.kind != _GLOBAL and name in self.overwrites:
            return self.overwrites[name].contains(name)
        if name in self.assignments:
            return len(self.assignments[name]) > 0
        return self.next_visible_parent(self).contains(name)

    def resolve(self, name: str, from_scope: _Scope) -> list[_Binding]:
        if self.kind == _BUILTIN:
            found = self.assignments.get(name)
            if found is not None:
                return found
            if hasattr(builtins, name):
                found = self.assignments[name] = [_Binding(name, self, None, -1, _BUILTIN_SOURCE)]
                return found
            return []
        if self.kind == _GLOBAL:
            if name in self.assignments:
                return self.assignments[name]
            return self.next_visible_parent(from_scope).resolve(name, from_scope)
        scope = self.overwrites.get(name)
        if scope is not None:
            return self.next_visible_parent(from_scope, scope).resolve(name, from_scope)
        if name in self.assignments:
            return self.assignments[name]
        return self.next_visible_parent(from_scope).resolve(name, from_scope)

    def record(self, name: str, node: ast.AST, source: str = _LOCAL) -> None:
        target = self.assignment_target(name)
        target.assignments.setdefault(name, []).append(_Binding(name, target, node, target.count, source))


class _Access:
    __slots__ = ("node", "scope", "index", "enclosing", "resolved")

    def __init__(self, node: ast.Name, scope: _Scope, index: int, enclosing: ast.Attribute | None) -> None:
        self.node = node
        self.scope = scope
        self.index = index
        self.enclosing = enclosing
        # (node the access is attached to, its name), computed on first use
        self.resolved: tuple[ast.AST, str] | None = None


def _gen_dotted_names(node: ast.AST) -> Iterator[tuple[str, ast.AST]]:
    """LibCST's `_gen_dotted_names`: `a.b.c` -> ("a.b.c", a.b.c), ("a.b", a.b), ("a", a)."""
    if isinstance(node, ast.Name):
        yield node.id, node
        return
    if not isinstance(node, ast.Attribute):
        return
    value = node.value
    if isinstance(value, ast.Call):
        value = value.func
        if isinstance(value, (ast.Attribute, ast.Name)):
            names = _gen_dotted_names(value)
            first = next(names, None)
            if first is None:
                return
            yield first
            yield from names
    elif isinstance(value, (ast.Attribute, ast.Name)):
        names = _gen_dotted_names(value)
        first = next(names, None)
        if first is None:
            return
        yield f"{first[0]}.{node.attr}", node
        yield first
        yield from names


def params_with_defaults(node: ast.arguments) -> list[tuple[ast.arg, ast.expr | None]]:
    """Every parameter with its default (None if it has none), in signature order."""
    positional = [*node.posonlyargs, *node.args]
    defaults: list[ast.expr | None] = [None] * (len(positional) - len(node.defaults)) + list(node.defaults)
    params: list[tuple[ast.arg, ast.expr | None]] = list(zip(positional, defaults))
    if node.vararg is not None:
        params.append((node.vararg, None))
    params.extend(zip(node.kwonlyargs, node.kw_defaults))
    if node.kwarg is not None:
        params.append((node.kwarg, None))
    return params


class AstNames:
    """Scopes, bindings and parents of one module, built in one walk."""

    def __init__(self, tree: ast.Module) -> None:
        self.tree = tree
        self._parents: dict[int, ast.AST] = {}
        self._scopes: dict[int, _Scope] = {}
        self._accesses: dict[int, _Access] = {}  # by id of the accessed Name
        self._dotted_bindings = False  # some binding name contains a dot (`import a.b`)
        self._builtins = _Scope(_BUILTIN, None, None)
        self._global = _Scope(_GLOBAL, self._builtins, tree)
        self._global.globals = self._global
        self._builtins.globals = self._global
        self._scope = self._global
        self._attr_stack: list[ast.Attribute | None] = [None]
        self._qualified_cache: dict[int, set[tuple[str, str]]] = {}
        self._by_type: dict[type, list[ast.AST]] = {}
        self._typing_imported = False  # typing.TypeVar/NewType calls are visited differently
        self._scopes[id(tree)] = self._global
        for statement in tree.body:
            self._parents[id(statement)] = tree
            self._visit(statement)

    # -- public API (names.py / capabilities.py twins) ---------------------------------------

    def parent(self, node: ast.AST) -> ast.AST | None:
        return self._parents.get(id(node))

    def nodes(self, *types: type) -> list[Any]:
        """Every statement/expression node of these exact types (not subclasses), in walk order
        (not source order): rules look up their candidates here instead of walking the tree."""
        if len(types) == 1:
            return self._by_type.get(types[0], [])
        return [node for kind in types for node in self._by_type.get(kind, [])]

    def qualified_names(self, node: ast.AST) -> set[str]:
        """Dotted names `node` refers to through imports; empty when any binding is local."""
        if dotted_name(node) is None:
            return set()
        names = self._qualified(node)
        if not names or any(source == _LOCAL for _, source in names):
            return set()
        return {name for name, source in names if source == _IMPORT}

    def qualified_name(self, node: ast.AST) -> str | None:
        names = self.qualified_names(node)
        if len(names) == 1:
            return next(iter(names))
        return None

    def matches(self, node: ast.AST, targets: Iterable[str]) -> str | None:
        names = self.qualified_names(node)
        for target in targets:
            if target in names:
                return target
        return None

    def callee(self, func: ast.AST) -> str | None:
        """The import-derived dotted name of a callee that is a plain `a.b.c` chain."""
        if dotted_name(func) is None:
            return None
        return self.qualified_name(func)

    def is_builtin(self, node: ast.AST, name: str) -> bool:
        return any(
            qname in (name, f"builtins.{name}") and source == _BUILTIN_SOURCE for qname, source in self._qualified(node)
        )

    def runs_at_import_time(self, node: ast.AST) -> bool:
        scope: _Scope | None = self._scopes.get(id(node))
        while scope is not None:
            if scope.kind == _GLOBAL:
                return True
            if scope.kind in (_CLASS, _COMPREHENSION):
                scope = scope.parent
                continue
            return False
        return False

    def enclosing_functions(self, node: ast.AST) -> list[ast.AST]:
        """The function (and lambda) nodes around `node`, innermost first."""
        out: list[ast.AST] = []
        scope = self._scopes.get(id(node))
        while scope is not None and scope.kind != _GLOBAL and scope.kind != _BUILTIN:
            if scope.kind == _FUNCTION and scope.node is not None:
                out.append(scope.node)
            scope = scope.parent
        return out

    def bindings(self, name: ast.Name) -> list[ast.AST] | None:
        """The nodes binding `name` as seen from its scope (LibCST's `scope[name]`, unordered).

        A Name/arg/def/Import/ExceptHandler node each; a builtin gives an empty list.
        """
        scope = self._scopes.get(id(name))
        if scope is None:
            return None
        return [b.node for b in scope.resolve(name.id, scope) if b.node is not None]

    # -- qualified names -----------------------------------------------------------------------

    def _qualified(self, node: ast.AST) -> set[tuple[str, str]]:
        found = self._qualified_cache.get(id(node))
        if found is None:
            found = self._qualified_cache[id(node)] = self._compute_qualified(node)
        return found

    def _compute_qualified(self, node: ast.AST) -> set[tuple[str, str]]:
        scope = self._scopes.get(id(node))
        if scope is None:
            return set()
        accesses = self._accesses_at(node)
        if accesses:
            out: set[tuple[str, str]] = set()
            for access in accesses:
                for binding in self._referents(access):
                    out |= binding.qualified(binding.name)
            return out
        full = full_name(node)
        if full is None:
            return set()
        assignments: list[_Binding] = []
        prefix: str | None = full
        while prefix:
            if scope.contains(prefix):
                assignments = scope.resolve(prefix, scope)
                break
            idx = prefix.rfind(".")
            prefix = None if idx == -1 else prefix[:idx]
        for binding in assignments:
            if binding.node is node:
                return binding.qualified(full)
        results: set[tuple[str, str]] = set()
        for binding in assignments:
            results |= binding.qualified(full)
        return results

    def _accesses_at(self, node: ast.AST) -> list[_Access]:
        """The accesses LibCST attaches to `node`: a loaded Name, or the `a.b` of `import a.b`."""
        if isinstance(node, ast.Name):
            access = self._accesses.get(id(node))
            if access is None or (self._dotted_bindings and self._resolve_access(access)[0] is not node):
                return []
            return [access]
        if not self._dotted_bindings or not isinstance(node, ast.Attribute):
            return []
        root: ast.AST = node
        while isinstance(root, ast.Attribute):
            root = root.value
        access = self._accesses.get(id(root))
        if access is None or self._resolve_access(access)[0] is not node:
            return []
        return [access]

    def _resolve_access(self, access: _Access) -> tuple[ast.AST, str]:
        if access.resolved is None:
            access.resolved = (access.node, access.node.id)
            if access.enclosing is not None and self._dotted_bindings:
                for name, node in _gen_dotted_names(access.enclosing):
                    if access.scope.contains(name):
                        access.resolved = (node, name)
                        break
        return access.resolved

    def _referents(self, access: _Access) -> list[_Binding]:
        """Access.record_assignments: earlier bindings of the same scope, else the parent's."""
        _, name = self._resolve_access(access)
        scope = access.scope
        assignments = scope.resolve(name, scope)
        previous = [b for b in assignments if b.scope is not scope or b.index < access.index]
        if not previous and assignments and scope.parent is not scope:
            previous = scope.parent.resolve(name, scope)
        return previous

    # -- the walk (LibCST's visiting order, which decides binding indexes) --------------------

    def _child(self, parent: ast.AST, node: ast.AST | None) -> None:
        if node is not None:
            self._parents[id(node)] = parent
            self._visit(node)

    def _children(self, parent: ast.AST, nodes: Iterable[ast.AST | None]) -> None:
        for node in nodes:
            if node is not None:
                self._parents[id(node)] = parent
                self._visit(node)

    def _visit(self, node: ast.AST) -> None:
        self._scopes[id(node)] = self._scope
        same = self._by_type.get(type(node))
        if same is None:
            self._by_type[type(node)] = [node]
        else:
            same.append(node)
        method = _DISPATCH.get(type(node))
        if method is not None:
            method(self, node)
            return
        parents = self._parents
        fields = _FIELDS.get(type(node))
        if fields is None:
            fields = _FIELDS[type(node)] = tuple(f for f in node._fields if f not in _SKIPPED_FIELDS)
        for field in fields:
            value = getattr(node, field, None)
            if isinstance(value, ast.AST):
                parents[id(value)] = node
                self._visit(value)
            elif isinstance(value, list):
                for item in value:
                    if isinstance(item, ast.AST):
                        parents[id(item)] = node
                        self._visit(item)

    def _record(self, name: str, node: ast.AST, source: str = _LOCAL) -> None:
        if "." in name:
            self._dotted_bindings = True
        self._scope.record(name, node, source)

    def _visit_Name(self, node: ast.Name) -> None:
        if isinstance(node.ctx, ast.Store):
            self._record(node.id, node)
        else:
            self._accesses[id(node)] = _Access(node, self._scope, self._scope.count, self._attr_stack[-1])

    def _visit_Attribute(self, node: ast.Attribute) -> None:
        stack = self._attr_stack
        top = stack[-1] is None
        if top:
            stack[-1] = node
        self._child(node, node.value)
        if top:
            stack[-1] = None

    def _visit_Call(self, node: ast.Call) -> None:
        self._attr_stack.append(None)
        self._child(node, node.func)
        arguments: list[ast.AST] = [*node.args, *node.keywords]
        if node.args and node.keywords and _pos(node.keywords[0]) < _pos(node.args[-1]):
            arguments.sort(key=_pos)  # source order: `f(a=1, *rest)`
        if arguments and self._typing_imported and self._declares_type_variable(node):
            # LibCST does not visit the name argument of typing.TypeVar/NewType: nothing in it
            # gets a scope, so the LibCST helpers know nothing about it either
            first = arguments.pop(0)
            self._parents[id(first)] = node
            for outer in ast.walk(first):
                for inner in ast.iter_child_nodes(outer):
                    self._parents[id(inner)] = outer
        self._children(node, arguments)
        self._attr_stack.pop()

    def _declares_type_variable(self, node: ast.Call) -> bool:
        """LibCST's test, made while its walk is at `node`: only bindings seen so far count."""
        full = full_name(node)
        scope = self._scope
        prefix: str | None = full
        while prefix:
            if scope.contains(prefix):
                for binding in scope.resolve(prefix, scope):
                    if binding.source == _IMPORT:
                        for qname, _ in binding.qualified(full):  # type: ignore[arg-type]
                            if qname in ("typing.NewType", "typing.TypeVar"):
                                return True
                return False
            idx = prefix.rfind(".")
            prefix = None if idx == -1 else prefix[:idx]
        return False

    def _visit_keyword(self, node: ast.keyword) -> None:
        self._child(node, node.value)

    def _visit_Dict(self, node: ast.Dict) -> None:
        for key, value in zip(node.keys, node.values):
            self._child(node, key)
            self._child(node, value)

    def _visit_IfExp(self, node: ast.IfExp) -> None:
        self._children(node, (node.body, node.test, node.orelse))

    def _visit_Import(self, node: ast.Import | ast.ImportFrom) -> None:
        for alias in node.names:
            self._parents[id(alias)] = node
            self._scopes[id(alias)] = self._scope
            if alias.name == "*":
                continue
            if alias.name.split(".")[0] == "typing" or getattr(node, "module", None) == "typing":
                self._typing_imported = True
            if alias.asname is not None:
                self._record(alias.asname, node, _IMPORT)
                continue
            parts = alias.name.split(".")
            for i in range(len(parts), 0, -1):
                self._record(".".join(parts[:i]), node, _IMPORT)
        self._scope.count += 1

    def _visit_Global(self, node: ast.Global | ast.Nonlocal) -> None:
        scope = self._scope
        if scope.kind != _GLOBAL:
            for name in node.names:
                scope.overwrites[name] = scope.globals if isinstance(node, ast.Global) else scope.parent
        scope.count += 1

    def _visit_assign(self, node: ast.AST) -> None:
        # Assign/AugAssign/AnnAssign/NamedExpr: targets first, then the value
        parents = self._parents
        for field in ("targets", "target", "annotation", "value"):
            value = getattr(node, field, None)
            if isinstance(value, ast.AST):
                parents[id(value)] = node
                self._visit(value)
            elif isinstance(value, list):
                self._children(node, value)
        self._scope.count += 1

    def _visit_For(self, node: ast.For | ast.AsyncFor) -> None:
        self._child(node, node.target)
        self._scope.count += 1
        self._child(node, node.iter)
        self._children(node, node.body)
        self._children(node, node.orelse)

    def _visit_withitem(self, node: ast.withitem) -> None:
        self._child(node, node.context_expr)
        if node.optional_vars is not None:
            self._child(node, node.optional_vars)
            self._scope.count += 1  # the `as` clause
        self._scope.count += 1

    def _visit_ExceptHandler(self, node: ast.ExceptHandler) -> None:
        self._child(node, node.type)
        if node.name is not None:
            self._record(node.name, node)
            self._scope.count += 1
        self._children(node, node.body)

    def _visit_arguments(self, node: ast.arguments, scope: _Scope) -> None:
        """Parameters: names bind in the function scope, defaults and annotations outside it."""
        params = params_with_defaults(node)
        self._scopes[id(node)] = scope
        for arg, default in params:
            self._parents[id(arg)] = node
            self._scopes[id(arg)] = scope
            scope.record(arg.arg, arg)
            self._scope = scope.parent
            self._child(node, default)
            self._child(arg, arg.annotation)
            self._scope = scope
        scope.count += 1

    def _type_params(self, node: ast.AST) -> _Scope | None:
        params = getattr(node, "type_params", None)
        if not params:
            return None
        self._scope = _Scope(_ANNOTATION, self._scope, node)
        self._children(node, params)
        return self._scope

    def _visit_type_param(self, node: ast.AST) -> None:
        self._scope.record(node.name, node)  # type: ignore[attr-defined]
        self._child(node, getattr(node, "bound", None))
        self._scope.count += 1

    def _visit_TypeAlias(self, node: ast.AST) -> None:
        outer = self._scope
        self._record(node.name.id, node)  # type: ignore[attr-defined]
        self._parents[id(node.name)] = node  # type: ignore[attr-defined]
        self._scopes[id(node.name)] = outer  # type: ignore[attr-defined]
        self._scope = _Scope(_ANNOTATION, outer, node)
        self._children(node, node.type_params)  # type: ignore[attr-defined]
        self._child(node, node.value)  # type: ignore[attr-defined]
        self._scope = outer
        outer.count += 1

    def _visit_FunctionDef(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> None:
        outer = self._scope
        outer.record(node.name, node)
        self._type_params(node)
        around = self._scope
        scope = self._scope = _Scope(_FUNCTION, around, node, node.name)
        self._visit_arguments(node.args, scope)
        self._parents[id(node.args)] = node
        self._children(node, node.body)
        self._scope = around
        self._children(node, node.decorator_list)
        self._child(node, node.returns)
        self._scope = outer
        outer.count += 1

    def _visit_Lambda(self, node: ast.Lambda) -> None:
        outer = self._scope
        scope = self._scope = _Scope(_FUNCTION, outer, node)
        self._parents[id(node.args)] = node
        self._visit_arguments(node.args, scope)
        self._child(node, node.body)
        self._scope = outer

    def _visit_ClassDef(self, node: ast.ClassDef) -> None:
        outer = self._scope
        outer.record(node.name, node)
        self._children(node, node.decorator_list)
        self._type_params(node)
        self._children(node, node.bases)
        self._children(node, node.keywords)
        around = self._scope
        self._scope = _Scope(_CLASS, around, node, node.name)
        self._children(node, node.body)
        self._scope = outer
        outer.count += 1

    def _visit_comprehension_alike(self, node: ast.ListComp | ast.SetComp | ast.GeneratorExp | ast.DictComp) -> None:
        outer = self._scope
        first, *rest = node.generators
        self._parents[id(first)] = node
        self._scopes[id(first)] = outer
        self._child(first, first.iter)
        scope = self._scope = _Scope(_COMPREHENSION, outer, node)
        self._child(first, first.target)
        scope.count += 1
        self._children(first, first.ifs)
        for generator in rest:
            self._parents[id(generator)] = node
            self._scopes[id(generator)] = scope
            self._child(generator, generator.target)
            self._child(generator, generator.iter)
            self._children(generator, generator.ifs)
        scope.count += len(rest)
        if isinstance(node, ast.DictComp):
            self._child(node, node.key)
            self._child(node, node.value)
        else:
            self._child(node, node.elt)
        self._scope = outer


# operators and load/store markers: no names, no scopes
_SKIPPED_FIELDS = frozenset(("ctx", "op", "ops", "type_comment", "kind"))
_FIELDS: dict[type, tuple[str, ...]] = {}


def _pos(node: ast.AST) -> tuple[int, int]:
    return (node.lineno, node.col_offset)  # type: ignore[attr-defined]


_DISPATCH: dict[type, Callable[[AstNames, Any], None]] = {
    ast.Name: AstNames._visit_Name,
    ast.Attribute: AstNames._visit_Attribute,
    ast.Call: AstNames._visit_Call,
    ast.keyword: AstNames._visit_keyword,
    ast.Dict: AstNames._visit_Dict,
    ast.IfExp: AstNames._visit_IfExp,
    ast.Import: AstNames._visit_Import,
    ast.ImportFrom: AstNames._visit_Import,
    ast.Global: AstNames._visit_Global,
    ast.Nonlocal: AstNames._visit_Global,
    ast.Assign: AstNames._visit_assign,
    ast.AugAssign: AstNames._visit_assign,
    ast.AnnAssign: AstNames._visit_assign,
    ast.NamedExpr: AstNames._visit_assign,
    ast.For: AstNames._visit_For,
    ast.AsyncFor: AstNames._visit_For,
    ast.withitem: AstNames._visit_withitem,
    ast.ExceptHandler: AstNames._visit_ExceptHandler,
    ast.FunctionDef: AstNames._visit_FunctionDef,
    ast.AsyncFunctionDef: AstNames._visit_FunctionDef,
    ast.Lambda: AstNames._visit_Lambda,
    ast.ClassDef: AstNames._visit_ClassDef,
    ast.ListComp: AstNames._visit_comprehension_alike,
    ast.SetComp: AstNames._visit_comprehension_alike,
    ast.GeneratorExp: AstNames._visit_comprehension_alike,
    ast.DictComp: AstNames._visit_comprehension_alike,
}
for _name in ("TypeVar", "ParamSpec", "TypeVarTuple"):
    if hasattr(ast, _name):
        _DISPATCH[getattr(ast, _name)] = AstNames._visit_type_param
if hasattr(ast, "TypeAlias"):
    _DISPATCH[ast.TypeAlias] = AstNames._visit_TypeAlias
