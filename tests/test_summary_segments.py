"""The summary's source segments equal `ast.get_source_segment` (it splits the text once)."""

from __future__ import annotations

import ast

import pytest

from cfw_lint.summary import _Builder, summarize

CASES = [
    '__all__ = ["a", "b"]\n',
    '__all__ = ("é", \'ü\', "x")\r\nx = 1\r\n',
    '__all__ = [\n    "a",\n    """multi\nline""",\n]\n',
    'x = 1\r__all__ = ["a" "b", "c"]\r',
    '# ü\n__all__ = [b"x", "ä" ]\n',
]


@pytest.mark.parametrize("text", CASES)
def test_segments_match_ast(text: str) -> None:
    builder = _Builder(text)
    for node in ast.walk(ast.parse(text)):
        if isinstance(node, ast.Constant):
            assert builder._segment(node) == ast.get_source_segment(text, node)


def test_dunder_all_is_read_through_segments() -> None:
    assert summarize(CASES[1]).dunder_all == ["é", "ü", "x"]  # type: ignore[union-attr]
    assert summarize(CASES[3]).dunder_all is None  # type: ignore[union-attr]  # "a" "b" is concatenation
    assert summarize(CASES[2]).dunder_all == ["a", "multi\nline"]  # type: ignore[union-attr]
