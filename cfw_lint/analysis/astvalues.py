"""The literal and binding helpers of capabilities.py, on the stdlib `ast` tree.

Each function answers what its LibCST twin in capabilities.py answers for the same source, so
an `ast`-tier rule finds what its LibCST version found. Name questions go to an `AstNames`
(cfw_lint/analysis/astnames.py) where the LibCST helpers took a rule.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from typing import Iterator

from cfw_lint.analysis.astnames import AstNames
from cfw_lint.analysis.capabilities import project_module_exists

__all__ = [
    "Bound",
    "ValueTracker",
    "attribute_chain",
    "constructor_of",
    "has_star_args",
    "in_main_guard",
    "is_main_guard",
    "literal_prefix",
    "number_value",
    "positional_or_keyword",
    "project_module_exists",
    "string_value",
    "walk_calls",
]


# -- literal values ------------------------------------------------------------------------------


def string_value(node: ast.AST | None, *, bytes_ok: bool = True) -> str | None:
    """The value of a plain string literal (implicit concatenation included), else None.

    A bytes literal gives its UTF-8 text unless `bytes_ok` is False."""
    if not isinstance(node, ast.Constant):
        return None
    value = node.value
    if isinstance(value, str):
        return value
    if isinstance(value, bytes) and bytes_ok:
        try:
            return value.decode()
        except UnicodeDecodeError:
            return None
    return None


def literal_prefix(node: ast.AST) -> tuple[str, bool] | None:
    """(text the value certainly starts with, whether that is the whole value), or None.

    Plain strings are whole; f-strings give their leading literal text; `a + b` gives a's
    prefix (whole only when b is whole too).
    """
    whole = string_value(node)
    if whole is not None:
        return whole, True
    if isinstance(node, ast.JoinedStr):
        text = ""
        for part in node.values:
            if isinstance(part, ast.Constant) and isinstance(part.value, str):
                text += part.value
            else:
                return text, False
        return text, True
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
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


def number_value(node: ast.AST) -> float | None:
    """An int or float literal, negated through unary minus (not bools, not complex)."""
    if isinstance(node, ast.Constant):
        value = node.value
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return float(value)
        return None
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
        inner = number_value(node.operand)
        return -inner if inner is not None else None
    return None


# -- call arguments ------------------------------------------------------------------------------


def _arguments(call: ast.Call) -> list[ast.expr | ast.keyword]:
    """Positional and keyword arguments in source order (`f(a=1, *rest)` interleaves them)."""
    if not call.keywords:
        return list(call.args)
    if not call.args:
        return list(call.keywords)
    merged: list[ast.expr | ast.keyword] = [*call.args, *call.keywords]
    merged.sort(key=lambda n: (n.lineno, n.col_offset))
    return merged


def positional_or_keyword(call: ast.Call, index: int, keyword: str | None) -> ast.expr | None:
    """The argument passed at position `index` or as `keyword=`; None if absent or unknowable."""
    position = 0
    for arg in _arguments(call):
        if isinstance(arg, ast.Starred) or (isinstance(arg, ast.keyword) and arg.arg is None):
            return None
        if isinstance(arg, ast.keyword):
            if keyword is not None and arg.arg == keyword:
                return arg.value
        else:
            if position == index:
                return arg
            position += 1
    return None


def has_star_args(call: ast.Call) -> bool:
    return any(isinstance(a, ast.Starred) for a in call.args) or any(k.arg is None for k in call.keywords)


def attribute_chain(node: ast.AST) -> tuple[ast.AST, list[ast.Attribute]]:
    """`a.b.c` -> (a, [a.b, a.b.c]): the innermost non-attribute receiver, then each step."""
    steps: list[ast.Attribute] = []
    while isinstance(node, ast.Attribute):
        steps.append(node)
        node = node.value
    steps.reverse()
    return node, steps


_SCOPE_NODES = (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)


def walk_calls(node: ast.AST) -> Iterator[ast.Call]:
    """Calls inside `node`, not descending into nested functions, lambdas or classes."""
    stack: list[ast.AST] = [node]
    while stack:
        current = stack.pop()
        if isinstance(current, ast.Call):
            yield current
        for child in ast.iter_child_nodes(current):
            if isinstance(child, _SCOPE_NODES):
                continue
            stack.append(child)


# -- code that never runs on Workers -------------------------------------------------------------


def is_main_guard(test: ast.AST) -> bool:
    """`__name__ == "__main__"` (either way round): the Worker's modules never run as __main__."""
    if not isinstance(test, ast.Compare) or len(test.ops) != 1 or not isinstance(test.ops[0], ast.Eq):
        return False
    sides = (test.left, test.comparators[0])
    found = [s for s in sides if isinstance(s, ast.Name) and s.id == "__name__"]
    strings = [s for s in sides if string_value(s) == "__main__"]
    return len(found) == 1 and len(strings) == 1


