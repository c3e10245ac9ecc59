"""The command line: options, output formats, exit status, settings, suppression, bad input."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from helpers import run_cli, write_project

ENTROPY = "import random\nrandom.seed(1)\n"
WRANGLER = """\
name = "w"
main = "src/entry.py"
compatibility_date = "2026-03-01"
compatibility_flags = ["python_workers"]
"""


def lint(root: Path, *args: str, input: str | None = None):
    return run_cli(["--no-cache", "--select", "CFW0,CFW2", *args], cwd=root, input=input)


def as_json(result) -> list[dict]:
    return json.loads(result.stdout)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return write_project(tmp_path, {"wrangler.toml": WRANGLER, "src/entry.py": ENTROPY, "src/util.py": "X = 1\n"})


# -- exit status ----------------------------------------------------------------------------
def test_exit_status_problem_clean_and_exit_zero(project):
    assert lint(project, ".").exit_code == 1
    assert lint(project, "--exit-zero", ".").exit_code == 0
    (project / "src/entry.py").write_text("import random\n")
    result = lint(project, ".")
    assert result.exit_code == 0
    assert "All checks passed!" in result.stdout


def test_info_findings_do_not_fail(tmp_path, monkeypatch):
    import cfw_lint.registry as registry
    from cfw_lint.diagnostics import Severity

    rule = registry.all_rules()["CFW201"]
    monkeypatch.setattr(rule, "severity", Severity.INFO)
    write_project(tmp_path, {"m.py": ENTROPY})
    result = lint(tmp_path, "--output-format", "json", ".")
    assert as_json(result)[0]["severity"] == "info"
    assert result.exit_code == 0


def test_usage_errors_exit_2_with_one_line(project):
    for args in (
        ["does-not-exist"],
        ["--select", "CFW9999", "."],
        ["--ignore", "XYZ1", "."],
        ["--compat-date", "yesterday", "."],
    ):
        result = lint(project, *args)
        assert result.exit_code == 2, args
        assert result.stderr.count("\n") == 1 and result.stderr.startswith("cfw-lint: error:"), result.stderr
        assert "Traceback" not in result.output
    result = run_cli(["--no-such-option"], cwd=project)
    assert result.exit_code == 2


def test_default_command_and_check_are_the_same(project):
    a = run_cli(["--no-cache", "--output-format", "json", "."], cwd=project)
    b = run_cli(["check", "--no-cache", "--output-format", "json", "."], cwd=project)
    assert a.stdout == b.stdout and a.exit_code == b.exit_code == 1


def test_default_path_is_current_directory(project):
    result = lint(project, "--output-format", "json")
    assert [d["filename"] for d in as_json(result)] == ["src/entry.py"]


# -- output formats -------------------------------------------------------------------------
def test_text_format_has_code_frame_and_summary(project):
    out = lint(project, ".").stdout
    assert "src/entry.py:2:1: CFW201 " in out
    assert "2 | random.seed(1)\n" in out
    assert "  | ^^^^^^^^^^^^^^ error" in out
    assert out.rstrip().endswith("Found 1 error.")
    assert "\x1b[" not in out, "no colour when not on a terminal"


def test_concise_format_one_line_each(project):
    out = lint(project, "--output-format", "concise", ".").stdout.splitlines()
    assert out[0].startswith("src/entry.py:2:1: CFW201 ")
    assert out[1] == "Found 1 error."


def test_json_format_fields(project):
    [d] = as_json(lint(project, "--output-format", "json", "."))
    assert d["code"] == "CFW201" and d["name"] == "global-scope-entropy"
    assert d["filename"] == "src/entry.py" and d["severity"] == "error"
    assert d["location"] == {"row": 2, "column": 1}
    assert d["end_location"] == {"row": 2, "column": 15}
    assert d["fix"] is None and d["noqa_row"] == 2 and "url" in d and "message" in d


def test_sarif_format(project):
    doc = json.loads(lint(project, "--output-format", "sarif", ".").stdout)
    assert doc["version"] == "2.1.0"
    run = doc["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    assert run["tool"]["driver"]["name"] == "cfw-lint"
    [result] = run["results"]
    assert result["ruleId"] == "CFW201" and result["level"] == "error"
    assert rules[result["ruleIndex"]]["id"] == "CFW201"
    region = result["locations"][0]["physicalLocation"]["region"]
    assert (region["startLine"], region["startColumn"]) == (2, 1)
    assert result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "src/entry.py"


def test_github_format(project):
    out = lint(project, "--output-format", "github", ".").stdout
    assert out.startswith("::error file=src/entry.py,line=2,col=1,endLine=2,endColumn=15,")
    assert "title=CFW201 (global-scope-entropy)::src/entry.py:2:1: CFW201 " in out


def test_statistics(project):
    (project / "src/entry.py").write_text(ENTROPY + "import other\n")  # only what main imports is Worker code
    (project / "src/other.py").write_text("import uuid\nA = uuid.uuid4()\nB = uuid.uuid4()\n")
    out = lint(project, "--statistics", ".").stdout
    assert "3\tCFW201\t[ ] global-scope-entropy" in out


def test_quiet_omits_summary(project):
    out = lint(project, "--quiet", ".").stdout
    assert "Found" not in out and "CFW201" in out


# -- selection ------------------------------------------------------------------------------
def test_select_ignore_and_prefixes(project):
    def codes(*args):
        return sorted(
            {d["code"] for d in as_json(run_cli(["--no-cache", "--output-format", "json", *args, "."], cwd=project))}
        )

    everything = codes()
    assert "CFW201" in everything
    assert codes("--select", "CFW0") == []
    assert codes("--select", "CFW2") == ["CFW201"]
    assert codes("--ignore", "CFW201") == [c for c in everything if c != "CFW201"]
    assert codes("--select", "ALL", "--ignore", "CFW2") == [c for c in everything if not c.startswith("CFW2")]
    out = run_cli(
        ["--no-cache", "--output-format", "json", "--select", "CFW0", "--extend-select", "CFW201", "."], cwd=project
    )
    assert [d["code"] for d in as_json(out)] == ["CFW201"]


# -- configuration --------------------------------------------------------------------------
def test_pyproject_settings_select_ignore_per_file_ignores(project):
    (project / "pyproject.toml").write_text(
        '[project]\nname = "w"\nversion = "0"\n\n[tool.cfw-lint]\nselect = ["CFW2"]\n'
        'per-file-ignores = { "src/entry.py" = ["CFW201"] }\n'
    )
    (project / "src/other.py").write_text(ENTROPY)
    (project / "src/entry.py").write_text(ENTROPY + "import other\n")
    result = run_cli(["--no-cache", "--output-format", "json", "."], cwd=project)
    assert [d["filename"] for d in as_json(result)] == ["src/other.py"]
    (project / "pyproject.toml").write_text('[tool.cfw-lint]\nselect = ["CFW0", "CFW2"]\nignore = ["CFW201"]\n')
    assert as_json(run_cli(["--no-cache", "--output-format", "json", "."], cwd=project)) == []
    (project / "pyproject.toml").write_text('[tool.cfw-lint]\nselect = ["CFW0"]\nextend-select = ["CFW201"]\n')
    assert len(as_json(run_cli(["--no-cache", "--output-format", "json", "."], cwd=project))) == 2


def test_unknown_settings_key_and_code_are_reported(project):
    (project / "pyproject.toml").write_text('[tool.cfw-lint]\nselekt = ["CFW2"]\n')
    result = lint(project, ".")
    assert result.exit_code == 2
    assert "unknown key 'selekt' in [tool.cfw-lint]" in result.stderr and "pyproject.toml" in result.stderr
    (project / "pyproject.toml").write_text('[tool.cfw-lint]\nignore = ["CFW2O1"]\n')
    result = lint(project, ".")
    assert result.exit_code == 2 and "unknown rule code or prefix 'CFW2O1'" in result.stderr


def test_exclude_extend_exclude_and_gitignore(project):
    src = project / "src"
    (src / "generated").mkdir()
    (src / "generated/gen.py").write_text(ENTROPY)
    (src / "scripts").mkdir()
    (src / "scripts/tool.py").write_text(ENTROPY)
    (src / "ignored_by_git.py").write_text(ENTROPY)
    (project / ".gitignore").write_text("src/ignored_by_git.py\n")
    (src / "node_modules/pkg").mkdir(parents=True)
    (src / "node_modules/pkg/x.py").write_text(ENTROPY)
    (src / "entry.py").write_text(ENTROPY + "import generated.gen, scripts.tool, ignored_by_git\n")

    def files():
        args = ["--no-cache", "--output-format", "json", "--select", "CFW2", "."]
        return sorted(d["filename"] for d in as_json(run_cli(args, cwd=project)))

    assert files() == ["src/entry.py", "src/generated/gen.py", "src/scripts/tool.py"]
    (project / "pyproject.toml").write_text('[tool.cfw-lint]\nextend-exclude = ["generated"]\n')
    assert files() == ["src/entry.py", "src/scripts/tool.py"]
    (project / "pyproject.toml").write_text('[tool.cfw-lint]\nexclude = ["src/scripts/"]\nrespect-gitignore = false\n')
    # `exclude` replaces the default list, so node_modules is walked again (its files are still
    # not Worker sources, so only parse problems would be reported there)
    assert files() == ["src/entry.py", "src/generated/gen.py", "src/ignored_by_git.py"]


def test_explicit_excluded_path_is_linted_unless_force_exclude(project):
    (project / "pyproject.toml").write_text('[tool.cfw-lint]\nextend-exclude = ["src/entry.py"]\n')
    assert lint(project, "src/entry.py").exit_code == 1
    assert lint(project, "--force-exclude", "src/entry.py").exit_code == 0


def test_compat_settings_for_configless_files(tmp_path):
    write_project(tmp_path, {"m.py": "x = 1\n", "pyproject.toml": '[tool.cfw-lint]\ncompat-date = "2025-07-01"\n'})
    out = run_cli(["profile", "m.py"], cwd=tmp_path).stdout
    assert "2025-07-01" in out and "3.12" in out and "[tool.cfw-lint]" in out
    (tmp_path / "pyproject.toml").write_text(
        '[tool.cfw-lint]\ncompat-date = "2025-07-01"\ncompat-flags = ["python_workers", "python_workers_20250116"]\n'
    )
    assert "Python:               3.13" in run_cli(["profile", "m.py"], cwd=tmp_path).stdout


def test_config_option_replaces_discovery(project):
    (project / "custom.toml").write_text('ignore = ["CFW201"]\n')
    assert lint(project, "--config", "custom.toml", ".").exit_code == 0
    (project / "bad.toml").write_text("ignore = [\n")
    result = lint(project, "--config", "bad.toml", ".")
    assert result.exit_code == 2 and "bad.toml: invalid TOML" in result.stderr


# -- suppression ----------------------------------------------------------------------------
@pytest.mark.parametrize(
    "source,expected",
    [
        ("import random\nrandom.seed(1)  # noqa\n", 0),
        ("import random\nrandom.seed(1)  # noqa: CFW201\n", 0),
        ("import random\nrandom.seed(1)  # NOQA:CFW2\n", 0),
        ("import random\nrandom.seed(1)  # noqa: CFW202\n", 1),
        ("import random\nx = max(  # noqa: CFW201\n    random.random(),\n    2,\n)\n", 0),
        ("import random\nx = max(\n    random.random(),  # noqa\n    2,\n)\n", 0),
        ("import random\nx = max(\n    random.random(),\n    2,\n)  # noqa\n", 1),
        ("# cfw-lint: noqa\nimport random\nrandom.seed(1)\n", 0),
        ("# cfw-lint: noqa: CFW201\nimport random\nrandom.seed(1)\n", 0),
        ("# cfw-lint: noqa: CFW202\nimport random\nrandom.seed(1)\n", 1),
        ('import random\nrandom.seed(1); s = "# noqa"\n', 1),
    ],
)
def test_suppression_forms(tmp_path, source, expected):
    (tmp_path / "m.py").write_text(source)
    # CFW005 (the unused `noqa: CFW202` itself) is tested in tests/test_noqa_hygiene.py
    found = [d for d in as_json(lint(tmp_path, "--output-format", "json", ".")) if d["code"] != "CFW005"]
    assert len(found) == expected


# -- bad input ------------------------------------------------------------------------------
def test_syntax_error_is_reported_and_other_files_still_linted(project):
    (project / "src/broken.py").write_text("def f(:\n    pass\n")
    result = lint(project, "--output-format", "json", ".")
    found = sorted((d["filename"], d["code"], d["location"]["row"]) for d in as_json(result))
    assert found == [("src/broken.py", "CFW001", 1), ("src/entry.py", "CFW201", 2)]
    assert "Traceback" not in result.output


def test_undecodable_and_non_regular_files(project):
    (project / "src/latin.py").write_bytes(b'x = "caf\xe9"\n')
    os.mkfifo(project / "src/pipe.py")  # never opened: reading it would block
    result = lint(project, "--output-format", "json", ".")
    found = sorted((d["filename"], d["code"]) for d in as_json(result))
    assert ("src/latin.py", "CFW002") in found and ("src/entry.py", "CFW201") in found
    assert ("src/pipe.py", "CFW002") in found


def test_bad_cookie_is_unreadable(tmp_path):
    (tmp_path / "m.py").write_bytes(b"# -*- coding: klingon -*-\nx = 1\n")
    assert [d["code"] for d in as_json(lint(tmp_path, "--output-format", "json", "."))] == ["CFW002"]


def test_broken_worker_config_is_reported_and_python_still_linted(project):
    (project / "wrangler.toml").write_text('name = "w"\nmain = "src/entry.py"\ncompatibility_date = "2026-03-01\n')
    result = lint(project, "--output-format", "json", ".")
    found = sorted((d["filename"], d["code"], d["location"]["row"]) for d in as_json(result))
    assert found == [("src/entry.py", "CFW201", 2), ("wrangler.toml", "CFW003", 3)]


def test_broken_jsonc_and_pyproject(tmp_path):
    write_project(
        tmp_path,
        {
            "wrangler.jsonc": '{\n  // comment\n  "main": "src/entry.py",\n  "compatibility_date": "2026-03-01",,\n}\n',
            "src/entry.py": "x = 1\n",
            "pyproject.toml": "[project\n",
        },
    )
    found = sorted(
        (d["filename"], d["code"], d["location"]["row"])
        for d in as_json(lint(tmp_path, "--output-format", "json", "."))
    )
    assert found == [("pyproject.toml", "CFW003", 1), ("wrangler.jsonc", "CFW003", 4)]


# -- stdin ----------------------------------------------------------------------------------
def test_stdin_lints_as_the_given_file(project):
    result = lint(
        project,
        "--output-format",
        "json",
        "-",
        "--stdin-filename",
        "src/entry.py",
        input="import uuid\nX = uuid.uuid4()\n",
    )
    [d] = as_json(result)
    assert d["filename"] == "src/entry.py" and d["location"] == {"row": 2, "column": 5}


def test_stdin_without_filename(tmp_path):
    result = lint(tmp_path, "--output-format", "concise", "-", input=ENTROPY)
    assert result.stdout.startswith("-:2:1: CFW201")


# -- subcommands ----------------------------------------------------------------------------
def test_rule_rules_profile(project):
    page = run_cli(["rule", "CFW201"], cwd=project)
    assert page.exit_code == 0 and page.stdout.startswith("# CFW201: global-scope-entropy")
    assert run_cli(["rule", "cfw201"], cwd=project).exit_code == 0
    assert run_cli(["rule", "CFW999"], cwd=project).exit_code == 2
    listed = json.loads(run_cli(["rules", "--output-format", "json"], cwd=project).stdout)
    entry = next(r for r in listed if r["code"] == "CFW201")
    assert entry == {**entry, "name": "global-scope-entropy", "severity": "error", "fix": "none"}
    assert "CFW201  global-scope-entropy" in run_cli(["rules"], cwd=project).stdout
    (project / "pyproject.toml").write_text('[project]\nname = "w"\nversion = "0"\ndependencies = []\n')
    profile = run_cli(["profile", "src/entry.py"], cwd=project).stdout
    assert "wrangler.toml" in profile and "2026-03-01" in profile and "3.13" in profile
    assert "sdk_version" in profile  # unknown facts are named (no lock pins the SDK)
    override = run_cli(["profile", "--compat-date", "2025-07-01", "src/entry.py"], cwd=project).stdout
    assert "3.12" in override and "legacy" in override


def test_version_and_python_dash_m(project):
    assert run_cli(["--version"], cwd=project).stdout.strip().startswith("cfw-lint ")
    out = subprocess.run([sys.executable, "-m", "cfw_lint", "--version"], capture_output=True, text=True, check=True)
    assert out.stdout.startswith("cfw-lint ")
    code = "import sys, cfw_lint.cli; print('libcst' in sys.modules)"
    assert subprocess.run([sys.executable, "-c", code], capture_output=True, text=True).stdout.strip() == "False"


# -- cache and parallelism ------------------------------------------------------------------
def test_cache_is_written_and_invalidated_by_content(project):
    first = run_cli(["--output-format", "json", "--select", "CFW2", "."], cwd=project)
    assert list((project / ".cfw-lint-cache").rglob("*.json"))
    second = run_cli(["--output-format", "json", "--select", "CFW2", "."], cwd=project)
    assert first.stdout == second.stdout
    (project / "src/entry.py").write_text("import random\n\nrandom.seed(1)\n")
    third = run_cli(["--output-format", "json", "--select", "CFW2", "."], cwd=project)
    assert as_json(third)[0]["location"]["row"] == 3
    # the profile is part of the key: the same bytes under another date are linted again
    fourth = run_cli(["--output-format", "json", "--select", "CFW2", "--compat-date", "2025-07-01", "."], cwd=project)
    assert as_json(fourth) == as_json(third)
    assert (project / ".cfw-lint-cache" / ".gitignore").read_text().strip().endswith("*")


def test_many_files_in_parallel_match_serial(tmp_path):
    files = {f"pkg/m{i}.py": (ENTROPY if i % 3 == 0 else "x = 1\n") for i in range(30)}
    write_project(tmp_path, files)
    serial = run_cli(["--no-cache", "--output-format", "json", "-j", "1", "."], cwd=tmp_path)
    parallel = run_cli(["--no-cache", "--output-format", "json", "-j", "2", "."], cwd=tmp_path)
    assert serial.stdout == parallel.stdout
    assert len(as_json(parallel)) == 10


def test_host_side_scripts_and_tests_are_not_worker_code(project):
    (project / "tests").mkdir()
    (project / "tests/test_entry.py").write_text(ENTROPY)
    (project / "scripts").mkdir()
    (project / "scripts/seed.py").write_text(ENTROPY)
    (project / "src/test_helpers.py").write_text(ENTROPY)
    (project / "scripts/broken.py").write_text("def (:\n")
    found = sorted((d["filename"], d["code"]) for d in as_json(lint(project, "--output-format", "json", ".")))
    assert found == [("scripts/broken.py", "CFW001"), ("src/entry.py", "CFW201")]
    note = run_cli(["profile", "scripts/seed.py"], cwd=project).stdout
    assert "scripts/seed.py is not Worker code" in note


def test_ignoring_builtin_codes(project):
    (project / "src/broken.py").write_text("def (:\n")
    found = [d["code"] for d in as_json(lint(project, "--output-format", "json", "--ignore", "CFW001", "."))]
    assert found == ["CFW201"]


def test_valid_python_that_libcst_cannot_parse_is_not_called_invalid(tmp_path):
    # a parenthesised annotated target: Python accepts it, LibCST 1.x does not
    (tmp_path / "m.py").write_text("(pars): bool = True\n")
    [d] = as_json(lint(tmp_path, "--output-format", "json", "."))
    assert d["code"] == "CFW001"
    assert "although Python accepts it" in d["message"] and "SyntaxError" not in d["message"]


def test_cache_notices_a_new_project_module(tmp_path):
    write_project(
        tmp_path,
        {
            "wrangler.toml": WRANGLER,
            "src/entry.py": "from workers import WorkerEntrypoint\n\nclass Default(WorkerEntrypoint):\n"
            "    async def fetch(self, request):\n        import helpers\n        return helpers.x\n",
        },
    )

    def codes():
        out = run_cli(["--output-format", "json", "--select", "CFW203", "."], cwd=tmp_path)
        return [d["code"] for d in as_json(out)]

    assert codes() == ["CFW203"]  # `helpers` looks third-party
    (tmp_path / "src/helpers.py").write_text("x = 1\n")
    assert codes() == []  # now it is the project's own module, despite the cached result


def test_pre_commit_file_lists_still_find_the_project(tmp_path):
    # pre-commit passes only the changed files; project rules still see the whole project
    write_project(
        tmp_path,
        {
            "worker/wrangler.toml": 'name = "w"\nmain = "src/entry.py"\ncompatibility_date = "2026-03-01"\ncompatibility_flags = ["nodejs_compat"]\n',
            "worker/src/entry.py": "import util\nfrom workers import WorkerEntrypoint, Response\n\nclass Default(WorkerEntrypoint):\n"
            "    async def fetch(self, request):\n        return Response('ok')\n",
            "worker/src/util.py": "import random\nrandom.seed(1)\n",
        },
    )

    def found(*paths):
        out = run_cli(["--no-cache", "--output-format", "json", *paths], cwd=tmp_path)
        return sorted((d["filename"], d["code"]) for d in as_json(out))

    # only the entry module changed: the config problem is still reported, util.py is not linted
    assert found("worker/src/entry.py") == [("worker/wrangler.toml", "CFW701")]
    # only the config changed
    assert found("worker/wrangler.toml") == [("worker/wrangler.toml", "CFW701")]
    assert ("worker/src/util.py", "CFW201") in found("worker/src/util.py")
