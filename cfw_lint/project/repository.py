"""The Worker configs of a repository (CFW710 reads the others' service bindings): found by one
walk per run and parsed once, for every project of the run (`Project.shared`)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

from cfw_lint.files import DEFAULT_EXCLUDED_DIRS
from cfw_lint.project.wrangler import CONFIG_NAMES, ConfigError, WorkerConfig, load_worker_config
from cfw_lint.source import DecodeError, decode_text

if TYPE_CHECKING:
    from cfw_lint.project import Project

# bounds of the search for other Worker configs below the repository root
MAX_DEPTH = 6
MAX_DIRECTORIES = 3000


def repository_root(start: Path) -> Path:
    """The nearest directory at or above `start` holding `.git`; `start`'s parent without one."""
    probe = start.resolve()
    while True:
        if (probe / ".git").exists():
            return probe
        if probe.parent == probe:
            return start.resolve().parent
        probe = probe.parent


def find_worker_configs(root: Path) -> list[Path]:
    """Worker configs below `root` (bounded; vendored and hidden directories skipped)."""
    found: list[Path] = []
    visited = 0
    base_depth = len(root.parts)
    for dirpath, dirnames, filenames in os.walk(root):
        visited += 1
        if visited > MAX_DIRECTORIES:
            break
        depth = len(Path(dirpath).parts) - base_depth
        dirnames[:] = (
            sorted(d for d in dirnames if d not in DEFAULT_EXCLUDED_DIRS and not d.startswith("."))
            if depth < MAX_DEPTH
            else []
        )
        for name in CONFIG_NAMES:  # wrangler's preference when several sit together
            if name in filenames:
                found.append(Path(dirpath) / name)
                break
    return found


def repository_configs(project: Project, root: Path) -> list[Path]:
    """`find_worker_configs(root)`, walked once per run for all the projects of a repository."""
    key = ("cfw710-configs", root)
    if key not in project.shared:
        project.shared[key] = find_worker_configs(root)
    return project.shared[key]  # type: ignore[no-any-return]


def load_config_once(project: Project, path: Path) -> WorkerConfig | None:
    """`_load(path)`, parsed once per run (again if the file changed in between)."""
    try:
        st = path.stat()
    except OSError:
        return None
    key = ("cfw710-config", path, st.st_size, st.st_mtime_ns)
    if key not in project.shared:
        project.shared[key] = _load(path)
    return project.shared[key]  # type: ignore[no-any-return]


def _load(path: Path) -> WorkerConfig | None:
    try:
        text = decode_text(path.read_bytes()).text
        return load_worker_config(path, text)
    except (OSError, DecodeError, ConfigError):
        return None
