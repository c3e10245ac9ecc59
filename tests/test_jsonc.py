"""JSONC reading (positions, spans, key offsets) and the minimal JSONC/JSON edits of
cfw_lint.project.config_edit: every result parses, keeps comments, and adds no trailing comma."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from cfw_lint.fixes import apply_edits
from cfw_lint.project.config_edit import add_to_array, add_top_level_key, remove_from_array, set_string
from cfw_lint.project.jsonc import JsoncError, parse_jsonc, parse_jsonc_document
from cfw_lint.project.wrangler import load_worker_config


def load(text: str, name: str = "wrangler.jsonc"):
    return load_worker_config(Path("/p") / name, text)


def edited(text: str, make, name: str = "wrangler.jsonc") -> str:
    config = load(text, name)
    edit = make(config)
    assert edit is not None
    out = apply_edits(text, [edit])
    parse_jsonc(out)  # still JSONC
    if name.endswith(".json"):
        json.loads(out)  # and strict JSON stays strict JSON
    return out


def test_positions_spans_and_key_offsets():
    text = '{\n  // c\n  "main": "src/entry.py",\n  "compatibility_flags": ["a", "b",],\n}\n'
    doc = parse_jsonc_document(text)
    assert doc.positions[("main",)] == (3, 3)
    assert doc.positions[("compatibility_flags", 1)] == (4, 32)
    assert text[slice(*doc.spans[("compatibility_flags",)])] == '["a", "b",]'
    assert text[doc.key_offsets[("compatibility_flags",)] :].startswith('"compatibility_flags"')


def test_errors_carry_line_and_column():
    with pytest.raises(JsoncError) as exc:
        parse_jsonc('{\n  "a": 1\n  "b": 2\n}')
    assert (exc.value.line, exc.value.column) == (3, 3)


# -- adding a flag ---------------------------------------------------------------------------
@pytest.mark.parametrize(
    "before,after",
    [
        ('{"compatibility_flags": ["nodejs_compat"]}', '{"compatibility_flags": ["python_workers", "nodejs_compat"]}'),
        ('{"compatibility_flags": []}', '{"compatibility_flags": ["python_workers"]}'),
        ('{"compatibility_flags": [ ]}', '{"compatibility_flags": ["python_workers"]}'),
        ('{"compatibility_flags": [ /* none */ ]}', '{"compatibility_flags": ["python_workers" /* none */ ]}'),
        (
            '{\n  "compatibility_flags": [\n    // node APIs\n    "nodejs_compat",\n  ],\n}',
            '{\n  "compatibility_flags": [\n    // node APIs\n    "python_workers",\n    "nodejs_compat",\n  ],\n}',
        ),
        (
            '{\r\n  "compatibility_flags": [\r\n    "nodejs_compat"\r\n  ]\r\n}\r\n',
            '{\r\n  "compatibility_flags": [\r\n    "python_workers",\r\n    "nodejs_compat"\r\n  ]\r\n}\r\n',
        ),
    ],
)
def test_add_to_array(before, after):
    assert edited(before, lambda c: add_to_array(c, ("compatibility_flags",), "python_workers")) == after


def test_add_to_array_in_an_environment():
    before = '{\n  "env": {\n    "staging": {"compatibility_flags": ["a"]}\n  }\n}'
    out = edited(before, lambda c: add_to_array(c, ("env", "staging", "compatibility_flags"), "python_workers"))
    assert out == '{\n  "env": {\n    "staging": {"compatibility_flags": ["python_workers", "a"]}\n  }\n}'


def test_add_to_something_that_is_not_an_array_is_refused():
    config = load('{"compatibility_flags": "python_workers"}')
    assert add_to_array(config, ("compatibility_flags",), "x") is None


# -- adding a key ----------------------------------------------------------------------------
def test_add_key_after_the_date_with_the_file_indentation():
    before = (
        '{\n\t"name": "w", // the name\n\t"main": "src/entry.py",\n'
        '\t"compatibility_date": "2025-11-01",\n\t"vars": {}\n}\n'
    )
    out = edited(
        before, lambda c: add_top_level_key(c, "compatibility_flags", ["python_workers"], after="compatibility_date")
    )
    assert out == (
        '{\n\t"name": "w", // the name\n\t"main": "src/entry.py",\n'
        '\t"compatibility_date": "2025-11-01",\n\t"compatibility_flags": ["python_workers"],\n\t"vars": {}\n}\n'
    )


def test_add_key_after_the_last_member_moves_the_comma():
    before = '{\n  "main": "src/entry.py",\n  "compatibility_date": "2025-11-01"\n}'
    out = edited(
        before,
        lambda c: add_top_level_key(c, "compatibility_flags", ["python_workers"], after="compatibility_date"),
        "wrangler.json",
    )
    assert (
        out
        == '{\n  "main": "src/entry.py",\n  "compatibility_date": "2025-11-01",\n  "compatibility_flags": ["python_workers"]\n}'
    )


def test_add_key_keeps_comments_with_their_members():
    before = '{\r\n  "compatibility_date": "2025-11-01", // pinned\r\n  // logs\r\n  "observability": {},\r\n}\r\n'
    out = edited(
        before, lambda c: add_top_level_key(c, "compatibility_flags", ["python_workers"], after="compatibility_date")
    )
    assert out == (
        '{\r\n  "compatibility_date": "2025-11-01", // pinned\r\n  "compatibility_flags": ["python_workers"],\r\n'
        '  // logs\r\n  "observability": {},\r\n}\r\n'
    )
    last = '{\n  "compatibility_date": "2025-11-01", // pinned\n}'
    out = edited(
        last, lambda c: add_top_level_key(c, "compatibility_flags", ["python_workers"], after="compatibility_date")
    )
    assert out == '{\n  "compatibility_date": "2025-11-01", // pinned\n  "compatibility_flags": ["python_workers"]\n}'


@pytest.mark.parametrize(
    "before,after",
    [
        ('{"main": "a.py"}', '{"compatibility_flags": ["python_workers"], "main": "a.py"}'),
        ("{}", '{"compatibility_flags": ["python_workers"]}'),
        ("{ // empty\n}", '{"compatibility_flags": ["python_workers"] // empty\n}'),
    ],
)
def test_add_key_inline_and_empty(before, after):
    assert edited(before, lambda c: add_top_level_key(c, "compatibility_flags", ["python_workers"])) == after


def test_add_key_that_exists_is_refused():
    assert add_top_level_key(load('{"compatibility_flags": []}'), "compatibility_flags", []) is None


# -- removing a flag -------------------------------------------------------------------------
@pytest.mark.parametrize(
    "before,index,after",
    [
        ('{"f": ["a", "x", "b"]}', 1, '{"f": ["a", "b"]}'),
        ('{"f": ["x", "b"]}', 0, '{"f": ["b"]}'),
        ('{"f": ["a", "x"]}', 1, '{"f": ["a"]}'),
        ('{"f": ["a", "x",]}', 1, '{"f": ["a",]}'),
        ('{"f": ["x"]}', 0, '{"f": []}'),
        ('{"f": [ "x" ]}', 0, '{"f": [  ]}'),
        # one element per line: the line goes, with the comment that is on it
        (
            '{\n  "f": [\n    "a",\n    "x", // for workflows\n    "b"\n  ]\n}',
            1,
            '{\n  "f": [\n    "a",\n    "b"\n  ]\n}',
        ),
        # the last one: its predecessor's comma goes too, the predecessor's comment stays
        ('{\n  "f": [\n    "a", // keep me\n    "x"\n  ]\n}', 1, '{\n  "f": [\n    "a" // keep me\n  ]\n}'),
        ('{\n  "f": [\n    "a",\n    "x",\n  ]\n}', 1, '{\n  "f": [\n    "a",\n  ]\n}'),
        ('{\r\n  "f": [\r\n    "a",\r\n    "x"\r\n  ]\r\n}', 1, '{\r\n  "f": [\r\n    "a"\r\n  ]\r\n}'),
        ('{\n  "f": [\n    "x"\n  ]\n}', 0, '{\n  "f": [\n  ]\n}'),
    ],
)
def test_remove_from_array(before, index, after):
    name = "wrangler.jsonc" if ("//" in before or ",]" in before or ",\n  ]" in before) else "wrangler.json"
    assert edited(before, lambda c: remove_from_array(c, ("f",), index), name) == after


def test_set_string_replaces_only_the_value():
    before = '{\n  "compatibility_date": "2025-07-01", // pinned\n}'
    out = edited(before, lambda c: set_string(c, ("compatibility_date",), "2025-08-14"))
    assert out == '{\n  "compatibility_date": "2025-08-14", // pinned\n}'


LAYOUTS = [
    '{"f": ["a", "b", "c"]}',
    '{"f": ["a","b","c"]}',
    '{"f": [ "a" , "b" , "c" ]}',
    '{"f": ["a", "b", "c",]}',
    '{\n  "f": [\n    "a",\n    "b",\n    "c"\n  ]\n}',
    '{\n  "f": [\n    "a", // one\n    "b", /* two */\n    "c" // three\n  ],\n}',
    '{\n  "f": [\n    // first\n    "a",\n    "b",\n    "c",\n  ]\n}',
    '{\r\n  "f": [\r\n    "a",\r\n    "b",\r\n    "c"\r\n  ]\r\n}\r\n',
    '{"f": [\n  "a", "b",\n  "c"\n]}',
]


@pytest.mark.parametrize("text", LAYOUTS)
def test_every_removal_and_addition_on_every_layout(text):
    strict = "//" not in text and "/*" not in text and ",]" not in text and ",\n  ]" not in text
    for index in range(3):
        config = load(text)
        out = apply_edits(text, [remove_from_array(config, ("f",), index)])
        expected = [x for i, x in enumerate(["a", "b", "c"]) if i != index]
        assert parse_jsonc(out)[0]["f"] == expected, out
        if strict:
            assert json.loads(out)["f"] == expected
        for kept in ("// one", "/* two */", "// three", "// first"):
            # a comment survives unless it sat on the removed element's own line
            if kept in text and not (kept == "// one" and index == 0) and not (kept == "// three" and index == 2):
                assert kept in out, (index, out)
    out = apply_edits(text, [add_to_array(load(text), ("f",), "p")])
    assert parse_jsonc(out)[0]["f"] == ["p", "a", "b", "c"]
    if strict:
        json.loads(out)
