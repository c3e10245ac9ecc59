"""A read-only LibCST traversal that does not rebuild the tree.

`CSTNode.visit` calls `_visit_and_replace_children`, which constructs (and validates) a new copy
of every node it passes, also for a read-only `CSTVisitor`, whose `visit` then throws the copy
away and returns the original. Scope analysis and the rules' batched traversal are read-only,
and that copying was about half of their cost.

`install()` replaces `CSTNode.visit` with one that, for a `CSTVisitor`, walks the children in
the order `_visit_and_replace_children` visits them (learned once per node class by watching
which fields it visits) and makes the same `on_visit`/`on_leave` calls. A node whose fields the
visitor watches (`visit_<Node>_<field>` hooks, e.g. scope analysis on `ClassDef.bases`) takes
LibCST's own step, as do transformers and visitors that handle attribute events themselves.
"""

from __future__ import annotations

import dataclasses
import re
import weakref
from typing import Any

import libcst as cst
from libcst._batched_visitor import _BatchedCSTVisitor

_ORIGINAL_VISIT = cst.CSTNode.visit
_FIELD_ORDER: dict[type, tuple[str, ...] | None] = {}
_ATTRIBUTE_HOOK = re.compile(r"^(?:visit|leave)_[A-Z][A-Za-z0-9]*_")


class _FieldProbe(cst.CSTVisitor):
    """Records the fields `_visit_and_replace_children` visits, in order, without descending."""

    def __init__(self, node: cst.CSTNode) -> None:
        self.node = node
        self.fields: list[str] = []

    def on_visit(self, node: cst.CSTNode) -> bool:
        return False

    def on_leave(self, original_node: cst.CSTNode) -> None:
        return None

    def on_visit_attribute(self, node: cst.CSTNode, attribute: str) -> None:
        if node is self.node and attribute not in self.fields:
            self.fields.append(attribute)

    def on_leave_attribute(self, original_node: cst.CSTNode, attribute: str) -> None:
        return None


def field_order(node: cst.CSTNode) -> tuple[str, ...] | None:
    """The fields of `node`'s class that a traversal visits, in visiting order; None when only
    LibCST's own step can say (then it is used for that class)."""
    cls = type(node)
    if cls in _FIELD_ORDER:
        return _FIELD_ORDER[cls]
    probe = _FieldProbe(node)
    node._visit_and_replace_children(probe)  # noqa: SLF001
    order: tuple[str, ...] | None = tuple(probe.fields)
    # a few classes visit a field only when it is set (`format_spec`): a field the probe did not
    # see that holds None or nodes here may be one; read the order from the source instead
    unseen = [f.name for f in dataclasses.fields(cls) if f.name not in probe.fields]
    if any(_maybe_nodes(getattr(node, name)) for name in unseen):
        order = _source_order(cls, probe.fields)
    _FIELD_ORDER[cls] = order
    return order


def _maybe_nodes(value: Any) -> bool:
    return value is None or isinstance(value, (cst.CSTNode, tuple, list))


_VISIT_HELPERS = frozenset(
    {
        "visit_required",
        "visit_optional",
        "visit_sentinel",
        "visit_sequence",
        "visit_iterable",
        "visit_body_sequence",
        "visit_body_iterable",
    }
)


def _source_order(cls: type, seen: list[str]) -> tuple[str, ...] | None:
    """The field names `_visit_and_replace_children` hands to LibCST's visit helpers, in source
    order (which is the evaluation order of its keyword arguments)."""
    import ast
    import inspect
    import textwrap

    try:
        tree = ast.parse(textwrap.dedent(inspect.getsource(cls._visit_and_replace_children)))  # type: ignore[attr-defined]
    except (OSError, TypeError, SyntaxError):
        return None
    calls = [
        n
        for n in ast.walk(tree)
        if isinstance(n, ast.Call) and isinstance(n.func, ast.Name) and n.func.id in _VISIT_HELPERS and len(n.args) > 1
    ]
    calls.sort(key=lambda n: (n.lineno, n.col_offset))
    names: list[str] = []
    for call in calls:
        arg = call.args[1]
        if not isinstance(arg, ast.Constant) or not isinstance(arg.value, str):
            return None
        if arg.value not in names:
            names.append(arg.value)
    # what the probe saw must come in the same order
    if [n for n in names if n in seen] != list(seen):
        return None
    return tuple(names)


