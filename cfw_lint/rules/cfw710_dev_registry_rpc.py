"""CFW710: another Worker in the repository calls this Python Worker over a service binding, and
a wrangler older than 4.84.0 runs the sessions. Facts §10: workers-sdk#12600 (native dev-registry
RPC) shipped in wrangler 4.84.0 and its revert (#13563) was closed unmerged.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Iterable

from cfw_lint.diagnostics import Severity
from cfw_lint.project.repository import load_config_once as _load_once
from cfw_lint.project.repository import repository_configs, repository_root
from cfw_lint.rule import ProjectDiagnostic, ProjectRule

FIXED_IN = (4, 84, 0)
# a resolved wrangler in pnpm-lock.yaml (`wrangler@4.50.0`), yarn berry (`wrangler@npm:4.50.0`), bun.lock
_LOCKED = re.compile(r"(?<![\w/@.-])wrangler@(?:npm:)?(\d+)\.(\d+)\.(\d+)")
# yarn classic: `wrangler@^4.0.0:` then `  version "4.50.0"`
_YARN_CLASSIC = re.compile(r'^"?wrangler@[^\n]*:\n\s+version "(\d+)\.(\d+)\.(\d+)"', re.M)
_VERSION = re.compile(r"(\d+)(?:\.(\d+))?(?:\.(\d+))?")


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
        for other_path in repository_configs(self.project, root):
            if other_path.resolve() == own:
                continue
            other = _load_once(self.project, other_path)
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
                    # both sessions need the native registry; an older one on either side breaks it
                    old = [
                        (where, label)
                        for where, version, label in (
                            wrangler_version(other_path.parent, root),
                            wrangler_version(config.directory, root),
                        )
                        if version is not None and version < FIXED_IN
                    ]
                    if not old:
                        continue  # 4.84.0 or later, or unknown: nothing to say
                    pinned = ", ".join(f"{_relative(w, root)} has wrangler {label}" for w, label in old)
                    binding = entry.get("binding")
                    message = (
                        f'{a}{caller.label} binds service "{entry["service"]}" '
                        f"(binding {binding!r}) to this Python Worker, and {pinned}: with each "
                        "Worker in its own `wrangler dev`, JS-to-Python RPC through the dev registry "
                        'fails with "Network connection lost." before wrangler 4.84.0 (workers-sdk '
                        "#12600). Upgrade wrangler in both projects, or run both in one session: "
                        f"wrangler dev -c {a} -c {b}"
                    )
                    yield self.diagnostic(config.path, line, column, message)


def wrangler_version(directory: Path, root: Path) -> tuple[Path, tuple[int, ...] | None, str]:
    """The wrangler a session started in `directory` runs, from the nearest npm lock file or exact
    (or certainly old) package.json pin, searching up to `root`. None when nothing says."""
    probe = directory.resolve()
    top = root.resolve()
    while True:
        for name in ("package-lock.json", "pnpm-lock.yaml", "yarn.lock", "bun.lock"):
            version = _locked_version(probe / name)
            if version is not None:
                return probe / name, version, ".".join(map(str, version))
        manifest = probe / "package.json"
        if manifest.is_file():
            pinned = _pinned_version(manifest)
            if pinned is not None:
                return manifest, pinned[0], pinned[1]
        if probe == top or probe.parent == probe:
            return directory, None, ""
        probe = probe.parent


def _locked_version(path: Path) -> tuple[int, ...] | None:
    try:
        text = path.read_text("utf-8", errors="replace")
    except OSError:
        return None
    if path.name == "package-lock.json":
        try:
            packages = json.loads(text).get("packages", {})
            found = packages.get("node_modules/wrangler", {}).get("version")
        except (ValueError, AttributeError):
            return None
        match = _VERSION.fullmatch(found) if isinstance(found, str) else None
        return tuple(int(g or 0) for g in match.groups()) if match else None
    match = _LOCKED.search(text) or _YARN_CLASSIC.search(text)
    return tuple(int(g) for g in match.groups()) if match else None


def _pinned_version(manifest: Path) -> tuple[tuple[int, ...], str] | None:
    """An exact pin (`4.20.0`), or a range that cannot reach 4.84 (`^3.90.0`, `~4.50.0`)."""
    try:
        data = json.loads(manifest.read_text("utf-8", errors="replace"))
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict):
        return None
    for section in ("devDependencies", "dependencies"):
        deps = data.get(section)
        spec = deps.get("wrangler") if isinstance(deps, dict) else None
        if not isinstance(spec, str):
            continue
        spec = spec.strip()
        operator = spec[:1] if spec[:1] in "^~=" else ""
        match = _VERSION.fullmatch(spec[len(operator) :].strip())
        if match is None:
            return None
        version = tuple(int(g or 0) for g in match.groups())
        if operator in ("", "=") and match.group(3) is not None:
            return version, spec
        # the highest version the range allows is below 4.84 (a caret keeps the major, a tilde the minor)
        if operator == "^" and version[0] < FIXED_IN[0]:
            return version, spec
        if operator == "~" and version[:2] < FIXED_IN[:2]:
            return version, spec
        return None
    return None


def _relative(path: Path, root: Path) -> str:
    try:
        return path.resolve().relative_to(root).as_posix()
    except ValueError:
        return str(path)
