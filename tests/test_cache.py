"""The result cache: one index per cache directory, keyed by path and stat with the content hash
behind it. A result is reused only when nothing it depends on changed (the file, the selection,
the runtime profile, the Worker config, the main module, the project's modules), an unchanged
file is not read again, and a fully cached run imports neither LibCST nor a rule module."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

import pytest

from cfw_lint import runner as runner_module
from cfw_lint.cache import INDEX_NAME, Cache
from cfw_lint.runner import Options, run
from helpers import loaded_by_cli

ROOT = Path(__file__).resolve().parent.parent

WRANGLER = """\
name = "w"
main = "src/entry.py"
compatibility_date = "{date}"
compatibility_flags = ["python_workers"]
"""
ENTRY = """\
import random
from workers import WorkerEntrypoint, Response

random.seed(1)


class Default(WorkerEntrypoint):
    async def fetch(self, request):
        return Response("ok")
"""
OLD = time.time() - 3600  # an mtime old enough for the stat to be trusted


def write(root: Path, files: dict[str, str], mtime: float | None = OLD) -> None:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
        if mtime is not None:
            os.utime(path, (mtime, mtime))


@pytest.fixture
def linted(monkeypatch):
    """Runs the linter in-process; records which files the engine linted (not from the cache)."""
    seen: list[str] = []
    real = runner_module.lint_task

    def spy(task):
        seen.append(task.context.path)
        return real(task)

    monkeypatch.setattr(runner_module, "lint_task", spy)

    def lint(root: Path, *args: str, **options) -> tuple[list[tuple[str, str, int]], list[str]]:
        seen.clear()
        result = run(Options(paths=[str(root)], cache_dir=root / "cache", **options), cwd=root)
        found = sorted((d.path, d.code, d.start.line) for d in result.diagnostics)
        return found, sorted(seen)

    return lint


@pytest.fixture
def worker(tmp_path: Path) -> Path:
    write(tmp_path, {"wrangler.toml": WRANGLER.format(date="2026-03-01"), "src/entry.py": ENTRY})
    return tmp_path


def test_second_run_is_served_from_the_index(worker, linted):
    first, linted_first = linted(worker)
    assert ("src/entry.py", "CFW201", 4) in first
    assert linted_first == ["src/entry.py"]
    second, linted_second = linted(worker)
    assert second == first and linted_second == []
    index = worker / "cache"
    files = list(index.rglob("*.json"))
    assert [f.name for f in files] == [INDEX_NAME]  # one file, not one per result
    assert json.loads(files[0].read_text())["files"]  # readable, with entries


def test_an_unchanged_file_is_not_read(tmp_path, linted, monkeypatch):
    # without a Worker config (the project model of a Worker reads its sources for imports)
    write(tmp_path, {"m.py": "import random\nrandom.seed(1)\n", "n.py": "x = 1  # noqa: CFW201\n"})
    first, _ = linted(tmp_path)
    reads: list[Path] = []
    real = Path.read_bytes

    def spy(self: Path) -> bytes:
        reads.append(self)
        return real(self)

    monkeypatch.setattr(Path, "read_bytes", spy)
    found, again = linted(tmp_path)
    assert again == [] and found == first == [("m.py", "CFW201", 2), ("n.py", "CFW005", 1)]
    assert tmp_path / "m.py" not in reads  # n.py is, for its noqa comment (CFW005)


def test_a_changed_file_is_linted_again(worker, linted):
    linted(worker)
    write(worker, {"src/entry.py": ENTRY.replace("random.seed(1)", "x = 1\nrandom.seed(1)")}, mtime=OLD + 10)
    found, again = linted(worker)
    assert again == ["src/entry.py"]
    assert ("src/entry.py", "CFW201", 5) in found


def test_a_touched_but_unchanged_file_is_read_not_linted(worker, linted):
    linted(worker)
    os.utime(worker / "src/entry.py", (OLD + 20, OLD + 20))
    found, again = linted(worker)
    assert again == []  # the content hash matched
    assert ("src/entry.py", "CFW201", 4) in found


def test_a_fresh_mtime_is_not_trusted(tmp_path, linted):
    # written just now: a change within the same mtime tick would keep size and mtime
    write(tmp_path, {"m.py": "import random\nrandom.seed(1)\n"}, mtime=None)
    assert linted(tmp_path)[0] == [("m.py", "CFW201", 2)]
    stat = (tmp_path / "m.py").stat()
    (tmp_path / "m.py").write_text("import random\nrandom.seed(2)\n")  # same size
    os.utime(tmp_path / "m.py", ns=(stat.st_atime_ns, stat.st_mtime_ns))
    found, again = linted(tmp_path)
    assert again == ["m.py"]


def test_selection_misses(worker, linted):
    linted(worker)
    found, again = linted(worker, select=["CFW0", "CFW3"])
    assert again == ["src/entry.py"] and not any(code == "CFW201" for _, code, _ in found)
    # both selections stay cached side by side
    assert linted(worker)[1] == [] and linted(worker, select=["CFW0", "CFW3"])[1] == []


def test_ignore_and_per_file_ignores_miss(worker, linted):
    linted(worker)
    found, again = linted(worker, ignore=["CFW201"])
    assert again == ["src/entry.py"] and not any(code == "CFW201" for _, code, _ in found)
    write(worker, {"pyproject.toml": '[tool.cfw-lint]\nper-file-ignores = {"src/*" = ["CFW2"]}\n'})
    found, again = linted(worker)
    assert again == ["src/entry.py"] and not any(code.startswith("CFW2") for _, code, _ in found)


def test_compat_date_option_misses(worker, linted):
    import datetime as dt

    linted(worker)
    assert linted(worker, compat_date=dt.date(2025, 7, 1))[1] == ["src/entry.py"]


def test_worker_config_change_misses(worker, linted):
    linted(worker)
    write(worker, {"wrangler.toml": WRANGLER.format(date="2025-07-01")})
    assert linted(worker)[1] == ["src/entry.py"]


def test_main_module_change_misses(worker, linted):
    write(worker, {"src/other.py": "import entry\n"})
    linted(worker)
    write(worker, {"wrangler.toml": WRANGLER.format(date="2026-03-01").replace("src/entry.py", "src/other.py")})
    assert linted(worker)[1] == ["src/entry.py", "src/other.py"]


def test_a_new_module_in_the_project_misses(worker, linted):
    linted(worker)
    write(worker, {"src/helpers.py": "x = 1\n"})
    assert linted(worker)[1] == ["src/entry.py", "src/helpers.py"]


def test_display_path_is_part_of_the_key(worker, linted):
    linted(worker)
    seen: list[str] = []
    real = runner_module.lint_task
    runner_module.lint_task, saved = (lambda t: (seen.append(t.context.path), real(t))[1]), runner_module.lint_task
    try:
        result = run(Options(paths=[str(worker)], cache_dir=worker / "cache"), cwd=worker / "src")
    finally:
        runner_module.lint_task = saved
    assert seen == ["entry.py"] and {d.path for d in result.diagnostics} >= {"entry.py"}


def test_a_broken_index_is_ignored_and_replaced(worker, linted):
    linted(worker)
    [index] = list((worker / "cache").rglob(INDEX_NAME))
    index.write_text("{not json")
    found, again = linted(worker)
    assert again == ["src/entry.py"] and ("src/entry.py", "CFW201", 4) in found
    assert json.loads(index.read_text())["files"]


def test_no_cache_and_fixing_leave_the_index_alone(worker, linted):
    linted(worker, no_cache=True)
    assert not (worker / "cache").exists()
    linted(worker, diff=True)
    assert not (worker / "cache").exists()


def test_cache_key_parts():
    a = Cache.variant("src/entry.py", ("CFW201",), "profile", True)
    assert a != Cache.variant("entry.py", ("CFW201",), "profile", True)
    assert a != Cache.variant("src/entry.py", ("CFW201", "CFW202"), "profile", True)
    assert a != Cache.variant("src/entry.py", ("CFW201",), "profile2", True)
    assert a != Cache.variant("src/entry.py", ("CFW201",), "profile", False)
    assert a != Cache.variant("src/entry.py", ("CFW201",), "profile", None)


def _probe(cwd: Path, *args: str) -> tuple[list[str], str]:
    return loaded_by_cli(list(args), cwd)


def test_a_fully_cached_run_imports_no_libcst(tmp_path):
    write(
        tmp_path,
        {
            "m.py": "import random\nrandom.seed(1)  # noqa: CFW201\nimport threading\nthreading.Thread().start()\n",
            "n.py": "x = 1\n",
        },
    )
    args = ("check", "--output-format", "concise", "--cache-dir", str(tmp_path / "cache"), ".")
    first_loaded, first = _probe(tmp_path, *args)
    assert "libcst" in first_loaded  # the first run lints
    loaded, second = _probe(tmp_path, *args)
    assert loaded == []
    assert second == first and "m.py:4:1: CFW302" in second


# -- project rules ---------------------------------------------------------------------------
@pytest.fixture
def project_runs(monkeypatch):
    """Runs the linter in-process; counts the projects whose rules ran (not from the cache)."""
    from cfw_lint.runner import Runner

    ran: list[str] = []
    real = Runner._project_findings

    def spy(self, project):
        if project.config is not None:
            ran.append(project.root.name)
        return real(self, project)

    monkeypatch.setattr(Runner, "_project_findings", spy)

    def lint(root: Path, *paths: str, **options) -> tuple[list[tuple[str, str, int]], list[str]]:
        ran.clear()
        targets = [str(root / p) for p in paths] or [str(root)]
        result = run(Options(paths=targets, cache_dir=root / "cache", **options), cwd=root)
        return sorted((d.path, d.code, d.start.line) for d in result.diagnostics), sorted(ran)

    return lint


DEPS_WORKER = {
    "w/wrangler.toml": WRANGLER.format(date="2026-03-01").replace('["python_workers"]', '["nodejs_compat"]'),
    "w/pyproject.toml": '[project]\nname = "w"\nversion = "0"\ndependencies = ["fastapi"]\n',
    "w/src/entry.py": ENTRY,
}


def test_project_findings_are_cached_and_identical(tmp_path, project_runs):
    write(tmp_path, DEPS_WORKER)
    cold = run(Options(paths=[str(tmp_path)], no_cache=True), cwd=tmp_path)
    first, ran = project_runs(tmp_path)
    assert ran == ["w"] and ("w/wrangler.toml", "CFW701", 4) in first
    second, ran = project_runs(tmp_path)
    assert ran == [] and second == first
    again = run(Options(paths=[str(tmp_path)], cache_dir=tmp_path / "cache"), cwd=tmp_path)
    # fixes and messages survive the cache exactly
    assert [d.to_cache() for d in sorted(again.diagnostics, key=lambda d: d.sort_key())] == [
        d.to_cache() for d in sorted(cold.diagnostics, key=lambda d: d.sort_key())
    ]


@pytest.mark.parametrize(
    "change",
    [
        {"w/wrangler.toml": WRANGLER.format(date="2026-03-02").replace('["python_workers"]', '["nodejs_compat"]')},
        {"w/pyproject.toml": '[project]\nname = "w"\nversion = "0"\ndependencies = ["fastapi", "httpx"]\n'},
        {"w/requirements.txt": "httpx\n"},
        {"w/pylock.toml": 'lock-version = "1.0"\n[[packages]]\nname = "workers-runtime-sdk"\nversion = "1.0.0"\n'},
        {"w/src/util.py": "import numpy\n"},
        {"w/src/entry.py": ENTRY.replace("import random", "import random\nimport httpx")},
        {"w/python_modules/httpx/__init__.py": ""},
        {"pyproject.toml": "[tool.ruff]\n"},  # above the project: uv workspaces are read from there
        {"other/wrangler.toml": 'name = "o"\nmain = "x.js"\n[[services]]\nbinding = "W"\nservice = "w"\n'},
    ],
    ids=["config", "pyproject", "requirements", "lock", "new-module", "module", "vendored", "above", "other-worker"],
)
def test_a_changed_project_input_misses(tmp_path, project_runs, change):
    write(tmp_path, DEPS_WORKER)
    project_runs(tmp_path)
    assert project_runs(tmp_path)[1] == []
    write(tmp_path, change, mtime=OLD + 30)
    assert "w" in project_runs(tmp_path)[1]


def test_project_settings_miss(tmp_path, project_runs):
    import datetime as dt

    write(tmp_path, DEPS_WORKER)
    project_runs(tmp_path)
    assert project_runs(tmp_path, select=["CFW70"])[1] == ["w"]
    assert project_runs(tmp_path, compat_date=dt.date(2025, 7, 1))[1] == ["w"]
    assert project_runs(tmp_path, online=True)[1] == ["w"]  # the network is never cached
    assert project_runs(tmp_path, online=True)[1] == ["w"]
    assert project_runs(tmp_path)[1] == []


def test_a_just_modified_project_is_not_cached(tmp_path, project_runs):
    write(tmp_path, DEPS_WORKER, mtime=None)
    project_runs(tmp_path)
    assert project_runs(tmp_path)[1] == ["w"]


def test_a_uv_workspace_is_not_cached(tmp_path, project_runs):
    write(tmp_path, {**DEPS_WORKER, "pyproject.toml": '[tool.uv.workspace]\nmembers = ["w", "lib"]\n'})
    project_runs(tmp_path)
    assert project_runs(tmp_path)[1] == ["w"]


def test_a_fully_cached_worker_project_imports_no_libcst(tmp_path):
    write(tmp_path, DEPS_WORKER)
    args = ("check", "--output-format", "concise", "--cache-dir", str(tmp_path / "cache"), ".")
    _, first = _probe(tmp_path, *args)
    loaded, second = _probe(tmp_path, *args)
    assert loaded == []
    assert second == first and "w/wrangler.toml:4:" in second


@pytest.mark.parametrize(
    "damage",
    [
        lambda files: files.update({k: {"x": 1} for k in files}),  # entries of the wrong shape
        lambda files: [
            v.update(diagnostics=[{"code": 1}]) for e in files.values() for x in e.values() for v in [x["value"]]
        ],
        lambda files: [x["value"].update(diagnostics=[{"code": "CFW201"}]) for e in files.values() for x in e.values()],
    ],
    ids=["shape", "diagnostic-type", "diagnostic-fields"],
)
def test_a_damaged_entry_is_linted_again_not_a_traceback(worker, linted, damage):
    first, _ = linted(worker)
    [index] = list((worker / "cache").rglob(INDEX_NAME))
    data = json.loads(index.read_text())
    damage(data["files"])
    index.write_text(json.dumps(data))
    found, again = linted(worker)
    assert found == first and again == ["src/entry.py"]
    assert linted(worker) == (first, [])  # repaired
