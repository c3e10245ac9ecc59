"""Shared set-up for the dependency rule tests (CFW801-CFW808): a Worker project on disk, linted
through the command line, findings as (code, file, line, column)."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

from helpers import run_cli, write_project

DATES = {"3.12": "2025-07-01", "3.13": "2025-11-01", "3.14": "2026-10-01"}


def wrangler(python: str = "3.13", extra_flags: tuple[str, ...] = ()) -> str:
    flags = ", ".join(f'"{f}"' for f in ("python_workers", *extra_flags))
    return (
        'name = "demo-worker"\n'
        'main = "src/entry.py"\n'
        f'compatibility_date = "{DATES[python]}"\n'
        f"compatibility_flags = [{flags}]\n"
    )


def pyproject(dependencies: list[str], extra: str = "", requires_python: str | None = None) -> str:
    lines = ["[project]", 'name = "demo-worker"', 'version = "0.1.0"']
    if requires_python is not None:
        lines.append(f'requires-python = "{requires_python}"')
    lines.append("dependencies = [")
    lines.extend(f'    "{d}",' for d in dependencies)
    lines.append("]")
    return "\n".join(lines) + "\n" + (textwrap.dedent(extra) if extra else "")


def project(tmp_path: Path, files: dict[str, str], *, python: str = "3.13") -> Path:
    files = dict(files)
    if not any(name in files for name in ("wrangler.toml", "wrangler.jsonc", "wrangler.json")):
        files["wrangler.toml"] = wrangler(python)
    files.setdefault("src/entry.py", "from workers import WorkerEntrypoint\n")
    return write_project(tmp_path, files)


def lint(root: Path, select: str = "CFW8", *extra: str) -> list[dict]:
    result = run_cli(["--output-format", "json", "--no-cache", *extra, "--select", select, "."], cwd=root)
    assert result.exit_code in (0, 1), result.output
    return json.loads(result.stdout)


def found(root: Path, code: str, *extra: str) -> list[tuple[str, str, int, int]]:
    """(code, file relative to root, line, column) of `code`'s findings."""
    out = []
    for d in lint(root, code, *extra):
        if d["code"] == code:
            name = Path(d["filename"]).as_posix()
            out.append((d["code"], name, d["location"]["row"], d["location"]["column"]))
    return sorted(out)


def messages(root: Path, code: str, *extra: str) -> list[str]:
    return [d["message"] for d in lint(root, code, *extra) if d["code"] == code]


def fix(root: Path, code: str) -> None:
    result = run_cli(["--fix", "--no-cache", "--select", code, "."], cwd=root)
    assert result.exit_code in (0, 1), result.output


# -- lock file pieces ----------------------------------------------------------------------------
PYPI = "https://files.pythonhosted.org/packages/ab/cd/0123456789abcdef"


def uv_package(name: str, version: str, wheels: list[str], *, sdist: bool = True, deps: list[str] = ()) -> str:
    out = [
        "[[package]]",
        f'name = "{name}"',
        f'version = "{version}"',
        'source = { registry = "https://pypi.org/simple" }',
    ]
    if deps:
        out.append("dependencies = [")
        out.extend(f'    {{ name = "{d}" }},' for d in deps)
        out.append("]")
    if sdist:
        out.append(
            f'sdist = {{ url = "{PYPI}/{name.replace("-", "_")}-{version}.tar.gz", hash = "sha256:00", size = 1000 }}'
        )
    if wheels:
        out.append("wheels = [")
        out.extend(f'    {{ url = "{PYPI}/{w}", hash = "sha256:00", size = 1000 }},' for w in wheels)
        out.append("]")
    return "\n".join(out) + "\n"


def uv_lock(root_deps: list[str], *packages: str, root: str = "demo-worker") -> str:
    head = [
        "version = 1",
        "revision = 2",
        'requires-python = ">=3.12"',
        "",
        "[[package]]",
        f'name = "{root}"',
        'version = "0.1.0"',
        'source = { virtual = "." }',
        "dependencies = [",
        *(_dep(d) for d in root_deps),
        "]",
        "",
    ]
    return "\n".join(head) + "\n".join(packages)


def _dep(requirement: str) -> str:
    """A uv.lock dependency entry: "name" or "name; marker"."""
    name, _, marker = requirement.partition(";")
    if marker.strip():
        return f'    {{ name = "{name.strip()}", marker = "{marker.strip()}" }},'
    return f'    {{ name = "{name.strip()}" }},'


def pylock(*packages: tuple[str, str, list[str]]) -> str:
    out = ['lock-version = "1.0"', 'created-by = "uv"', 'requires-python = ">=3.13"', ""]
    for name, version, wheels in packages:
        out += ["[[packages]]", f'name = "{name}"', f'version = "{version}"', 'index = "https://pypi.org/simple"']
        if wheels:
            out.append("wheels = [")
            out.extend(f'    {{ name = "{w}", url = "{PYPI}/{w}", hashes = {{ sha256 = "00" }} }},' for w in wheels)
            out.append("]")
        out.append("")
    return "\n".join(out)


PSYCOPG2_WHEELS = [
    "psycopg2-2.9.10-cp312-cp312-win_amd64.whl",
    "psycopg2-2.9.10-cp313-cp313-win_amd64.whl",
    "psycopg2-2.9.10-cp313-cp313-win32.whl",
]
PSYCOPG2_BINARY_WHEELS = [
    "psycopg2_binary-2.9.10-cp313-cp313-manylinux_2_17_x86_64.manylinux2014_x86_64.whl",
    "psycopg2_binary-2.9.10-cp313-cp313-macosx_11_0_arm64.whl",
    "psycopg2_binary-2.9.10-cp313-cp313-win_amd64.whl",
]
FASTAPI_WHEELS = ["fastapi-0.115.6-py3-none-any.whl"]
