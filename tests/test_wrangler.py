"""Worker config reading: environments with wrangler's inheritance, key positions, and the TOML
round-trip edits (tomlkit, narrowed to the changed region)."""

from __future__ import annotations

from pathlib import Path

import pytest

from cfw_lint.fixes import apply_edits
from cfw_lint.project.config_edit import add_to_array, add_top_level_key, remove_from_array, set_string
from cfw_lint.project.wrangler import load_worker_config
from cfw_lint.tomlcompat import tomllib

TOML = """\
name = "py"  # the Python Worker
main = "src/entry.py"
compatibility_date = "2025-07-01"
compatibility_flags = [
  "python_workers",
  "python_workflows",  # for the Workflow
]

[[workflows]]
name = "wf"
binding = "WF"
class_name = "Pipeline"

[env.staging]
compatibility_date = "2025-10-01"

[env.legacy]
main = "src/legacy.py"
compatibility_flags = ["python_workers"]
workflows = []
"""


def load(text: str, name: str = "wrangler.toml"):
    return load_worker_config(Path("/p") / name, text)


def test_environments_inherit_date_flags_and_main_but_not_bindings():
    config = load(TOML)
    top, staging, legacy = config.settings()
    assert (top.env, staging.env, legacy.env) == (None, "staging", "legacy")
    assert staging.compatibility_date == "2025-10-01"
    assert staging.key("compatibility_date") == ("env", "staging", "compatibility_date")
    assert staging.flags == ["python_workers", "python_workflows"]
    assert staging.key("compatibility_flags") == ("compatibility_flags",)
    assert staging.main == "src/entry.py"
    assert staging.own("workflows") is None  # bindings are not inherited
    assert legacy.main == "src/legacy.py" and legacy.flags == ["python_workers"]
    assert legacy.own("workflows") == []
    assert staging.name == "py-staging" and top.name == "py"
    assert config.effective("legacy").main_path() == Path("/p/src/legacy.py").resolve()
    with pytest.raises(KeyError):
        config.effective("nope")


def test_positions_of_env_keys_and_array_elements():
    config = load(TOML)
    assert config.position("compatibility_flags", 1) == (6, 3)
    assert config.position("workflows", 0, "class_name") == (12, 1)
    assert config.position("env", "staging", "compatibility_date") == (15, 1)
    assert config.position("env", "legacy", "compatibility_flags", 0) == (19, 24)


def test_jsonc_environments():
    config = load(
        '{\n  "main": "src/entry.py",\n  "env": {\n    "dev": {"compatibility_flags": ["python_workers"]}\n  }\n}',
        "wrangler.jsonc",
    )
    dev = config.effective("dev")
    assert dev.key("compatibility_flags") == ("env", "dev", "compatibility_flags")
    assert config.position(*dev.key("compatibility_flags"), 0) == (4, 37)
    assert dev.key("compatibility_date") is None


@pytest.mark.parametrize(
    "text,expected",
    [
        ('main = "src/entry.py"\n', True),
        ('main = "src/index.ts"\ncompatibility_flags = ["nodejs_compat"]\n', False),
        ('main = "src/index.ts"\n[env.py]\ncompatibility_flags = ["python_workers"]\n', True),
        ('name = "x"\n', False),
    ],
)
def test_is_python_worker(text, expected):
    assert load(text).is_python_worker() is expected


def edited(text: str, make) -> str:
    config = load(text)
    edit = make(config)
    assert edit is not None
    out = apply_edits(text, [edit])
    tomllib.loads(out)
    return out


def test_toml_append_keeps_comments_and_layout():
    out = edited(TOML, lambda c: add_to_array(c, ("env", "legacy", "compatibility_flags"), "python_workflows"))
    assert out == TOML.replace('["python_workers"]\nworkflows', '["python_workers", "python_workflows"]\nworkflows')
    out = edited(TOML, lambda c: add_to_array(c, ("compatibility_flags",), "x"))
    assert '  "python_workflows",  # for the Workflow\n  "x",\n]' in out


def test_toml_edits_are_narrow():
    config = load(TOML)
    edit = set_string(config, ("env", "staging", "compatibility_date"), "2025-11-01")
    assert edit is not None and edit.end - edit.start == 1  # just the digit that changes
    assert apply_edits(TOML, [edit]) == TOML.replace('"2025-10-01"', '"2025-11-01"')


def test_toml_remove_element_with_its_comment():
    out = edited(TOML, lambda c: remove_from_array(c, ("compatibility_flags",), 1))
    assert out == TOML.replace('  "python_workflows",  # for the Workflow\n', "")


