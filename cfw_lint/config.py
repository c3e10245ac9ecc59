"""`[tool.cfw-lint]` settings: discovery (nearest pyproject.toml with the table), validation, and
which codes are enabled for a file."""

from __future__ import annotations

import datetime as dt
import fnmatch
import functools
import os
import re
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from cfw_lint.diagnostics import Diagnostic
from cfw_lint.profile import parse_date
from cfw_lint.tomlcompat import tomllib

KEYS = {
    "select",
    "extend-select",
    "ignore",
    "per-file-ignores",
    "exclude",
    "extend-exclude",
    "respect-gitignore",
    "compat-date",
    "compat-flags",
    "worker-sources",
}
# fix classes, output and cache, with ruff's names and meanings
KEYS |= {
    "fixable",
    "extend-fixable",
    "unfixable",
    "extend-safe-fixes",
    "extend-unsafe-fixes",
    "unsafe-fixes",
    "extend-per-file-ignores",
    "output-format",
    "cache-dir",
    "rule-url",
}


class SettingsError(Exception):
    """A configuration problem; reported as one line naming the file, exit status 2."""


@dataclass
class Settings:
    root: Path
    source: Path | None = None
    select: list[str] | None = None
    extend_select: list[str] = field(default_factory=list)
    ignore: list[str] = field(default_factory=list)
    per_file_ignores: list[tuple[str, list[str]]] = field(default_factory=list)
    exclude: list[str] | None = None
    extend_exclude: list[str] = field(default_factory=list)
    respect_gitignore: bool = True
    compat_date: dt.date | None = None
    compat_flags: tuple[str, ...] | None = None
    # fix classes, output and cache (parse_fix_and_output)
    fixable: list[str] | None = None
    extend_fixable: list[str] = field(default_factory=list)
    unfixable: list[str] = field(default_factory=list)
    extend_safe_fixes: list[str] = field(default_factory=list)
    extend_unsafe_fixes: list[str] = field(default_factory=list)
    unsafe_fixes: bool | None = None
    output_format: str | None = None
    cache_dir: Path | None = None
    rule_url: str | None = None
    worker_sources: list[str] = field(default_factory=list)

    def worker_source(self, path: Path) -> bool | None:
        """`worker-sources` verdict for `path`: the last matching glob wins, `!glob` excludes;
        None when no glob matches (the automatic scope decides)."""
        rel = self.relative(path)
        verdict = None
        if rel is None:
            return verdict
        for pattern in self.worker_sources:
            negate = pattern.startswith("!")
            if _glob_match(rel, pattern[1:] if negate else pattern):
                verdict = not negate
        return verdict

    def relative(self, path: Path) -> str | None:
        try:
            return PurePosixPath(Path(os.path.abspath(path)).relative_to(self.root)).as_posix()
        except ValueError:
            return None

    def per_file_ignored(self, path: Path) -> set[str]:
        """Codes (prefixes) ignored for `path` by per-file-ignores."""
        rel = self.relative(path)
        if rel is None:
            return set()
        out: set[str] = set()
        for pattern, codes in self.per_file_ignores:
            negate = pattern.startswith("!")
            glob = pattern[1:] if negate else pattern
            if _glob_match(rel, glob) != negate:
                out.update(codes)
        return out


@functools.lru_cache(maxsize=512)
def _glob_regex(pattern: str) -> re.Pattern[str]:
    """A glob as ruff's globset reads it: `*` and `**` cross `/`, `**/` also matches no
    directory, `?`, `[...]` (`[!...]` negated) and `{a,b}` alternatives."""
    out, i, braces = [], 0, 0
    while i < len(pattern):
        ch = pattern[i]
        if pattern.startswith("**/", i):
            out.append("(?:.*/)?")
            i += 3
            continue
        if pattern.startswith("/**", i) and i + 3 == len(pattern):
            out.append("(?:/.*)?")
            i += 3
            continue
        if ch == "*":
            out.append(".*")
            i += 2 if pattern.startswith("**", i) else 1
            continue
        if ch == "?":
            out.append("[^/]")
        elif ch == "[":
            close = pattern.find("]", i + 2)
            if close == -1:
                out.append(re.escape(ch))
            else:
                body = pattern[i + 1 : close]
                body = "^" + body[1:] if body.startswith("!") else body
                out.append(f"[{body.replace(chr(92), chr(92) * 2)}]")
                i = close
        elif ch == "{":
            braces += 1
            out.append("(?:")
        elif ch == "}" and braces:
            braces -= 1
            out.append(")")
        elif ch == "," and braces:
            out.append("|")
        else:
            out.append(re.escape(ch))
        i += 1
    return re.compile("".join(out) + ")" * braces)


