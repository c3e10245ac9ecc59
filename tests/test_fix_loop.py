"""The project fix loop: source and config fixes run together to a fixed point in one --fix,
the fixed project is checked again before anything is written, and --diff shows what --fix
would write (unsafe fixes, created and deleted files, the same numbers)."""

from __future__ import annotations

import json

from helpers import run_cli, write_project

LEGACY_CONFIG = """\
main = "src/entry.py"
compatibility_date = "2025-07-01"
compatibility_flags = ["python_workers"]
"""

# a class entrypoint whose Durable Object still spells its handler for legacy mode
DO_ENTRY = """\
from workers import DurableObject, Response, WorkerEntrypoint


class Counter(DurableObject):
    async def on_fetch(self, request):
        return Response("count")


class Default(WorkerEntrypoint):
    async def fetch(self, request):
        return Response("hi")
"""


def _err(result) -> str:
    """Standard error (click < 8.2 mixes it into the output unless told otherwise)."""
    try:
        return result.stderr
    except ValueError:
        return result.output


def _fix(root, *extra):
    return run_cli(["--fix", "--unsafe-fixes", "--no-cache", *extra, "."], cwd=root)


def test_date_move_and_method_rename_in_one_fix(tmp_path):
    # the date move (CFW703) makes the Durable Object's `on_fetch` wrong (CFW108); both are
    # fixed by the same --fix
    write_project(tmp_path, {"wrangler.toml": LEGACY_CONFIG, "src/entry.py": DO_ENTRY})
    result = _fix(tmp_path)
    assert 'compatibility_date = "2025-08-14"' in (tmp_path / "wrangler.toml").read_text()
    entry = (tmp_path / "src/entry.py").read_text()
    assert entry == DO_ENTRY.replace("async def on_fetch(self, request):", "async def fetch(self, request):")
    # CFW703 (the date) and CFW108's warning (`on_fetch` works until the date moves)
    assert "Found 2 errors (2 fixed, 0 remaining)." in result.stdout, result.stdout
    before = {p: (tmp_path / p).read_bytes() for p in ("wrangler.toml", "src/entry.py")}
    again = _fix(tmp_path)
    assert {p: (tmp_path / p).read_bytes() for p in before} == before
    assert "All checks passed!" in again.stdout


def test_diff_honours_unsafe_fixes_and_changes_nothing(tmp_path):
    write_project(tmp_path, {"wrangler.toml": LEGACY_CONFIG, "src/entry.py": DO_ENTRY})
    safe = run_cli(["--diff", "--no-cache", "."], cwd=tmp_path)
    assert "---" not in safe.output  # the date move is unsafe: no diff
    assert "No fixes available." in _err(safe)
    assert safe.exit_code == 0
    result = run_cli(["--diff", "--unsafe-fixes", "--no-cache", "."], cwd=tmp_path)
    assert result.exit_code == 1
    assert '-compatibility_date = "2025-07-01"\n+compatibility_date = "2025-08-14"\n' in result.stdout
    assert "-    async def on_fetch(self, request):\n+    async def fetch(self, request):\n" in result.stdout
    # the numbers --fix prints
    assert "Would fix 2 of 2 errors in 2 files (0 remaining)." in _err(result)
    assert (tmp_path / "wrangler.toml").read_text() == LEGACY_CONFIG
    assert (tmp_path / "src/entry.py").read_text() == DO_ENTRY


def test_diff_shows_deleted_and_created_files(tmp_path):
    # CFW803 moves requirements.txt into pyproject.toml: one file deleted, one created
    write_project(
        tmp_path,
        {
            "wrangler.toml": LEGACY_CONFIG.replace("2025-07-01", "2025-11-01"),
            "requirements.txt": "httpx\n",
            "src/entry.py": "import httpx\n" + DO_ENTRY.replace("on_fetch", "fetch"),
        },
    )
    result = run_cli(["--diff", "--unsafe-fixes", "--no-cache", "--select", "CFW803", "."], cwd=tmp_path)
    out = result.stdout
    assert "--- /dev/null\n+++ b/pyproject.toml\n@@ -0,0 +1,6 @@\n+[project]\n" in out
    assert "--- a/requirements.txt\n+++ /dev/null\n@@ -1 +0,0 @@\n-httpx\n" in out
    assert "Would fix 1 of 1 error in 2 files (0 remaining)." in _err(result)
    assert (tmp_path / "requirements.txt").exists() and not (tmp_path / "pyproject.toml").exists()


def test_json_output_after_fix_lists_what_remains(tmp_path):
    write_project(tmp_path, {"wrangler.toml": LEGACY_CONFIG, "src/entry.py": DO_ENTRY})
    result = run_cli(["--fix", "--no-cache", "--output-format", "json", "."], cwd=tmp_path)
    # without --unsafe-fixes the date stays, and so does the legacy spelling that works on it
    assert [d["code"] for d in json.loads(result.stdout)] == ["CFW108", "CFW703"]


LEGACY_JINJA = """\
import jinja2
from workers import Response, handler


@handler
async def on_fetch(request, env):
    return Response(jinja2.Template("x").render())
"""


