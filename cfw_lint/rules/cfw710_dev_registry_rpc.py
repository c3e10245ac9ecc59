"""CFW710: another Worker in the repository calls this Python Worker over a service binding."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Iterable

from cfw_lint.diagnostics import Severity
from cfw_lint.files import DEFAULT_EXCLUDED_DIRS
from cfw_lint.project.wrangler import CONFIG_NAMES, ConfigError, WorkerConfig, load_worker_config
from cfw_lint.rule import ProjectDiagnostic, ProjectRule
from cfw_lint.source import DecodeError, decode_text

# bounds of the search for other Worker configs below the repository root
MAX_DEPTH = 6
MAX_DIRECTORIES = 3000


class DevRegistryRpc(ProjectRule):
    code = "CFW710"
    name = "dev-registry-rpc"
    severity = Severity.INFO
    summary = "Another Worker config in the repository binds to this Python Worker over RPC."

    def check(self) -> Iterable[ProjectDiagnostic]:
        config = self.project.config
        if config is None or not config.is_python_worker():
            return
        names = {s.name: s for s in config.settings() if isinstance(s.name, str)}
        if not names:
            return
        root = repository_root(config.directory)
        own = config.path.resolve()
        for other_path in find_worker_configs(root):
            if other_path.resolve() == own:
                continue
            other = _load(other_path)
            if other is None:
                continue
            for caller in other.settings():
                services = caller.own("services")
                if not isinstance(services, list):
                    continue
                for entry in services:
                    if not isinstance(entry, dict) or not isinstance(entry.get("service"), str):
                        continue
                    if entry["service"] not in names:
                        continue
                    callee = names[entry["service"]]
                    name_key = callee.key("name") or ("name",)
                    line, column = config.position(*name_key)
                    a = _relative(other_path, root)
                    b = _relative(config.path, root)
                    binding = entry.get("binding")
                    message = (
                        f'{a}{caller.label} binds service "{entry["service"]}" '
                        f"(binding {binding!r}) to this Python Worker. With each Worker in its own "
                        "`wrangler dev`, calls go through the dev registry, where JS-to-Python RPC "
                        'failed with "Network connection lost." until wrangler switched to the '
                        "native dev registry (workers-sdk PR #12600, 2026). With an older wrangler, "
                        f"run both in one session: wrangler dev -c {a} -c {b}"
                    )
                    yield self.diagnostic(config.path, line, column, message)


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
        dirnames[:] = sorted(
            d for d in dirnames if d not in DEFAULT_EXCLUDED_DIRS and not d.startswith(".")
        ) if depth < MAX_DEPTH else []
        for name in CONFIG_NAMES:  # wrangler's preference when several sit together
            if name in filenames:
                found.append(Path(dirpath) / name)
                break
    return found


def _load(path: Path) -> WorkerConfig | None:
    try:
        text = decode_text(path.read_bytes()).text
        return load_worker_config(path, text)
    except (OSError, DecodeError, ConfigError):
        return None


def _relative(path: Path, root: Path) -> str:
    try:
        return path.resolve().relative_to(root).as_posix()
    except ValueError:
        return str(path)
