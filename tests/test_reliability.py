"""One bad file never takes the run down; bad input gets a clear answer; fixes are safe under failure;
cfw-lint never runs the code or configs it checks."""

from __future__ import annotations

import ast
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import libcst as cst
import pytest

import cfw_lint.registry as registry
import cfw_lint.runner as runner
from cfw_lint.diagnostics import Severity
from cfw_lint.files import Discovery
from cfw_lint.rule import PythonRule
from helpers import RenameOld, run_cli

ROOT = Path(__file__).resolve().parent.parent
PARENT = os.getpid()


# -- test rules: each misbehaves on a marker name -------------------------------------------------
class Misbehave(PythonRule):
    """RAISE raises, LOOP never ends, SEGV kills its worker process, STUCK hangs where no alarm reaches."""

    code = "CFW993"
    name = "test-misbehave"
    severity = Severity.WARNING
    triggers = ("RAISE", "LOOP", "SEGV", "STUCK", "MARK")

    def visit_Name(self, node: cst.Name) -> None:
        if node.value == "MARK":
            self.report(node, "marker")
        elif node.value == "RAISE":
            raise KeyError("boom")
        elif node.value == "LOOP":
            while True:
                pass
        elif node.value == "SEGV" and os.getpid() != PARENT:  # never kill the test process
            os.kill(os.getpid(), signal.SIGSEGV)
        elif node.value == "STUCK" and os.getpid() != PARENT:
            signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGALRM})
            time.sleep(600)


class VisitAll(PythonRule):
    """Walks every file (no pre-filter), so deep nesting reaches the visitors."""

    code = "CFW994"
    name = "test-visit-all"
    severity = Severity.WARNING

    def visit_Integer(self, node: cst.Integer) -> None:
        if node.value == "424242":
            self.report(node, "found it")


@pytest.fixture(autouse=True)
def test_rules(monkeypatch):
    rules = dict(registry.all_rules())
    rules.update({"CFW990": RenameOld, "CFW993": Misbehave, "CFW994": VisitAll})
    monkeypatch.setattr(registry, "all_rules", lambda: rules)


def cli(tmp_path: Path, *args: str, select: str = "CFW00,CFW99", input: str | None = None):
    return run_cli(["--no-cache", "--select", select, "--output-format", "json", *args], cwd=tmp_path, input=input)


def found(result) -> list[tuple[str, str, int]]:
    out = result.output
    start = out.index("[")
    return sorted(
        (d["filename"], d["code"], d["location"]["row"]) for d in json.loads(out[start : out.rindex("]") + 1])
    )


def messages(result) -> dict[str, str]:
    out = result.output
    data = json.loads(out[out.index("[") : out.rindex("]") + 1])
    return {f"{d['filename']}:{d['code']}": d["message"] for d in data}


def nested(depth: int) -> str:
    return "x = " + "(" * depth + "1" + ")" * depth + "\n"


def many_files(tmp_path: Path, count: int = 14) -> None:
    for i in range(count):
        (tmp_path / f"ok{i:02}.py").write_text(f"value = MARK + {i}\n")