def _glob_match(rel: str, pattern: str) -> bool:
    """ruff-like: a pattern without a slash matches the file name or any path component."""
    pattern = pattern.rstrip("/")
    if _glob_regex(pattern).fullmatch(rel) or fnmatch.fnmatch(rel, pattern):
        return True
    if "/" not in pattern:
        parts = rel.split("/")
        return any(_glob_regex(pattern).fullmatch(p) for p in parts)
    # "src/**" style: fnmatch's * already crosses slashes; also allow a directory prefix
    return rel.startswith(pattern + "/")


def _str_list(value: Any, key: str, where: str) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise SettingsError(f"{where}: `{key}` must be a list of strings")
    return list(value)


def parse_settings(table: dict[str, Any], root: Path, source: Path | None) -> Settings:
    where = str(source) if source else "settings"
    from cfw_lint.registry import SelectionError, check_selectors

    unknown = sorted(set(table) - KEYS)
    if unknown:
        raise SettingsError(
            f"{where}: unknown key{'s' if len(unknown) > 1 else ''} "
            f"{', '.join(repr(k) for k in unknown)} in [tool.cfw-lint] "
            f"(known: {', '.join(sorted(KEYS))})"
        )
    s = Settings(root=root, source=source)
    try:
        if "select" in table:
            s.select = check_selectors(_str_list(table["select"], "select", where), f"{where} `select`")
        if "extend-select" in table:
            s.extend_select = check_selectors(
                _str_list(table["extend-select"], "extend-select", where), f"{where} `extend-select`"
            )
        if "ignore" in table:
            s.ignore = check_selectors(_str_list(table["ignore"], "ignore", where), f"{where} `ignore`")
        if "per-file-ignores" in table:
            pfi = table["per-file-ignores"]
            if not isinstance(pfi, dict):
                raise SettingsError(f"{where}: `per-file-ignores` must be a table of glob = [codes]")
            for pattern, codes in pfi.items():
                s.per_file_ignores.append(
                    (
                        pattern,
                        check_selectors(
                            _str_list(codes, f"per-file-ignores.{pattern}", where), f"{where} `per-file-ignores`"
                        ),
                    )
                )
    except SelectionError as exc:
        raise SettingsError(str(exc)) from None
    if "exclude" in table:
        s.exclude = _str_list(table["exclude"], "exclude", where)
    if "extend-exclude" in table:
        s.extend_exclude = _str_list(table["extend-exclude"], "extend-exclude", where)
    if "respect-gitignore" in table:
        if not isinstance(table["respect-gitignore"], bool):
            raise SettingsError(f"{where}: `respect-gitignore` must be true or false")
        s.respect_gitignore = table["respect-gitignore"]
    if "compat-date" in table:
        date = parse_date(table["compat-date"])
        if date is None:
            raise SettingsError(f"{where}: `compat-date` must be a date like 2026-03-01")
        s.compat_date = date
    if "compat-flags" in table:
        s.compat_flags = tuple(_str_list(table["compat-flags"], "compat-flags", where))
    parse_fix_and_output(table, s, where)
    if "worker-sources" in table:
        s.worker_sources = _str_list(table["worker-sources"], "worker-sources", where)
    return s


def parse_fix_and_output(table: dict[str, Any], s: Settings, where: str) -> None:
    """fixable/unfixable, extend-safe/unsafe-fixes, extend-per-file-ignores, output-format,
    cache-dir and rule-url."""
    from cfw_lint.registry import SelectionError, check_selectors

    try:
        for key in ("fixable", "extend-fixable", "unfixable", "extend-safe-fixes", "extend-unsafe-fixes"):
            if key in table:
                value = check_selectors(_str_list(table[key], key, where), f"{where} `{key}`")
                setattr(s, key.replace("-", "_"), value)
        pfi = table.get("extend-per-file-ignores")
        if pfi is not None:
            if not isinstance(pfi, dict):
                raise SettingsError(f"{where}: `extend-per-file-ignores` must be a table of glob = [codes]")
            for pattern, codes in pfi.items():
                key = f"extend-per-file-ignores.{pattern}"
                s.per_file_ignores.append((pattern, check_selectors(_str_list(codes, key, where), f"{where} `{key}`")))
    except SelectionError as exc:
        raise SettingsError(str(exc)) from None
    if "unsafe-fixes" in table:
        if not isinstance(table["unsafe-fixes"], bool):
            raise SettingsError(f"{where}: `unsafe-fixes` must be true or false")
        s.unsafe_fixes = table["unsafe-fixes"]
    if "output-format" in table:
        from cfw_lint.output import ALIASES, FORMATS

        value = table["output-format"]
        if not isinstance(value, str) or ALIASES.get(value, value) not in FORMATS:
            raise SettingsError(f"{where}: `output-format` must be one of {', '.join(FORMATS)} (got {value!r})")
        s.output_format = ALIASES.get(value, value)
    if "cache-dir" in table:
        if not isinstance(table["cache-dir"], str) or not table["cache-dir"].strip():
            raise SettingsError(f"{where}: `cache-dir` must be a path")
        s.cache_dir = s.root / Path(os.path.expanduser(table["cache-dir"]))
    if "rule-url" in table:
        value = table["rule-url"]
        if not isinstance(value, str) or "{code}" not in value:
            raise SettingsError(f"{where}: `rule-url` must be a string containing {{code}}")
        s.rule_url = value


