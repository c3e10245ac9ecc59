"""NodePositions (one top-level statement's code generation) gives exactly LibCST's positions.

Every node of every module is compared with PositionProvider and
WhitespaceInclusivePositionProvider over a whole-module generation: the fixtures, the
equivalence corpus, and hand-written edge cases (header and footer lines, decorators with
comments, `;`-joined statements, CRLF and lone CR, tabs, non-ASCII, no final newline, block
footers, continuation lines)."""

from __future__ import annotations

from pathlib import Path

import libcst as cst
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from libcst.metadata import MetadataWrapper, PositionProvider, WhitespaceInclusivePositionProvider

from cfw_lint.positions import NodePositions, statement_start_lines

ROOT = Path(__file__).resolve().parent.parent

EDGE_CASES = [
    "",
    "\n",
    "# only a comment\n",
    "x = 1",
    "# header\n\n# more\nimport os\n\nx = 1  # trailing\n\n# footer\n",
    "import a; import b\nx = 1; y = 2;\n",
    "@dec\n# between\n@other(1,\n  2)\n\nclass A:\n    pass\n",
    "def f():\n    x = 1\n    # block footer\n\n        # deeper\n# column 0\n\ny = 2\n",
    "if x:\n\tif y:\n\t\tz = 1\n\telse:\n\t\tpass\nelse:\n    pass\n",
    "s = 'h\u00e9llo \u4e16\u754c'; t = '\U0001f600'\nu = s\n",
    "x = 1\r\ny = [\r\n  1,\r\n]\r\n\r\ndef f():\r\n    return 2\r\n",
    "x = 1\ry = 2\r\rdef f():\r    pass\r",
    "x = (1 +\n     2)\ny = 1 + \\\n    2\n\nz = '''\nnot code\n'''\n",
    "(\n  a\n)\n[b,\n c] = 1, 2\n",
    "class A: pass\nclass B: x = 1; y = 2\nif 1: pass\nelse: pass\n",
    "def f():\n    return 1\n# last comment",
    "x = 1\n\f\ny = 2\n",
    "async def f():\n    async with a as b:\n        await b\n\n\n\n",
    "try:\n    pass\nexcept E as e:\n    raise\nfinally:\n    x = f'{1 + 2!r:>{w}}'\n",
    "match x:\n    case [1, *rest]:\n        pass\n    case {'k': v}:\n        pass\n",
    "def f(\n    a,  # one\n    b,\n):\n    '''doc'''\n\n    return a\n",
    "  \nx = 1\n",
]


def _sources() -> list[tuple[str, str]]:
    out = [(f"edge-{i}", text) for i, text in enumerate(EDGE_CASES)]
    for base in (ROOT / "fixtures", ROOT / "tests" / "corpus"):
        for path in sorted(base.rglob("*.py")):
            out.append((str(path.relative_to(ROOT)), path.read_text(encoding="utf-8")))
    return out


def _all_nodes_of(node: cst.CSTNode) -> list[cst.CSTNode]:
    return [node, *(n for child in node.children for n in _all_nodes_of(child))]


def _all_nodes(module: cst.Module) -> list[cst.CSTNode]:
    found: list[cst.CSTNode] = []

    class Collect(cst.CSTVisitor):
        def on_visit(self, node: cst.CSTNode) -> bool:
            found.append(node)
            return True

    module.visit(Collect())
    return found


def assert_same_positions(text: str) -> int:
    """Compares every node; returns how many nodes were answered one statement at a time."""
    try:
        module = cst.parse_module(text)
    except cst.ParserSyntaxError:
        return 0
    wrapper = MetadataWrapper(module, unsafe_skip_copy=True)
    syntactic = wrapper.resolve(PositionProvider)
    inclusive = wrapper.resolve(WhitespaceInclusivePositionProvider)
    ours = NodePositions(module, text)
    outside = {id(module)} | {id(n) for line in (*module.header, *module.footer) for n in _all_nodes_of(line)}
    nodes = _all_nodes(module)
    # the nodes of the statements first: whether they needed the whole module is the measure
    nodes.sort(key=lambda node: id(node) in outside)
    cheap = None
    for node in nodes:
        if cheap is None and id(node) in outside:
            cheap = int(ours._full is None)  # noqa: SLF001
        # a few nodes generate no code at all (some empty whitespace): no position either way
        assert ours.syntactic.get(node) == syntactic.get(node), (type(node).__name__, text)
        assert ours.inclusive.get(node) == inclusive.get(node), (type(node).__name__, text)
    return 1 if cheap is None else cheap


@pytest.mark.parametrize(("name", "text"), _sources(), ids=[name for name, _ in _sources()])
def test_every_node_matches_libcst(name: str, text: str) -> None:
    assert_same_positions(text)


def test_statement_at_a_time_is_the_usual_path() -> None:
    # the whole-module fallback is for the odd file, not the rule: here only the lone-CR file
    # (which `ast` numbers differently) may need it
    cheap = sum(assert_same_positions(text) for _, text in _sources() if "\r" not in text.replace("\r\n", ""))
    assert cheap >= len(_sources()) - 3  # the lone-CR file and the two LibCST cannot parse


def test_start_lines_of_a_known_module() -> None:
    text = "# header\n\nimport os\n\n\n@dec\ndef f():\n    pass\n# c\n\nx = 1; y = 2\n"
    module = cst.parse_module(text)
    assert statement_start_lines(module, text) == [3, 4, 11 - 2]


def test_wrong_start_line_falls_back_to_the_whole_module() -> None:
    from cfw_lint.positions import remember_starts

    text = "x = 1\n\ny = 2\n"
    module = cst.parse_module(text)
    remember_starts(module, text, [1, 1])  # the second is wrong
    ours = NodePositions(module, text)
    second = module.body[1]
    expected = MetadataWrapper(module, unsafe_skip_copy=True).resolve(PositionProvider)[second]
    assert ours.syntactic[second] == expected
    assert ours._full is not None  # noqa: SLF001


_LINES = st.sampled_from(
    [
        "x = 1",
        "x = 1  # c",
        "# comment",
        "",
        "    ",
        "    # indented comment",
        "import a; b = 2",
        "@d",
        "def f():\n    return 1",
        "def g():\n\tif x:\n\t\tpass\n\t# tail",
        "class C:\n    a: int = 1\n\n    def m(self): ...",
        "y = (1,\n  2)",
        "z = \\\n  3",
        "s = '\u00e9\u4e16'",
        "if a: pass\nelif b: pass",
        "t = '''\n  x\n'''",
    ]
)


@settings(max_examples=150, deadline=None)
@given(st.lists(_LINES, max_size=12), st.sampled_from(["\n", "\r\n"]), st.booleans())
def test_property_same_positions(lines: list[str], newline: str, final_newline: bool) -> None:
    text = newline.join(line.replace("\n", newline) for line in lines)
    if final_newline and text:
        text += newline
    assert_same_positions(text)
