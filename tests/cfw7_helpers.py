"""Helpers for the Worker config rule tests (CFW7xx): run the CLI on a project in a temporary
directory and read back positions, messages and fixed files."""

from __future__ import annotations

import json
from pathlib import Path

from helpers import run_cli, write_project

ENTRY = """\
from workers import Response, WorkerEntrypoint


class Default(WorkerEntrypoint):
    async def fetch(self, request):
        return Response("hi")
"""


def lint(root: Path, code: str, *extra: str) -> list[dict]:
    result = run_cli(["--output-format", "json", "--no-cache", "--select", code, *extra, "."], cwd=root)
    assert result.exit_code in (0, 1), result.output
    return json.loads(result.stdout)


def found(root: Path, code: str, *extra: str) -> list[tuple[str, str, int, int]]:
    """(code, file, line, column) of each diagnostic of `code` (a code or prefix)."""
    return [
        (d["code"], d["filename"].replace("\\", "/"), d["location"]["row"], d["location"]["column"])
        for d in lint(root, code, *extra)
        if d["code"].startswith(code)
    ]


def messages(root: Path, code: str) -> list[str]:
    return [d["message"] for d in lint(root, code) if d["code"].startswith(code)]


def project(root: Path, files: dict[str, str], entry: str | None = ENTRY) -> Path:
    if entry is not None and "src/entry.py" not in files:
        files = {**files, "src/entry.py": entry}
    return write_project(root, files)


def fixed(root: Path, code: str, name: str, *, unsafe: bool = False) -> str:
    """The config after --fix; asserts that a second --fix changes nothing."""
    args = ["--fix", "--no-cache", "--select", code, "."]
    if unsafe:
        args.insert(1, "--unsafe-fixes")
    run_cli(args, cwd=root)
    first = (root / name).read_bytes()
    run_cli(args, cwd=root)
    assert (root / name).read_bytes() == first, "a second --fix changed the file again"
    return first.decode("utf-8")
