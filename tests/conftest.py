import sys
from pathlib import Path

import pytest

# tests import their helpers as a plain module
sys.path.insert(0, str(Path(__file__).resolve().parent))

# Where every rule runs on every file and a report from a rule whose pre-filter
# (`PythonRule.could_fire`) ruled the file out fails the test (engine.PrefilterMissed).
_CHECKED = {"test_rule_pages.py", "test_engine_equivalence.py", "test_prefilters.py"}


@pytest.fixture(autouse=True)
def _check_prefilters(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    path = Path(str(request.node.path))
    if path.parent.name == "rules" or path.name in _CHECKED:
        from cfw_lint import engine

        monkeypatch.setattr(engine, "CHECK_PREFILTERS", True)
        monkeypatch.setenv("CFW_LINT_CHECK_PREFILTERS", "1")  # subprocesses
