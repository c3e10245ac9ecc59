"""Worker projects: the nearest Worker config above a file, its pyproject and lock files.

Every file is linted in the context of its project, which gives the runtime profile and the
main module. Several Workers in one repository are several projects.
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import replace
from pathlib import Path
from typing import Any, Callable

from cfw_lint.profile import RuntimeProfile, build_profile, default_profile, parse_date, runtime_data
from cfw_lint.project.wrangler import ConfigError, WorkerConfig, find_config, load_worker_config
from cfw_lint.source import DecodeError, decode_text
from cfw_lint.tomlcompat import tomllib

SDK_PACKAGE = "workers-runtime-sdk"
LOCK_NAMES = ("pylock.toml", "uv.lock")
PROJECT_FILE_NAMES = {"pyproject.toml", "requirements.txt", *LOCK_NAMES}


class ProfileOverrides:
    """Date/flags from the command line (win everywhere) and [tool.cfw-lint] (configless files)."""

    def __init__(
        self,
        cli_date: dt.date | None = None,
        cli_flags: tuple[str, ...] | None = None,
        tool_date: dt.date | None = None,
        tool_flags: tuple[str, ...] | None = None,
        tool_source: str | None = None,
    ) -> None:
        self.cli_date = cli_date
        self.cli_flags = cli_flags
        self.tool_date = tool_date
        self.tool_flags = tool_flags
        self.tool_source = tool_source


class Project:
    def __init__(self, root: Path, config_path: Path | None, overrides: dict[Path, str] | None = None) -> None:
        self.root = root
        self.config_path = config_path
        self.overrides: dict[Path, str] = dict(overrides or {})
        self._memo: dict[Any, Any] = {}
        self.config: WorkerConfig | None = None
        self.config_error: ConfigError | None = None
        # facts of Python files, by absolute path (filled by the engine, or computed on demand)
        self.file_facts: dict[Path, dict[str, Any]] = {}
        # --online: project rules may ask the package index (PEP 691); offline by default
        self.online = False
        self.cache_dir: Path | None = None
        self._load_config()

    # -- files -------------------------------------------------------------------------------
    def read_text(self, path: Path) -> str | None:
        """Text of a project file, honouring in-memory versions (stdin, pending fixes)."""
        path = path.resolve() if not path.is_absolute() else path
        if path in self.overrides:
            return self.overrides[path]
        if not self.contains(path):
            return None  # a path from a config (`main = "../../x.py"`) is never read outside the project
        try:
            return decode_text(path.read_bytes()).text
        except (OSError, DecodeError):
            return None

    def contains(self, path: Path) -> bool:
        """Whether `path` is inside the project (as written, or with symlinks resolved)."""
        for a, b in ((os.path.abspath(path), os.path.abspath(self.root)), (os.path.realpath(path), os.path.realpath(self.root))):
            if a == b or a.startswith(b.rstrip(os.sep) + os.sep):
                return True
        return False

    def memo(self, key: Any, compute: Callable[[], Any]) -> Any:
        """Cache a derived value on the project (one parse of pyproject, of the lock, ...)."""
        if key not in self._memo:
            self._memo[key] = compute()
        return self._memo[key]

    def invalidate(self) -> None:
        self._memo.clear()
        self._load_config()

    def _load_config(self) -> None:
        self.config = None
        self.config_error = None
        if self.config_path is None:
            return
        text = self.read_text(self.config_path)
        if text is None:
            self.config_error = ConfigError("cannot read or decode the file as UTF-8")
            return
        try:
            self.config = load_worker_config(self.config_path, text)
        except ConfigError as exc:
            self.config_error = exc

    @property
    def pyproject_path(self) -> Path | None:
        candidate = self.root / "pyproject.toml"
        return candidate if candidate.is_file() or candidate in self.overrides else None

    def pyproject(self) -> dict[str, Any] | None:
        """Parsed pyproject.toml of the project root (None when missing or invalid)."""

        def load() -> dict[str, Any] | None:
            path = self.pyproject_path
            if path is None:
                return None
            text = self.read_text(path)
            if text is None:
                return None
            try:
                return tomllib.loads(text)
            except tomllib.TOMLDecodeError:
                return None

        return self.memo("pyproject", load)

    # -- main module -------------------------------------------------------------------------
    @property
    def main_path(self) -> Path | None:
        if self.config is None or not isinstance(self.config.main, str):
            return None
        return (self.config.directory / self.config.main).resolve()

    def is_main(self, path: Path) -> bool | None:
        if self.config is None:
            return None
        main = self.main_path
        if main is None:
            return None
        return path.resolve() == main

    # -- Python sources ----------------------------------------------------------------------
    def source_files(self) -> list[Path]:
        """The Worker's Python sources: .py files under the main module's directory (or the
        project root), without tests, virtual environments and vendored packages."""

        def load() -> list[Path]:
            from cfw_lint.files import DEFAULT_EXCLUDED_DIRS

            main = self.main_path
            base = self.source_root()
            found: list[Path] = []
            for dirpath, dirnames, filenames in os.walk(base):
                dirnames[:] = sorted(
                    d for d in dirnames
                    if d not in DEFAULT_EXCLUDED_DIRS and not d.startswith(".") and d not in ("tests", "test")
                )
                for name in sorted(filenames):
                    if name.endswith(".py") and not name.startswith("test_") and name != "conftest.py":
                        found.append(Path(dirpath) / name)
            if main is not None and main.suffix == ".py" and main.is_file() and main not in found:
                found.append(main)
            return found

        return self.memo("source_files", load)

    def source_root(self) -> Path:
        """The directory uploaded with the Worker: the main module's directory (or the root)."""
        main = self.main_path
        if main is not None and main.parent.is_relative_to(self.root):
            return main.parent
        return self.root

    def is_worker_source(self, path: Path) -> bool:
        """Whether `path` is Worker code: under the uploaded directory and not a test file.

        Host-side scripts and tests beside `src/` never run in the Worker, so the Python rules
        do not apply to them. Without a Worker config every file may be Worker code.
        """
        if self.config is None:
            return True
        from cfw_lint.files import DEFAULT_EXCLUDED_DIRS

        path = path.resolve() if path.is_absolute() else Path(os.path.abspath(path))
        base = self.source_root()
        try:
            parts = path.relative_to(base).parts
        except ValueError:
            return False
        name = parts[-1] if parts else ""
        if name.startswith("test_") or name.endswith("_test.py") or name == "conftest.py":
            return False
        return not any(p in ("tests", "test") or p in DEFAULT_EXCLUDED_DIRS for p in parts[:-1])

    def facts_for(self, path: Path) -> dict[str, Any] | None:
        """Facts (imports, classes, __all__) of a Python file: from this run's results, or by
        parsing it now. None when it cannot be read or parsed."""
        path = path.resolve()
        if path in self.file_facts:
            return self.file_facts[path]
        text = self.read_text(path)
        if text is None:
            return None
        from cfw_lint.facts import collect_facts

        facts = collect_facts(text)
        self.file_facts[path] = facts  # type: ignore[assignment]
        return facts

    # -- profile -----------------------------------------------------------------------------
    def sdk_version(self) -> tuple[str | None, str | None]:
        """workers-runtime-sdk version pinned by pylock.toml or uv.lock, and which file said so.

        (None, "pylock.toml") means pywrangler's lock does not contain the SDK; (None, None) that
        nothing is known."""

        def load() -> tuple[str | None, str | None]:
            for name in LOCK_NAMES:
                path = self.root / name
                text = self.read_text(path) if (path.is_file() or path in self.overrides) else None
                if text is None:
                    continue
                try:
                    data = tomllib.loads(text)
                except tomllib.TOMLDecodeError:
                    continue
                for entry in data.get("packages", data.get("package", [])) or []:
                    if isinstance(entry, dict) and _normalize(str(entry.get("name", ""))) == SDK_PACKAGE:
                        version = entry.get("version")
                        if isinstance(version, str):
                            return version, name
                # pylock.toml is what pywrangler resolved and vendors: no SDK there means none is
                # vendored. uv.lock is the host-side lock; pywrangler >= 1.9 adds the SDK on its
                # own, so its absence there proves nothing.
                if name == "pylock.toml":
                    return None, name
            if self.config is not None and self.pyproject_path is None and not any(
                (self.root / n).is_file() for n in LOCK_NAMES
            ):
                # no pyproject.toml and no lock: a plain `wrangler deploy` vendors nothing
                return None, "no pyproject.toml"
            return None, None

        return self.memo("sdk_version", load)

    def profile(self, overrides: ProfileOverrides | None = None) -> RuntimeProfile:
        overrides = overrides or ProfileOverrides()
        key = ("profile", overrides.cli_date, overrides.cli_flags, overrides.tool_date, overrides.tool_flags)
        return self.memo(key, lambda: self._profile(overrides))

    def _profile(self, o: ProfileOverrides) -> RuntimeProfile:
        base: RuntimeProfile
        if self.config is not None:
            date = parse_date(self.config.compatibility_date)
            releases = {r.flag for r in runtime_data().releases} - {"python_workers"}
            if date is None and not releases & set(self.config.compatibility_flags):
                # No usable date (CFW709 reports it) and no flag naming the Python: assume the
                # newest runtime, as a fresh `wrangler init` would, rather than the oldest; facts
                # that depend on the date are marked unknown so rules that need them stay silent.
                assumed = build_profile(
                    default_profile().compatibility_date,
                    self.config.compatibility_flags,
                    source=f"{self.config.path} (no valid compatibility_date: newest runtime assumed)",
                )
                base = replace(assumed, compatibility_date=None, unknown=assumed.unknown | {"compatibility_date"})
            else:
                base = build_profile(date, self.config.compatibility_flags, source=str(self.config.path))
        elif o.tool_date is not None or o.tool_flags is not None:
            defaults = default_profile()
            base = build_profile(
                o.tool_date or defaults.compatibility_date,
                o.tool_flags if o.tool_flags is not None else tuple(defaults.explicit_flags),
                source=o.tool_source or "[tool.cfw-lint]",
            )
        else:
            base = default_profile()
        if o.cli_date is not None or o.cli_flags is not None:
            base = build_profile(
                o.cli_date or base.compatibility_date,
                o.cli_flags if o.cli_flags is not None else tuple(base.explicit_flags),
                source="command line (--compat-date/--compat-flags)",
            )
        version, source = self.sdk_version()
        return base.with_sdk(version, source)


