"""Real code at scale: --fix --unsafe-fixes over a copy of the running interpreter's standard library.

CI runs a deterministic subset; CFW_LINT_STDLIB_FULL=1 runs the whole standard library (slow)."""

from __future__ import annotations

import importlib.util
import os
from pathlib import Path

SCRIPT = Path(__file__).resolve().parent.parent / "scripts" / "stdlib_fix_check.py"


def _script():
    spec = importlib.util.spec_from_file_location("stdlib_fix_check", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_subset_is_deterministic_and_spread_over_the_tree():
    script = _script()
    files = script.stdlib_files()
    chosen = script.pick(files, 16)
    assert chosen == script.pick(files, 16)
    assert len(chosen) == 16 and len({p.parent for p in chosen}) > 3


def test_fix_over_the_standard_library_is_safe_and_stable(capsys):
    script = _script()
    count = None if os.environ.get("CFW_LINT_STDLIB_FULL") else 16
    problems = script.check(count)
    assert problems == []
    assert "files" in capsys.readouterr().out
