"""CFW801: a runtime dependency with no build the Worker's Pyodide can install. Facts §4.1."""

from __future__ import annotations

from typing import Iterable

from cfw_lint.diagnostics import Severity
from cfw_lint.rule import ProjectDiagnostic, ProjectRule


class PackageUnavailable(ProjectRule):
    code = "CFW801"
    name = "package-unavailable"
    severity = Severity.ERROR
    summary = "A runtime dependency that is neither in the Pyodide index nor a pure-Python or Pyodide wheel."
    profile_facts = ("package_index", "python_version")

    def check(self) -> Iterable[ProjectDiagnostic]:
        # imported here: most runs never need the dependency machinery
        from cfw_lint.project.deps import availability_findings, deps_of

        for f in availability_findings(deps_of(self.project)):
            if f.code == self.code:
                yield self.diagnostic(f.path, f.line, f.column, f.message)