@dataclass(frozen=True)
class FixPolicy:
    """Which codes keep their fixes, and fixes re-classified as safe or unsafe (ruff's
    `fixable`/`unfixable` and `extend-safe-fixes`/`extend-unsafe-fixes`)."""

    fixable: frozenset[str]
    safe: frozenset[str] = frozenset()
    unsafe: frozenset[str] = frozenset()

    def __call__(self, diagnostics: list[Diagnostic]) -> list[Diagnostic]:
        from dataclasses import replace

        from cfw_lint.diagnostics import Applicability

        out = []
        for d in diagnostics:
            fix = d.fix
            if fix is not None:
                if d.code not in self.fixable:
                    d = replace(d, fix=None)  # as ruff: an unfixable rule's findings offer no fix
                elif d.code in self.safe and fix.applicability is not Applicability.SAFE:
                    d = replace(d, fix=replace(fix, applicability=Applicability.SAFE))
                elif d.code in self.unsafe and fix.applicability is not Applicability.UNSAFE:
                    d = replace(d, fix=replace(fix, applicability=Applicability.UNSAFE))
            out.append(d)
        return out


def fix_policy(
    settings: Settings,
    fixable: list[str] | None = None,
    extend_fixable: list[str] = (),  # type: ignore[assignment]
    unfixable: list[str] = (),  # type: ignore[assignment]
) -> FixPolicy:
    """The policy for files under `settings`; command-line lists as ruff's: `--fixable`
    replaces `fixable`, the others extend."""
    from cfw_lint.registry import resolve_selection, rule_codes

    codes = resolve_selection(
        fixable if fixable is not None else settings.fixable,
        [*settings.extend_fixable, *extend_fixable],
        [*settings.unfixable, *unfixable],
    )
    safe, unsafe = set(), set()
    for code in rule_codes():
        # the most specific selector decides; on a tie, unsafe wins (as ruff)
        best, verdict = -1, None
        for selectors, kind in ((settings.extend_safe_fixes, "safe"), (settings.extend_unsafe_fixes, "unsafe")):
            for sel in selectors:
                if sel == "ALL" or code.startswith(sel):
                    length = 0 if sel == "ALL" else len(sel)
                    if length > best or (length == best and kind == "unsafe"):
                        best, verdict = length, kind
        if verdict == "safe":
            safe.add(code)
        elif verdict == "unsafe":
            unsafe.add(code)
    return FixPolicy(codes, frozenset(safe), frozenset(unsafe))


def load_settings_file(path: Path) -> Settings:
    """Settings from a pyproject.toml ([tool.cfw-lint]) or a standalone TOML file (--config)."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise SettingsError(f"{path}: cannot read: {exc.strerror or exc}") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise SettingsError(f"{path}: invalid TOML: {exc}") from None
    table = data.get("tool", {}).get("cfw-lint")
    if table is None:
        table = {} if path.name == "pyproject.toml" else {k: v for k, v in data.items() if k != "tool"}
    if not isinstance(table, dict):
        raise SettingsError(f"{path}: [tool.cfw-lint] must be a table")
    return parse_settings(table, path.parent.resolve(), path)


class SettingsResolver:
    """Per-directory settings: the nearest pyproject.toml with a [tool.cfw-lint] table wins
    (like ruff); `--config` replaces discovery."""

    def __init__(self, config_path: Path | None, cwd: Path) -> None:
        self.cwd = cwd
        self.fixed = load_settings_file(config_path) if config_path else None
        self._cache: dict[Path, Settings] = {}
        self._default = Settings(root=cwd)

    def for_path(self, path: Path) -> Settings:
        if self.fixed is not None:
            return self.fixed
        path = Path(os.path.abspath(path))
        directory = path if path.is_dir() else path.parent
        return self._for_dir(directory)

    def _for_dir(self, directory: Path) -> Settings:
        if directory in self._cache:
            return self._cache[directory]
        settings: Settings
        candidate = directory / "pyproject.toml"
        found = None
        if candidate.is_file():
            try:
                data = tomllib.loads(candidate.read_text(encoding="utf-8"))
            except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
                data = {}  # a broken pyproject is CFW003's business, not a settings error
            if isinstance(data.get("tool"), dict) and "cfw-lint" in data["tool"]:
                found = load_settings_file(candidate)
        if found is not None:
            settings = found
        elif directory.parent != directory:
            settings = self._for_dir(directory.parent)
        else:
            settings = self._default
        self._cache[directory] = settings
        return settings