_NO_HOOKS: frozenset[str] = frozenset()
_SENTINEL = cst.MaybeSentinel


def _hooked_types(names: Any, owner: Any) -> frozenset[str]:
    """Node classes (by name) with a real `visit_<Node>_<field>`/`leave_...` hook among `names`."""
    found = set()
    for name in names:
        match = _ATTRIBUTE_HOOK.match(name)
        if match and not getattr(getattr(owner, name, None), "_is_no_op", False):
            found.add(name.split("_")[1])
    return frozenset(found) if found else _NO_HOOKS


def _class_hooks(cls: type) -> frozenset[str] | None:
    """None when the class handles attribute events its own way (LibCST's traversal only)."""
    if cls in _CLASS_HOOKS:
        return _CLASS_HOOKS[cls]
    hooks: frozenset[str] | None = None
    if cls.on_visit_attribute in _DEFAULT_ON_VISIT_ATTRIBUTE and cls.on_leave_attribute in _DEFAULT_ON_LEAVE_ATTRIBUTE:  # type: ignore[attr-defined]
        # LibCST's typed stubs (one no-op per node and field) hold no hook: skip their 1,500 names
        names = [n for k in cls.__mro__ if k.__module__ != "libcst._typed_visitor" for n in vars(k)]
        hooks = _hooked_types(names, cls)
    _CLASS_HOOKS[cls] = hooks
    return hooks


# weak: rules define visitor classes inside functions, a new class per call
_CLASS_HOOKS: weakref.WeakKeyDictionary[type, frozenset[str] | None] = weakref.WeakKeyDictionary()
_DEFAULT_ON_VISIT_ATTRIBUTE = (cst.CSTVisitor.on_visit_attribute, _BatchedCSTVisitor.on_visit_attribute)
_DEFAULT_ON_LEAVE_ATTRIBUTE = (cst.CSTVisitor.on_leave_attribute, _BatchedCSTVisitor.on_leave_attribute)


def hooks_of(visitor: Any) -> frozenset[str] | None:
    """The node classes whose fields `visitor` watches (attribute hooks), or None when it must
    take LibCST's own traversal (a transformer, or custom attribute handling)."""
    if not isinstance(visitor, cst.CSTVisitor):
        return None
    hooks = _class_hooks(type(visitor))
    if hooks is None:
        return None
    if isinstance(visitor, _BatchedCSTVisitor):
        known = visitor.__dict__.get("_cfw_hooks")
        if known is None:
            known = hooks | _hooked_types(visitor.visitor_methods, None)
            visitor.__dict__["_cfw_hooks"] = known
        return known  # type: ignore[no-any-return]
    return hooks


def walk(node: cst.CSTNode, visitor: cst.CSTVisitor, hooks: frozenset[str] = _NO_HOOKS) -> None:
    """LibCST's traversal of `node` for a read-only visitor, without copying nodes."""
    if visitor.on_visit(node):
        cls = type(node)
        order = _FIELD_ORDER[cls] if cls in _FIELD_ORDER else field_order(node)
        if order is None or (hooks and cls.__name__ in hooks):
            # attribute hooks on this node: LibCST's own step, which raises them (its children
            # come back here through CSTNode.visit)
            node._visit_and_replace_children(visitor)  # noqa: SLF001
        else:
            for name in order:
                value = getattr(node, name)
                kind = type(value)
                # a visited field holds a node, a sequence of nodes, None or MaybeSentinel
                # (compared by type: isinstance against LibCST's ABCs is slow)
                if kind is tuple or kind is list:
                    for child in value:
                        walk(child, visitor, hooks)
                elif value is not None and kind is not _SENTINEL:
                    walk(value, visitor, hooks)
    visitor.on_leave(node)