# -- isolation --------------------------------------------------------------------------------
def test_3000_deep_nesting_is_a_syntax_error_not_a_crash(tmp_path):
    """LibCST's native parser overflows its stack near 3,000 levels (SIGSEGV); CPython refuses
    the file first, with its own message, and the rest of the run is reported."""
    (tmp_path / "deep.py").write_text(nested(3000))
    (tmp_path / "broken.py").write_text("def f(:\n    pass\n")
    proc = subprocess.run(
        [sys.executable, "-m", "cfw_lint", "--no-cache", "--output-format", "json", "."],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    assert proc.returncode == 1, proc.stderr
    data = {d["filename"]: d for d in json.loads(proc.stdout)}
    assert data["deep.py"]["code"] == "CFW001"
    assert data["deep.py"]["message"] == "SyntaxError: too many nested parentheses"
    assert data["broken.py"]["code"] == "CFW001"


def test_500_deep_nesting_reported_as_cpython_reports_it(tmp_path):
    text = nested(500)
    (tmp_path / "deep.py").write_text(text)
    with pytest.raises(SyntaxError) as expected:
        compile(text, "deep.py", "exec", flags=ast.PyCF_ONLY_AST, dont_inherit=True)
    result = cli(tmp_path, ".")
    assert result.exit_code == 1
    assert found(result) == [("deep.py", "CFW001", expected.value.lineno)]
    assert messages(result)["deep.py:CFW001"] == f"SyntaxError: {expected.value.msg}"


def test_200_deep_nesting_python_accepts_is_linted(tmp_path):
    (tmp_path / "deep.py").write_text("x = " + "(" * 150 + "424242" + ")" * 150 + "\n")
    assert found(cli(tmp_path, ".")) == [("deep.py", "CFW994", 1)]


def test_what_the_compiler_refuses_is_a_syntax_error(tmp_path):
    # LibCST parses these; CPython refuses to import them
    (tmp_path / "ret.py").write_text("x = 1\nreturn x\n")
    (tmp_path / "nonlocal.py").write_text("nonlocal y\n")
    result = cli(tmp_path, ".")
    assert found(result) == [("nonlocal.py", "CFW001", 1), ("ret.py", "CFW001", 2)]
    assert "'return' outside function" in messages(result)["ret.py:CFW001"]


def test_nesting_too_deep_for_the_visitors_is_cfw004(tmp_path):
    """CPython compiles `not not ... x` thousands deep; a traversal that runs out of stack on it
    gives CFW004 (the read-only walk needs far fewer frames per level than LibCST's visit, so
    the limit is lowered here to reach that path)."""
    import sys

    from cfw_lint.engine import check_text
    from helpers import _context, profile

    text = "x = " + "not " * 2500 + "1\n"
    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(2000)
    try:
        result = check_text(text, _context("deep.py", profile(), None), [VisitAll])
    finally:
        sys.setrecursionlimit(limit)
    assert [(d.code, d.start.line) for d in result.diagnostics] == [("CFW004", 1)]
    assert "nested too deeply" in result.diagnostics[0].message


def test_deep_nesting_cpython_compiles_is_walked(tmp_path):
    """The same 2,500 levels with the engine's own limit: walked, and a rule reports inside."""
    from cfw_lint.engine import check_text
    from helpers import _context, profile

    text = "x = " + "not " * 2500 + "424242\n"
    result = check_text(text, _context("deep.py", profile(), None), [VisitAll])
    assert [(d.code, d.start.line, d.start.column) for d in result.diagnostics] == [("CFW994", 1, 10005)]


def test_exception_in_a_rule_is_cfw004_for_that_file_only(tmp_path):
    (tmp_path / "bad.py").write_text("RAISE\n")
    (tmp_path / "good.py").write_text("MARK\n")
    result = cli(tmp_path, ".")
    assert result.exit_code == 1
    assert found(result) == [("bad.py", "CFW004", 1), ("good.py", "CFW993", 1)]
    assert "internal error in cfw-lint (KeyError: 'boom')" in messages(result)["bad.py:CFW004"]


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_time_limit_is_cfw004_and_the_run_goes_on(tmp_path, monkeypatch, jobs):
    monkeypatch.setattr(runner, "PER_FILE_TIME_LIMIT", 1.0)
    monkeypatch.setattr(runner, "PARALLEL_THRESHOLD", 2)
    (tmp_path / "hang.py").write_text("LOOP\n")
    many_files(tmp_path, 3)
    started = time.monotonic()
    result = cli(tmp_path, "-j", jobs, ".")
    assert time.monotonic() - started < 60
    assert ("hang.py", "CFW004", 1) in found(result)
    assert [f for f in found(result) if f[0].startswith("ok")] == [(f"ok{i:02}.py", "CFW993", 1) for i in range(3)]
    assert "time limit of 1 s" in messages(result)["hang.py:CFW004"]


def test_worker_process_crash_is_cfw004_and_every_other_file_is_reported(tmp_path, monkeypatch):
    monkeypatch.setattr(runner, "MAX_CHUNK", 4)
    many_files(tmp_path, 14)
    (tmp_path / "ok05.py").write_text("SEGV\n")  # mid-chunk: the files after it still get linted
    result = cli(tmp_path, "-j", "2", ".")
    assert result.exit_code == 1
    expected = [(f"ok{i:02}.py", "CFW993", 1) for i in range(14) if i != 5] + [("ok05.py", "CFW004", 1)]
    assert found(result) == sorted(expected)
    assert "crashed (SIGSEGV)" in messages(result)["ok05.py:CFW004"]


def test_worker_stuck_in_native_code_is_killed_at_the_time_limit(tmp_path, monkeypatch):
    monkeypatch.setattr(runner, "PER_FILE_TIME_LIMIT", 0.5)
    monkeypatch.setattr(runner, "KILL_GRACE", 0.5)
    many_files(tmp_path, 13)
    (tmp_path / "ok03.py").write_text("STUCK\n")
    started = time.monotonic()
    result = cli(tmp_path, "-j", "2", ".")
    assert time.monotonic() - started < 60
    assert ("ok03.py", "CFW004", 1) in found(result)
    assert len([f for f in found(result) if f[1] == "CFW993"]) == 12


def test_failed_analysis_is_not_cached(tmp_path, monkeypatch):
    from cfw_lint.cache import Cache

    stored: list[dict] = []
    put = Cache.put
    monkeypatch.setattr(Cache, "put", lambda self, key, outcome: (stored.append(outcome), put(self, key, outcome)))
    (tmp_path / "bad.py").write_text("RAISE\n")
    (tmp_path / "good.py").write_text("MARK\n")
    for _ in range(2):
        result = run_cli(["--select", "CFW00,CFW99", "--output-format", "json", "."], cwd=tmp_path)
        assert found(result) == [("bad.py", "CFW004", 1), ("good.py", "CFW993", 1)]
    assert len(stored) == 1 and stored[0]["diagnostics"][0]["code"] == "CFW993"


# -- bad input --------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "data",
    [
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",  # an image named .py
        b"x = 1\x00\n",  # ASCII with a NUL: CPython refuses it too
        b"\xa7\r\r\n\x00\x00\x00\x00",  # a .pyc
        "x = 1\n".encode("utf-16"),
    ],
)
def test_binary_file_is_unreadable_not_a_syntax_error(tmp_path, data):
    (tmp_path / "blob.py").write_bytes(data)
    result = cli(tmp_path, ".")
    assert found(result) == [("blob.py", "CFW002", 1)]
    assert result.exit_code == 1


