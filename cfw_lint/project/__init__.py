"""Worker projects: the nearest Worker config above a file, its pyproject and lock files.

Every file is linted in the context of its project, which gives the runtime profile and the
main module. Several Workers in one repository are several projects.
"""

from __future__ import annotations

import datetime as dt
import os
import re
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
    def __init__(
        self,
        root: Path,
        config_path: Path | None,
        overrides: dict[Path, str] | None = None,
        shared: dict[Any, Any] | None = None,
    ) -> None:
        self.root = root
        self.config_path = config_path
        self.overrides: dict[Path, str] = dict(overrides or {})
        self._memo: dict[Any, Any] = {}
        # one run's memo shared by every project of a ProjectIndex (a repository walk, say)
        self.shared: dict[Any, Any] = shared if shared is not None else {}
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
        a, b = os.path.abspath(path), os.path.abspath(self.root)
        if a == b or a.startswith(b.rstrip(os.sep) + os.sep):
            return True
        # symlinks resolved only when the paths as written do not decide
        a, b = os.path.realpath(path), self.memo("realpath", lambda: os.path.realpath(self.root))
        return bool(a == b or a.startswith(b.rstrip(os.sep) + os.sep))

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
        config = self.config
        return self.memo("main_path", lambda: (config.directory / config.main).resolve())  # type: ignore[no-any-return, operator]

    def is_main(self, path: Path) -> bool | None:
        if self.config is None:
            return None
        main = self.main_path
        if main is None:
            return None
        return self.resolved(path) == main

    # -- Python sources ----------------------------------------------------------------------
    def source_files(self) -> list[Path]:
        """The Worker's Python sources: .py files under the main module's directory (or the
        project root), without tests, virtual environments and vendored packages."""

        def load() -> list[Path]:
            from cfw_lint.files import DEFAULT_EXCLUDED_DIRS

            main = self.main_path
            base = self.source_root()
            found: list[Path] = []
            vendored = set(self.vendored_dirs())
            for dirpath, dirnames, filenames in os.walk(base):
                dirnames[:] = sorted(
                    d
                    for d in dirnames
                    if d not in DEFAULT_EXCLUDED_DIRS
                    and not d.startswith(".")
                    and d not in ("tests", "test")
                    and Path(dirpath, d) not in vendored
                )
                if any(d.endswith(".dist-info") for d in dirnames):
                    dirnames[:] = []
                    continue  # an installed site-packages tree: third-party code
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

    def is_worker_source(self, path: Path, override: bool | None = None) -> bool:
        """Whether `path` is Worker code: a module the main module can import (directly or
        through the Worker's own modules), under the uploaded directory, not a test file and not
        vendored third-party code.

        Host-side scripts, tests, notebooks and vendored packages never run as the user's Worker
        code, so the Python rules do not apply to them. Without a Worker config every file may be
        Worker code. `override` is the `worker-sources` setting's verdict for the file, if any.
        """
        if override is not None:
            return override
        from cfw_lint.files import DEFAULT_EXCLUDED_DIRS

        if self.config is None:
            # a repository of Workers (configs in its subdirectories) whose test suite sits at
            # the top: those tests drive wrangler from the host; any other file may be Worker code
            if not self.memo("workers_below", self._workers_below):
                return True
            path = self.resolved(path) if path.is_absolute() else Path(os.path.abspath(path))
            return not _is_test(path, self.root)
        path = self.resolved(path) if path.is_absolute() else Path(os.path.abspath(path))
        base = self.source_root()
        try:
            parts = path.relative_to(base).parts
        except ValueError:
            return False
        if _is_test(path, base) or any(p in DEFAULT_EXCLUDED_DIRS for p in parts[:-1]):
            return False
        if path in self.overrides and not path.exists():
            return True  # standard input for a file not yet on disk: nothing imports it yet
        if path not in self.memo("source_set", lambda: set(self.source_files())):
            return False  # vendored third-party code
        reached = self.worker_modules()
        # undecidable (no main module, run-time imports by name): every uploaded file may run
        return reached is None or path in reached

    def resolved(self, path: Path) -> Path:
        """`path.resolve()`, with each directory resolved once (a run asks for every file)."""
        path = Path(os.path.abspath(path))
        if os.path.islink(path):
            return path.resolve()
        return self.memo(("resolved", path.parent), path.parent.resolve) / path.name  # type: ignore[no-any-return]

    def facts_for(self, path: Path) -> dict[str, Any] | None:
        """Facts (imports, classes, __all__) of a Python file: from this run's results, or by
        parsing it now. None when it cannot be read or parsed."""
        path = self.resolved(path)
        if path in self.file_facts:
            return self.file_facts[path]
        text = self.read_text(path)
        if text is None:
            return None
        from cfw_lint.facts import collect_facts

        facts = collect_facts(text)
        self.file_facts[path] = facts  # type: ignore[assignment]
        return facts

    # -- reachability ------------------------------------------------------------------------
    def vendored_dirs(self) -> list[Path]:
        """Directories of third-party packages uploaded with the Worker: `vendor/` beside the
        main module (the pre-2025-08-11 recipe with `vendor.txt`, facts §0), `python_modules/`,
        and directories the Worker's code adds to `sys.path` with a literal path."""

        def load() -> list[Path]:
            base = self.source_root()
            out = [base / "python_modules", self.root / "python_modules"]
            if (base / "vendor").is_dir():
                out.append(base / "vendor")
            out.extend(self.sys_path_dirs())
            seen: list[Path] = []
            for d in out:
                d = Path(os.path.abspath(d))
                if d not in seen and d != base and d != self.root:
                    seen.append(d)
            return seen

        return self.memo("vendored_dirs", load)

    def sys_path_dirs(self) -> list[Path]:
        """Directories added to `sys.path` with a literal path (`sys.path.insert(0, "vendor")`,
        `os.path.join(os.path.dirname(__file__), "lib")`, "/session/metadata/vendor") by files in
        the uploaded directory. The Worker runs with `/session/metadata` (that directory) as cwd."""

        def load() -> list[Path]:
            base = self.source_root()
            out: list[Path] = []
            for dirpath, dirnames, filenames in os.walk(base):
                from cfw_lint.files import DEFAULT_EXCLUDED_DIRS

                dirnames[:] = [
                    d
                    for d in dirnames
                    if d not in DEFAULT_EXCLUDED_DIRS
                    and not d.startswith(".")
                    and not (d == "vendor" and Path(dirpath) == base)  # third-party: never adds paths
                ]
                if any(d.endswith(".dist-info") for d in dirnames):
                    dirnames[:] = []
                    continue
                for name in filenames:
                    if not name.endswith(".py") or not os.path.isfile(os.path.join(dirpath, name)):
                        continue  # a FIFO or socket named *.py would block the read
                    text = self.read_text(Path(dirpath) / name)
                    if not text or "sys.path" not in text:
                        continue
                    for call in _SYS_PATH_CALL.finditer(text):
                        literal = _STRING.search(call.group(1))
                        if literal is None:
                            continue
                        value = literal.group(2)
                        if value.startswith(_BUNDLE_ROOT):
                            out.append(base / value[len(_BUNDLE_ROOT) :].strip("/"))
                        elif not os.path.isabs(value) and value not in ("", "."):
                            anchor = Path(dirpath) if "__file__" in call.group(1) else base
                            out.append(anchor / value)
            return out

        return self.memo("sys_path_dirs", load)

    def worker_modules(self) -> set[Path] | None:
        """The Worker's source files the main module can import: imports, relative imports and
        literal `importlib.import_module("x")` calls, followed transitively through its own
        modules. A file nothing imports (a seed script, a plotting helper) is uploaded but never
        runs. None when that cannot be decided: no Python main module, a file that does not
        parse, or importing by computed name (Django, plugin loaders)."""
        return self.memo("worker_modules", self._worker_modules)

    def _worker_modules(self) -> set[Path] | None:
        main = self.main_path
        files = self.source_files()
        if main is None or main not in files:
            return None
        root = self.source_root().resolve()
        by_module: dict[str, Path] = {}
        package_of: dict[Path, list[str]] = {}
        for path in files:
            try:
                parts = list(self.resolved(path).relative_to(root).with_suffix("").parts)
            except ValueError:
                return None
            if parts and parts[-1] == "__init__":
                parts = parts[:-1]
                package_of[path] = parts
            else:
                package_of[path] = parts[:-1]
            if parts:
                by_module[".".join(parts)] = path
        # a Durable Object or Workflow class the config names is meant to run (CFW705 reports it
        # when the main module does not export it): its module is Worker code too
        reached = {main} | self._config_class_modules(files)
        todo = list(reached)
        while todo:
            path = todo.pop()
            facts = self.facts_for(path)
            if facts is None:
                return None
            text = self.read_text(path) or ""
            if "exec" in text and _EXEC_IMPORT.search(text):
                return None  # `exec(f"from plugins.{name} import ...")`: a plugin loader
            names = list(facts.get("imports", [])) + list(facts.get("relative_imports", []))
            names += list((facts.get("aliases") or {}).values())
            modules: set[str] = set()
            for name in names:
                if not name.startswith("."):
                    top = name.split(".")[0]
                    if top in _DYNAMIC_IMPORTERS:
                        return None
                    if top == "importlib" or name == "importlib.import_module":
                        literal = self._literal_imports(path)
                        if literal is None:
                            return None
                        modules.update(literal)
                    modules.add(name)
                    continue
                level = len(name) - len(name.lstrip("."))
                package = package_of.get(path, [])
                if level - 1 > len(package):
                    continue
                base = package[: len(package) - (level - 1)]
                rest = [p for p in name.lstrip(".").split(".") if p]
                modules.add(".".join(base + rest))
            for module in modules:
                parts = module.split(".")
                # importing a.b.c runs a/__init__.py and a/b/__init__.py too
                for i in range(1, len(parts) + 1):
                    found = by_module.get(".".join(parts[:i]))
                    if found is not None and found not in reached:
                        reached.add(found)
                        todo.append(found)
        return reached

    def _workers_below(self) -> bool:
        from cfw_lint.files import WORKER_CONFIGS

        for pattern in ("*/", "*/*/"):
            for name in WORKER_CONFIGS:
                if next(iter(self.root.glob(pattern + name)), None) is not None:
                    return True
        return False

    def _config_class_modules(self, files: list[Path]) -> set[Path]:
        names: set[str] = set()

        def walk(value: Any) -> None:
            if isinstance(value, dict):
                for key, item in value.items():
                    if key == "class_name" and isinstance(item, str) and item.isidentifier():
                        names.add(item)
                    else:
                        walk(item)
            elif isinstance(value, list):
                for item in value:
                    walk(item)

        walk(self.config.data if self.config is not None else None)
        if not names:
            return set()
        pattern = re.compile(r"^class\s+(" + "|".join(sorted(names)) + r")\b", re.MULTILINE)
        return {f for f in files if os.path.isfile(f) and pattern.search(self.read_text(f) or "")}

    def _literal_imports(self, path: Path) -> set[str] | None:
        """Modules a file imports by literal name (`importlib.import_module("plugins.a")`,
        `__import__("x")`); None when some call computes the name."""
        text = self.read_text(path) or ""
        out: set[str] = set()
        for call in _IMPORT_BY_NAME.finditer(text):
            literal = _LITERAL_ARG.match(text, call.end())
            if literal is None or literal.group(2).startswith("."):
                return None
            out.add(literal.group(2))
        return out

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
            if (
                self.config is not None
                and self.pyproject_path is None
                and not any((self.root / n).is_file() for n in LOCK_NAMES)
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


# Modules that import other modules by computed name at run time: with any of them in play, a
# source file no static import reaches may still run (Django apps, urls and settings; plugin
# loaders).
_DYNAMIC_IMPORTERS = frozenset({"django", "pkgutil", "runpy"})
_IMPORT_BY_NAME = re.compile(r"\b(?:import_module|__import__)\s*\(")
_EXEC_IMPORT = re.compile(r"\bexec\s*\(\s*[rfb]*[\"'][^\n]*\bimport\b")
_LITERAL_ARG = re.compile(r"\s*(['\"])([\w.]+)\1\s*[,)]")
_SYS_PATH_CALL = re.compile(r"sys\.path\.(?:insert\s*\(\s*-?\d+\s*,|append\s*\()([^\n]*)")
_STRING = re.compile(r"(['\"])([^'\"\n]*)\1")
_BUNDLE_ROOT = "/session/metadata"


def _is_test(path: Path, root: Path) -> bool:
    try:
        parts = path.relative_to(root).parts
    except ValueError:
        return False
    name = parts[-1] if parts else ""
    if name.startswith("test_") or name.endswith("_test.py") or name == "conftest.py":
        return True
    return any(p in ("tests", "test") for p in parts[:-1])


def _normalize(name: str) -> str:
    import re

    return re.sub(r"[-_.]+", "-", name).lower()


class ProjectIndex:
    """Finds and caches the project of each path (one Project per Worker config)."""

    def __init__(self, overrides: dict[Path, str] | None = None) -> None:
        self.overrides = overrides or {}
        self._by_dir: dict[Path, Project | None] = {}
        self._projects: dict[Path, Project] = {}
        # memoized per path and per directory: a run asks for every file's project several times
        self._of: dict[Path, Project] = {}
        self._configless_root: dict[Path, Path | None] = {}
        self.shared: dict[Any, Any] = {}

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
                project = Project(directory, config, self.overrides, self.shared)
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
        key = self._pyproject_dir(directory) or directory
        if key not in self._projects:
            self._projects[key] = Project(key, None, self.overrides, self.shared)
        return self._projects[key]

    def _pyproject_dir(self, directory: Path) -> Path | None:
        """The nearest directory at or above `directory` with a pyproject.toml."""
        if directory not in self._configless_root:
            if (directory / "pyproject.toml").is_file():
                found: Path | None = directory
            elif directory.parent == directory:
                found = None
            else:
                found = self._pyproject_dir(directory.parent)
            self._configless_root[directory] = found
        return self._configless_root[directory]

    def project_of(self, path: Path) -> Project:
        project = self._of.get(path)
        if project is None:
            project = self.for_path(path) or self.configless_project(path)
            self._of[path] = project
        return project
