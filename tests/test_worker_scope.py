"""Worker scope by reachability: the Python rules run on the modules the main module can import;
tests, scripts, unreached files and vendored third-party code get syntax checks only."""

from __future__ import annotations

import json
from pathlib import Path

from helpers import run_cli, write_project

WRANGLER = """\
name = "w"
main = "src/entry.py"
compatibility_date = "2025-11-01"
compatibility_flags = ["python_workers"]
"""
LEGACY_WRANGLER = WRANGLER.replace("2025-11-01", "2025-07-01")
SUBPROCESS = "import subprocess\n\ndef go():\n    subprocess.run(['ls'])\n"
ASYNCIO_RUN = "import asyncio\n\ndef render():\n    return asyncio.run(main())\n"


def found(root: Path, *args: str, select: str = "CFW0,CFW3,CFW5") -> list[tuple[str, str, int]]:
    result = run_cli(["--no-cache", "--output-format", "json", "--select", select, *args, "."], cwd=root)
    assert result.exit_code in (0, 1), result.output
    return sorted((d["code"], Path(d["filename"]).as_posix(), d["location"]["row"]) for d in json.loads(result.stdout))


def test_tests_scripts_and_unreached_modules_get_syntax_checks_only(tmp_path):
    root = write_project(
        tmp_path,
        {
            "wrangler.toml": WRANGLER,
            "src/entry.py": "from workers import WorkerEntrypoint\nfrom app import routes\n",
            "src/app/__init__.py": "",
            "src/app/routes.py": "from .jobs import go\n",
            "src/app/jobs.py": SUBPROCESS,
            "src/app/seed.py": SUBPROCESS,  # never imported: a host-side helper
            "tests/test_worker.py": SUBPROCESS,
            "tests/conftest.py": SUBPROCESS,
            "scripts/deploy.py": SUBPROCESS + "def broken(:\n",
        },
    )
    assert found(root) == [
        ("CFW001", "scripts/deploy.py", 5),  # syntax errors are still reported everywhere
        ("CFW302", "src/app/jobs.py", 4),
    ]


def test_literal_import_module_reaches_and_computed_name_keeps_everything(tmp_path):
    files = {
        "wrangler.toml": WRANGLER,
        "src/entry.py": "import importlib\nplugin = importlib.import_module('plugins.jobs')\n",
        "src/plugins/__init__.py": "",
        "src/plugins/jobs.py": SUBPROCESS,
        "src/plugins/other.py": SUBPROCESS,
    }
    assert found(write_project(tmp_path / "literal", files)) == [("CFW302", "src/plugins/jobs.py", 4)]
    files["src/entry.py"] = "import importlib\nplugin = importlib.import_module(f'plugins.{NAME}')\n"
    assert found(write_project(tmp_path / "computed", files)) == [
        ("CFW302", "src/plugins/jobs.py", 4),
        ("CFW302", "src/plugins/other.py", 4),
    ]
    files["src/entry.py"] = "for name in NAMES:\n    exec(f'from plugins.{name} import run')\n"
    assert found(write_project(tmp_path / "exec", files)) == [
        ("CFW302", "src/plugins/jobs.py", 4),
        ("CFW302", "src/plugins/other.py", 4),
    ]


def test_vendored_packages_are_never_linted(tmp_path):
    # the pre-2025-08-11 recipe: src/vendor + vendor.txt; and python_modules/ and sys.path dirs
    root = write_project(
        tmp_path,
        {
            "wrangler.toml": LEGACY_WRANGLER,
            "vendor.txt": "jinja2\n",
            "src/entry.py": (
                "import os, sys\n"
                "sys.path.insert(0, os.path.join(os.path.dirname(__file__), 'lib'))\n"
                "import jinja2\nimport helper\n"
            ),
            "src/vendor/jinja2/__init__.py": "from .environment import Environment\n",
            "src/vendor/jinja2/environment.py": ASYNCIO_RUN,
            "src/lib/helper.py": ASYNCIO_RUN,
            "src/site/six-1.0.dist-info/METADATA": "Name: six\n",
            "src/site/six.py": ASYNCIO_RUN,
        },
    )
    assert found(root) == []
    # the same helper as the Worker's own module is linted
    (root / "src/helper.py").write_text(ASYNCIO_RUN)
    (root / "src/entry.py").write_text("import jinja2\nimport helper\n")
    assert found(root) == [("CFW503", "src/helper.py", 4)]


