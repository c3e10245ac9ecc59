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
from typing import TYPE_CHECKING, Callable, Iterable

from cfw_lint.files import DEFAULT_EXCLUDED_DIRS

if TYPE_CHECKING:
    from cfw_lint.project import Project

# Directories below the root whose content no project rule reads: those discovery never lints,
# except what the dependency rules read (vendored packages, installed trees, build output) or may
# (pywrangler's `.venv-workers`), which stay in the digest.
_SKIPPED = DEFAULT_EXCLUDED_DIRS - {"python_modules", "site-packages", "build", "dist", ".venv-workers"}
# Files read in the directories above the root (workspaces, npm pins of wrangler).
_ABOVE = ("pyproject.toml", "package.json", "package-lock.json", "pnpm-lock.yaml", "yarn.lock", "bun.lock")
RACY_NS = 2_000_000_000
# A tree bigger than this is not fingerprinted (the walk would cost what the rules cost).
MAX_ENTRIES = 20_000


class Uncacheable(Exception):
    pass


def project_inputs(project: Project, configs: Iterable[Path] = ()) -> list[str]:
    """One line per input (path, size, mtime_ns). Raises Uncacheable when the project's
    findings must not be cached. `configs`: the repository's Worker configs (CFW710)."""
    now = time.time_ns()
    lines: list[str] = []
    count = 0
    root = str(project.root)
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if d not in _SKIPPED)
        lines.extend(f"{os.path.join(dirpath, d)}/" for d in dirnames)  # a directory: its name
        for name in sorted(filenames):
            path = os.path.join(dirpath, name)
            count += 1
            if count > MAX_ENTRIES:
                raise Uncacheable("too many files")
            lines.append(_stat_line(path, now))
    lines.extend(_shared(project, ("fingerprint-above", project.root), lambda: _above([project.root], now)))
    configs = tuple(configs)
    if configs:
        # the same for every project of the repository: computed once per run
        lines.extend(_shared(project, ("fingerprint-configs", configs), lambda: _repository(configs, now)))
    return lines


def _shared(project: Project, key: tuple[object, ...], compute: Callable[[], list[str]]) -> list[str]:
    if key not in project.shared:
        try:
            project.shared[key] = compute()
        except Uncacheable as exc:
            project.shared[key] = exc
    found = project.shared[key]
    if isinstance(found, Uncacheable):
        raise found
    return found  # type: ignore[no-any-return]


def _stat_line(path: str, now: int) -> str:
    try:
        st = os.stat(path)
    except OSError:
        return f"{path}\t-"
    if st.st_mtime_ns + RACY_NS > now:
        raise Uncacheable(f"{path} was modified just now")
    return f"{path}\t{st.st_size}\t{st.st_mtime_ns}"


def _above(starts: Iterable[Path], now: int) -> list[str]:
    """The files read in the directories at and above `starts`."""
    lines: list[str] = []
    seen: set[Path] = set()
    for start in starts:
        for directory in [start, *start.parents]:
            if directory in seen:
                break
            seen.add(directory)
            for name in _ABOVE:
                above = directory / name
                if not os.path.exists(above):
                    continue
                if name == "pyproject.toml" and _reads_outside(above):
                    raise Uncacheable(f"{above} has uv workspace or path sources")
                lines.append(_stat_line(str(above), now))
    return lines


def _repository(configs: tuple[Path, ...], now: int) -> list[str]:
    return [*(_stat_line(str(c), now) for c in configs), *_above([c.parent for c in configs], now)]


def _reads_outside(pyproject: Path) -> bool:
    try:
        text = pyproject.read_text("utf-8", errors="replace")
    except OSError:
        return False
    return "[tool.uv" in text and ("workspace" in text or "path" in text)