def _normalize(name: str) -> str:
    import re

    return re.sub(r"[-_.]+", "-", name).lower()


class ProjectIndex:
    """Finds and caches the project of each path (one Project per Worker config)."""

    def __init__(self, overrides: dict[Path, str] | None = None) -> None:
        self.overrides = overrides or {}
        self._by_dir: dict[Path, Project | None] = {}
        self._projects: dict[Path, Project] = {}

    def projects(self) -> list[Project]:
        return list(self._projects.values())

    def for_path(self, path: Path) -> Project | None:
        path = Path(os.path.abspath(path))
        directory = path if path.is_dir() else path.parent
        return self._for_dir(directory)

    def _for_dir(self, directory: Path) -> Project | None:
        if directory in self._by_dir:
            return self._by_dir[directory]
        project: Project | None
        config = find_config(directory)
        if config is not None:
            project = self._projects.get(directory)
            if project is None:
                project = Project(directory, config, self.overrides)
                self._projects[directory] = project
        elif directory.parent != directory:
            project = self._for_dir(directory.parent)
        else:
            project = None
        self._by_dir[directory] = project
        return project

    def configless_project(self, path: Path) -> Project:
        """A project for files with no Worker config above them: the nearest pyproject's dir."""
        path = Path(os.path.abspath(path))
        directory = path if path.is_dir() else path.parent
        probe = directory
        while True:
            if (probe / "pyproject.toml").is_file():
                root = probe
                break
            if probe.parent == probe:
                root = directory
                break
            probe = probe.parent
        key = root
        if key not in self._projects:
            self._projects[key] = Project(root, None, self.overrides)
        return self._projects[key]

    def project_of(self, path: Path) -> Project:
        return self.for_path(path) or self.configless_project(path)
