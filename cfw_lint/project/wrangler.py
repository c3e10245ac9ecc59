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
    # value spans (start, end offsets) by path, for minimal in-place edits
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
        positions, spans = scan_toml(text)
        return WorkerConfig(path, text, "toml", data, positions=positions, spans=spans)
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


def toml_key_positions(text: str) -> dict[tuple, tuple[int, int]]:
    """1-based positions of every key, array element and table header of a TOML document.

    Paths are as the parsed data is indexed: ("compatibility_flags", 2),
    ("workflows", 0, "class_name"), ("env", "staging", "main"), keys inside inline tables and
    arrays of inline tables included. The text must already be valid TOML (tomllib checked it);
    on anything unexpected the scan stops and returns what it found.
    """
    return scan_toml(text)[0]


def scan_toml(text: str) -> tuple[dict[tuple, tuple[int, int]], dict[tuple, tuple[int, int]]]:
    """Key positions (see toml_key_positions) and value spans (start, end offsets) by path."""
    scanner = _TomlScanner(text)
    try:
        scanner.document()
    except (_ScanStop, IndexError, ValueError):
        pass
    return scanner.positions, scanner.spans


class _ScanStop(Exception):
    pass


_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+")
_SCALAR_END = re.compile(r"[,\]}\n#]")


class _TomlScanner:
    def __init__(self, text: str) -> None:
        self.text = text
        self.i = 0
        self.positions: dict[tuple, tuple[int, int]] = {}
        self.spans: dict[tuple, tuple[int, int]] = {}
        # current index of each array of tables, by its resolved path
        self.array_tables: dict[tuple, int] = {}
        self.line_starts = [0] + [m.end() for m in re.finditer("\n", text)]

    def where(self, offset: int) -> tuple[int, int]:
        import bisect

        line = bisect.bisect_right(self.line_starts, offset)
        return line, offset - self.line_starts[line - 1] + 1

    # -- whitespace --------------------------------------------------------------------------
    def skip(self, newlines: bool) -> None:
        text, n = self.text, len(self.text)
        while self.i < n:
            c = text[self.i]
            if c in " \t\r" or (newlines and c == "\n") or c == "\ufeff":
                self.i += 1
            elif c == "#" and newlines:
                end = text.find("\n", self.i)
                self.i = n if end < 0 else end + 1
            else:
                return

    def skip_line(self) -> None:
        end = self.text.find("\n", self.i)
        self.i = len(self.text) if end < 0 else end + 1

    # -- structure ---------------------------------------------------------------------------
    def document(self) -> None:
        prefix: tuple = ()
        while True:
            self.skip(newlines=True)
            if self.i >= len(self.text):
                return
            at = self.i
            if self.text.startswith("[[", at):
                self.i += 2
                key = self.resolve(self.key(), last_too=False)
                index = self.array_tables.get(key, -1) + 1
                self.array_tables[key] = index
                prefix = key + (index,)
                self.positions.setdefault(key, self.where(at))
                self.positions[prefix] = self.where(at)
                self.skip_line()
            elif self.text[at] == "[":
                self.i += 1
                prefix = self.resolve(self.key(), last_too=True)
                self.positions[prefix] = self.where(at)
                self.skip_line()
            else:
                key = self.key()
                self.positions[prefix + key] = self.where(at)
                self.expect("=")
                self.value(prefix + key)
                self.skip(newlines=False)
                if self.i < len(self.text) and self.text[self.i] == "#":
                    self.skip_line()

    def resolve(self, key: tuple, last_too: bool) -> tuple:
        """Insert the current index after each array of tables along a header's key."""
        out: tuple = ()
        for n, part in enumerate(key):
            out += (part,)
            if out in self.array_tables and (last_too or n < len(key) - 1):
                out += (self.array_tables[out],)
        return out

    def key(self) -> tuple:
        parts = []
        while True:
            self.skip(newlines=False)
            text, i = self.text, self.i
            if text[i] == '"':
                parts.append(self.basic_string())
            elif text[i] == "'":
                end = text.index("'", i + 1)
                parts.append(text[i + 1 : end])
                self.i = end + 1
            else:
                m = _BARE_KEY.match(text, i)
                if not m:
                    raise _ScanStop
                parts.append(m.group())
                self.i = m.end()
            self.skip(newlines=False)
            if self.i < len(text) and text[self.i] == ".":
                self.i += 1
                continue
            return tuple(parts)

    def expect(self, char: str) -> None:
        self.skip(newlines=False)
        if self.text[self.i] != char:
            raise _ScanStop
        self.i += 1

    def value(self, path: tuple) -> None:
        self.skip(newlines=False)
        start = self.i
        self._value(path)
        self.spans[path] = (start, self.i)

    def _value(self, path: tuple) -> None:
        text, i = self.text, self.i
        c = text[i]
        if text.startswith('"""', i):
            end = i + 3
            while True:
                end = text.index('"""', end)
                if text[end - 1] != "\\" or text[end - 2] == "\\":
                    break
                end += 1
            while text.startswith('"', end + 3):
                end += 1  # up to two quotes may close the content
            self.i = end + 3
        elif text.startswith("'''", i):
            end = text.index("'''", i + 3)
            while text.startswith("'", end + 3):
                end += 1
            self.i = end + 3
        elif c == '"':
            self.basic_string()
        elif c == "'":
            self.i = text.index("'", i + 1) + 1
        elif c == "[":
            self.i += 1
            index = 0
            while True:
                self.skip(newlines=True)
                if text[self.i] == "]":
                    self.i += 1
                    return
                self.positions[path + (index,)] = self.where(self.i)
                self.value(path + (index,))
                index += 1
                self.skip(newlines=True)
                if text[self.i] == ",":
                    self.i += 1
        elif c == "{":
            self.i += 1
            while True:
                self.skip(newlines=False)
                if text[self.i] == "}":
                    self.i += 1
                    return
                at = self.i
                key = self.key()
                self.positions[path + key] = self.where(at)
                self.expect("=")
                self.value(path + key)
                self.skip(newlines=False)
                if text[self.i] == ",":
                    self.i += 1
        else:
            m = _SCALAR_END.search(text, i)
            end = m.start() if m else len(text)
            while end > i and text[end - 1] in " \t\r":
                end -= 1
            self.i = end

    def basic_string(self) -> str:
        text, i = self.text, self.i + 1
        out = []
        while text[i] != '"':
            if text[i] == "\\":
                out.append(text[i : i + 2])
                i += 2
                continue
            if text[i] == "\n":
                raise _ScanStop
            out.append(text[i])
            i += 1
        self.i = i + 1
        raw = "".join(out)
        if "\\" not in raw:
            return raw
        import json

        try:
            return json.loads(f'"{raw}"')
        except ValueError:
            return raw


def find_config(directory: Path) -> Path | None:
    for name in CONFIG_NAMES:
        candidate = directory / name
        if candidate.is_file():
            return candidate
    return None