def in_main_guard(names: AstNames, node: ast.AST) -> bool:
    """`node` is inside the body (not the else) of an `if __name__ == "__main__":`."""
    child = node
    parent = names.parent(node)
    while parent is not None:
        if isinstance(parent, ast.If) and is_main_guard(parent.test) and any(s is child for s in parent.body):
            return True
        child, parent = parent, names.parent(parent)
    return False


# -- name bindings -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Bound:
    value: ast.expr
    via_with: bool  # `with value as name`: the name is value.__enter__()


class ValueTracker:
    """Records what plain names are bound to; a rule feeds it as its walk passes the bindings
    (in LibCST's visiting order, so a use sees what its LibCST twin saw)."""

    def __init__(self) -> None:
        self._values: dict[int, Bound] = {}
        self._elements: dict[int, ast.expr] = {}  # `for name in <iterable>`

    def record(self, target: ast.AST, value: ast.expr, via_with: bool = False) -> None:
        if isinstance(target, ast.Name):
            self._values[id(target)] = Bound(value, via_with)

    def record_assign(self, node: ast.Assign | ast.AnnAssign | ast.NamedExpr) -> None:
        if isinstance(node, ast.Assign):
            for target in node.targets:
                self.record(target, node.value)
        elif isinstance(node, ast.AnnAssign):
            if node.value is not None:
                self.record(node.target, node.value)
        else:
            self.record(node.target, node.value)

    def record_with_item(self, item: ast.withitem) -> None:
        if item.optional_vars is not None:
            self.record(item.optional_vars, item.context_expr, via_with=True)

    def record_for(self, node: ast.For | ast.AsyncFor) -> None:
        if isinstance(node.target, ast.Name):
            self._elements[id(node.target)] = node.iter

    @staticmethod
    def _single_binding(names: AstNames, name: ast.Name) -> int | None:
        bindings = names.bindings(name)
        if bindings is None or len(bindings) != 1:
            return None
        return id(bindings[0])

    def value_of(self, names: AstNames, name: ast.Name) -> Bound | None:
        """What `name` (a use) refers to when it has exactly one, recorded, binding."""
        binding = self._single_binding(names, name)
        return None if binding is None else self._values.get(binding)

    def iterated_by(self, names: AstNames, name: ast.Name) -> ast.expr | None:
        """The iterable when `name`'s one binding is `for name in <iterable>`."""
        binding = self._single_binding(names, name)
        return None if binding is None else self._elements.get(binding)

    def elements_of(self, names: AstNames, iterable: ast.expr) -> list[ast.expr] | None:
        """What a literal list/tuple/set or a comprehension yields (through one name), else None."""
        if isinstance(iterable, ast.Name):
            bound = self.value_of(names, iterable)
            if bound is None or bound.via_with:
                return None
            iterable = bound.value
        if isinstance(iterable, (ast.ListComp, ast.SetComp, ast.GeneratorExp)):
            return [iterable.elt]
        if isinstance(iterable, (ast.List, ast.Tuple, ast.Set)):
            if any(isinstance(e, ast.Starred) for e in iterable.elts):
                return None
            return list(iterable.elts) or None
        return None


def constructor_of(names: AstNames, tracker: ValueTracker, receiver: ast.AST) -> tuple[str, bool] | None:
    """For `X(...)` or a name bound once to `X(...)`: (X's dotted name, bound through `with`)."""
    if isinstance(receiver, ast.Call):
        origin = names.callee(receiver.func)
        return (origin, False) if origin else None
    if isinstance(receiver, ast.Name):
        bound = tracker.value_of(names, receiver)
        if bound is not None and isinstance(bound.value, ast.Call):
            origin = names.callee(bound.value.func)
            return (origin, bound.via_with) if origin else None
    return None
