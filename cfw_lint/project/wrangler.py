"""Reading Worker configs (wrangler.toml, wrangler.jsonc, wrangler.json) with key positions."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cfw_lint.project.jsonc import JsoncError, parse_jsonc_document
from cfw_lint.tomlcompat import tomllib

# wrangler's own order of preference when several sit in one directory
CONFIG_NAMES = ("wrangler.json", "wrangler.jsonc", "wrangler.toml")


class ConfigError(Exception):
    def __init__(self, message: str, line: int = 1, column: int = 1) -> None:
        super().__init__(message)
        self.message = message
        self.line = line
        self.column = column


@dataclass
class WorkerConfig:
    path: Path
    text: str
    format: str  # "toml" | "jsonc" | "json"
    data: dict[str, Any]
    positions: dict[tuple, tuple[int, int]] = field(default_factory=dict)
    spans: dict[tuple, tuple[int, int]] = field(default_factory=dict)
    # JSONC only: offset of each key's opening quote (where a new member can be inserted)
    key_offsets: dict[tuple, int] = field(default_factory=dict)

    # -- top-level settings ------------------------------------------------------------------
    @property
    def compatibility_date(self) -> Any:
        return self.data.get("compatibility_date")

    @property
    def compatibility_flags(self) -> list[str]:
        flags = self.data.get("compatibility_flags") or []
        return [f for f in flags if isinstance(f, str)] if isinstance(flags, list) else []

    @property
    def main(self) -> Any:
        return self.data.get("main")

    @property
    def directory(self) -> Path:
        return self.path.parent

    def position(self, *keys: Any) -> tuple[int, int]:
        """1-based (line, column) of a key path; falls back to its nearest known parent."""
        path = tuple(keys)
        while path:
            if path in self.positions:
                return self.positions[path]
            path = path[:-1]
        return (1, 1)

    def environments(self) -> dict[str, dict[str, Any]]:
        envs = self.data.get("env")
        return {k: v for k, v in envs.items() if isinstance(v, dict)} if isinstance(envs, dict) else {}

    # -- environments ------------------------------------------------------------------------
    def effective(self, env: str | None = None) -> EnvSettings:
        """The settings `wrangler --env ENV` uses (None: the top level)."""
        if env is not None and env not in self.environments():
            raise KeyError(env)
        return EnvSettings(self, env)

    def settings(self) -> list[EnvSettings]:
        """The top level, then every environment, each with its effective settings."""
        return [EnvSettings(self, None), *(EnvSettings(self, name) for name in self.environments())]

    def is_python_worker(self) -> bool:
        """A `.py` main module or `python_workers` in the flags, at the top level or in an env.

        A JavaScript Worker's config in the same repository is neither, and is left alone.
        """
        for s in self.settings():
            if isinstance(s.main, str) and s.main.strip().lower().endswith(".py"):
                return True
            if "python_workers" in s.flags:
                return True
        return False


# Keys an environment inherits from the top level unless it sets them itself (wrangler's
# "inheritable keys"); bindings (workflows, durable_objects, services, vars, ...) are not inherited.
INHERITABLE_KEYS = frozenset({"name", "main", "compatibility_date", "compatibility_flags"})


@dataclass
class EnvSettings:
    """One deployable variant of a Worker config: the top level or an `env.NAME` section."""

    config: WorkerConfig
    env: str | None

    @property
    def prefix(self) -> tuple:
        return () if self.env is None else ("env", self.env)

    @property
    def table(self) -> dict[str, Any]:
        if self.env is None:
            return self.config.data
        return self.config.environments()[self.env]

    @property
    def label(self) -> str:
        return "" if self.env is None else f' (env "{self.env}")'

    def key(self, name: str) -> tuple | None:
        """Path of the key that gives this variant's `name`: its own, or the inherited top-level
        one; None when neither sets it."""
        if name in self.table:
            return self.prefix + (name,)
        if self.env is not None and name in INHERITABLE_KEYS and name in self.config.data:
            return (name,)
        return None

    def get(self, name: str, default: Any = None) -> Any:
        path = self.key(name)
        if path is None:
            return default
        value: Any = self.config.data
        for part in path:
            value = value[part]
        return value

    def own(self, name: str) -> Any:
        """A non-inheritable key (a binding list) of this variant only."""
        return self.table.get(name)

    @property
    def compatibility_date(self) -> Any:
        return self.get("compatibility_date")

    @property
    def flags_value(self) -> Any:
        return self.get("compatibility_flags")

    @property
    def flags(self) -> list[str]:
        value = self.flags_value
        return [f for f in value if isinstance(f, str)] if isinstance(value, list) else []

    @property
    def main(self) -> Any:
        return self.get("main")

    @property
    def name(self) -> Any:
        """The Worker's script name: wrangler deploys an environment as `<name>-<env>`."""
        top = self.config.data.get("name")
        own = self.table.get("name") if self.env is not None else None
        if isinstance(own, str):
            return own
        if isinstance(top, str) and self.env is not None:
            return f"{top}-{self.env}"
        return top

    def main_path(self) -> Path | None:
        main = self.main
        if not isinstance(main, str) or not main.strip():
            return None
        return (self.config.directory / main).resolve()

    def position(self, *keys: Any) -> tuple[int, int]:
        return self.config.position(*keys)


