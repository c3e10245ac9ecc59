"""The CFW7xx rules on configs with values of the wrong type: diagnostics, never a crash."""

import pytest

from cfw7_helpers import project
from helpers import run_cli

WEIRD = [
    "main = 5\ncompatibility_date = 20251101\ncompatibility_flags = { a = 1 }\n",
    'main = "src/entry.py"\ncompatibility_flags = ["python_workers", 3, ["x"], { y = 1 }]\nenv = "x"\n',
    'main = "src/entry.py"\ncompatibility_flags = ["python_workers"]\nworkflows = "x"\ndurable_objects = []\nmigrations = { a = 1 }\nservices = { b = 2 }\n',
    'name = "w"\nmain = "src/entry.py"\ncompatibility_flags = ["python_workers"]\nworkflows = [1, { class_name = 2 }, { class_name = "X", script_name = "" }]\n'
    'durable_objects = { bindings = "no" }\nmigrations = [1, { new_classes = "A", renamed_classes = [1, { to = 3 }], deleted_classes = [2] }]\n'
    'services = [1, { service = ["a"] }, { service = "other" }]\n\n[env.a]\nmain = ""\ncompatibility_flags = []\n',
]


@pytest.mark.parametrize("toml", WEIRD)
def test_no_internal_errors(tmp_path, toml):
    project(tmp_path, {"wrangler.toml": toml})
    result = run_cli(["--no-cache", "--select", "CFW7", "."], cwd=tmp_path)
    assert result.exit_code in (0, 1), result.output
    assert "internal error" not in result.output + (result.stderr or "")
    fixed = run_cli(["--no-cache", "--select", "CFW7", "--fix", "--unsafe-fixes", "."], cwd=tmp_path)
    assert "internal error" not in fixed.output + (fixed.stderr or "")


def test_json_with_wrong_types(tmp_path):
    project(
        tmp_path,
        {
            "wrangler.json": '{"main": ["src/entry.py"], "compatibility_date": null, "env": {"a": 1, "b": {"compatibility_flags": "python_workers"}}}'
        },
    )
    result = run_cli(["--no-cache", "--select", "CFW7", "."], cwd=tmp_path)
    assert "internal error" not in result.output + (result.stderr or "")


def test_other_configs_with_wrong_types(tmp_path):
    project(
        tmp_path / "py",
        {
            "wrangler.toml": 'name = "py"\nmain = "src/entry.py"\ncompatibility_date = "2025-11-01"\ncompatibility_flags = ["python_workers"]\n'
        },
    )
    project(
        tmp_path / "js",
        {
            "wrangler.toml": 'name = "js"\nservices = [1, { service = ["py"] }, { service = "py" }]\n\n[env.x]\nservices = "py"\n',
            "package.json": '{"devDependencies": {"wrangler": "4.1.0"}}',
        },
        entry=None,
    )
    result = run_cli(["--no-cache", "--select", "CFW710", "."], cwd=tmp_path)
    assert "internal error" not in result.output + (result.stderr or "")
    assert "CFW710" in result.output  # the well-formed entry is still found
