"""The result cache in `.cfw-lint-cache/`: one index file per cfw-lint version, read once per run
and written once (atomically) at its end.

A Python file's entry is keyed by its absolute path and a digest of everything else its result
depends on (cfw-lint's version, display path, enabled codes, runtime profile, the project's module
layout, whether it is the main module). The file's bytes are checked by stat (size, mtime_ns) and,
when the stat differs or is too recent to trust, by a content hash: an unchanged file is not even
read. A project's entry holds the raw findings of its project rules, keyed by a digest of all
they read. Used for plain lint runs only (not when fixing, not for standard input).
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cfw_lint import __version__

CACHE_DIR_NAME = ".cfw-lint-cache"
INDEX_NAME = "index.json"
INDEX_FORMAT = 1  # bumped when the layout of an entry changes
# A file modified this close to when it was read may change again within the same mtime tick:
# its stat is not trusted until later (git's "racy clean" problem); the content hash decides.
RACY_NS = 2_000_000_000
# Settings variants remembered per file (e.g. a pre-commit hook's selection and the editor's).
MAX_VARIANTS = 4


def digest(*parts: str | bytes) -> str:
    h = hashlib.sha256()
    for part in parts:
        h.update(part.encode("utf-8") if isinstance(part, str) else part)
        h.update(b"\0")
    return h.hexdigest()


@dataclass(frozen=True)
class CacheKey:
    """Where a result lives (`path`, `variant`) and the content it was computed from."""

    path: str  # absolute path of the file (a project's root for project results)
    variant: str  # digest of the settings the result depends on
    content: str  # digest of the bytes (or, for a project, of every input)
    size: int = -1
    mtime_ns: int = -1
    checked_ns: int = 0  # when the bytes were read


class Cache:
    def __init__(self, directory: Path) -> None:
        self.directory = directory / __version__
        self._index: dict[str, dict[str, dict[str, Any]]] | None = None
        self._dirty = False

    # -- keys --------------------------------------------------------------------------------
    @staticmethod
    def variant(display: str, codes: tuple[str, ...], profile: str, is_main: Any) -> str:
        return digest(__version__, display, ",".join(codes), profile, repr(is_main))

    @staticmethod
    def key(path: Path | str, variant: str, data: bytes, stat: os.stat_result | None, checked_ns: int) -> CacheKey:
        return CacheKey(
            str(path),
            variant,
            hashlib.sha256(data).hexdigest(),
            stat.st_size if stat is not None else -1,
            stat.st_mtime_ns if stat is not None else -1,
            checked_ns,
        )

    # -- lookups -----------------------------------------------------------------------------
    def unchanged(self, path: Path | str, variant: str, stat: os.stat_result) -> dict[str, Any] | None:
        """The stored result when the file's stat says it has not changed since it was read."""
        entry = self._entries(str(path)).get(variant)
        if entry is None or entry["size"] != stat.st_size or entry["mtime_ns"] != stat.st_mtime_ns:
            return None
        if stat.st_mtime_ns + RACY_NS > entry["checked_ns"]:
            return None  # modified just before it was read: maybe again since, in the same tick
        return entry["value"]  # type: ignore[no-any-return]

    def facts(self, path: Path | str, stat: os.stat_result) -> dict[str, Any] | None:
        """A file's project facts from any stored result, when the file has not changed: they
        depend on its bytes alone, and the project model needs them before the settings key
        (which depends on the model) is known."""
        for entry in self._entries(str(path)).values():
            value = entry["value"]
            if (
                value.get("facts") is not None
                and entry["size"] == stat.st_size
                and entry["mtime_ns"] == stat.st_mtime_ns
                and stat.st_mtime_ns + RACY_NS <= entry["checked_ns"]
            ):
                return value["facts"]  # type: ignore[no-any-return]
        return None

    def get(self, key: CacheKey) -> dict[str, Any] | None:
        """The stored result for this content; refreshes the stat so the next run need not read."""
        entry = self._entries(key.path).get(key.variant)
        if entry is None or entry["content"] != key.content:
            return None
        if (entry["size"], entry["mtime_ns"], entry["checked_ns"]) != (key.size, key.mtime_ns, key.checked_ns):
            entry.update(size=key.size, mtime_ns=key.mtime_ns, checked_ns=key.checked_ns)
            self._dirty = True
        return entry["value"]  # type: ignore[no-any-return]

    def put(self, key: CacheKey, value: dict[str, Any]) -> None:
        variants = self._entries(key.path)
        variants.pop(key.variant, None)
        while len(variants) >= MAX_VARIANTS:
            variants.pop(next(iter(variants)))  # the least recently stored
        variants[key.variant] = {
            "content": key.content,
            "size": key.size,
            "mtime_ns": key.mtime_ns,
            "checked_ns": key.checked_ns,
            "value": value,
        }
        self._dirty = True

    def _entries(self, path: str) -> dict[str, dict[str, Any]]:
        if self._index is None:
            self._index = self._load()
        return self._index.setdefault(path, {})

    def _load(self) -> dict[str, dict[str, dict[str, Any]]]:
        try:
            data = json.loads((self.directory / INDEX_NAME).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        if (
            not isinstance(data, dict)
            or data.get("version") != __version__
            or data.get("format") != INDEX_FORMAT
            or not isinstance(data.get("files"), dict)
        ):
            return {}  # another format: start afresh
        # an entry of the wrong shape (a hand-edited or damaged index) is dropped, never trusted
        return {
            path: {v: e for v, e in variants.items() if _well_formed(e)}
            for path, variants in data["files"].items()
            if isinstance(variants, dict)
        }

    # -- writing -----------------------------------------------------------------------------
    def save(self) -> None:
        """Write the index if anything changed: to a temporary file, then renamed over the old
        one, so a concurrent run reads either index whole."""
        if not self._dirty or self._index is None:
            return
        # entries of files that are gone would otherwise pile up
        files = {p: v for p, v in self._index.items() if v and (p.startswith("project:") or os.path.exists(p))}
        try:
            self.directory.mkdir(parents=True, exist_ok=True)
            ignore = self.directory.parent / ".gitignore"
            if not ignore.exists():
                ignore.write_text("# created by cfw-lint\n*\n", encoding="utf-8")
            fd, tmp = tempfile.mkstemp(dir=self.directory, prefix=".index.", suffix=".tmp")
            try:
                with os.fdopen(fd, "w", encoding="utf-8") as handle:
                    json.dump(
                        {"version": __version__, "format": INDEX_FORMAT, "files": files}, handle, separators=(",", ":")
                    )
                os.replace(tmp, self.directory / INDEX_NAME)
            except BaseException:
                try:
                    os.unlink(tmp)
                except OSError:
                    pass
                raise
        except OSError:
            pass  # a read-only tree still lints, just without a cache
        self._dirty = False


def _well_formed(entry: Any) -> bool:
    return (
        isinstance(entry, dict)
        and isinstance(entry.get("content"), str)
        and all(isinstance(entry.get(k), int) for k in ("size", "mtime_ns", "checked_ns"))
        and isinstance(entry.get("value"), dict)
        and isinstance(entry["value"].get("diagnostics"), list)
    )


def now_ns() -> int:
    return time.time_ns()
