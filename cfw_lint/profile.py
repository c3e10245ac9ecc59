"""The runtime profile: what a file will run on, derived from compatibility date and flags.

The flag/date table is data (`data/runtime.toml`); this module only interprets it.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
from dataclasses import dataclass, field, replace
from importlib import resources
from typing import Any

from cfw_lint.tomlcompat import tomllib


@dataclass(frozen=True)
class FlagInfo:
    name: str
    summary: str = ""
    disable: str | None = None
    implied_from: dt.date | None = None
    requires: str | None = None
    experimental: bool = False
    # renamed or retired: current workerd no longer knows the name
    removed: bool = False


@dataclass(frozen=True)
class Release:
    flag: str
    ordinal: int
    python: str
    pyodide: str
    package_index: str


@dataclass(frozen=True)
class RuntimeData:
    flags: dict[str, FlagInfo]
    releases: tuple[Release, ...]
    default_date: dt.date
    default_flags: tuple[str, ...]

    @property
    def disable_of(self) -> dict[str, str]:
        return {f.disable: f.name for f in self.flags.values() if f.disable}

    def known_flag(self, name: str) -> bool:
        return name in self.flags or name in self.disable_of


@functools.lru_cache(maxsize=1)
def runtime_data() -> RuntimeData:
    raw = tomllib.loads(resources.files("cfw_lint.data").joinpath("runtime.toml").read_text("utf-8"))
    flags = {}
    for f in raw["flag"]:
        implied = f.get("implied_from")
        flags[f["name"]] = FlagInfo(
            name=f["name"],
            summary=f.get("summary", ""),
            disable=f.get("disable"),
            implied_from=dt.date.fromisoformat(implied) if implied else None,
            requires=f.get("requires"),
            experimental=f.get("experimental", False),
            removed=f.get("removed", False),
        )
    releases = tuple(sorted((Release(**r) for r in raw["release"]), key=lambda r: r.ordinal))
    return RuntimeData(
        flags=flags,
        releases=releases,
        default_date=dt.date.fromisoformat(raw["default_compatibility_date"]),
        default_flags=tuple(raw["default_compatibility_flags"]),
    )


def parse_date(value: Any) -> dt.date | None:
    """A compatibility date as wrangler accepts it (YYYY-MM-DD); None when it is not one."""
    if isinstance(value, dt.date):
        return value
    if not isinstance(value, str):
        return None
    try:
        return dt.date.fromisoformat(value.strip())
    except ValueError:
        return None


@dataclass(frozen=True)
class RuntimeProfile:
    """What the code will run on. Every runtime-dependent rule reads this, never the raw config."""

    compatibility_date: dt.date | None
    explicit_flags: frozenset[str]
    enabled_flags: frozenset[str]
    python_version: str
    pyodide_version: str
    package_index: str
    release_flag: str
    # where the date and flags came from: a config path, "default", "command line", ...
    source: str = "default"
    # workers-runtime-sdk version pinned by the lock file, if any
    sdk_version: str | None = None
    sdk_source: str | None = None
    # facts that could not be determined; rules needing them stay silent
    unknown: frozenset[str] = field(default_factory=frozenset)

    # -- facts rules read ------------------------------------------------------------------
    @property
    def python(self) -> tuple[int, int]:
        major, minor = self.python_version.split(".")[:2]
        return int(major), int(minor)

    @property
    def class_handlers(self) -> bool:
        """Handlers live in `class Default(WorkerEntrypoint)`; module-level `on_*` are ignored."""
        return "python_no_global_handlers" in self.enabled_flags

    @property
    def legacy_handlers(self) -> bool:
        return not self.class_handlers

    @property
    def workflows_enabled(self) -> bool:
        return "python_workflows" in self.enabled_flags

    @property
    def implicit_step_dependencies(self) -> bool:
        """`step.do` has no `depends=`; step parameters name earlier steps."""
        return "python_workflows_implicit_dependencies" in self.enabled_flags

    @property
    def external_sdk(self) -> bool:
        """The runtime no longer ships `workers`; `workers-runtime-sdk` must be vendored."""
        return "enable_python_external_sdk" in self.enabled_flags

    @property
    def process_pth_files(self) -> bool:
        return "python_process_pth_files" in self.enabled_flags

    @property
    def check_rng_state(self) -> bool:
        return "python_check_rng_state" in self.enabled_flags

    @property
    def dedicated_snapshot(self) -> bool:
        return "python_dedicated_snapshot" in self.enabled_flags

    @property
    def allow_eval_during_startup(self) -> bool:
        return "allow_eval_during_startup" in self.enabled_flags

    @property
    def has_jspi(self) -> bool:
        """Stack switching (`run_sync`, sync HTTP clients in handlers): Pyodide 0.28+."""
        return self.python >= (3, 13)

    @property
    def has_jsnull(self) -> bool:
        return self.python >= (3, 13)

    @property
    def has_sockets(self) -> bool:
        return self.python >= (3, 14)

    @property
    def sdk_version_tuple(self) -> tuple[int, ...] | None:
        if self.sdk_version is None:
            return None
        from packaging.version import InvalidVersion, Version

        try:
            return Version(self.sdk_version).release
        except InvalidVersion:
            return None

    @property
    def wrapped_bindings(self) -> bool | None:
        """Are KV/R2/D1/Queue bindings wrapped (workers-runtime-sdk >= 1.3)? None when unknown."""
        version = self.sdk_version_tuple
        if version is not None:
            return version >= (1, 3)
        if self.external_sdk or "sdk_version" in self.unknown:
            return None
        return False  # the in-runtime SDK wraps only service, DO and Workflow bindings

    @property
    def sdk_absent(self) -> bool:
        """A lock file was read and does not contain workers-runtime-sdk."""
        return self.sdk_version is None and self.sdk_source is not None

    def sdk_at_least(self, *version: int) -> bool | None:
        """workers-runtime-sdk >= version? None when unknown; False when the lock has no SDK
        and the runtime's own SDK is in use."""
        found = self.sdk_version_tuple
        if found is None:
            return False if self.sdk_absent and not self.external_sdk else None
        return found >= version

    # -- plumbing ----------------------------------------------------------------------------
    def fingerprint(self) -> str:
        return json.dumps(self.to_json(), sort_keys=True)

    def to_json(self) -> dict[str, Any]:
        return {
            "compatibility_date": self.compatibility_date.isoformat() if self.compatibility_date else None,
            "compatibility_flags": sorted(self.explicit_flags),
            "enabled_flags": sorted(self.enabled_flags),
            "python": self.python_version,
            "pyodide": self.pyodide_version,
            "package_index": self.package_index,
            "release_flag": self.release_flag,
            "handlers": "class" if self.class_handlers else "legacy module-level",
            "workflows": self.workflows_enabled,
            "step_do": "implicit dependencies" if self.implicit_step_dependencies else "depends=",
            "external_sdk_required": self.external_sdk,
            "sdk_version": self.sdk_version,
            "sdk_source": self.sdk_source,
            "wrapped_bindings": self.wrapped_bindings,
            "source": self.source,
            "unknown": sorted(self.unknown),
        }

    def with_sdk(self, version: str | None, source: str | None) -> RuntimeProfile:
        """The SDK version from a lock file; (None, lock) means the lock has no SDK at all."""
        unknown = set(self.unknown)
        if version is None and source is None:
            unknown.add("sdk_version")
        else:
            unknown.discard("sdk_version")
        return replace(self, sdk_version=version, sdk_source=source, unknown=frozenset(unknown))


