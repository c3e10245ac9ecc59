"""The bundled fixture projects, linted through the CLI.

* `fixtures/good-worker`: a large, correct Worker; cfw-lint must report nothing at all.
* `fixtures/bad-worker`, `fixtures/example`, `fixtures/monorepo`: every expected finding is
  annotated in the fixture with an end-of-line `# expect: CFWnnn` (`// expect:` in JSONC). The
  set of (file, line, code) reported must equal the set of annotations, for every code that is
  registered (rules still being written are skipped until they land; then they are held to it).
"""

from __future__ import annotations

import functools
import json
import re
import shutil
from collections import Counter
from pathlib import Path

import pytest

from cfw_lint.registry import all_rules
from helpers import run_cli

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
ANNOTATED = ("bad-worker", "example", "monorepo")
# files that can carry an annotation: the ones cfw-lint reads
ANNOTATABLE = {".py", ".toml", ".jsonc", ".json", ".txt", ".lock"}
EXPECT = re.compile(r"(?:#|//)\s*expect:\s*(.*)$")

# The catalog's codes (shared/spec/rule-catalog.md; codes are public API). An annotation with any
# other (unregistered) code is a typo that the registration filter would skip for ever.
CATALOG = {
    *(f"CFW00{n}" for n in range(1, 4)),
    "CFW101",
    *(f"CFW10{n}" for n in range(3, 8)),
    *(f"CFW20{n}" for n in range(1, 4)),
    *(f"CFW30{n}" for n in range(1, 7)),
    *(f"CFW4{n:02}" for n in range(1, 12)),
    *(f"CFW50{n}" for n in range(1, 4)),
    *(f"CFW60{n}" for n in range(1, 8)),
    *(f"CFW7{n:02}" for n in range(1, 11)),
    *(f"CFW80{n}" for n in range(1, 9)),
}

Finding = tuple[str, int, str]  # (path relative to the fixture, line, code)


def annotations(root: Path) -> set[Finding]:
    found: set[Finding] = set()
    for path in sorted(root.rglob("*")):
        if not path.is_file() or path.suffix not in ANNOTATABLE:
            continue
        rel = path.relative_to(root).as_posix()
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            match = EXPECT.search(line)
            if match is None:
                continue
            codes = [c.strip() for c in match.group(1).split(",")]
            known = CATALOG | set(all_rules())  # new rules may add codes
            assert codes and all(c in known for c in codes), f"{rel}:{number}: bad annotation {line!r}"
            found.update((rel, number, c) for c in codes)
    return found


def lint(root: Path) -> list[dict]:
    if root.parent == FIXTURES:
        return json.loads(_lint_fixture(root.name))
    return _run_json(root)


def _run_json(root: Path) -> list[dict]:
    result = run_cli(["--output-format", "json", "--no-cache", "-j", "1", "."], cwd=root)
    assert result.exit_code in (0, 1), result.output
    return json.loads(result.stdout)


@functools.lru_cache(maxsize=None)
def _lint_fixture(name: str) -> str:
    # the fixtures do not change during a run; lint each once (kept as JSON text: immutable)
    return json.dumps(_run_json(FIXTURES / name))


def _relative(filename: str, root: Path) -> str:
    path = Path(filename)
    if path.is_absolute():
        path = path.resolve().relative_to(root.resolve())
    return path.as_posix().removeprefix("./")


def reported(root: Path) -> set[Finding]:
    return {(_relative(d["filename"], root), d["location"]["row"], d["code"]) for d in lint(root)}


def _describe(findings: set[Finding]) -> str:
    return "\n".join(f"  {path}:{line}: {code}" for path, line, code in sorted(findings)) or "  (none)"


def assert_matches_annotations(root: Path) -> None:
    registered = set(all_rules())
    expected = {f for f in annotations(root) if f[2] in registered}
    actual = reported(root)
    missing, unexpected = expected - actual, actual - expected
    assert not missing and not unexpected, (
        f"{root.name}: annotated but not reported:\n{_describe(missing)}\n"
        f"reported but not annotated:\n{_describe(unexpected)}"
    )


# -- the correct Worker ----------------------------------------------------------------------
def test_good_worker_reports_nothing():
    diagnostics = lint(FIXTURES / "good-worker")
    assert diagnostics == [], "\n".join(
        f"{d['filename']}:{d['location']['row']}:{d['location']['column']}: {d['code']} {d['message']}"
        for d in diagnostics
    )


def test_good_worker_is_really_linted(tmp_path):
    """Guards the test above: the same project with one mistake added does report it."""
    root = tmp_path / "good-worker"
    shutil.copytree(FIXTURES / "good-worker", root)
    entry = root / "src" / "entry.py"
    lines = entry.read_text(encoding="utf-8").splitlines()
    lines.append("random.seed(7)")
    entry.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert ("src/entry.py", len(lines), "CFW201") in reported(root)


