"""astvalues: literal, argument, main-guard and binding helpers on the `ast` tree (the answers
the LibCST helpers they replaced gave for the same source)."""

from __future__ import annotations

import ast
import textwrap

import pytest

from cfw_lint.analysis import astvalues
from cfw_lint.analysis.astnames import AstNames

# source, string_value, string_value(bytes_ok=False), literal_prefix, number_value: what the
# LibCST helpers these replaced answered (a bytes literal counts as text unless bytes_ok is False;
# an f-string gives its leading literal text; implicit concatenation is one string)
LITERALS = [
    ("'abc'", "abc", "abc", ("abc", True), None),
    ("b'abc'", "abc", None, ("abc", True), None),
    ("b'\\xff'", None, None, None, None),
    ("'a' 'b'", "ab", "ab", ("ab", True), None),
    ("'a' f'b{x}c'", None, None, ("ab", False), None),
    ("f'/tmp/{name}.txt'", None, None, ("/tmp/", False), None),
    ("f'{x}'", None, None, ("", False), None),
    ("f'plain'", None, None, ("plain", True), None),
    ("'/tmp/' + name", None, None, ("/tmp/", False), None),
    ("'/tmp/' + 'x' + name", None, None, ("/tmp/x", False), None),
    ("name + '/x'", None, None, None, None),
    ("('a' + 'b') + f'c{d}'", None, None, ("abc", False), None),
    ("42", None, None, None, 42.0),
    ("-3.5", None, None, None, -3.5),
    ("--2", None, None, None, 2.0),
    ("True", None, None, None, None),
    ("1j", None, None, None, None),
    ("-x", None, None, None, None),
    ("None", None, None, None, None),
    ("x", None, None, None, None),
]


@pytest.mark.parametrize(("source", "text", "text_only", "prefix", "number"), LITERALS)
def test_literals(source: str, text: str | None, text_only: str | None, prefix: object, number: float | None) -> None:
    tree = ast.parse(source, mode="eval").body
    assert astvalues.string_value(tree) == text
    assert astvalues.string_value(tree, bytes_ok=False) == text_only
    assert astvalues.literal_prefix(tree) == prefix
    assert astvalues.number_value(tree) == number


# source, has_star_args, {(index, keyword): the argument found}; every other pair finds nothing
# (after a star argument positions are unknowable)
CALLS = [
    (
        "f(a, b, c=1)",
        False,
        {
            **{(0, k): "a" for k in (None, "a", "b", "c", "mode")},
            **{(1, k): "b" for k in (None, "a", "b", "c", "mode")},
            (2, "c"): "1",
        },
    ),
    ("f(*args, b)", True, {}),
    ("f(a, *rest)", True, {(0, k): "a" for k in (None, "a", "b", "c", "mode")}),
    ("f(a=1, *rest)", True, {(i, "a"): "1" for i in range(3)}),
    ("f(a, **kw)", True, {(0, k): "a" for k in (None, "a", "b", "c", "mode")}),
    ("f(**kw, a=1)", True, {}),
    ("f(mode='w')", False, {(i, "mode"): "'w'" for i in range(3)}),
    ("f()", False, {}),
]


@pytest.mark.parametrize(("source", "star", "found"), CALLS)
def test_arguments(source: str, star: bool, found: dict[tuple[int, str | None], str]) -> None:
    call = ast.parse(source, mode="eval").body
    assert isinstance(call, ast.Call)
    assert astvalues.has_star_args(call) is star
    for index in range(3):
        for keyword in (None, "a", "b", "c", "mode"):
            got = astvalues.positional_or_keyword(call, index, keyword)
            assert (ast.unparse(got) if got is not None else None) == found.get((index, keyword)), (index, keyword)


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


def test_value_tracker() -> None:
    got = _ast_answers()
    assert len(got) == 7
    assert got["ctor s"] == ("requests.Session", False)
    assert got["ctor w"] == ("requests.Session", True)
    assert got["ctor twice"] is None
    assert got["iter url"] == "urls"
    assert got["elements urls"] == ["'a'", "'b'"]
    assert got["elements gen"] == ["u"]
    assert got["elements open"] is None
