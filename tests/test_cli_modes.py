"""ruff's run modes: --fix-only, --exit-non-zero-on-fix, --show-settings, --show-files, --watch;
and `cfw-lint profile` naming where each enabled flag comes from."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from helpers import run_cli, write_project

ROOT = Path(__file__).resolve().parent.parent
WRANGLER = """\
name = "w"
main = "src/entry.py"
compatibility_date = "2026-03-01"
compatibility_flags = ["python_workers"]
"""
ENTRY = """\
import random

from workers import Response, WorkerEntrypoint

random.seed(1)


class Default(WorkerEntrypoint):
    async def fetch(self, request):
        return Response({"ok": True})
"""


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return write_project(tmp_path, {"wrangler.toml": WRANGLER, "src/entry.py": ENTRY})


def cli(root: Path, *args: str):
    return run_cli(["--no-cache", "--select", "CFW201,CFW407", *args, "."], cwd=root)


def test_fix_only_fixes_and_does_not_report_or_fail(project):
    result = cli(project, "--fix-only")
    assert result.exit_code == 0
    assert "Fixed 1 problem." in result.output and "CFW201" not in result.output
    assert "Response.json(" in (project / "src/entry.py").read_text()
    again = cli(project, "--fix-only")
    assert again.exit_code == 0 and "No problems fixed." in again.output


def test_exit_non_zero_on_fix(project):
    (project / "src/entry.py").write_text(ENTRY.replace("random.seed(1)\n", ""))
    assert cli(project, "--fix", "--exit-non-zero-on-fix").exit_code == 1  # fixed, nothing remains
    assert cli(project, "--fix", "--exit-non-zero-on-fix").exit_code == 0  # nothing to fix
    (project / "src/entry.py").write_text(ENTRY)
    assert cli(project, "--fix-only", "--exit-non-zero-on-fix").exit_code == 1
    assert cli(project, "--fix").exit_code == 1  # CFW201 remains
    (project / "src/entry.py").write_text(ENTRY.replace("random.seed(1)\n", ""))
    assert cli(project, "--fix").exit_code == 0  # fixed everything: ruff exits 0


def test_show_files(project):
    (project / "README.md").write_text("x")
    (project / "node_modules").mkdir()
    (project / "node_modules/x.py").write_text("x = 1\n")
    result = run_cli(["--show-files"], cwd=project)
    assert result.exit_code == 0
    assert result.stdout.splitlines() == ["src/entry.py", "wrangler.toml"]


def test_show_settings(project):
    (project / "pyproject.toml").write_text(
        '[tool.cfw-lint]\nignore = ["CFW3"]\nunfixable = ["CFW407"]\noutput-format = "concise"\n'
        'per-file-ignores = { "tests/*" = ["CFW2"] }\n'
    )
    result = run_cli(["--show-settings", "--extend-select", "CFW301", "src/entry.py"], cwd=project)
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert out.startswith("Resolved settings for: src/entry.py\n")
    assert f"Settings file: {project / 'pyproject.toml'}" in out
    assert 'ignore = ["CFW3"]\n' in out and 'unfixable = ["CFW407"]\n' in out
    assert 'output-format = "concise"\n' in out and 'per-file-ignores = ["tests/* = CFW2"]\n' in out
    assert '"CFW201"' in out.split("enabled-rules = ")[1].splitlines()[0]
    assert '"CFW301"' in out.split("enabled-rules = ")[1].splitlines()[0]  # the command line counts
    assert '"CFW407"' not in out.split("fixable-rules = ")[1].splitlines()[0]
    assert 'compatibility-date = "2026-03-01"\n' in out and 'python = "3.13"\n' in out
    assert "main-module = true\n" in out
    # without paths: the first Python file, not pyproject.toml or wrangler.toml
    assert run_cli(["--show-settings"], cwd=project).stdout.startswith("Resolved settings for: src/entry.py\n")


def test_watch_lints_again_after_a_change(project):
    (project / "src/entry.py").write_text("X = 1\n")
    env = {**os.environ, "PYTHONPATH": str(ROOT), "PYTHONUNBUFFERED": "1", "NO_COLOR": "1"}
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "cfw_lint",
            "--watch",
            "--no-cache",
            "--select",
            "CFW201",
            "--output-format",
            "concise",
            ".",
        ],
        cwd=project,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        lines: list[str] = []

        def wait_for(text: str, timeout: float = 20.0) -> None:
            deadline = time.monotonic() + timeout
            while not any(text in line for line in lines):
                assert time.monotonic() < deadline, f"no {text!r} in {lines}"
                line = proc.stdout.readline()  # type: ignore[union-attr]
                assert line, f"the watcher exited: {lines}"
                lines.append(line)

        wait_for("All checks passed!")
        time.sleep(0.2)
        (project / "src/entry.py").write_text("import random\nrandom.seed(1)\n")
        wait_for("File change detected")
        wait_for("src/entry.py:2:1: CFW201")
        wait_for("Found 1 error.")
        assert proc.poll() is None, "still watching"
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def test_profile_names_where_flags_come_from(project):
    (project / "wrangler.toml").write_text(
        WRANGLER.replace('["python_workers"]', '["python_workers", "nodejs_compat"]')
    )
    out = run_cli(["profile", "src/entry.py"], cwd=project).stdout
    assert "compatibility flags:  nodejs_compat, python_workers\n" in out
    assert "enabled flags:        given: nodejs_compat, python_workers\n" in out
    implied = next(line for line in out.splitlines() if "implied by the date 2026-03-01:" in line)
    assert "python_no_global_handlers (from 2025-08-14)" in implied
    assert "python_workers_314" not in implied  # implied only from 2026-09-08
    (project / "wrangler.toml").write_text(WRANGLER.replace('["python_workers"]', '["nodejs_compat"]'))
    out = run_cli(["profile", "src/entry.py"], cwd=project).stdout
    assert "assumed (Python code needs it): python_workers" in out