def test_fix_that_leaves_a_new_error_is_not_applied_and_is_reported(tmp_path):
    # moving the handler into a class needs the 2025-08-14 date, which drops src/vendor from
    # sys.path; without a vendor.txt nothing can declare the packages: no fix is written
    write_project(
        tmp_path, {"wrangler.toml": LEGACY_CONFIG, "src/entry.py": LEGACY_JINJA, "src/vendor/jinja2/__init__.py": ""}
    )
    result = _fix(tmp_path, "--ignore", "CFW806")  # CFW806 is about providers, not this
    assert (tmp_path / "src/entry.py").read_text() == LEGACY_JINJA
    assert (tmp_path / "wrangler.toml").read_text() == LEGACY_CONFIG
    assert (
        "cfw-lint: warning: CFW101 fix in src/entry.py not applied: the fixed project would have a new error"
        in _err(result)
    )
    assert "CFW703" in _err(result) and "no date keeps this Worker working" in _err(result)
    assert "Found 1 error (0 fixed, 1 remaining)." in result.stdout


def test_unresolved_name_after_a_fix_blocks_it(tmp_path, monkeypatch):
    # a rule whose fix removes an import that is still used: the final check sees the NameError
    import libcst as cst

    import cfw_lint.registry as registry
    from cfw_lint.diagnostics import FixAvailability, Severity
    from cfw_lint.rule import PythonRule

    class DropImport(PythonRule):
        code = "CFW993"
        name = "test-drop-import"
        severity = Severity.WARNING
        fix = FixAvailability.SAFE
        triggers = ("import json",)

        def visit_Import(self, node: cst.Import) -> None:
            self.report(node, "drop it", fix=lambda fx, n=node: fx.replace(n, "pass"))

    rules = dict(registry.all_rules())
    rules["CFW993"] = DropImport
    monkeypatch.setattr(registry, "all_rules", lambda: rules)
    write_project(tmp_path, {"mod.py": "import json\n\nVALUE = json.dumps(1)\n"})
    result = run_cli(["--fix", "--no-cache", "--select", "CFW993", "."], cwd=tmp_path)
    assert (tmp_path / "mod.py").read_text() == "import json\n\nVALUE = json.dumps(1)\n"
    assert "CFW993 fix in mod.py not applied" in _err(result)
    assert "the name `json` would no longer resolve (NameError)" in _err(result)


def test_only_the_fix_that_breaks_is_left_out(tmp_path):
    # CFW410's tuple -> list is independent and stays; CFW101's move (which would need a date
    # that drops src/vendor) is left out
    entry = LEGACY_JINJA + (
        "\n\nfrom workers import DurableObject\n\n\n"
        "class Counter(DurableObject):\n"
        "    async def bounds(self):\n"
        "        return 0, 1\n"
    )
    write_project(
        tmp_path, {"wrangler.toml": LEGACY_CONFIG, "src/entry.py": entry, "src/vendor/jinja2/__init__.py": ""}
    )
    result = _fix(tmp_path, "--ignore", "CFW806", "--show-fixes")
    assert (tmp_path / "src/entry.py").read_text() == entry.replace("return 0, 1", "return [0, 1]")
    assert (tmp_path / "wrangler.toml").read_text() == LEGACY_CONFIG
    assert "CFW101 fix in src/entry.py not applied" in _err(result)
    assert "CFW410" not in _err(result)


def test_show_fixes_names_why_a_fix_is_unsafe(tmp_path):
    config = LEGACY_CONFIG.replace("2025-07-01", "2026-05-01")
    entry = "async def on_fetch(request, env):\n    return await env.KV.get('k')\n"
    write_project(tmp_path, {"wrangler.toml": config, "src/entry.py": entry})
    result = _fix(tmp_path, "--select", "CFW101", "--show-fixes")
    assert "class Default(WorkerEntrypoint):" in (tmp_path / "src/entry.py").read_text()
    assert "note: CFW101: unsafe: `self.env` bindings are wrapped by workers-runtime-sdk" in result.output


def test_fix_pass_that_cannot_be_analysed_writes_nothing(tmp_path, monkeypatch):
    # analysis crashes only when fixing: the original findings stay, no file is changed, and
    # stderr names the file (a crash while only linting is a CFW004 finding instead)
    import cfw_lint.engine as engine

    real = engine.lint_python

    def flaky(data, context, rules, fix_mode=None, **kw):
        if fix_mode is not None:
            raise RuntimeError("boom")
        return real(data, context, rules, fix_mode=fix_mode, **kw)

    monkeypatch.setattr(engine, "lint_python", flaky)
    write_project(tmp_path, {"wrangler.toml": LEGACY_CONFIG, "src/entry.py": DO_ENTRY})
    result = _fix(tmp_path, "-j", "1")
    assert (tmp_path / "src/entry.py").read_text() == DO_ENTRY
    assert (tmp_path / "wrangler.toml").read_text() == LEGACY_CONFIG
    assert (
        "src/entry.py: fixes not applied: could not be analysed: internal error in cfw-lint (RuntimeError: boom)"
        in _err(result)
    )
    assert "CFW004" in result.stdout and "CFW703" in result.stdout and "(0 fixed, 2 remaining)" in result.stdout
    assert result.exit_code == 2
