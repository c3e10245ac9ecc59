"""Packages vendored the pre-2025-08-11 way, and what the Worker imports from them. Facts §0, §4.1.

The 2024-2025 recipe: list packages in `vendor.txt`, `pip install -t src/vendor -r vendor.txt`,
and let the runtime find them in `/session/metadata/vendor` (the uploaded `vendor/` directory
beside the main module). From compatibility date 2025-08-11 `python_workers_force_new_vendor_path`
(no disable flag) drops that directory from `sys.path`; only `python_modules/` (pywrangler's
install of `[project].dependencies`) is searched. Code that puts the directory back on `sys.path`
itself still finds the files, which are uploaded either way.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

VENDOR_TXT = "vendor.txt"
VENDOR_DIR = "vendor"
RUNTIME_VENDOR_PATH = "/session/metadata/vendor"
FLAG = "python_workers_force_new_vendor_path"
# `sys.path.insert(0, "/session/metadata/vendor")`, `sys.path.append(os.path.join(..., "vendor"))`
_SYS_PATH = re.compile(r"sys\.path\.(?:insert|append|extend)\((?:[^()]|\([^()]*\))*vendor", re.S)


@dataclass
class Vendoring:
    vendor_txt: Path | None = None
    # (requirement text, its comment) of each vendor.txt line; lines that cannot be carried into
    # pyproject.toml make `blocked` say why
    requirements: list[Any] = field(default_factory=list)
    blocked: str | None = None
    vendor_dir: Path | None = None
    dir_modules: dict[str, str | None] = field(default_factory=dict)  # module -> distribution
    # Worker files that put the vendor directory on sys.path themselves
    sys_path_files: list[Path] = field(default_factory=list)

    @property
    def found(self) -> bool:
        return self.vendor_txt is not None or bool(self.dir_modules)

    def modules(self, deps: Any) -> dict[str, str]:
        """Import name -> what vendors it (a distribution, or the vendor directory)."""
        out: dict[str, str] = {}
        for line in self.requirements:
            name = line.requirement.name if line.requirement is not None else None
            if name:
                from cfw_lint.project.index import normalize

                for module in deps.modules_of(normalize(name)):
                    out.setdefault(module, name)
        for module, dist in self.dir_modules.items():
            out.setdefault(module, dist or f"{VENDOR_DIR}/{module}")
        return out


def vendoring(project: Any) -> Vendoring:
    return project.memo("vendoring", lambda: _detect(project))


def _detect(project: Any) -> Vendoring:
    from cfw_lint.project.deps import read_requirements_txt

    found = Vendoring()
    source_root = project.source_root()
    for base in dict.fromkeys((project.root, source_root, source_root.parent)):
        candidate = base / VENDOR_TXT
        text = project.read_text(candidate) if (candidate.is_file() or candidate in project.overrides) else None
        if text is not None:
            found.vendor_txt = candidate
            found.requirements = read_requirements_txt(text)
            found.blocked = next((t.problem for t in found.requirements if t.problem), None)
            break
    directory = source_root / VENDOR_DIR
    if directory.is_dir():
        found.vendor_dir = directory
        found.dir_modules = _dir_modules(directory)
    for path in project.source_files():
        try:
            path.relative_to(directory)
            continue  # the vendored code itself
        except ValueError:
            pass
        text = project.read_text(path) or ""
        if RUNTIME_VENDOR_PATH in text or ("vendor" in text and _SYS_PATH.search(text)):
            found.sys_path_files.append(path)
    return found


def _dir_modules(directory: Path) -> dict[str, str | None]:
    """Top-level modules in a vendor directory, with their distribution when a dist-info says."""
    out: dict[str, str | None] = {}
    try:
        entries = sorted(os.scandir(directory), key=lambda e: e.name)
    except OSError:
        return out
    owners: dict[str, str] = {}
    for entry in entries:
        if entry.name.endswith(".dist-info") and entry.is_dir():
            dist = entry.name[: -len(".dist-info")].rsplit("-", 1)[0]
            top_level = Path(entry.path) / "top_level.txt"
            try:
                names = top_level.read_text("utf-8").split() if top_level.is_file() else []
            except OSError:
                names = []
            for name in names or [dist.replace("-", "_").lower()]:
                owners[name] = dist
    for entry in entries:
        name = entry.name
        if name.startswith((".", "_")) or name.endswith((".dist-info", ".egg-info", ".data")):
            continue
        if entry.is_dir() and name.isidentifier():
            out[name] = owners.get(name)
        elif name.endswith(".py") and name[:-3].isidentifier():
            out[name[:-3]] = owners.get(name[:-3])
        elif ".cpython-" in name or name.endswith(".so"):
            out[name.split(".")[0]] = owners.get(name.split(".")[0])
    return out


def lost_imports(project: Any) -> list[tuple[Path, Any, str]]:
    """Imports in the Worker's sources that only the old vendor directory provides:
    (file, import site, what vendored it). Empty when the code puts the directory on sys.path
    itself, or when nothing is vendored the old way."""
    return project.memo("vendoring:lost", lambda: _lost(project))


def _lost(project: Any) -> list[tuple[Path, Any, str]]:
    from cfw_lint.project.deps import deps_of, provided, worker_imports

    found = vendoring(project)
    if not found.found or found.sys_path_files:
        return []
    deps = deps_of(project)
    vendored = found.modules(deps)
    if not vendored:
        return []
    declared = deps.runtime_providers()

    def wanted(module: str) -> bool:
        top = module.split(".")[0]
        return top in vendored and not provided(module, declared)

    out = []
    for path, site in worker_imports(deps, wanted):
        if found.vendor_dir is not None:
            try:
                path.relative_to(found.vendor_dir)
                continue
            except ValueError:
                pass
        out.append((path, site, vendored[site.module.split(".")[0]]))
    return out
