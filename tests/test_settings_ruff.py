"""Settings with ruff's names and meanings: fixable, extend-fixable, unfixable,
extend-safe-fixes, extend-unsafe-fixes, unsafe-fixes, output-format, cache-dir,
extend-exclude, per-file-ignores / extend-per-file-ignores (globs as ruff's)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from cfw_lint.config import _glob_match
from helpers import run_cli, write_project

ENTRY = """\
from workers import Response, WorkerEntrypoint


class Default(WorkerEntrypoint):
    async def fetch(self, request):
        return Response({"ok": True})
"""
FIXED_ENTRY = ENTRY.replace('Response({"ok": True})', 'Response.json({"ok": True})')
OLD_DATE = """\
name = "w"
main = "src/entry.py"
compatibility_date = "2025-06-01"
compatibility_flags = ["python_workers"]
"""


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return write_project(tmp_path, {"wrangler.toml": OLD_DATE, "src/entry.py": ENTRY})


def settings(root: Path, body: str) -> None:
    (root / "pyproject.toml").write_text("[tool.cfw-lint]\n" + body)


def fixes(root: Path, *args: str) -> dict[str, str | None]:
    """code -> applicability of its fix (None: no fix offered)."""
    out = run_cli(["--no-cache", "--select", "CFW407,CFW703", "--output-format", "json", *args, "."], cwd=root)
    return {d["code"]: d["fix"] and d["fix"]["applicability"] for d in json.loads(out.stdout)}


def fix(root: Path, *args: str) -> None:
    run_cli(["--no-cache", "--select", "CFW407,CFW703", "--fix", *args, "."], cwd=root)


def test_defaults(project):
    assert fixes(project) == {"CFW407": "safe", "CFW703": "unsafe"}


def test_unfixable_drops_the_fix_and_fix_leaves_the_code(project):
    settings(project, 'unfixable = ["CFW407"]\n')
    assert fixes(project) == {"CFW407": None, "CFW703": "unsafe"}
    fix(project)
    assert (project / "src/entry.py").read_text() == ENTRY
    # --extend-fixable cannot beat a more specific unfixable; --fixable replaces the setting
    settings(project, 'fixable = ["CFW7"]\n')
    assert fixes(project) == {"CFW407": None, "CFW703": "unsafe"}
    assert fixes(project, "--fixable", "CFW4") == {"CFW407": "safe", "CFW703": None}
    assert fixes(project, "--extend-fixable", "CFW407") == {"CFW407": "safe", "CFW703": "unsafe"}
    settings(project, "")
    assert fixes(project, "--unfixable", "CFW4") == {"CFW407": None, "CFW703": "unsafe"}
    settings(project, 'extend-fixable = ["CFW407"]\nfixable = []\n')
    assert fixes(project) == {"CFW407": "safe", "CFW703": None}


def test_extend_unsafe_fixes(project):
    settings(project, 'extend-unsafe-fixes = ["CFW407"]\n')
    assert fixes(project) == {"CFW407": "unsafe", "CFW703": "unsafe"}
    fix(project)
    assert (project / "src/entry.py").read_text() == ENTRY
    fix(project, "--unsafe-fixes")
    assert (project / "src/entry.py").read_text() == FIXED_ENTRY


def test_extend_safe_fixes(project):
    settings(project, 'extend-safe-fixes = ["CFW703"]\n')
    assert fixes(project) == {"CFW407": "safe", "CFW703": "safe"}
    fix(project)
    assert 'compatibility_date = "2025-06-01"' not in (project / "wrangler.toml").read_text()


def test_safe_and_unsafe_specificity(project):
    # the more specific selector wins; on a tie the fix is unsafe (as ruff)
    settings(project, 'extend-safe-fixes = ["CFW703"]\nextend-unsafe-fixes = ["CFW7"]\n')
    assert fixes(project)["CFW703"] == "safe"
    settings(project, 'extend-safe-fixes = ["CFW7"]\nextend-unsafe-fixes = ["CFW703"]\n')
    assert fixes(project)["CFW703"] == "unsafe"
    settings(project, 'extend-safe-fixes = ["CFW4"]\nextend-unsafe-fixes = ["CFW4"]\n')
    assert fixes(project)["CFW407"] == "unsafe"


def test_unsafe_fixes_setting_and_no_unsafe_fixes(project):
    settings(project, "unsafe-fixes = true\n")
    fix(project, "--no-unsafe-fixes")
    assert 'compatibility_date = "2025-06-01"' in (project / "wrangler.toml").read_text()
    fix(project)
    assert 'compatibility_date = "2025-06-01"' not in (project / "wrangler.toml").read_text()


def test_output_format_setting(project):
    settings(project, 'output-format = "concise"\n')
    out = run_cli(["--no-cache", "--select", "CFW407", "."], cwd=project).stdout
    assert out.splitlines()[0].startswith("src/entry.py:6:16: CFW407 [*] ") and " | " not in out
    assert json.loads(run_cli(["--no-cache", "--select", "CFW407", "--output-format", "json", "."], cwd=project).stdout)
    settings(project, 'output-format = "fancy"\n')
    bad = run_cli(["--no-cache", "."], cwd=project)
    assert bad.exit_code == 2 and "`output-format` must be one of" in bad.output


def test_cache_dir_setting_option_and_env(project, tmp_path_factory, monkeypatch):
    monkeypatch.delenv("CFW_LINT_CACHE_DIR", raising=False)
    settings(project, 'cache-dir = "build/lint-cache"\n')
    run_cli(["."], cwd=project)
    assert (project / "build/lint-cache").is_dir() and not (project / ".cfw-lint-cache").exists()
    elsewhere = tmp_path_factory.mktemp("cache")
    run_cli(["--cache-dir", str(elsewhere / "c"), "."], cwd=project)
    assert (elsewhere / "c").is_dir()
    settings(project, "")
    monkeypatch.setenv("CFW_LINT_CACHE_DIR", str(elsewhere / "env"))
    run_cli(["."], cwd=project)
    assert (elsewhere / "env").is_dir() and not (project / ".cfw-lint-cache").exists()
    run_cli(["--no-cache", "--cache-dir", str(elsewhere / "never"), "."], cwd=project)
    assert not (elsewhere / "never").exists()


def test_bad_values_name_the_file(project):
    for body in (
        'fixable = ["CFW9999"]\n',
        'unsafe-fixes = "yes"\n',
        "cache-dir = 3\n",
        'extend-per-file-ignores = ["x"]\n',
    ):
        settings(project, body)
        result = run_cli(["--no-cache", "."], cwd=project)
        assert result.exit_code == 2 and "pyproject.toml" in result.output, body


@pytest.mark.parametrize(
    "rel,pattern,expected",
    [
        ("tests/test_a.py", "**/tests/*", True),
        ("src/app/tests/test_a.py", "**/tests/*", True),
        ("src/app.py", "**/tests/*", False),
        ("src/a.py", "src/{a,b}.py", True),
        ("src/c.py", "src/{a,b}.py", False),
        ("src/m_1.py", "src/m_[0-9].py", True),
        ("src/m_x.py", "src/m_[!0-9].py", True),
        ("scripts/deep/x.py", "scripts/*.py", True),  # `*` crosses `/`, as ruff's globset
        ("a/__init__.py", "__init__.py", True),  # a pattern without `/` matches the name
        ("generated/x.py", "generated/", True),
    ],
)
def test_glob_semantics(rel, pattern, expected):
    assert _glob_match(rel, pattern) is expected


def test_per_file_ignores_and_extend(tmp_path):
    write_project(
        tmp_path,
        {
            "a/tests/helper.py": "import random\nrandom.seed(1)\n",
            "b/tool.py": "import random\nrandom.seed(1)\n",
            "c/main.py": "import random\nrandom.seed(1)\n",
        },
    )
    settings(
        tmp_path,
        'per-file-ignores = { "**/tests/*" = ["CFW201"] }\nextend-per-file-ignores = { "{b,x}/*.py" = ["CFW2"] }\n',
    )
    out = json.loads(run_cli(["--no-cache", "--select", "CFW201", "--output-format", "json", "."], cwd=tmp_path).stdout)
    assert [d["filename"] for d in out] == ["c/main.py"]
    # `!` negates: ignore everywhere except c/
    settings(tmp_path, 'per-file-ignores = { "!c/*" = ["CFW201"] }\n')
    out = json.loads(run_cli(["--no-cache", "--select", "CFW201", "--output-format", "json", "."], cwd=tmp_path).stdout)
    assert [d["filename"] for d in out] == ["c/main.py"]


def test_extend_exclude_keeps_the_default_excludes(tmp_path):
    write_project(
        tmp_path,
        {
            "gen/x.py": "import random\nrandom.seed(1)\n",
            "node_modules/y.py": "import random\nrandom.seed(1)\n",
            "src/deep/gen/z.py": "import random\nrandom.seed(1)\n",
            "src/ok.py": "import random\nrandom.seed(1)\n",
        },
    )
    settings(tmp_path, 'extend-exclude = ["**/gen/*"]\n')
    files = run_cli(["--show-files", "."], cwd=tmp_path).stdout.split()
    assert files == ["pyproject.toml", "src/ok.py"]
    settings(tmp_path, 'exclude = ["src/"]\n')  # replaces the defaults
    files = run_cli(["--show-files", "."], cwd=tmp_path).stdout.split()
    assert files == ["gen/x.py", "node_modules/y.py", "pyproject.toml"]
