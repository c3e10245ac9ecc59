"""The traversal the ported `ast` rules share (cfw_lint/analysis/astmodel.py)."""

from __future__ import annotations

import ast
import textwrap

import libcst as cst

from cfw_lint.analysis.astmodel import OrderedVisitor, children


class Recorder(OrderedVisitor):
    def __init__(self) -> None:
        self.seen: list[tuple[str, object, bool]] = []

    def visit_Name(self, node: ast.Name) -> None:
        self.seen.append(("name", node.id, self.in_main_guard))

    def visit_ClassDef(self, node: ast.ClassDef) -> bool:
        self.seen.append(("class", node.name, self.in_main_guard))
        return node.name != "Skipped"

    def leave_ClassDef(self, node: ast.ClassDef) -> None:
        self.seen.append(("end", node.name, self.in_main_guard))


class CstNames(cst.CSTVisitor):
    def __init__(self) -> None:
        self.names: list[str] = []

    def visit_Name(self, node: cst.Name) -> None:
        self.names.append(node.value)

    def visit_Attribute(self, node: cst.Attribute) -> bool:
        node.value.visit(self)  # the attribute's own name is no variable
        return False


def _walk(text: str) -> list[tuple[str, object, bool]]:
    recorder = Recorder()
    recorder.walk(ast.parse(textwrap.dedent(text)))
    return recorder.seen


def test_order_is_libcsts_decorators_and_signature_before_the_body() -> None:
    text = textwrap.dedent(
        """\
        @deco(a)
        def f(x: b = c, *, y: d = e) -> g:
            h
        @k
        class C(m, metaclass=n):
            o
        p = {q: r, s: t}
        u(v, w=z)
        """
    )
    walked = [n for kind, n, _ in _walk(text) if kind == "name"]
    visitor = CstNames()
    cst.parse_module(text).visit(visitor)
    # LibCST also visits the def/class/keyword/parameter names, which `ast` keeps as strings
    strings = {"f", "x", "y", "C", "metaclass", "w"}
    assert walked == [n for n in visitor.names if n not in strings]


def test_main_guard_covers_the_body_only() -> None:
    seen = _walk(
        """\
        a
        if __name__ == "__main__":
            b
            if x:
                c
        else:
            d
        e
        """
    )
    guarded = {n: g for kind, n, g in seen if kind == "name"}
    assert guarded == {"a": False, "__name__": False, "b": True, "x": True, "c": True, "d": False, "e": False}


def test_a_guard_hook_can_cover_the_else_block() -> None:
    class ElseGuard(Recorder):
        def guarded_blocks(self, node: ast.If) -> tuple[bool, bool]:
            return False, True

    recorder = ElseGuard()
    recorder.walk(ast.parse("if t:\n    a\nelse:\n    b\nc\n"))
    assert [(n, g) for _, n, g in recorder.seen] == [("t", False), ("a", False), ("b", True), ("c", False)]


def test_false_skips_children_and_leave_follows_them() -> None:
    seen = _walk(
        """\
        class Outer:
            class Skipped:
                hidden
            shown
        """
    )
    assert [(k, n) for k, n, _ in seen] == [
        ("class", "Outer"),
        ("class", "Skipped"),
        ("name", "shown"),
        ("end", "Outer"),
    ]


def test_deep_nesting_does_not_recurse() -> None:
    value: ast.expr = ast.Name("y", ast.Load())
    for _ in range(5000):  # deeper than the interpreter's recursion limit
        value = ast.UnaryOp(ast.Not(), value)
    tree = ast.Module([ast.Assign([ast.Name("x", ast.Store())], value)], [])
    recorder = Recorder()
    recorder.walk(tree)
    assert [n for _, n, _ in recorder.seen] == ["x", "y"]


def test_children_of_a_function_put_decorators_first() -> None:
    func = ast.parse("@d\ndef f() -> r:\n    b\n").body[0]
    assert [type(c).__name__ for c in children(func)] == ["Name", "arguments", "Name", "Expr"]
