"""The incremental re-parse gives exactly the module a full parse gives, or nothing.

Chains of edits (each re-parse is the base of the next) over the fixtures, the equivalence
corpus, hand-written edge cases and generated files: whenever `reparse.reuse` answers, its module
must be `deep_equals` to `libcst.parse_module` of the new text, generate that text, and give
every node the positions a whole-module code generation gives."""

from __future__ import annotations

import random
from pathlib import Path

import libcst as cst
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cfw_lint import reparse
from cfw_lint.engine import lint_python, parse

ROOT = Path(__file__).resolve().parent.parent

BASE = """\
# header comment

import os
from js import fetch


def first(a):
    if a:
        return 1
    # footer of first
    return 2


class Handler:
    async def fetch(self, request):
        return await fetch(request.url)


x = [1,
     2]  # trailing
"""


def full(text: str) -> cst.Module | None:
    try:
        return cst.parse_module(text)
    except Exception:
        return None


def check(path: str, text: str) -> bool:
    """Re-parse `text` against the last version of `path`; True when the cheap path answered."""
    expected = full(text)
    got = reparse.reuse(text, path)
    if got is not None:
        assert expected is not None, text
        assert got.deep_equals(expected), text
        assert got.code == expected.code  # (LibCST itself drops a lone `\\` line)
        from test_positions import _all_nodes
        from libcst.metadata import MetadataWrapper, PositionProvider

        from cfw_lint.positions import NodePositions

        if expected.code != text:
            return True  # LibCST's own positions follow its code, not the text; ours the text
        positions = MetadataWrapper(got, unsafe_skip_copy=True).resolve(PositionProvider)
        ours = NodePositions(got, text)
        for node in _all_nodes(got):
            assert ours.syntactic.get(node) == positions.get(node), (type(node).__name__, text)
        return True
    if expected is not None:
        reparse.remember(path, text, expected)
    return False


def test_one_statement_edit_is_reparsed_alone() -> None:
    reparse.forget()
    base = cst.parse_module(BASE)
    reparse.remember("a.py", BASE, base)
    edited = BASE.replace("return 2", "return 3")
    assert check("a.py", edited)
    module = reparse.reuse(edited, "a.py")  # the same text again: the module just built
    assert module is not None
    # untouched statements are the very objects of the last parse; the edited one is new
    same = [new is old for new, old in zip(module.body, base.body)]
    assert same == [True, True, False, True, True]


@pytest.mark.parametrize(
    "edit",
    [
        lambda t: t.replace("return 2", "return 22"),  # inside a function
        lambda t: t.replace("import os\n", "import os\nimport sys\n"),  # a new statement
        lambda t: t.replace("# header comment", "# header, edited"),  # the header
        lambda t: t + "y = 3\n",  # at the end
        lambda t: t.replace("  # trailing\n", "  # trailing"),  # no final newline
        lambda t: t.replace("\n\nclass Handler", "\n    # indented, after first\nclass Handler"),
        lambda t: t.replace("class Handler:", "else:\nclass Handler:"),  # only the prefix accepts it
        lambda t: t.replace("x = [1,", "x = [1,,"),  # a syntax error
        lambda t: t.replace("x = [1,", "x = [(1,"),  # an unclosed bracket swallowing the rest
        lambda t: t.replace("def first(a):\n", "def first(a):\n  '''doc'''\n"),  # a new first indent
        lambda t: t.replace("import os\n", "import os\nif 1:\n\tpass\n"),  # a new first indent
        lambda t: t.replace("class Handler", "@decorate\n\n# between\nclass Handler"),
        lambda t: t.replace("\n\n\nclass", "\n    \n\nclass"),  # whitespace-only line at the edge
        lambda t: t.replace("import os\n", "# -*- coding: latin-1 -*-\nimport os\n"),
        lambda t: t.replace("def first", "async def first"),
        lambda t: t.replace("first", "second"),  # several places
        lambda t: t.replace("\n", "\r\n"),  # every line
        lambda t: "",
        lambda t: t.replace("x = [1,\n     2]  # trailing\n", ""),  # the last statement deleted
    ],
)
def test_edits_match_a_full_parse(edit) -> None:  # type: ignore[no-untyped-def]
    reparse.forget()
    reparse.remember("a.py", BASE, cst.parse_module(BASE))
    check("a.py", edit(BASE))