def test_worker_sources_setting_widens_and_narrows(tmp_path):
    root = write_project(
        tmp_path,
        {
            "wrangler.toml": WRANGLER,
            "pyproject.toml": '[tool.cfw-lint]\nworker-sources = ["src/tools/*.py", "!src/app.py"]\n',
            "src/entry.py": "import app\n",
            "src/app.py": SUBPROCESS,
            "src/tools/cron.py": SUBPROCESS,
            "src/tools/sub/deep.py": SUBPROCESS,
        },
    )
    # fnmatch's * crosses slashes, as in per-file-ignores
    assert found(root) == [("CFW302", "src/tools/cron.py", 4), ("CFW302", "src/tools/sub/deep.py", 4)]
    (root / "pyproject.toml").write_text('[tool.cfw-lint]\nworker-sources = "src"\n')
    result = run_cli(["--no-cache", "."], cwd=root)
    assert result.exit_code == 2 and "`worker-sources` must be a list of strings" in result.output


def test_files_without_a_worker_config_are_all_linted(tmp_path):
    root = write_project(tmp_path, {"pkg/a.py": SUBPROCESS, "tests/test_a.py": SUBPROCESS})
    assert found(root) == [("CFW302", "pkg/a.py", 4), ("CFW302", "tests/test_a.py", 4)]


def test_profile_names_a_file_outside_the_worker(tmp_path):
    root = write_project(
        tmp_path,
        {
            "wrangler.toml": WRANGLER,
            "src/entry.py": "X = 1\n",
            "src/seed.py": SUBPROCESS,
        },
    )
    out = run_cli(["profile", "src/seed.py"], cwd=root).output
    assert "src/seed.py is not Worker code" in out
    assert "not Worker code" not in run_cli(["profile", "src/entry.py"], cwd=root).output


def test_top_level_tests_of_a_repository_of_workers_are_host_side(tmp_path):
    # examples repositories: one Worker per directory, and a test suite at the top that runs
    # `wrangler dev` through subprocess
    root = write_project(
        tmp_path,
        {
            "pyproject.toml": '[project]\nname = "examples"\nversion = "0"\n',
            "01-hello/wrangler.toml": WRANGLER,
            "01-hello/src/entry.py": "X = 1\n",
            "tests/conftest.py": SUBPROCESS,
            "tests/test_examples.py": SUBPROCESS,
            "tools/bump.py": SUBPROCESS,  # not a test: it may still be meant to run in a Worker
        },
    )
    assert found(root) == [("CFW302", "tools/bump.py", 4)]


def test_deps_command_needs_a_worker(tmp_path):
    root = write_project(tmp_path, {"a.py": "import requests\n"})
    result = run_cli(["deps", "."], cwd=root)
    assert result.exit_code == 2
    assert "no wrangler.toml, wrangler.jsonc or wrangler.json" in result.output
    root = write_project(
        tmp_path / "w",
        {
            "wrangler.toml": WRANGLER,
            "src/entry.py": "import json\nimport helper\nimport requests\n",
            "src/helper.py": "import js\n",
        },
    )
    lines = run_cli(["deps", "."], cwd=root).output.splitlines()[1:]
    assert [line.split()[:2] for line in lines] == [
        ["helper", "own"],
        ["js", "runtime"],
        ["json", "stdlib"],
        ["requests", "unknown"],
    ]


def test_standard_input_for_a_file_not_yet_on_disk_is_worker_code(tmp_path):
    root = write_project(tmp_path, {"wrangler.toml": WRANGLER, "src/entry.py": "X = 1\n", "src/seed.py": SUBPROCESS})
    args = ["--no-cache", "--output-format", "json", "--select", "CFW3", "-", "--stdin-filename"]
    new = run_cli([*args, "src/new.py"], cwd=root, input=SUBPROCESS)
    assert [(d["code"], d["location"]["row"]) for d in json.loads(new.stdout)] == [("CFW302", 4)]
    # an existing file nothing imports stays host-side, as on the command line
    old = run_cli([*args, "src/seed.py"], cwd=root, input=SUBPROCESS)
    assert json.loads(old.stdout) == []
