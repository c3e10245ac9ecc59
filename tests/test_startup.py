"""Start-up stays cheap: `--version`, `rules` and `rule CODE` never import LibCST or a rule module,
and the rule table they read (cfw_lint/data/rules.json) says what the rules say."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from cfw_lint.registry import TABLE, all_rules
from helpers import loaded_by_cli

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize("args", [["--version"], ["rules"], ["rules", "--output-format", "json"], ["rule", "CFW201"]])
def test_no_libcst_and_no_rule_module_imported(args: list[str]) -> None:
    loaded, output = loaded_by_cli(args)
    assert loaded == []
    assert output.strip()  # the command still printed its answer
    if args[0] == "rules" and "json" in args:
        assert json.loads(output) == [r.meta() for r in all_rules().values()]
    elif args[0] == "rules":
        assert len(output.strip().splitlines()) == len(all_rules())
        assert output.splitlines()[0].startswith("CFW001  syntax-error")


def test_rule_table_is_current() -> None:
    recorded = json.loads(TABLE.read_text(encoding="utf-8"))
    assert recorded == {c: r.meta() for c, r in all_rules().items()}, (
        "cfw_lint/data/rules.json is stale: run `python -m cfw_lint.registry`"
    )
