"""CFW807: `requires-python` excludes the Python the Worker runs on. Facts §3.1, §3.4."""

from __future__ import annotations

from typing import Iterable

from cfw_lint.diagnostics import Severity
from cfw_lint.rule import ProjectDiagnostic, ProjectRule

# The CPython each runtime bundle ships (workerd build/python_metadata.bzl, facts §3.1).
BUNDLE_PYTHON = {"0.26.0a2": "3.12.1", "0.28.2": "3.13.2", "314.0.4": "3.14.2", "314.0.5": "3.14.2"}


class RequiresPythonMismatch(ProjectRule):
    code = "CFW807"
    name = "requires-python-mismatch"
    severity = Severity.WARNING
    summary = "`requires-python` in pyproject.toml excludes the Python version the Worker runs on."
    profile_facts = ("python_version", "pyodide_version")

    def check(self) -> Iterable[ProjectDiagnostic]:
        # imported here: most runs never need the dependency machinery
        from packaging.specifiers import InvalidSpecifier, SpecifierSet
        from packaging.version import Version

        from cfw_lint.project.deps import deps_of, python_unknown

        deps = deps_of(self.project)
        value = (deps.project_table or {}).get("requires-python")
        if not isinstance(value, str):
            return
        try:
            spec = SpecifierSet(value)
        except InvalidSpecifier:
            return
        profile = deps.profile
        if python_unknown(profile):
            return  # which Python the Worker gets is unknown (CFW709 reports the date)
        full = BUNDLE_PYTHON.get(profile.pyodide_version) or (deps.index.python if deps.index else "")
        full = full or f"{profile.python_version}.0"
        if spec.contains(Version(full), prereleases=True):
            return
        line, column = deps.positions.get(("project", "requires-python"), (1, 1))
        date = profile.compatibility_date.isoformat() if profile.compatibility_date else "not set"
        yield self.diagnostic(
            deps.pyproject_path,
            line,
            column,
            f'requires-python = "{value}" excludes Python {full}, which this Worker runs on '
            f"(compatibility date {date}, Pyodide {profile.pyodide_version}); tools that honour it "
            f"(uv, pip) refuse to install or resolve for the runtime, and pywrangler ignores it. "
            f"Widen it to include {'.'.join(full.split('.')[:2])}, or pick the runtime with the "
            "compatibility date/flags",
        )
