"""CFW802: a version range that excludes the only Pyodide build of a native package. Facts §4.1."""

from __future__ import annotations

from typing import Iterable

from cfw_lint.diagnostics import Severity
from cfw_lint.rule import ProjectDiagnostic, ProjectRule


class VersionUnavailable(ProjectRule):
    code = "CFW802"
    name = "version-unavailable"
    severity = Severity.ERROR
    summary = "The requirement excludes every version the Pyodide index has of a package with native code."
    profile_facts = ("package_index", "python_version")

    def check(self) -> Iterable[ProjectDiagnostic]:
        # imported here: most runs never need the dependency machinery
        from cfw_lint.project.deps import availability_findings, deps_of

        for f in availability_findings(deps_of(self.project)):
            if f.code == self.code:
                yield self.diagnostic(f.path, f.line, f.column, f.message)