def _profile(worker: Path):
    from cfw_lint.project import Project
    from cfw_lint.project.wrangler import find_config

    return Project(worker, find_config(worker)).profile()


def test_good_worker_runs_on_the_runtime_it_is_written_for():
    """The good Worker is only evidence of silence on this profile; keep it what it claims."""
    prof = _profile(FIXTURES / "good-worker")
    assert prof.python == (3, 13)
    assert prof.class_handlers and prof.implicit_step_dependencies and prof.external_sdk
    assert prof.sdk_version == "1.9.5" and prof.wrapped_bindings is True


def test_good_worker_carries_no_annotations():
    assert annotations(FIXTURES / "good-worker") == set()


# -- the annotated fixtures ------------------------------------------------------------------
@pytest.mark.parametrize("name", ANNOTATED)
def test_findings_equal_annotations(name):
    assert_matches_annotations(FIXTURES / name)


@pytest.mark.parametrize("name", ANNOTATED)
def test_no_finding_is_reported_twice(name):
    seen = [(d["filename"], d["location"]["row"], d["location"]["column"], d["code"]) for d in lint(FIXTURES / name)]
    assert sorted(f for f in set(seen) if seen.count(f) > 1) == []


@pytest.mark.parametrize("name", ANNOTATED)
def test_annotations_cover_many_rules(name):
    # a fixture that lost its annotations would make the equality above trivially true
    minimum = {"bad-worker": 30, "example": 3, "monorepo": 4}[name]
    assert len({code for _, _, code in annotations(FIXTURES / name)}) >= minimum


@pytest.mark.parametrize("name", ANNOTATED)
def test_fixing_adds_no_problem(name, tmp_path):
    """`--fix --unsafe-fixes` on a realistic project: every fix keeps the project parseable and
    no rule reports more afterwards than before (a fix that trades one problem for another is
    a defect)."""
    root = tmp_path / name
    shutil.copytree(FIXTURES / name, root)
    before = Counter(d["code"] for d in lint(FIXTURES / name))
    result = run_cli(["--fix", "--unsafe-fixes", "--no-cache", "-j", "1", "-q", "."], cwd=root)
    assert result.exit_code in (0, 1), result.output
    after = Counter(d["code"] for d in _run_json(root))
    assert "CFW001" not in after
    grown = {code: (before[code], n) for code, n in after.items() if n > before[code]}
    assert grown == {}, f"codes reported more often after --fix (before, after): {grown}"
    assert sum(after.values()) < sum(before.values())


def test_monorepo_lints_each_worker_against_its_own_config():
    root = FIXTURES / "monorepo"
    legacy, orders = _profile(root / "workers/legacy-api"), _profile(root / "workers/orders")
    assert legacy.python == (3, 12) and legacy.legacy_handlers and not legacy.implicit_step_dependencies
    assert orders.python == (3, 13) and orders.class_handlers and orders.implicit_step_dependencies
    actual = reported(root)
    registered = set(all_rules())
    if "CFW301" in registered:  # requests in a handler: fails only on the 3.12 runtime
        assert {p for p, _, c in actual if c == "CFW301"} == {"workers/legacy-api/src/entry.py"}
    if "CFW603" in registered:  # depends=: gone only under implicit step dependencies
        assert {p for p, _, c in actual if c == "CFW603"} == {"workers/orders/src/entry.py"}
    if "CFW403" in registered:  # jsnull: missing only on the 3.12 runtime
        assert {p for p, _, c in actual if c == "CFW403"} == {"workers/legacy-api/src/entry.py"}


def test_example_is_what_the_readme_runs():
    """`cfw-lint fixtures/example` (the README's first command) finds problems and exits 1."""
    root = FIXTURES.parent
    result = run_cli(["--no-cache", "-j", "1", "fixtures/example"], cwd=root)
    assert result.exit_code == 1, result.output
    for rel, line, code in annotations(FIXTURES / "example"):
        if code in all_rules():
            assert re.search(rf"^fixtures/example/{re.escape(rel)}:{line}:\d+: {code} ", result.stdout, re.M), code


@pytest.mark.parametrize("fmt", ["text", "sarif"])
def test_every_output_format_carries_every_finding(fmt):
    """The realistic project through each output format: same findings as JSON, no crash."""
    root = FIXTURES / "bad-worker"
    diagnostics = lint(root)
    result = run_cli(["--output-format", fmt, "--no-cache", "-j", "1", "."], cwd=root)
    assert result.exit_code == 1, result.output
    if fmt == "sarif":
        results = json.loads(result.stdout)["runs"][0]["results"]
        assert len(results) == len(diagnostics)
    else:
        for d in diagnostics:
            assert f"{d['filename']}:{d['location']['row']}:{d['location']['column']}: {d['code']}" in result.stdout
