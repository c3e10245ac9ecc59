"""Finding the files to lint: walk directories, skip what never holds user code, honour excludes
and .gitignore."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterator

from cfw_lint.config import Settings, SettingsResolver

if TYPE_CHECKING:
    from pathspec import PathSpec

# Directories that never hold a Worker's own code.
DEFAULT_EXCLUDED_DIRS = frozenset(
    {
        ".git",
        ".hg",
        ".svn",
        ".venv",
        "venv",
        ".venv-workers",
        "node_modules",
        "python_modules",
        "__pycache__",
        ".cfw-lint-cache",
        ".mypy_cache",
        ".pytest_cache",
        ".ruff_cache",
        ".tox",
        ".nox",
        ".wrangler",
        "build",
        "dist",
        "site-packages",
    }
)


WORKER_CONFIGS = frozenset({"wrangler.toml", "wrangler.jsonc", "wrangler.json"})
PROJECT_FILES = frozenset({"pyproject.toml", "requirements.txt", "pylock.toml", "uv.lock"})


def file_kind(path: Path) -> str | None:
    """python | config | project, or None for files cfw-lint does not read."""
    name = path.name
    if name.endswith(".py"):
        return "python"
    if name in WORKER_CONFIGS:
        return "config"
    if name in PROJECT_FILES:
        return "project"
    return None


@dataclass(frozen=True)
class Found:
    path: Path  # absolute
    kind: str


class _Ignore:
    """.gitignore files in force for a directory walk, each applied relative to its directory."""

    def __init__(self) -> None:
        self._specs: dict[Path, object | None] = {}
        # directory -> the (directory, spec) pairs in force for entries in it, nearest first
        self._chains: dict[Path, list[tuple[Path, Any]]] = {}

    def spec(self, directory: Path):  # type: ignore[no-untyped-def]
        if directory not in self._specs:
            spec: PathSpec[Any] | None = None
            gitignore = directory / ".gitignore"
            if gitignore.is_file():
                import pathspec

                try:
                    lines = gitignore.read_text(encoding="utf-8", errors="replace").splitlines()
                    try:
                        spec = pathspec.PathSpec.from_lines("gitignore", lines)
                    except (KeyError, LookupError):  # pathspec < 0.12 names it gitwildmatch
                        spec = pathspec.PathSpec.from_lines("gitwildmatch", lines)
                except Exception:  # noqa: BLE001 - a broken .gitignore must not stop linting
                    spec = None
            self._specs[directory] = spec
        return self._specs[directory]

    def chain(self, directory: Path) -> list[tuple[Path, Any]]:
        """Every ancestor directory up to the repository root may hold a .gitignore; found once
        per directory."""
        chain = self._chains.get(directory)
        if chain is None:
            spec = self.spec(directory)
            chain = [(directory, spec)] if spec is not None else []
            if not ((directory / ".git").exists() or directory.parent == directory):
                chain = chain + self.chain(directory.parent)
            self._chains[directory] = chain
        return chain

    def ignored(self, path: Path, is_dir: bool) -> bool:
        for directory, spec in self.chain(path.parent):
            rel = path.relative_to(directory).as_posix() + ("/" if is_dir else "")
            if spec.match_file(rel):
                return True
        return False


def _excluded(path: Path, settings: Settings, is_dir: bool) -> bool:
    name = path.name
    if settings.exclude is None:
        if is_dir and name in DEFAULT_EXCLUDED_DIRS:
            return True
    patterns = (settings.exclude or []) + settings.extend_exclude
    if not patterns:
        return False
    from cfw_lint.config import _glob_match

    rel = settings.relative(path)
    for pattern in patterns:
        if rel is not None and _glob_match(rel, pattern):
            return True
        if "/" not in pattern.rstrip("/") and _glob_match(name, pattern):
            return True
    return False


class Discovery:
    def __init__(self, resolver: SettingsResolver, *, force_exclude: bool = False) -> None:
        self.resolver = resolver
        self.force_exclude = force_exclude
        self.ignore = _Ignore()
        self.skipped: list[str] = []
        self.unreadable: list[tuple[Path, str]] = []  # directories the walk could not list

    def excluded(self, path: Path, is_dir: bool) -> bool:
        settings = self.resolver.for_path(path if is_dir else path.parent)
        if _excluded(path, settings, is_dir):
            return True
        return settings.respect_gitignore and self.ignore.ignored(path, is_dir)

    def walk(self, paths: list[Path]) -> Iterator[Found]:
        seen: set[Path] = set()
        for given in paths:
            root = Path(os.path.abspath(given))
            if root.is_file() or not root.exists():
                kind = file_kind(root)
                if kind is None:
                    self.skipped.append(str(given))
                    continue
                if self.force_exclude and self._any_excluded(root):
                    continue
                if root not in seen:
                    seen.add(root)
                    yield Found(root, kind)
                continue
            for dirpath, dirnames, filenames in os.walk(root, onerror=self._walk_error):
                current = Path(dirpath)
                dirnames[:] = sorted(d for d in dirnames if not self.excluded(current / d, is_dir=True))
                for name in sorted(filenames):
                    path = current / name
                    kind = file_kind(path)
                    if kind is None or path in seen:
                        continue
                    if self.excluded(path, is_dir=False):
                        continue
                    seen.add(path)
                    yield Found(path, kind)

    def _walk_error(self, exc: OSError) -> None:
        self.unreadable.append((Path(exc.filename or "."), exc.strerror or str(exc)))

    def _any_excluded(self, path: Path) -> bool:
        """--force-exclude: a file passed explicitly is still subject to excludes."""
        if self.excluded(path, is_dir=False):
            return True
        for parent in path.parents:
            if self.excluded(parent, is_dir=True):
                return True
            if parent == Path(self.resolver.cwd) or parent.parent == parent:
                break
        return False