@pytest.mark.parametrize(
    "data, words",
    [
        (b"# -*- coding: klingon -*-\nx = 1\n", "unknown encoding"),
        (b'# coding: utf-8\nname = "caf\xe9"\n', "cannot decode as utf-8"),
        (b'name = "caf\xe9"\n', "encoding"),  # no cookie: UTF-8
        (b"\xef\xbb\xbf# coding: latin-1\nx = 1\n", "encoding problem"),  # BOM and a conflicting cookie
    ],
)
def test_undecodable_text_and_wrong_cookie(tmp_path, data, words):
    (tmp_path / "text.py").write_bytes(data)
    result = cli(tmp_path, ".")
    assert found(result) == [("text.py", "CFW002", 1)]
    assert words in messages(result)["text.py:CFW002"]


def test_right_cookie_is_honoured(tmp_path):
    (tmp_path / "text.py").write_bytes(b'# coding: latin-1\nname = "caf\xe9"\nMARK\n')
    assert found(cli(tmp_path, ".")) == [("text.py", "CFW993", 3)]


def test_file_deleted_between_discovery_and_reading(tmp_path, monkeypatch):
    (tmp_path / "gone.py").write_text("MARK\n")
    (tmp_path / "kept.py").write_text("MARK\n")
    walk = Discovery.walk

    def walk_then_delete(self, paths):
        found_files = list(walk(self, paths))
        (tmp_path / "gone.py").unlink()
        return iter(found_files)

    monkeypatch.setattr(Discovery, "walk", walk_then_delete)
    result = cli(tmp_path, ".")
    assert found(result) == [("gone.py", "CFW002", 1), ("kept.py", "CFW993", 1)]
    assert "No such file" in messages(result)["gone.py:CFW002"]


