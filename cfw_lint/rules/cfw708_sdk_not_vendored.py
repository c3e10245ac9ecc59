"""CFW708: the runtime no longer ships the `workers` SDK and nothing vendors it."""

from __future__ import annotations

import re
from typing import Any, Iterable

from cfw_lint.diagnostics import Severity
from cfw_lint.profile import runtime_data
from cfw_lint.project.worker_module import effective_profile, valid_date
from cfw_lint.rule import ProjectDiagnostic, ProjectRule
from cfw_lint.tomlcompat import tomllib

# pywrangler adds workers-runtime-sdk to what it vendors from this version on (facts 1.1)
MANAGING_CLI = "workers-py"
MANAGING_SINCE = (1, 9)
SDK = "workers-runtime-sdk"
# the modules the runtime's stubs replace
SDK_MODULES = ("workers", "asgi")


class SdkNotVendored(ProjectRule):
    code = "CFW708"
    name = "sdk-not-vendored"
    severity = Severity.ERROR
    summary = "Date >= 2026-04-21 without disable_python_external_sdk, and nothing vendors workers-runtime-sdk."
    profile_facts = ("external_sdk", "sdk_version")

    def check(self) -> Iterable[ProjectDiagnostic]:
        config = self.project.config
        if config is None or not config.is_python_worker():
            return
        switch = runtime_data().flags["enable_python_external_sdk"].implied_from
        seen: set = set()
        for settings in config.settings():
            date = valid_date(settings)
            if date is None or not effective_profile(settings).external_sdk:
                continue
            key = settings.key("compatibility_date")
            if key in seen:
                continue
            seen.add(key)
            if self._provided() or not self._imports_sdk():
                return
            message = (
                f"compatibility_date {date.isoformat()}{settings.label} is on or after {switch}: the "
                "runtime no longer provides the `workers` SDK, and nothing here vendors "
                f"{SDK} (no {MANAGING_CLI} >= 1.9 in a dev dependency group, no {SDK} in "
                "pyproject.toml or the lock file). Importing it fails with ModuleNotFoundError: No "
                "module named 'workers' (\"You need to update to workers-py >= 1.9 or to pass "
                'disable_python_external_sdk"). Add "workers-py>=1.9" to [dependency-groups] dev '
                'and deploy with pywrangler, or add "disable_python_external_sdk" to compatibility_flags.'
            )
            assert key is not None
            line, column = config.position(*key)
            yield self.diagnostic(config.path, line, column, message)

    # -- what provides the SDK ---------------------------------------------------------------
    def _provided(self) -> bool:
        version, _ = self.project.sdk_version()
        if version is not None:
            return True
        pyproject = self.project.pyproject() or {}
        raw_project = pyproject.get("project")
        project = raw_project if isinstance(raw_project, dict) else {}
        if any(_name(r) == SDK for r in _strings(project.get("dependencies"))):
            return True  # vendored as a runtime dependency
        locked = self._locked_version(MANAGING_CLI)
        for requirement in self._dev_requirements(pyproject):
            if _name(requirement) != MANAGING_CLI:
                continue
            if locked is not None:
                return locked >= MANAGING_SINCE
            if _admits_managing_version(requirement):
                return True
        return False

    @staticmethod
    def _dev_requirements(pyproject: dict[str, Any]) -> list[str]:
        out: list[str] = []
        groups = pyproject.get("dependency-groups")
        if isinstance(groups, dict):
            for group in groups.values():
                out.extend(_strings(group))
        tool = pyproject.get("tool")
        uv = tool.get("uv") if isinstance(tool, dict) else None
        if isinstance(uv, dict):
            out.extend(_strings(uv.get("dev-dependencies")))
        return out

    def _locked_version(self, package: str) -> tuple[int, ...] | None:
        path = self.project.root / "uv.lock"
        text = self.project.read_text(path) if (path.is_file() or path in self.project.overrides) else None
        if text is None:
            return None
        try:
            data = tomllib.loads(text)
        except tomllib.TOMLDecodeError:
            return None
        for entry in data.get("package", []) or []:
            if isinstance(entry, dict) and _normalize(str(entry.get("name", ""))) == package:
                return _release(entry.get("version"))
        return None

    def _imports_sdk(self) -> bool:
        """Whether the Worker's code imports `workers` or `asgi` (the modules that fail)."""
        for path in self.project.source_files():
            facts = self.project.facts_for(path)
            if facts is None:
                continue
            for module in facts.get("imports", []):
                if module.split(".")[0] in SDK_MODULES:
                    return True
        return False


def _strings(value: Any) -> list[str]:
    return [v for v in value if isinstance(v, str)] if isinstance(value, list) else []


def _normalize(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _name(requirement: str) -> str | None:
    from packaging.requirements import InvalidRequirement, Requirement

    try:
        return _normalize(Requirement(requirement).name)
    except InvalidRequirement:
        return None


def _release(version: Any) -> tuple[int, ...] | None:
    from packaging.version import InvalidVersion, Version

    try:
        return Version(str(version)).release
    except InvalidVersion:
        return None


def _admits_managing_version(requirement: str) -> bool:
    """Whether the requirement lets the resolver pick a workers-py >= 1.9 (unpinned: the newest)."""
    from packaging.requirements import InvalidRequirement, Requirement
    from packaging.version import Version

    try:
        spec = Requirement(requirement).specifier
    except InvalidRequirement:
        return False
    if not str(spec):
        return True
    # the resolver takes the newest allowed version; probe a few at and after the switch
    probes = ["1.9.0", "1.9.99", "1.16.7", "1.99", "2.0.0", "9999"]
    return any(spec.contains(Version(v), prereleases=True) for v in probes)