def test_toml_add_key_goes_before_the_first_table_and_keeps_crlf():
    text = 'main = "src/entry.py"\r\ncompatibility_date = "2025-11-01"  # pinned\r\n\r\n[vars]\r\nA = "1"\r\n'
    out = edited(text, lambda c: add_top_level_key(c, "compatibility_flags", ["python_workers"]))
    assert out == (
        'main = "src/entry.py"\r\ncompatibility_date = "2025-11-01"  # pinned\r\n'
        'compatibility_flags = ["python_workers"]\r\n\r\n[vars]\r\nA = "1"\r\n'
    )


def test_toml_date_literal_becomes_a_string():
    out = edited(
        "compatibility_date = 2025-07-01 # old\n", lambda c: set_string(c, ("compatibility_date",), "2025-08-14")
    )
    assert out == 'compatibility_date = "2025-08-14" # old\n'


def test_toml_positions_inline_tables_nested_arrays_and_strings():
    from cfw_lint.project.wrangler import toml_key_positions

    text = (
        'a = [ { n = "A", c = "P" },\n  { n = "B" } ]\n'
        '[[x]]\ny = 1\n[[x]]\ny = 2\n[[x.s]]\nz = """a\n[not.a.table]\nb"""\nq = 3\n'
        "[e.b]\n\"quoted key\" = 'v' # c\nd.e = [[1, 2], ['#']]\n"
    )
    tomllib.loads(text)
    pos = toml_key_positions(text)
    assert pos[("a", 0, "c")] == (1, 18)
    assert pos[("a", 1, "n")] == (2, 5)
    assert pos[("x", 1, "y")] == (6, 1)
    assert pos[("x", 1, "s", 0, "q")] == (11, 1)
    assert ("not", "a", "table") not in pos
    assert pos[("e", "b", "quoted key")] == (13, 1)
    assert pos[("e", "b", "d", "e", 1, 0)] == (14, 17)


@pytest.mark.parametrize(
    "text",
    [
        'f = ["a", "b", "c"]\n',
        'f = ["a","b","c"]  # c\n',
        'f = ["a", "b", "c",]\n',
        'f = [\n  "a",  # one\n  "b",\n  "c"\n]\n',
        'f = [\r\n  "a",\r\n  "b",\r\n  "c",\r\n]\r\n',
        "f = ['a', 'b', 'c']\n",
    ],
)
def test_toml_every_removal_and_addition(text):
    for index in range(3):
        out = apply_edits(text, [remove_from_array(load(text), ("f",), index)])
        assert tomllib.loads(out)["f"] == [x for i, x in enumerate("abc") if i != index], out
        if "\r\n" in text:
            assert "\n" not in out.replace("\r\n", "")
    out = apply_edits(text, [add_to_array(load(text), ("f",), "p")])
    assert tomllib.loads(out)["f"] == ["a", "b", "c", "p"]


def test_toml_new_key_after_the_date_and_never_between_a_table_and_its_comment():
    text = 'main = "x.py"\ncompatibility_date = "2025-11-01" # d\nname = "w"\n\n# KV for caching\n[[kv_namespaces]]\nbinding = "A"\n'
    out = edited(
        text, lambda c: add_top_level_key(c, "compatibility_flags", ["python_workers"], after="compatibility_date")
    )
    assert out == text.replace("# d\n", '# d\ncompatibility_flags = ["python_workers"]\n')
    out = edited(text, lambda c: add_top_level_key(c, "compatibility_flags", ["python_workers"]))
    assert out == text.replace('name = "w"\n', 'name = "w"\ncompatibility_flags = ["python_workers"]\n')
    only_tables = "# vars\n[vars]\nA = 1\n"
    assert edited(only_tables, lambda c: add_top_level_key(c, "f", ["x"])) == 'f = ["x"]\n' + only_tables
    no_newline = 'main = "x.py"  # m'
    assert edited(no_newline, lambda c: add_top_level_key(c, "f", [])) == 'main = "x.py"  # m\nf = []\n'


def test_toml_value_spans():
    config = load(TOML)
    text = config.text
    assert text[slice(*config.spans[("compatibility_date",)])] == '"2025-07-01"'
    assert text[slice(*config.spans[("compatibility_flags", 1)])] == '"python_workflows"'
    assert text[slice(*config.spans[("workflows", 0, "class_name")])] == '"Pipeline"'
    five = load("a = 5   # five\n")
    assert five.text[slice(*five.spans[("a",)])] == "5"
