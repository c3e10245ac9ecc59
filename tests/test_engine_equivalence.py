"""The engine's speed work must not change a finding: the corpus under tests/corpus/ (Worker-shaped
code, several Workers, host scripts, a syntax error, valid code LibCST rejects) gives exactly the
findings and fix diffs recorded in tests/corpus/expected.json by the engine before that work.

`python tests/test_engine_equivalence.py --write` records the current engine's output.
"""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

CORPUS = Path(__file__).resolve().parent / "corpus"
EXPECTED = CORPUS / "expected.json"


def snapshot(root: Path) -> dict:
    from cfw_lint.runner import Options, run

    lint = run(Options(paths=[str(root)], no_cache=True, jobs=1), cwd=root)
    fixed = run(Options(paths=[str(root)], no_cache=True, jobs=1, fix_mode="unsafe", diff=True), cwd=root)
    # edits of other files carry absolute paths: make them relative to the corpus copy
    diagnostics = json.loads(json.dumps([d.to_json() for d in lint.diagnostics]).replace(f"{root}/", ""))
    return {
        "diagnostics": sorted(diagnostics, key=lambda d: json.dumps(d, sort_keys=True)),
        "diffs": sorted(fixed.diffs),
        "errors": lint.errors + fixed.errors,
    }


def _copy(target: Path) -> Path:
    shutil.copytree(CORPUS, target, ignore=shutil.ignore_patterns("expected.json", "README.md"))
    return target


def test_findings_unchanged(tmp_path: Path) -> None:
    expected = json.loads(EXPECTED.read_text(encoding="utf-8"))
    got = json.loads(json.dumps(snapshot(_copy(tmp_path / "corpus"))))
    assert got["errors"] == expected["errors"] == []
    assert [(d["filename"], d["code"], d["location"], d["end_location"]) for d in got["diagnostics"]] == [
        (d["filename"], d["code"], d["location"], d["end_location"]) for d in expected["diagnostics"]
    ]
    assert got == expected


def test_corpus_exercises_both_paths() -> None:
    # files no rule can fire on (summary only) and files that reach LibCST, syntax errors of both
    # parsers, several Workers and files outside any Worker
    expected = json.loads(EXPECTED.read_text(encoding="utf-8"))
    files = {d["filename"] for d in expected["diagnostics"]}
    assert "scripts/broken.py" in files and "scripts/parens.py" in files
    assert "notes-worker/src/notes/render.py" not in files
    assert len({d["code"] for d in expected["diagnostics"]}) >= 8


if __name__ == "__main__" and "--write" in sys.argv:
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        data = snapshot(_copy(Path(tmp) / "corpus"))
    EXPECTED.write_text(json.dumps(data, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    print(f"wrote {EXPECTED}: {len(data['diagnostics'])} findings, {len(data['diffs'])} diffs")