def test_file_changed_between_linting_and_writing_is_not_overwritten(tmp_path, monkeypatch):
    target = tmp_path / "mod.py"
    target.write_text('x = "OLD"\n')
    lint_task = runner.lint_task

    def lint_then_edit(task):
        outcome = lint_task(task)
        target.write_text('x = "OLD"\ny = "edited meanwhile"\n')
        return outcome

    monkeypatch.setattr(runner, "lint_task", lint_then_edit)
    result = cli(tmp_path, "--fix", ".")
    assert target.read_text() == 'x = "OLD"\ny = "edited meanwhile"\n'
    assert "mod.py: fixes not written: the file changed while it was being linted" in result.output
    assert result.exit_code == 2
    assert _temporary_files(tmp_path) == []


def test_five_megabyte_file(tmp_path):
    body = '"""' + ("lorem ipsum dolor sit amet " * 40 + "\n") * 4800 + '"""\n'
    text = body + "value = MARK\n"
    assert len(text.encode()) > 5_000_000
    (tmp_path / "big.py").write_text(text)
    started = time.monotonic()
    result = cli(tmp_path, ".")
    assert time.monotonic() - started < 120
    assert found(result) == [("big.py", "CFW993", text.count("\n"))]


@pytest.mark.parametrize("data", [b"", b"\n\n", b"\xef\xbb\xbf", b"   \t", b"# only a comment"])
def test_empty_files(tmp_path, data):
    (tmp_path / "empty.py").write_bytes(data)
    (tmp_path / "wrangler.toml").write_bytes(b"")
    result = run_cli(["--no-cache", "--output-format", "json", "."], cwd=tmp_path)
    assert result.exit_code in (0, 1)
    assert all(f[0] != "empty.py" for f in found(result))
    assert (tmp_path / "empty.py").read_bytes() == data


def test_symlink_loops_do_not_hang(tmp_path):
    (tmp_path / "a.py").symlink_to(tmp_path / "b.py")
    (tmp_path / "b.py").symlink_to(tmp_path / "a.py")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "up").symlink_to(tmp_path, target_is_directory=True)
    (tmp_path / "sub" / "real.py").write_text("MARK\n")
    result = cli(tmp_path, ".")
    assert found(result) == [("a.py", "CFW002", 1), ("b.py", "CFW002", 1), ("sub/real.py", "CFW993", 1)]
    assert "symbolic links" in messages(result)["a.py:CFW002"]


def test_symlink_out_of_the_tree_is_fixed_through_the_link(tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "shared.py").write_text('x = "OLD"\n')
    project = tmp_path / "project"
    project.mkdir()
    (project / "link.py").symlink_to(outside / "shared.py")
    result = cli(project, "--fix", ".")
    assert result.exit_code == 0, result.output
    assert (project / "link.py").is_symlink()
    assert (outside / "shared.py").read_text() == 'x = "NEW"\n'
    assert _temporary_files(tmp_path) == []


def test_unreadable_directory_is_reported(tmp_path, monkeypatch):
    (tmp_path / "locked").mkdir()
    (tmp_path / "locked" / "hidden.py").write_text("MARK\n")
    (tmp_path / "open.py").write_text("MARK\n")
    scandir = os.scandir

    def refuse(path="."):  # running as root, chmod 000 does not bite: simulate it
        if os.fspath(path).endswith("locked"):
            raise PermissionError(13, "Permission denied", os.fspath(path))
        return scandir(path)

    monkeypatch.setattr(os, "scandir", refuse)
    result = cli(tmp_path, ".")
    assert found(result) == [("locked", "CFW002", 1), ("open.py", "CFW993", 1)]
    assert messages(result)["locked:CFW002"] == "cannot read directory: Permission denied"


