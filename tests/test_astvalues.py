"""astvalues answers what capabilities.py's LibCST helpers answer for the same source."""

from __future__ import annotations

import ast
import textwrap

import libcst as cst
import pytest
from libcst.metadata import MetadataWrapper, ScopeProvider

from cfw_lint.analysis import astvalues, capabilities
from cfw_lint.analysis.astnames import AstNames

EXPRESSIONS = [
    "'abc'",
    "b'abc'",
    "b'\\xff'",
    "'a' 'b'",
    "'a' f'b{x}c'",
    "f'/tmp/{name}.txt'",
    "f'{x}'",
    "f'plain'",
    "'/tmp/' + name",
    "'/tmp/' + 'x' + name",
    "name + '/x'",
    "('a' + 'b') + f'c{d}'",
    "42",
    "-3.5",
    "--2",
    "True",
    "1j",
    "-x",
    "None",
    "x",
]


@pytest.mark.parametrize("source", EXPRESSIONS)
def test_literals_match_libcst(source: str) -> None:
    tree = ast.parse(source, mode="eval").body
    node = cst.parse_expression(source)
    assert astvalues.string_value(tree) == capabilities.string_value(node)
    assert astvalues.string_value(tree, bytes_ok=False) == capabilities.string_value(node, bytes_ok=False)
    assert astvalues.literal_prefix(tree) == capabilities.literal_prefix(node)
    assert astvalues.number_value(tree) == capabilities.number_value(node)


CALLS = [
    "f(a, b, c=1)",
    "f(*args, b)",
    "f(a, *rest)",
    "f(a=1, *rest)",
    "f(a, **kw)",
    "f(**kw, a=1)",
    "f(mode='w')",
    "f()",
]


@pytest.mark.parametrize("source", CALLS)
def test_arguments_match_libcst(source: str) -> None:
    call = ast.parse(source, mode="eval").body
    node = cst.parse_expression(source)
    assert isinstance(call, ast.Call) and isinstance(node, cst.Call)
    assert astvalues.has_star_args(call) == capabilities.has_star_args(node)
    for index in range(3):
        for keyword in (None, "a", "b", "c", "mode"):
            got = astvalues.positional_or_keyword(call, index, keyword)
            want = capabilities.positional_or_keyword(node, index, keyword)
            assert (ast.unparse(got) if got is not None else None) == (
                cst.Module([]).code_for_node(want) if want is not None else None
            ), (index, keyword)


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("__name__ == '__main__'", True),
        ("'__main__' == __name__", True),
        ("__name__ != '__main__'", False),
        ("__name__ == '__main__' == x", False),
        ("__name__ == 'main'", False),
        ("name == '__main__'", False),
    ],
)
def test_main_guard(source: str, expected: bool) -> None:
    assert astvalues.is_main_guard(ast.parse(source, mode="eval").body) is expected
    assert capabilities.is_main_guard(cst.parse_expression(source)) is expected


def test_in_main_guard_covers_the_body_not_the_else() -> None:
    tree = ast.parse("if __name__ == '__main__':\n    a()\nelse:\n    b()\nc()\n")
    names = AstNames(tree)
    calls = {n.func.id: n for n in ast.walk(tree) if isinstance(n, ast.Call) and isinstance(n.func, ast.Name)}
    assert astvalues.in_main_guard(names, calls["a"])
    assert not astvalues.in_main_guard(names, calls["b"])
    assert not astvalues.in_main_guard(names, calls["c"])


def test_attribute_chain_and_walk_calls() -> None:
    expr = ast.parse("a.b.c", mode="eval").body
    base, steps = astvalues.attribute_chain(expr)
    assert isinstance(base, ast.Name) and [ast.unparse(s) for s in steps] == ["a.b", "a.b.c"]
    tree = ast.parse("f(g(1))\ndef h():\n    k()\nlambda: m()\nclass C:\n    n()\n")
    assert sorted(ast.unparse(c.func) for c in astvalues.walk_calls(tree)) == ["f", "g"]


SOURCE = textwrap.dedent(
    """
    import requests
    s = requests.Session()
    with requests.Session() as w:
        pass
    twice = requests.Session()
    twice = None
    urls = ['a', 'b']
    gen = [u for u in urls]
    for url in urls:
        s.get(url)
        w.get(url)
        twice.get(url)
    elements(urls)
    elements(gen)
    elements(open)
    """
)


def _libcst_answers() -> dict[str, object]:
    """The same questions asked through capabilities.ValueTracker on LibCST."""

    class Collect(cst.CSTVisitor):
        METADATA_DEPENDENCIES = (ScopeProvider,)

        def __init__(self) -> None:
            super().__init__()
            self.values = capabilities.ValueTracker()
            self.out: dict[str, object] = {}

        def visit_Assign(self, node: cst.Assign) -> None:
            self.values.record_assign(node)

        def visit_WithItem(self, node: cst.WithItem) -> None:
            self.values.record_with_item(node)

        def visit_For(self, node: cst.For) -> None:
            self.values.record_for(node)

        def visit_Call(self, node: cst.Call) -> None:
            func = node.func
            if isinstance(func, cst.Attribute) and isinstance(func.value, cst.Name) and node.args:
                receiver = func.value
                self.out[f"ctor {receiver.value}"] = capabilities.constructor_of(self, self.values, receiver)
                arg = node.args[0].value
                if isinstance(arg, cst.Name):
                    self.out[f"iter {arg.value}"] = cst.Module([]).code_for_node(
                        self.values.iterated_by(self, arg) or cst.Name("none")
                    )
            elif isinstance(func, cst.Name) and func.value == "elements":
                arg = node.args[0].value
                got = self.values.elements_of(self, arg)
                key = f"elements {cst.Module([]).code_for_node(arg)}"
                self.out[key] = None if got is None else [cst.Module([]).code_for_node(e) for e in got]

    visitor = Collect()
    MetadataWrapper(cst.parse_module(SOURCE)).visit(visitor)
    return visitor.out


def _ast_answers() -> dict[str, object]:
    tree = ast.parse(SOURCE)
    names = AstNames(tree)
    values = astvalues.ValueTracker()
    out: dict[str, object] = {}
    # the same order as the LibCST visitor: statements in order, a node before its children
    stack: list[ast.AST] = [tree]
    while stack:
        node = stack.pop()
        if isinstance(node, ast.Assign):
            values.record_assign(node)
        elif isinstance(node, ast.withitem):
            values.record_with_item(node)
        elif isinstance(node, ast.For):
            values.record_for(node)
        elif isinstance(node, ast.Call):
            func = node.func
            if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name) and node.args:
                out[f"ctor {func.value.id}"] = astvalues.constructor_of(names, values, func.value)
                arg = node.args[0]
                if isinstance(arg, ast.Name):
                    out[f"iter {arg.id}"] = ast.unparse(values.iterated_by(names, arg) or ast.Name("none"))
            elif isinstance(func, ast.Name) and func.id == "elements":
                got = values.elements_of(names, node.args[0])
                out[f"elements {ast.unparse(node.args[0])}"] = None if got is None else [ast.unparse(e) for e in got]
        stack.extend(reversed(list(ast.iter_child_nodes(node))))
    return out


def test_value_tracker_matches_libcst() -> None:
    got = _ast_answers()
    assert got == _libcst_answers()
    assert got["ctor s"] == ("requests.Session", False)
    assert got["ctor w"] == ("requests.Session", True)
    assert got["ctor twice"] is None
    assert got["iter url"] == "urls"
    assert got["elements urls"] == ["'a'", "'b'"]
    assert got["elements gen"] == ["u"]
    assert got["elements open"] is None
