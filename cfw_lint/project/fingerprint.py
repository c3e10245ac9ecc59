"""What a Worker project's project rules read, as one digest: the cache key of their findings.

The rules read the Worker config, pyproject.toml and lock files, requirements.txt, the facts and
text of the Worker's Python files, vendored packages (`python_modules/`, `vendor/`, `.dist-info`
metadata), pyproject.toml files above the project (uv workspaces), and for CFW710 the other Worker
configs of the repository and the npm lock files beside them. All of it is covered by stat
(path, size, mtime_ns): every file (and directory name) below the project root, and the named files in
every directory above it. A project whose inputs were modified in the last two seconds is not
cached (a change in the same mtime tick would keep the stat), and one that reads outside those
bounds (a uv workspace or path source) is never cached.
"""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import TYPE_CHECKING, Iterable

if TYPE_CHECKING:
    from cfw_lint.project import Project

# Directories below the root whose content no project rule reads.
_SKIPPED = frozenset(
    {
        ".git",
        ".hg",
        ".svn",
        "node_modules",
        "__pycache__",
        ".cfw-lint-cache",
        ".mypy_cache",
        ".pytest_cache",
        ".ruff_cache",
        ".tox",
        ".nox",
        ".wrangler",
        ".venv",
        "venv",
    }
)
# Files read in the directories above the root (workspaces, npm pins of wrangler).
_ABOVE = ("pyproject.toml", "package.json", "package-lock.json", "pnpm-lock.yaml", "yarn.lock", "bun.lock")
RACY_NS = 2_000_000_000
# A tree bigger than this is not fingerprinted (the walk would cost what the rules cost).
MAX_ENTRIES = 20_000


class Uncacheable(Exception):
    pass


def _stat_line(path: str, st: os.stat_result) -> str:
    return f"{path}\t{st.st_size}\t{st.st_mtime_ns}\t{st.st_mode}"


def project_inputs(project: Project, configs: Iterable[Path] = ()) -> list[str]:
    """One line per input (path, size, mtime_ns, mode). Raises Uncacheable when the project's
    findings must not be cached. `configs`: the repository's Worker configs (CFW710)."""
    now = time.time_ns()
    lines: list[str] = []
    count = 0

    def add(path: str, st: os.stat_result) -> None:
        if st.st_mtime_ns + RACY_NS > now:
            raise Uncacheable(f"{path} was modified just now")
        lines.append(_stat_line(path, st))

    root = str(project.root)
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if d not in _SKIPPED)
        lines.extend(f"{os.path.join(dirpath, d)}/" for d in dirnames)  # a directory: its name
        for name in sorted(filenames):
            path = os.path.join(dirpath, name)
            count += 1
            if count > MAX_ENTRIES:
                raise Uncacheable("too many files")
            try:
                add(path, os.stat(path))
            except OSError:
                lines.append(f"{path}\t-")
    chains = [project.root, *(c.parent for c in configs)]
    seen: set[Path] = set()
    for start in chains:
        for directory in [start, *start.parents]:
            if directory in seen:
                break
            seen.add(directory)
            for name in _ABOVE:
                above = directory / name
                try:
                    st = os.stat(above)
                except OSError:
                    continue
                if name == "pyproject.toml" and _reads_outside(above):
                    raise Uncacheable(f"{above} has uv workspace or path sources")
                add(str(above), st)
    for config in configs:
        try:
            add(str(config), os.stat(config))
        except OSError:
            lines.append(f"{config}\t-")
    return lines


def _reads_outside(pyproject: Path) -> bool:
    try:
        text = pyproject.read_text("utf-8", errors="replace")
    except OSError:
        return False
    return "[tool.uv" in text and ("workspace" in text or "path" in text)