def load_worker_config(path: Path, text: str) -> WorkerConfig:
    """Parse a Worker config; raises ConfigError with the error's line and column."""
    if path.name.endswith(".toml"):
        try:
            data = tomllib.loads(text)
        except tomllib.TOMLDecodeError as exc:
            line, column = _toml_error_position(str(exc))
            raise ConfigError(f"invalid TOML: {_strip_position(str(exc))}", line, column) from None
        return WorkerConfig(path, text, "toml", data, positions=toml_key_positions(text))
    try:
        doc = parse_jsonc_document(text)
    except JsoncError as exc:
        kind = "JSONC" if path.name.endswith(".jsonc") else "JSON"
        raise ConfigError(f"invalid {kind}: {exc.message}", exc.line, exc.column) from None
    if not isinstance(doc.data, dict):
        raise ConfigError("the top-level value must be an object")
    fmt = "jsonc" if path.name.endswith(".jsonc") else "json"
    return WorkerConfig(
        path, text, fmt, doc.data, positions=doc.positions, spans=doc.spans, key_offsets=doc.key_offsets
    )


_TOML_POS = re.compile(r"\(at line (\d+), column (\d+)\)")


def _toml_error_position(message: str) -> tuple[int, int]:
    match = _TOML_POS.search(message)
    return (int(match.group(1)), int(match.group(2))) if match else (1, 1)


def _strip_position(message: str) -> str:
    return _TOML_POS.sub("", message).strip()


_HEADER = re.compile(r"^\s*(\[\[?)\s*([^\]]+?)\s*\]\]?\s*(?:#.*)?$")
_KEY = re.compile(r"""^\s*((?:[A-Za-z0-9_-]+|"[^"]*"|'[^']*')(?:\s*\.\s*(?:[A-Za-z0-9_-]+|"[^"]*"|'[^']*'))*)\s*=""")


def _split_key(raw: str) -> tuple[str, ...]:
    parts = re.findall(r"""[A-Za-z0-9_-]+|"[^"]*"|'[^']*'""", raw)
    return tuple(p[1:-1] if p[:1] in "\"'" else p for p in parts)


def toml_key_positions(text: str) -> dict[tuple, tuple[int, int]]:
    """Positions of keys and array-of-table entries, found line by line.

    Covers what diagnostics point at: `key = ...` under `[table]` and `[[array]]` headers
    (array entries are indexed: ("workflows", 0, "class_name")), plus elements of one-line or
    multi-line arrays of strings (("compatibility_flags", 2)).
    """
    positions: dict[tuple, tuple[int, int]] = {}
    counters: dict[tuple, int] = {}
    prefix: tuple = ()
    lines = text.splitlines()
    in_array: tuple | None = None
    element = 0
    for number, line in enumerate(lines, start=1):
        if in_array is not None:
            element = _record_strings(line, number, in_array, element, positions)
            if "]" in _strip_strings(line):
                in_array = None
            continue
        header = _HEADER.match(line)
        if header and not _KEY.match(line):
            key = _split_key(header.group(2))
            if header.group(1) == "[[":
                index = counters.get(key, 0)
                counters[key] = index + 1
                prefix = key + (index,)
                positions.setdefault(key, (number, line.index("[") + 1))
            else:
                prefix = key
            positions[prefix] = (number, line.index("[") + 1)
            continue
        match = _KEY.match(line)
        if not match:
            continue
        key = prefix + _split_key(match.group(1))
        positions[key] = (number, match.start(1) + 1)
        rest = line[match.end() :]
        if rest.lstrip().startswith("["):
            element = _record_strings(rest, number, key, 0, positions, offset=match.end())
            if "]" not in _strip_strings(rest):
                in_array = key
    return positions


_STRING = re.compile(r""""(?:[^"\\]|\\.)*"|'[^']*'""")


def _strip_strings(line: str) -> str:
    line = _STRING.sub("", line)
    return line.split("#", 1)[0]


def _record_strings(
    line: str, number: int, key: tuple, start: int, positions: dict, offset: int = 0
) -> int:
    """Record the position of each string element on `line`, up to a `#` comment."""
    previous_end = 0
    for m in _STRING.finditer(line):
        if "#" in line[previous_end : m.start()]:
            break
        positions[key + (start,)] = (number, offset + m.start() + 1)
        start += 1
        previous_end = m.end()
    return start


def find_config(directory: Path) -> Path | None:
    for name in CONFIG_NAMES:
        candidate = directory / name
        if candidate.is_file():
            return candidate
    return None