def test_common_edits_take_the_cheap_path() -> None:
    reparse.forget()
    reparse.remember("a.py", BASE, cst.parse_module(BASE))
    assert check("a.py", BASE.replace("return 2", "return 22"))
    assert check("a.py", BASE.replace("return 2", "return 23"))
    assert check("a.py", BASE.replace("return 2", "return 23").replace("import os\n", "import os\nimport re\n"))
    assert check(
        "a.py", BASE.replace("return 2", "return 23").replace("import os\n", "import os\nimport re\n") + "y = 1\n"
    )
    assert not check("a.py", BASE.replace("x = [1,", "x = [(1,"))  # invalid: a full parse decides


def _files() -> list[tuple[str, str]]:
    out = []
    for base in (ROOT / "fixtures", ROOT / "tests" / "corpus"):
        for path in sorted(base.rglob("*.py")):
            text = path.read_text(encoding="utf-8")
            if full(text) is not None and text.count("\n") > 5:
                out.append((str(path.relative_to(ROOT)), text))
    return out


_SNIPPETS = [
    "x",
    "1",
    "(",
    ")",
    ":",
    "\n",
    "    ",
    "# c\n",
    "\n\n",
    "pass\n",
    "def g():\n    pass\n",
    "'",
    "\t",
    "\\\n",
]


@pytest.mark.parametrize(("name", "text"), _files(), ids=[name for name, _ in _files()])
def test_edit_chains_on_real_files(name: str, text: str) -> None:
    rng = random.Random(name)
    reparse.forget()
    reparse.remember(name, text, cst.parse_module(text))
    cheap = 0
    for _ in range(25):
        at = rng.randrange(len(text) + 1)
        if rng.random() < 0.5:
            new = text[:at] + rng.choice(_SNIPPETS) + text[at:]
        else:
            new = text[:at] + text[at + rng.randrange(1, 4) :]
        if check(name, new):
            cheap += 1
        if full(new) is not None:
            text = new
        else:
            reparse.remember(name, text, cst.parse_module(text))
    assert cheap >= 1


_LINES = st.sampled_from(
    [
        "x = 1",
        "# comment",
        "",
        "    ",
        "    # indented",
        "import a; b = 2",
        "@d",
        "def f():\n    return 1",
        "def g():\n\tif x:\n\t\tpass\n\t# tail",
        "class C:\n    a: int = 1",
        "y = (1,\n  2)",
        "z = \\\n  3",
        "if a: pass\nelif b: pass",
        "else:",
        "t = '''\n  x\n'''",
    ]
)


@settings(max_examples=200, deadline=None)
@given(st.lists(_LINES, min_size=1, max_size=10), st.lists(st.tuples(st.integers(0, 9), _LINES), max_size=4))
def test_property_line_edits(lines: list[str], edits: list[tuple[int, str]]) -> None:
    reparse.forget()
    text = "\n".join(lines) + "\n"
    base = full(text)
    if base is None:
        return
    reparse.remember("p.py", text, base)
    for where, line in edits:
        current = text.split("\n")
        current.insert(where % len(current), line)
        new = "\n".join(current)
        check("p.py", new)
        if full(new) is not None:
            text = new
            reparse.remember("p.py", text, cst.parse_module(text))


def test_engine_uses_it_and_findings_do_not_change() -> None:
    from helpers import _context, profile

    from cfw_lint.registry import all_rules, python_rules

    reparse.forget()
    source = (ROOT / "tests" / "corpus").rglob("*.py")
    rules = python_rules(all_rules())
    for path in sorted(source):
        text = path.read_text(encoding="utf-8")
        context = _context(str(path.relative_to(ROOT)), profile(), True)
        lint_python(text, context, rules)
        edited = text.replace("\n\n", "\n\n\n", 1)
        again = lint_python(edited, context, rules)
        reparse.forget()
        fresh = lint_python(edited, context, rules)
        assert [d.to_json() for d in again.diagnostics] == [d.to_json() for d in fresh.diagnostics]
    assert isinstance(parse("x = 1\n", "t.py"), cst.Module)
