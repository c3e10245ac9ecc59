"""CFW005 unused-noqa (ruff's RUF100) and `--add-noqa`."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from helpers import run_cli, write_project

WRANGLER = """\
name = "w"
main = "src/entry.py"
compatibility_date = "2026-03-01"
compatibility_flags = ["python_workers"]
"""


def lint(root: Path, *args: str):
    return run_cli(["--no-cache", "--select", "CFW0,CFW2,CFW7", *args], cwd=root)


def found(root: Path, *args: str) -> list[tuple[str, int, int, str]]:
    result = lint(root, "--output-format", "json", *args, ".")
    return [(d["code"], d["location"]["row"], d["location"]["column"], d["message"]) for d in json.loads(result.stdout)]


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return write_project(tmp_path, {"wrangler.toml": WRANGLER, "src/entry.py": "X = 1\n"})


def test_unused_unknown_and_non_enabled_codes(project):
    (project / "src/entry.py").write_text(
        "import random\n"
        "random.seed(1)  # noqa: CFW201\n"  # used
        "x = 1  # noqa: CFW201, E501\n"  # unused CFW201, E501 is another tool's
        "y = 2  # noqa: CFW999\n"  # unknown
        "z = 3  # noqa: CFW301\n"  # not enabled (--select CFW0,CFW2,CFW7)
        "w = 4  # noqa\n"  # blanket: left for other linters
        "v = 5  # noqa: E501\n"  # another tool's code only
    )
    assert [f for f in found(project) if f[0] == "CFW005"] == [
        ("CFW005", 3, 8, "Unused `noqa` directive (unused: `CFW201`)"),
        ("CFW005", 4, 8, "Unused `noqa` directive (unknown: `CFW999`)"),
        ("CFW005", 5, 8, "Unused `noqa` directive (non-enabled: `CFW301`)"),
    ]


def test_fix_removes_them_and_keeps_other_tools_codes(project):
    (project / "src/entry.py").write_text(
        "import random\n"
        "random.seed(1)  # noqa: CFW201\n"
        "x = 1  # noqa: CFW201, E501\n"
        "y = 2  # type: ignore  # noqa: CFW999\n"
        "# cfw-lint: noqa: CFW301\n"
        "z = 3\n"
    )
    result = lint(project, "--fix", ".")
    assert (project / "src/entry.py").read_text() == (
        "import random\nrandom.seed(1)  # noqa: CFW201\nx = 1  # noqa: E501\ny = 2  # type: ignore\nz = 3\n"
    )
    assert "CFW005" not in result.stdout
    again = lint(project, "--fix", "--output-format", "json", ".")
    assert json.loads(again.stdout) == [] and again.exit_code == 0


def test_fix_keeps_the_rest_of_the_comment(project):
    (project / "src/entry.py").write_text(
        "a = 1  # noqa: CFW201 - left from the old seed call\n"
        "b = 2  # noqa: CFW201  # type: ignore\n"
        "c = 3  # noqa: CFW201, E501 because\n"
    )
    lint(project, "--fix", ".")
    assert (project / "src/entry.py").read_text() == (
        "a = 1  # - left from the old seed call\nb = 2  # type: ignore\nc = 3  # noqa: E501 because\n"
    )


def test_fixed_file_parses_and_diff_shows_one_change_per_file(project):
    (project / "src/entry.py").write_text("import uuid\nX = uuid.uuid4()  # noqa: CFW201, CFW9\n")
    diff = lint(project, "--diff", ".").stdout
    # CFW201's own fix does not exist; the only change is the directive
    assert diff.count("--- a/src/entry.py") == 1
    assert "+X = uuid.uuid4()  # noqa: CFW201\n" in diff
    assert (project / "src/entry.py").read_text().endswith("CFW9\n"), "--diff changes nothing"


def test_used_by_a_project_rule_in_the_worker_config(project):
    (project / "wrangler.toml").write_text(WRANGLER.replace('["python_workers"]', '["nodejs_compat"]  # noqa: CFW701'))
    assert [f for f in found(project) if f[0] in ("CFW005", "CFW701")] == []
    (project / "wrangler.toml").write_text(WRANGLER.replace('["python_workers"]', '["python_workers"]  # noqa: CFW701'))
    assert [f[:3] for f in found(project) if f[0] == "CFW005"] == [("CFW005", 4, 43)]
    lint(project, "--fix", ".")
    assert (project / "wrangler.toml").read_text() == WRANGLER


def test_jsonc_config(tmp_path):
    write_project(
        tmp_path,
        {
            "wrangler.jsonc": '{\n  "name": "w",\n  "main": "src/entry.py",\n  "compatibility_date": "2026-03-01", // noqa: CFW706\n'
            '  "compatibility_flags": ["python_workers"]\n}\n',
            "src/entry.py": "X = 1\n",
        },
    )
    assert [f[:3] for f in found(tmp_path) if f[0] == "CFW005"] == [("CFW005", 4, 39)]
    lint(tmp_path, "--fix", ".")
    assert '"compatibility_date": "2026-03-01",\n' in (tmp_path / "wrangler.jsonc").read_text()


def test_blanket_file_directive_that_suppresses_nothing(project):
    (project / "src/entry.py").write_text("# cfw-lint: noqa\nX = 1\n")
    assert [f[:3] for f in found(project) if f[0] == "CFW005"] == [("CFW005", 1, 1)]
    (project / "src/entry.py").write_text("# cfw-lint: noqa\nimport random\nrandom.seed(1)\n")
    assert found(project) == []


def test_not_reported_where_rules_do_not_run_or_when_not_selected(project):
    # tests beside a Worker only get syntax checks: every directive there would look unused
    (project / "tests").mkdir()
    (project / "tests/test_x.py").write_text("import random\nrandom.seed(1)  # noqa: CFW201\n")
    assert [f for f in found(project) if f[0] == "CFW005"] == []
    (project / "src/entry.py").write_text("x = 1  # noqa: CFW201\n")
    assert [f for f in found(project, "--ignore", "CFW005") if f[0] == "CFW005"] == []
    # a directive naming CFW005 is left alone
    (project / "src/entry.py").write_text("x = 1  # noqa: CFW201, CFW005\n")
    assert found(project) == []


def test_cached_results_keep_usage(project):
    (project / "src/entry.py").write_text("import random\nrandom.seed(1)  # noqa: CFW201\nx = 1  # noqa: CFW201\n")
    args = ["--output-format", "json", "--select", "CFW0,CFW2", "."]
    first = run_cli(args, cwd=project).stdout
    second = run_cli(args, cwd=project).stdout  # from .cfw-lint-cache
    assert first == second and [d["location"]["row"] for d in json.loads(second)] == [3]


# -- --add-noqa -----------------------------------------------------------------------------
def test_add_noqa_python_and_config(project):
    (project / "wrangler.toml").write_text(WRANGLER.replace('["python_workers"]', '["nodejs_compat"]'))
    (project / "src/entry.py").write_text(
        "import random, uuid\n"
        "random.seed(1)  # noqa: E501\n"
        "X = max(\n    uuid.uuid4(),\n    2,\n)\n"
        'S = """text\n""" + str(uuid.uuid4())\n'
    )
    result = lint(project, "--add-noqa", ".")
    assert result.exit_code == 0, result.output
    assert "Added 3 noqa directives." in result.output
    assert "1 line" in result.output  # the multi-line string's first line cannot take a comment
    assert (project / "src/entry.py").read_text() == (
        "import random, uuid\n"
        "random.seed(1)  # noqa: E501, CFW201\n"
        "X = max(  # noqa: CFW201\n    uuid.uuid4(),\n    2,\n)\n"
        'S = """text\n""" + str(uuid.uuid4())\n'
    )
    assert '["nodejs_compat"]  # noqa: CFW701\n' in (project / "wrangler.toml").read_text()
    remaining = [f[0] for f in found(project)]
    assert remaining == ["CFW201"]  # only the one that could not be suppressed
    # running it again adds nothing
    assert "Added 0 noqa directives." in lint(project, "--add-noqa", ".").output