def test_unreadable_file(tmp_path, monkeypatch):
    (tmp_path / "secret.py").write_text("MARK\n")
    read_bytes = Path.read_bytes

    def refuse(self):
        if self.name == "secret.py":
            raise PermissionError(13, "Permission denied", str(self))
        return read_bytes(self)

    monkeypatch.setattr(Path, "read_bytes", refuse)
    result = cli(tmp_path, ".")
    assert found(result) == [("secret.py", "CFW002", 1)]
    assert messages(result)["secret.py:CFW002"] == "cannot read: Permission denied"


@pytest.mark.parametrize(
    "name, data",
    [
        ("wrangler.toml", b'name = "w"\nmain = "src/entry.py\n'),
        ("wrangler.toml", b"\x00\x01\xff\xfe"),
        ("wrangler.jsonc", b'{ "name": "w", "main": "src/entry.py", /* unterminated'),
        ("wrangler.jsonc", b"\xff\xfe{}"),
        ("pyproject.toml", b"[project\nname = 1\n"),
    ],
)
def test_broken_configs_are_cfw003(tmp_path, name, data):
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "entry.py").write_text("MARK\n")
    if name != "wrangler.toml":
        (tmp_path / "wrangler.toml").write_text(
            'name = "w"\nmain = "src/entry.py"\ncompatibility_date = "2025-11-01"\ncompatibility_flags = ["python_workers"]\n'
        ) if name == "pyproject.toml" else None
    (tmp_path / name).write_bytes(data)
    result = run_cli(["--no-cache", "--output-format", "json", "."], cwd=tmp_path)
    assert result.exit_code == 1
    assert (name, "CFW003") in [(f[0], f[1]) for f in found(result)]


@pytest.mark.parametrize(
    "table, words",
    [
        ('select = "CFW2"', "`select` must be a list of strings"),
        ("exclude = 3", "`exclude` must be a list of strings"),
        ("respect-gitignore = 'yes'", "`respect-gitignore` must be true or false"),
        ("compat-date = 20260301", "`compat-date` must be a date"),
        ("per-file-ignores = 5", "`per-file-ignores` must be a table"),
        ('select = ["CFW2XX"]', "unknown rule code"),
        ("[tool.cfw-lint.extra]\nx = 1", "unknown"),
    ],
)
def test_wrong_types_under_tool_cfw_lint_are_one_line_errors(tmp_path, table, words):
    (tmp_path / "pyproject.toml").write_text(f"[tool.cfw-lint]\n{table}\n")
    (tmp_path / "mod.py").write_text("x = 1\n")
    result = run_cli(["--no-cache", "."], cwd=tmp_path)
    assert result.exit_code == 2
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("cfw-lint: error: ") and words in lines[0], result.output
    assert "pyproject.toml" in lines[0]


@pytest.mark.parametrize(
    "args, words",
    [
        (["-", "mod.py"], "cannot be combined"),
        (["--stdin-filename", "x.py", "mod.py"], "needs `-`"),
        (["--compat-date", "tomorrow", "."], "is not a date"),
        (["--select", "NOPE", "."], "unknown rule code"),
        (["--config", "missing.toml", "."], "missing.toml"),
        (["--jobs", "0", "."], "0"),
        (["nowhere/"], "does not exist"),
    ],
)
def test_conflicting_and_invalid_options_exit_2(tmp_path, args, words):
    (tmp_path / "mod.py").write_text("x = 1\n")
    result = run_cli(["--no-cache", *args], cwd=tmp_path, input="")
    assert result.exit_code == 2
    assert words in result.output


