"""Property tests for the pieces every fix and every config rule relies on."""

from __future__ import annotations

import json

from hypothesis import given, settings
from hypothesis import strategies as st

from cfw_lint.diagnostics import Edit
from cfw_lint.fixes import apply_edits, minimize, select_non_overlapping
from cfw_lint.diagnostics import Fix
from cfw_lint.project.jsonc import parse_jsonc
from cfw_lint.source import LineIndex, decode_python

TEXT = st.text(alphabet=st.sampled_from(list("ab \n\r\t#é")), max_size=60)


@st.composite
def text_and_edit(draw):
    text = draw(TEXT)
    start = draw(st.integers(0, len(text)))
    end = draw(st.integers(start, len(text)))
    content = draw(TEXT)
    return text, Edit(start, end, content)


@given(text_and_edit())
def test_minimized_edit_has_the_same_effect(case):
    text, edit = case
    narrowed = minimize(text, edit)
    expected = apply_edits(text, [edit])
    if narrowed is None:
        assert expected == text
    else:
        assert apply_edits(text, [narrowed]) == expected
        assert edit.start <= narrowed.start <= narrowed.end <= edit.end


@given(TEXT, st.lists(st.tuples(st.integers(0, 60), st.integers(0, 5), TEXT), max_size=6))
def test_selected_fixes_never_overlap_and_apply_in_any_order(text, raw):
    fixes = []
    for start, length, content in raw:
        start = min(start, len(text))
        end = min(start + length, len(text))
        fixes.append(Fix((Edit(start, end, content),)))
    chosen = select_non_overlapping(fixes)
    edits = [e for f in chosen for e in f.edits]
    for i, a in enumerate(edits):
        for b in edits[i + 1 :]:
            assert not a.overlaps(b)
    # back-to-front application equals applying each edit to the right slice of the original
    result = apply_edits(text, edits)
    pieces, cursor = [], 0
    for e in sorted(edits, key=lambda e: e.start):
        pieces.append(text[cursor : e.start])
        pieces.append(e.content)
        cursor = e.end
    pieces.append(text[cursor:])
    assert result == "".join(pieces)


JSON = st.recursive(
    st.none() | st.booleans() | st.integers(-10**6, 10**6) | st.text(max_size=8),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=6), children, max_size=4),
    max_leaves=15,
)


@settings(max_examples=150)
@given(JSON, st.integers(0, 3))
def test_jsonc_reads_what_json_writes(value, indent):
    text = json.dumps({"root": value}, indent=indent or None)
    data, positions, spans = parse_jsonc(text)
    assert data == {"root": value}
    line, column = positions[("root",)]
    lines = text.splitlines()
    assert lines[line - 1][column - 1] == '"'


@given(JSON)
def test_jsonc_with_comments_and_trailing_commas(value):
    body = json.dumps(value)
    text = f'// leading comment\n{{ /* block */ "a": {body}, // trailing\n "b": [1, 2,], }}\n'
    data, _, _ = parse_jsonc(text)
    assert data == {"a": value, "b": [1, 2]}


@given(TEXT)
def test_line_index_round_trips(text):
    index = LineIndex(text)
    for offset in range(len(text) + 1):
        pos = index.position(offset)
        assert index.offset(pos.line, pos.column - 1) == offset


@given(st.text(max_size=40))
def test_decoding_utf8_round_trips(text):
    data = text.encode("utf-8", errors="surrogatepass")
    try:
        source = decode_python(data)
    except Exception:
        return  # undecodable input is CFW002's business
    assert source.encode(source.text) == data