def enabled_flags(date: dt.date | None, flags: frozenset[str]) -> frozenset[str]:
    """Explicit flags plus the ones the date implies (workerd's IMPLIED_BY_AFTER_DATE)."""
    data = runtime_data()
    enabled = set(flags)
    if date is None or "python_workers" not in flags:
        return frozenset(enabled)
    # `requires` chains are short; iterate until nothing changes
    changed = True
    while changed:
        changed = False
        for info in data.flags.values():
            if info.name in enabled or info.implied_from is None:
                continue
            if info.disable and info.disable in flags:
                continue
            if date < info.implied_from:
                continue
            if info.requires and info.requires not in enabled:
                continue
            enabled.add(info.name)
            changed = True
    return frozenset(enabled)


def build_profile(
    date: dt.date | None,
    flags: frozenset[str] | set[str] | list[str] | tuple[str, ...],
    *,
    source: str,
) -> RuntimeProfile:
    data = runtime_data()
    explicit = frozenset(flags)
    # A Python Worker without `python_workers` does not run at all (CFW701 says so); profile it
    # as the Worker it is meant to be rather than report follow-on problems.
    enabled = enabled_flags(date, explicit | {"python_workers"})
    unknown = {"sdk_version"}
    if date is None:
        unknown.add("compatibility_date")
    release = data.releases[0]
    for candidate in data.releases:
        if candidate.flag in enabled:
            release = candidate  # releases are sorted by ordinal: the last enabled one wins
    return RuntimeProfile(
        compatibility_date=date,
        explicit_flags=explicit,
        enabled_flags=enabled,
        python_version=release.python,
        pyodide_version=release.pyodide,
        package_index=release.package_index,
        release_flag=release.flag,
        source=source,
        unknown=frozenset(unknown),
    )


def default_profile() -> RuntimeProfile:
    data = runtime_data()
    return build_profile(data.default_date, data.default_flags, source="default (newest runtime)")
