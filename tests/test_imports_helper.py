"""The shared import-editing helpers used by fixes (ensure_from_import, ensure_import,
remove_from_import): imports added once, in the existing block, in the file's own style."""

from __future__ import annotations

import libcst as cst
import pytest
from libcst.metadata import MetadataWrapper, PositionProvider, WhitespaceInclusivePositionProvider

from cfw_lint.analysis.imports import ensure_from_import, ensure_import, find_from_import, remove_from_import
from cfw_lint.fixes import FixBuilder, apply_edits
from cfw_lint.source import LineIndex


def run(source: str, action) -> str:
    module = cst.parse_module(source)
    wrapper = MetadataWrapper(module, unsafe_skip_copy=True)
    fx = FixBuilder(
        module,
        source,
        LineIndex(source),
        wrapper.resolve(PositionProvider),
        wrapper.resolve(WhitespaceInclusivePositionProvider),
    )
    action(fx)
    result = apply_edits(source, fx.edits)
    cst.parse_module(result)
    return result


@pytest.mark.parametrize(
    "source,expected",
    [
        ("from js import fetch\n", "from js import fetch, Object\n"),
        (
            "from js import (\n    Response,\n    fetch,\n)\n",
            "from js import (\n    Response,\n    fetch,\n    Object,\n)\n",
        ),
        ("from js import (\n    fetch,  # raw\n)\n", "from js import (\n    fetch,  # raw\n    Object,\n)\n"),
        ("from js import (\n    fetch,\n)\n", "from js import (\n    fetch,\n    Object,\n)\n"),
        ("from js import Object\n", "from js import Object\n"),
        ('"""Doc."""\nimport os\n\nx = 1\n', '"""Doc."""\nimport os\nfrom js import Object\n\nx = 1\n'),
        (
            "#!/usr/bin/env python\n# comment\nx = 1\n",
            "#!/usr/bin/env python\n# comment\nfrom js import Object\nx = 1\n",
        ),
        (
            "from __future__ import annotations\nimport os\r\nx = 1\r\n",
            "from __future__ import annotations\nimport os\r\nfrom js import Object\r\nx = 1\r\n",
        ),
    ],
)
def test_ensure_from_import(source, expected):
    assert run(source, lambda fx: ensure_from_import(fx, "js", "Object")) == expected


def test_ensure_from_import_returns_existing_alias():
    names = []
    run("from js import Object as JsObject\n", lambda fx: names.append(ensure_from_import(fx, "js", "Object")))
    assert names == ["JsObject"]


def test_ensure_import():
    assert (
        run("import os\n\nx = 1\n", lambda fx: ensure_import(fx, "asyncio")) == "import os\nimport asyncio\n\nx = 1\n"
    )
    assert run("import asyncio\n", lambda fx: ensure_import(fx, "asyncio")) == "import asyncio\n"


@pytest.mark.parametrize(
    "source,expected",
    [
        ("from pyodide.ffi import to_py\nx = 1\n", "x = 1\n"),
        ("from pyodide.ffi import to_js, to_py\n", "from pyodide.ffi import to_js\n"),
        ("from pyodide.ffi import (to_py, to_js)\n", "from pyodide.ffi import to_js\n"),
        ("from pyodide.ffi import (\n    to_js,\n    to_py,\n)\n", "from pyodide.ffi import (\n    to_js,\n)\n"),
    ],
)
def test_remove_from_import(source, expected):
    def action(fx):
        stmt, small = find_from_import(fx.module, "pyodide.ffi", "to_py")
        remove_from_import(fx, stmt, small, {"to_py"})

    assert run(source, action) == expected


def test_replacing_a_multi_line_expression_keeps_block_indentation():
    source = "def f():\n    if x:\n        y = call(\n            a,\n            b,\n        )\n"

    def action(fx):
        call = fx.module.body[0].body.body[0].body.body[0].body[0].value
        fx.replace(call, call.with_changes(func=cst.Name("other")))

    assert run(source, action) == "def f():\n    if x:\n        y = other(\n            a,\n            b,\n        )\n"


def test_replacing_a_multi_line_expression_in_a_compound_header():
    source = "class A:\n    def f(self):\n        for i in range(\n            3,\n        ):\n            pass\n"

    def action(fx):
        loop = fx.module.body[0].body.body[0].body.body[0]
        fx.replace(loop.iter, loop.iter.with_changes(func=cst.Name("xrange")))

    assert (
        run(source, action)
        == "class A:\n    def f(self):\n        for i in xrange(\n            3,\n        ):\n            pass\n"
    )
