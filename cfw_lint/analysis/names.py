"""Name resolution the way Python does it, on LibCST scope and qualified-name metadata.

Rules that match calls such as `random.seed` list `NAME_METADATA` in their
`METADATA_DEPENDENCIES` and call `qualified_name(self, node.func)`.
"""

from __future__ import annotations

from typing import Collection, Iterable

import libcst as cst
from libcst.metadata import (
    ClassScope,
    ComprehensionScope,
    FunctionScope,
    GlobalScope,
    QualifiedName,
    QualifiedNameSource,
    ScopeProvider,
)

# Qualified names are computed on demand from the scope of the nodes rules ask about (what
# QualifiedNameProvider computes eagerly for every node of the module, at about a third of the
# metadata cost).
NAME_METADATA = (ScopeProvider,)


def is_self_attribute(node: cst.CSTNode, attr: str | None = None) -> bool:
    """`self.<attr>` (any attribute when `attr` is None)."""
    return (
        isinstance(node, cst.Attribute)
        and isinstance(node.value, cst.Name)
        and node.value.value == "self"
        and (attr is None or node.attr.value == attr)
    )


def _qualified(rule: cst.MetadataDependent, node: cst.CSTNode) -> Collection[QualifiedName]:
    scope = rule.get_metadata(ScopeProvider, node, None)
    if scope is None:
        return set()
    return scope.get_qualified_names_for(node)


def qualified_names(rule: cst.MetadataDependent, node: cst.CSTNode) -> set[str]:
    """Dotted names `node` refers to through imports (`import random as r; r.seed` -> random.seed).

    Empty when any binding of the name is local (a variable called `random` is not the module).
    """
    if dotted_name(node) is None:
        # LibCST resolves through calls too (`js.eval(s)(x)`'s callee is "js.eval"); a call's
        # result is not the module attribute
        return set()
    names = _qualified(rule, node)
    if not names:
        return set()
    if any(q.source is QualifiedNameSource.LOCAL for q in names):
        return set()
    return {q.name for q in names if q.source is QualifiedNameSource.IMPORT}


def qualified_name(rule: cst.MetadataDependent, node: cst.CSTNode) -> str | None:
    """The single import-derived dotted name of `node`, or None when not certain."""
    names = qualified_names(rule, node)
    if len(names) == 1:
        return next(iter(names))
    return None


def matches(rule: cst.MetadataDependent, node: cst.CSTNode, targets: Iterable[str]) -> str | None:
    """The first of `targets` that `node` resolves to, if any."""
    names = qualified_names(rule, node)
    for target in targets:
        if target in names:
            return target
    return None


def is_builtin(rule: cst.MetadataDependent, node: cst.CSTNode, name: str) -> bool:
    """`node` is the builtin `name` (not shadowed by an import or a local)."""
    names = _qualified(rule, node)
    return any(q.name in (name, f"builtins.{name}") and q.source is QualifiedNameSource.BUILTIN for q in names)


def runs_at_import_time(rule: cst.MetadataDependent, node: cst.CSTNode) -> bool:
    """True when `node` executes while the module is imported (global scope).

    Module level, class bodies, default values, decorators and comprehensions evaluated there;
    not function or lambda bodies.
    """
    scope = rule.get_metadata(ScopeProvider, node, None)
    while scope is not None:
        if isinstance(scope, GlobalScope):
            return True
        if isinstance(scope, FunctionScope):
            return False
        if isinstance(scope, (ClassScope, ComprehensionScope)):
            scope = scope.parent
            continue
        return False
    return False


def enclosing_functions(rule: cst.MetadataDependent, node: cst.CSTNode) -> list[cst.CSTNode]:
    """The function (and lambda) nodes around `node`, innermost first."""
    out = []
    scope = rule.get_metadata(ScopeProvider, node, None)
    while scope is not None and not isinstance(scope, GlobalScope):
        if isinstance(scope, FunctionScope) and scope.node is not None:
            out.append(scope.node)
        scope = scope.parent
    return out


def dotted_name(node: cst.CSTNode) -> str | None:
    """`a.b.c` for a Name/Attribute chain, else None (no resolution)."""
    if isinstance(node, cst.Name):
        return node.value
    if isinstance(node, cst.Attribute):
        base = dotted_name(node.value)
        return f"{base}.{node.attr.value}" if base else None
    return None