def _trivia() -> frozenset[type]:
    """Node classes holding only whitespace, comments and punctuation, and only other trivia."""
    found: set[type] = {
        cst.SimpleWhitespace,
        cst.ParenthesizedWhitespace,
        cst.TrailingWhitespace,
        cst.EmptyLine,
        cst.Newline,
        cst.Comment,
        cst.Comma,
        cst.Colon,
        cst.Semicolon,
        cst.Dot,
        cst.AssignEqual,
        cst.LeftParen,
        cst.RightParen,
        cst.LeftSquareBracket,
        cst.RightSquareBracket,
        cst.LeftCurlyBrace,
        cst.RightCurlyBrace,
        cst.ImportStar,
    }
    bases = (cst.BaseBinaryOp, cst.BaseBooleanOp, cst.BaseCompOp, cst.BaseUnaryOp, cst.BaseAugOp)
    for value in vars(cst).values():
        if isinstance(value, type) and issubclass(value, bases) and value not in bases:
            found.add(value)
    return frozenset(found)


TRIVIA = _trivia()
# the trivia other trivia hold: a visitor method for one of these keeps every trivia subtree
_INNER_TRIVIA = frozenset(
    {cst.SimpleWhitespace, cst.ParenthesizedWhitespace, cst.TrailingWhitespace, cst.EmptyLine, cst.Newline, cst.Comment}
)


def _skippable(methods: Any, hooks: frozenset[str]) -> frozenset[type]:
    """Trivia classes no batched method (or attribute hook) asks about: their subtrees need no
    walk, as nothing would be called in them (but the traversal hooks: parents of trivia are
    then found by LazyParents' full pass, on a miss)."""
    wanted = {name.split("_", 2)[1] for name in methods} | set(hooks)
    if any(cls.__name__ in wanted for cls in _INNER_TRIVIA):
        return frozenset()
    return frozenset(cls for cls in TRIVIA if cls.__name__ not in wanted)


def walk_batched(node: cst.CSTNode, visitor: _BatchedCSTVisitor, hooks: frozenset[str]) -> None:
    """`walk` for LibCST's batched visitor, with its per-node method lookup done once per class
    and no walk into trivia no method asks about."""
    methods = visitor.visitor_methods
    before, after = visitor.before_visit, visitor.after_leave
    # per visitor: LibCST's own step (attribute hooks) comes back here once per child
    cached = visitor.__dict__.get("_cfw_batched")
    if cached is None:
        cached = visitor.__dict__["_cfw_batched"] = ({}, _skippable(methods, hooks))
    tables: dict[type, tuple[Any, Any]] = cached[0]
    skip: frozenset[type] = cached[1]

    def step(node: cst.CSTNode) -> None:
        cls = type(node)
        if cls in skip:
            return
        entry = tables.get(cls)
        if entry is None:
            name = cls.__name__
            entry = tables[cls] = (methods.get(f"visit_{name}", ()), methods.get(f"leave_{name}", ()))
        # _BatchedCSTVisitor.on_visit: the hook, then every rule's visit_<Node>; always descends
        if before is not None:
            before(node)
        for method in entry[0]:
            method(node)
        order = _FIELD_ORDER[cls] if cls in _FIELD_ORDER else field_order(node)
        if order is None or (hooks and cls.__name__ in hooks):
            # LibCST's own step raises the attribute events; its children come back to
            # CSTNode.visit, i.e. to `walk` with the batched visitor's on_visit/on_leave
            node._visit_and_replace_children(visitor)  # noqa: SLF001
        else:
            for name in order:
                value = getattr(node, name)
                kind = type(value)
                if kind is tuple or kind is list:
                    for child in value:
                        step(child)
                elif value is not None and kind is not _SENTINEL:
                    step(value)
        # _BatchedCSTVisitor.on_leave: every rule's leave_<Node>, then the hook
        for method in entry[1]:
            method(node)
        if after is not None:
            after(node)

    step(node)


def _visit(self: Any, visitor: Any) -> Any:
    hooks = hooks_of(visitor)
    if hooks is None:
        return _ORIGINAL_VISIT(self, visitor)
    if type(visitor) is _BatchedCSTVisitor:
        walk_batched(self, visitor, hooks)
    else:
        walk(self, visitor, hooks)
    return self


def install() -> None:
    """Make `CSTNode.visit` skip the copying for plain read-only visitors (idempotent)."""
    cst.CSTNode.visit = _visit  # type: ignore[method-assign]


def uninstall() -> None:
    cst.CSTNode.visit = _ORIGINAL_VISIT  # type: ignore[method-assign]