def test_broken_config_file_given_with_config_is_one_line(tmp_path):
    (tmp_path / "cfg.toml").write_text("[tool.cfw-lint\n")
    (tmp_path / "mod.py").write_text("x = 1\n")
    result = run_cli(["--no-cache", "--config", "cfg.toml", "."], cwd=tmp_path)
    assert result.exit_code == 2
    assert [line for line in result.output.splitlines() if line] == [result.output.strip()]
    assert "cfg.toml: invalid TOML" in result.output


# -- fix safety under failure -----------------------------------------------------------------
def _temporary_files(root: Path) -> list[Path]:
    return [p for p in root.rglob("*") if p.name.endswith(".cfw-lint.tmp")]


def test_read_only_file_is_not_replaced(tmp_path):
    target = tmp_path / "mod.py"
    target.write_text('x = "OLD"\n')
    target.chmod(0o444)
    result = cli(tmp_path, "--fix", "--output-format", "text", select="CFW99")
    assert result.exit_code == 2
    assert target.read_text() == 'x = "OLD"\n'
    assert oct(target.stat().st_mode & 0o777) == "0o444"
    assert "cfw-lint: error: mod.py: fixes not written: the file is read-only" in result.output
    # still reported, and not counted as fixed
    assert "mod.py:1:5: CFW990" in result.output and "(0 fixed, 1 remaining)" in result.output
    assert _temporary_files(tmp_path) == []


@pytest.mark.parametrize("failing", ["replace", "fsync"])
def test_failing_write_leaves_the_original_intact(tmp_path, monkeypatch, failing):
    target = tmp_path / "mod.py"
    target.write_text('x = "OLD"\n')
    (tmp_path / "other.py").write_text("y = 1\n")

    def fail(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, failing, fail)
    result = cli(tmp_path, "--fix", "--show-fixes", "--output-format", "text", select="CFW99")
    assert result.exit_code == 2
    assert target.read_text() == 'x = "OLD"\n'
    assert "mod.py: fixes not written: No space left on device" in result.output
    assert "Fixed" not in result.output
    assert "mod.py:1:5: CFW990" in result.output
    assert _temporary_files(tmp_path) == []


def test_write_atomic_keeps_mode_and_leaves_no_temporary_file(tmp_path):
    target = tmp_path / "mod.py"
    target.write_text("a\n")
    target.chmod(0o640)
    runner.write_atomic(target, b"b\n")
    assert target.read_text() == "b\n"
    assert oct(target.stat().st_mode & 0o777) == "0o640"
    assert [p.name for p in tmp_path.iterdir()] == ["mod.py"]


# -- security ---------------------------------------------------------------------------------
def test_project_code_and_configs_are_never_run(tmp_path):
    marker = tmp_path / "ran"
    payload = f"open({str(marker)!r}, 'w').write('ran')\n"
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "entry.py").write_text(
        "import os\n" + payload + "from workers import WorkerEntrypoint\n"
        "class Default(WorkerEntrypoint):\n    async def fetch(self, request):\n        return None\n"
    )
    (tmp_path / "src" / "helper.py").write_text(payload)
    (tmp_path / "setup.py").write_text(payload)
    (tmp_path / "conftest.py").write_text(payload)
    (tmp_path / "src" / "__init__.py").write_text(payload)
    (tmp_path / "wrangler.toml").write_text(
        'name = "w"\nmain = "src/entry.py"\ncompatibility_date = "2025-11-01"\ncompatibility_flags = ["python_workers"]\n'
    )
    (tmp_path / "pyproject.toml").write_text(
        f'[project]\nname = "w"\nversion = "0"\ndependencies = []\n[tool.cfw-lint]\n# {payload}'
    )
    before = set(sys.modules)
    for args in (["--no-cache", "."], ["--no-cache", "--fix", "--unsafe-fixes", "."]):
        result = run_cli(args, cwd=tmp_path)
        assert result.exit_code in (0, 1), result.output
    assert not marker.exists()
    assert not {m for m in set(sys.modules) - before if m in ("entry", "helper", "setup", "conftest", "src")}


