"""Per-file result cache in `.cfw-lint-cache/`, keyed by everything a result depends on:
cfw-lint's version, the file's bytes and display path, the enabled codes, the runtime profile and
whether the file is the Worker's main module. Used for plain lint runs only (not when fixing)."""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from pathlib import Path
from typing import Any

from cfw_lint import __version__

CACHE_DIR_NAME = ".cfw-lint-cache"


class Cache:
    def __init__(self, directory: Path) -> None:
        self.directory = directory / __version__
        self._ready = False

    def key(self, data: bytes, display: str, codes: tuple[str, ...], profile: str, is_main: Any) -> str:
        h = hashlib.sha256()
        for part in (__version__, display, ",".join(codes), profile, repr(is_main)):
            h.update(part.encode("utf-8"))
            h.update(b"\0")
        h.update(data)
        return h.hexdigest()

    def get(self, key: str) -> dict[str, Any] | None:
        path = self.directory / key[:2] / f"{key}.json"
        try:
            return json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None

    def put(self, key: str, value: dict[str, Any]) -> None:
        try:
            if not self._ready:
                self.directory.mkdir(parents=True, exist_ok=True)
                ignore = self.directory.parent / ".gitignore"
                if not ignore.exists():
                    ignore.write_text("# created by cfw-lint\n*\n", encoding="utf-8")
                self._ready = True
            target = self.directory / key[:2]
            target.mkdir(exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=target, suffix=".tmp")
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                json.dump(value, handle)
            os.replace(tmp, target / f"{key}.json")
        except OSError:
            pass  # a read-only tree still lints, just without a cache
