"""Start-up stays cheap: `--version`, `rules` and `rule CODE` never import LibCST or a rule module,
and the rule table they read (cfw_lint/data/rules.json) says what the rules say."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from cfw_lint.registry import TABLE, all_rules

ROOT = Path(__file__).resolve().parent.parent

PROBE = """
import contextlib, io, runpy, sys
sys.argv = ["cfw-lint", *sys.argv[1:]]
out = io.StringIO()
try:
    with contextlib.redirect_stdout(out):
        runpy.run_module("cfw_lint", run_name="__main__")
except SystemExit:
    pass
loaded = sorted(m for m in sys.modules if m == "libcst" or m.startswith(("libcst.", "cfw_lint.rules.")))
print(repr((loaded, out.getvalue())))
"""


@pytest.mark.parametrize("args", [["--version"], ["rules"], ["rules", "--output-format", "json"], ["rule", "CFW201"]])
def test_no_libcst_and_no_rule_module_imported(args: list[str]) -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", "")}
    done = subprocess.run([sys.executable, "-c", PROBE, *args], capture_output=True, text=True, env=env, check=True)
    loaded, output = eval(done.stdout.strip().splitlines()[-1])  # noqa: S307 - our own repr
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