def test_config_paths_cannot_make_it_read_outside_the_project(tmp_path, monkeypatch):
    secret = tmp_path / "secret.py"
    secret.write_text("class Default: pass\n")
    project = tmp_path / "project"
    project.mkdir()
    (project / "wrangler.toml").write_text(
        'name = "w"\nmain = "../secret.py"\ncompatibility_date = "2025-11-01"\ncompatibility_flags = ["python_workers"]\n'
    )
    opened: list[str] = []
    read_bytes = Path.read_bytes

    def spy(self):
        opened.append(os.path.realpath(self))
        return read_bytes(self)

    monkeypatch.setattr(Path, "read_bytes", spy)
    for args in (["--no-cache", "."], ["--no-cache", "--fix", "--unsafe-fixes", "."]):
        run_cli(args, cwd=project)
    assert str(secret.resolve()) not in opened
    assert secret.read_text() == "class Default: pass\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["project", "secret.py"]


def test_project_fix_outside_the_project_is_refused(tmp_path):
    from cfw_lint.project import Project

    project = Project(tmp_path / "p", None, {})
    assert project.contains(tmp_path / "p" / "src" / "x.py")
    assert not project.contains(tmp_path / "p" / ".." / "x.py")
    assert not project.contains(tmp_path / "px.py")


