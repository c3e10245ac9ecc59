"""Helpers shared by the handler rules (CFW101, CFW103, CFW104, CFW105, CFW106).

Parameter shapes of handler methods, and scope-checked renames of a function's parameters
(`env` -> `self.env`, `req` -> `request`) that refuse whenever the result could mean something
else than the original.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Iterable, cast

import libcst as cst
from libcst.metadata import Assignment, ClassScope, FunctionScope, Scope, ScopeProvider

# Calls that read a function's locals by name: renaming a parameter would change what they see.
_INTROSPECTION = frozenset({"locals", "vars", "eval", "exec"})


def positional_params(params: cst.Parameters) -> list[cst.Param]:
    return [*params.posonly_params, *params.params]


def accepts_positional(params: cst.Parameters, count: int) -> bool:
    """Whether the signature can be called with `count` positional arguments (after self)."""
    positional = positional_params(params)
    if len(positional) < 1 + count and not isinstance(params.star_arg, cst.Param):
        return False
    required = [p for p in positional if p.default is None]
    required_kwonly = [p for p in params.kwonly_params if p.default is None]
    return len(required) <= 1 + count and not required_kwonly


def first_param_name(func: cst.FunctionDef) -> str | None:
    positional = positional_params(func.params)
    return positional[0].name.value if positional else None


def is_plain_method(func: cst.FunctionDef) -> bool:
    """A method called on an instance: no @staticmethod/@classmethod/@property."""
    for decorator in func.decorators:
        target = decorator.decorator
        if isinstance(target, cst.Name) and target.value in ("staticmethod", "classmethod", "property"):
            return False
    return True


class _NameCollector(cst.CSTVisitor):
    def __init__(self) -> None:
        self.names: list[cst.Name] = []
        self.declared: set[str] = set()  # names in `global`/`nonlocal` statements

    def visit_Name(self, node: cst.Name) -> None:
        self.names.append(node)

    def visit_Global(self, node: cst.Global) -> None:
        self.declared.update(item.name.value for item in node.names)

    def visit_Nonlocal(self, node: cst.Nonlocal) -> None:
        self.declared.update(item.name.value for item in node.names)


@dataclass
class Rename:
    """Replace every read of one parameter by an expression rooted at `root`."""

    param: str
    make: Callable[[], cst.BaseExpression]
    root: str  # the name the replacement reads ("self" for self.env, "request" for request)


def plan_renames(
    rule: cst.MetadataDependent,
    func: cst.FunctionDef,
    renames: Iterable[Rename],
    *,
    new_names: Iterable[str] = (),
    rewritten_params: Iterable[str] = (),
) -> dict[cst.Name, cst.BaseExpression] | None:
    """Name nodes of `func` to replace, or None when the renames cannot be made safely.

    `new_names` are names the rewritten function binds that it did not bind before (a new `self`
    or `request` parameter); every existing read of such a name must then stay bound where it
    was. `rewritten_params` are the original parameters all of whose reads are replaced.
    Refused: a renamed parameter that is reassigned, deleted or declared global/nonlocal; a
    replacement whose root is rebound between the read and the function (a nested `def m(self)`);
    `locals()`/`vars()`/`eval`/`exec` in the function; reads that are not plain names.
    """
    func_scope = rule.get_metadata(ScopeProvider, func.body, None)
    if not isinstance(func_scope, FunctionScope):
        return None
    collector = _NameCollector()
    func.body.visit(collector)
    renames = list(renames)
    touched = {r.param for r in renames} | set(new_names) | {r.root for r in renames}
    if collector.declared & touched:
        return None
    if any(n.value in _INTROSPECTION for n in collector.names):
        return None
    scopes: set[Scope] = {func_scope}
    for name in collector.names:
        scope = rule.get_metadata(ScopeProvider, name, None)
        if scope is not None:
            scopes.add(scope)
    rewritten = set(rewritten_params) | {r.param for r in renames}

    # names the new signature introduces must not capture reads that meant something else
    for new in new_names:
        for scope in scopes:
            if scope is func_scope and any(
                not (isinstance(a, Assignment) and isinstance(a.node, cst.Param) and a.name in rewritten)
                for a in scope.assignments[new]
            ):
                return None
            for access in scope.accesses[new]:
                for referent in access.referents:
                    if referent.scope is func_scope and referent.name in rewritten:
                        continue  # a read of an old parameter: replaced
                    if referent.scope is not func_scope and _inside(referent.scope, func_scope):
                        continue  # bound by a nested scope: unaffected
                    return None
                if not access.referents:
                    return None

    out: dict[cst.Name, cst.BaseExpression] = {}
    for rename in renames:
        assignments = list(func_scope.assignments[rename.param])
        if (
            len(assignments) != 1
            or not isinstance(assignments[0], Assignment)
            or not isinstance(assignments[0].node, cst.Param)
        ):
            return None  # reassigned (or deleted): not a mechanical rename
        for access in assignments[0].references:
            node = access.node
            if not isinstance(node, cst.Name):
                return None  # e.g. a name inside a string annotation
            if len(access.referents) != 1:
                return None  # also bound elsewhere on some path
            scope = access.scope
            while scope is not None and scope is not func_scope:
                # a class body's names are invisible to the methods inside it
                hidden = isinstance(scope, ClassScope) and scope is not access.scope
                if scope.assignments[rename.root] and not hidden:
                    return None  # `self`/`request` means something else in there
                scope = scope.parent
            if scope is None:
                return None
            out[node] = rename.make()
    return out


def _inside(scope: Scope, ancestor: Scope) -> bool:
    while scope is not None:
        if scope is ancestor:
            return True
        parent = scope.parent
        if parent is scope:
            return False
        scope = parent
    return False


class _Replace(cst.CSTTransformer):
    def __init__(self, replacements: dict[cst.Name, cst.BaseExpression]) -> None:
        self.replacements = replacements

    def leave_Name(self, original_node: cst.Name, updated_node: cst.Name) -> cst.BaseExpression:
        new = self.replacements.get(original_node)
        if new is None:
            return updated_node
        # keep parentheses written around the name
        if isinstance(new, (cst.Name, cst.Attribute)) and (original_node.lpar or original_node.rpar):
            new = new.with_changes(lpar=original_node.lpar, rpar=original_node.rpar)
        return new


def apply_renames(node: cst.CSTNode, replacements: dict[cst.Name, cst.BaseExpression]) -> cst.CSTNode:
    """`node` with the planned Name nodes replaced (identity-based: `node` must be the original)."""
    if not replacements:
        return node
    # _Replace only swaps Name nodes for expressions: never removes or flattens the root
    return cast(cst.CSTNode, node.visit(_Replace(replacements)))


def attribute(base: str, attr: str) -> Callable[[], cst.BaseExpression]:
    return lambda: cst.Attribute(value=cst.Name(base), attr=cst.Name(attr))


def name(value: str) -> Callable[[], cst.BaseExpression]:
    return lambda: cst.Name(value)


def make_param(value: str, like: cst.Param | None = None) -> cst.Param:
    """A plain positional parameter; with `like`, keeps its annotation (and nothing else)."""
    if like is not None and like.name.value == value and like.default is None and not like.star:
        return like.with_changes(comma=cst.MaybeSentinel.DEFAULT)
    annotation = like.annotation if like is not None else None
    return cst.Param(name=cst.Name(value), annotation=annotation)


def append_params(params: cst.Parameters, new: list[cst.Param]) -> cst.Parameters:
    """`params` with `new` appended to the positional parameters, in the list's own style.

    A trailing-comma list (one parameter per line) stays one: the previous last parameter gets
    the separator the others use, and the new last one the trailing comma.
    """
    existing = list(params.params)
    if not existing:
        return params.with_changes(params=new)
    everything = [*params.posonly_params, *existing]
    last = existing[-1]
    trailing = last.comma
    has_more_after = (
        bool(params.kwonly_params)
        or params.star_arg is not cst.MaybeSentinel.DEFAULT
        or (params.star_kwarg is not None)
    )
    if isinstance(trailing, cst.Comma) and not has_more_after:
        between = next(
            (p.comma for p in everything[:-1] if isinstance(p.comma, cst.Comma)),
            cst.Comma(whitespace_after=cst.SimpleWhitespace(" ")),
        )
        last_comma, new_trailing = between, trailing
        gap, end = between.whitespace_after, trailing.whitespace_after
        if isinstance(gap, cst.ParenthesizedWhitespace) and isinstance(end, cst.ParenthesizedWhitespace):
            # keep a comment after the old last parameter where it is
            last_comma = trailing.with_changes(whitespace_after=end.with_changes(last_line=gap.last_line))
            new_trailing = trailing.with_changes(whitespace_after=end.with_changes(first_line=gap.first_line))
        out = [*existing[:-1], last.with_changes(comma=last_comma)]
        for i, param in enumerate(new):
            out.append(param.with_changes(comma=between if i < len(new) - 1 else new_trailing))
        return params.with_changes(params=out)
    return params.with_changes(params=[*existing, *new])


def free_name(candidates: Iterable[str], taken: set[str]) -> str:
    for candidate in candidates:
        if candidate not in taken:
            return candidate
    base = next(iter(candidates))
    i = 2
    while f"{base}{i}" in taken:
        i += 1
    return f"{base}{i}"
