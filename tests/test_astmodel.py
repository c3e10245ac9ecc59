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


def _libcst_references(text: str, name: str) -> list[tuple[int, int]]:
    from libcst.metadata import MetadataWrapper, PositionProvider, ScopeProvider

    wrapper = MetadataWrapper(cst.parse_module(text))
    scopes = wrapper.resolve(ScopeProvider)
    positions = wrapper.resolve(PositionProvider)
    module_scope = scopes[wrapper.module]
    out = []
    for assignment in module_scope.assignments[name]:
        for access in assignment.references:
            start = positions[access.node].start
            out.append((start.line, start.column))
    return sorted(set(out))  # a use reaching two assignments is listed by each


def test_references_are_libcsts_for_a_module_level_function() -> None:
    from cfw_lint.analysis.astmodel import references
    from cfw_lint.analysis.astnames import AstNames

    text = textwrap.dedent(
        """\
        serve()
        def serve(): ...
        serve()
        def outer():
            serve()
            def inner(serve=serve):
                return serve
        class K:
            serve = serve
            x = [serve for _ in ()]
        if __name__ == "__main__":
            serve()
        serve = 1
        del serve
        """
    )
    tree = ast.parse(text)
    names = AstNames(tree)
    definition = next(s for s in tree.body if isinstance(s, ast.FunctionDef))
    found = sorted((n.lineno, n.col_offset) for n in references(names, definition))  # type: ignore[attr-defined]
    assert found == _libcst_references(text, "serve")
    assert len(found) == 7


def test_top_level_model_finds_entrypoints_and_handlers_like_module_model() -> None:
    from cfw_lint.analysis.astmodel import TopLevel
    from cfw_lint.analysis.model import ModuleModel

    text = textwrap.dedent(
        """\
        import workers
        from workers import DurableObject as DO
        if x:
            from workers import WorkerEntrypoint
        class A(workers.WorkerEntrypoint):
            def fetch(self): ...
            async def fetch(self): ...
        class B(A):
            def rpc(self): ...
        class C(DO):
            def alarm(self): ...
        class D(WorkerEntrypoint):
            def fetch(self): ...
        async def on_fetch(request): ...
        def on_fetch(request): ...
        """
    )
    model = ModuleModel(cst.parse_module(text))
    top = TopLevel(ast.parse(text))
    assert {e.name: (e.kind, sorted(e.methods)) for e in model.entrypoints.values()} == {
        e.node.name: (e.kind, sorted(e.methods)) for e in top.entrypoints.values()
    }
    assert sorted(top.aliases.items()) == sorted(model.aliases.items())
    assert [c.name for c in (e.node for e in top.entrypoints.values())] == ["A", "B", "C"]
    fetches = [
        f for f in ast.walk(top.entrypoints[next(iter(top.entrypoints))].node) if isinstance(f, ast.AsyncFunctionDef)
    ]
    assert top.is_handler(fetches[0]) and top.is_legacy_handler(top.functions["on_fetch"])
    first_on_fetch = next(s for s in ast.parse(text).body if isinstance(s, ast.AsyncFunctionDef))
    assert not top.is_legacy_handler(first_on_fetch)