# -- --online: only the configured index, with timeouts, answers are data ------------------------
class _Server:
    """A local HTTP server answering every GET with `respond(handler)`."""

    def __init__(self, respond) -> None:
        import http.server
        import threading

        self.requests: list[str] = []
        server = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 - http.server's API
                server.requests.append(self.path)
                respond(self)

            def log_message(self, *args) -> None:
                pass

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/simple/"
        threading.Thread(target=self.httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


def _json(handler, body: bytes, kind: str = "application/vnd.pypi.simple.v1+json") -> None:
    handler.send_response(200)
    handler.send_header("Content-Type", kind)
    handler.send_header("Content-Length", str(len(body)))
    handler.end_headers()
    handler.wfile.write(body)


def test_online_does_not_follow_a_redirect_to_another_host():
    from cfw_lint.project.online import IndexError_, project_files

    elsewhere = _Server(lambda h: _json(h, b'{"files": []}'))

    def redirect(h):
        h.send_response(302)
        h.send_header("Location", elsewhere.url + "fastapi/")
        h.end_headers()

    index = _Server(redirect)
    try:
        with pytest.raises(IndexError_, match="HTTP 302"):
            project_files("fastapi", None, base=index.url)
        assert index.requests == ["/simple/fastapi/"] and elsewhere.requests == []
    finally:
        index.close()
        elsewhere.close()


def test_online_times_out_on_a_silent_index(monkeypatch):
    import cfw_lint.project.online as online

    monkeypatch.setattr(online, "TIMEOUT", 0.5)
    silent = _Server(lambda h: time.sleep(5))
    try:
        started = time.monotonic()
        with pytest.raises(online.IndexError_, match="timed out"):
            online.project_files("fastapi", None, base=silent.url)
        assert time.monotonic() - started < 4
    finally:
        silent.close()


def test_online_answers_are_untrusted_data(monkeypatch):
    import cfw_lint.project.online as online

    hostile = json.dumps(
        {
            "files": [
                {"filename": 5},
                "not a dict",
                None,
                {
                    "filename": "ok-1.0-py3-none-any.whl",
                    "yanked": {"x": 1},
                    "requires-python": [">=3"],
                    "url": "file:///etc/passwd",
                },
                {"filename": "../../escape.whl"},
            ],
            "__class__": "x",
        }
    ).encode()
    server = _Server(lambda h: _json(h, hostile))
    try:
        files = online.project_files("ok", None, base=server.url)
        assert files == [
            {"filename": "ok-1.0-py3-none-any.whl", "yanked": {"x": 1}, "requires-python": [">=3"]},
            {"filename": "../../escape.whl", "yanked": None, "requires-python": None},
        ]
        monkeypatch.setattr(online, "MAX_ANSWER_BYTES", 100)
        with pytest.raises(online.IndexError_, match="larger than"):
            online.project_files("ok", None, base=server.url)
    finally:
        server.close()


def test_online_hostile_answer_through_the_whole_run(tmp_path, monkeypatch):
    """Garbage from the index is never a verdict and never a crash."""
    body = json.dumps(
        {"files": [{"filename": "fastapi-x.whl", "yanked": 3, "requires-python": "not a specifier"}, 7]}
    ).encode()
    server = _Server(lambda h: _json(h, body))
    monkeypatch.setenv("UV_INDEX_URL", server.url)
    try:
        (tmp_path / "src").mkdir()
        (tmp_path / "src" / "entry.py").write_text("import fastapi\n")
        (tmp_path / "wrangler.toml").write_text(
            'name = "w"\nmain = "src/entry.py"\ncompatibility_date = "2025-11-01"\ncompatibility_flags = ["python_workers"]\n'
        )
        (tmp_path / "pyproject.toml").write_text('[project]\nname = "w"\nversion = "0"\ndependencies = ["fastapi"]\n')
        result = run_cli(["--no-cache", "--online", "--select", "CFW8", "--output-format", "json", "."], cwd=tmp_path)
        assert result.exit_code in (0, 1), result.output
        assert "Traceback" not in result.output
        assert server.requests  # it did ask
    finally:
        server.close()


@pytest.mark.parametrize(
    "name, text",
    [
        ("wrangler.toml", 'name = "w"\nmain = "src/entry.py"\nx = ' + "[" * 20000 + "]" * 20000 + "\n"),
        ("wrangler.jsonc", '{"name": "w", "main": "src/entry.py", "x": ' + "[" * 20000 + "]" * 20000 + "}"),
        ("pyproject.toml", "[tool.cfw-lint]\nx = " + "[" * 20000 + "]" * 20000 + "\n"),
    ],
)
def test_deeply_nested_configs_are_cfw003_not_a_traceback(tmp_path, name, text):
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "entry.py").write_text("MARK\n")
    if name == "pyproject.toml":
        (tmp_path / "wrangler.toml").write_text('name = "w"\nmain = "src/entry.py"\n')
    (tmp_path / name).write_text(text)
    result = run_cli(["--no-cache", "--output-format", "json", "--select", "CFW003", "."], cwd=tmp_path)
    assert result.exit_code == 1, result.output[-500:]
    assert found(result) == [(name, "CFW003", 1)]
    assert "nested too deeply" in messages(result)[f"{name}:CFW003"]


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_pool_and_serial_fix_the_same(tmp_path, jobs):
    for i in range(14):
        (tmp_path / f"m{i:02}.py").write_text(f'x = "OLD{i}"\nMARK\n')
    (tmp_path / "m05.py").write_text('x = "OLD5"\nRAISE\n')
    result = cli(tmp_path, "--fix", "-j", jobs, ".")
    assert [(tmp_path / f"m{i:02}.py").read_text() for i in range(14) if i != 5] == [
        f'x = "NEW{i}"\nMARK\n' for i in range(14) if i != 5
    ]
    assert (tmp_path / "m05.py").read_text() == 'x = "OLD5"\nRAISE\n'  # its analysis failed: untouched
    assert ("m05.py", "CFW004", 1) in found(result)
    assert _temporary_files(tmp_path) == []


def test_standard_input_bad_input(tmp_path):
    from click.testing import CliRunner

    from cfw_lint.cli import main

    runner_ = CliRunner()
    binary = runner_.invoke(main, ["--no-cache", "--output-format", "json", "-"], input=b"\x89PNG\x00\x00")
    assert binary.exit_code == 1 and '"CFW002"' in binary.output
    deep = runner_.invoke(main, ["--no-cache", "--fix", "-"], input=nested(3000).encode())
    assert deep.exit_code == 1
    assert nested(3000) in deep.output  # --fix on standard input prints the text back, unchanged
    assert "too many nested parentheses" in deep.output
