"""CFW808: availability of a dependency could not be decided offline. Facts §4.1, §4.2."""

from __future__ import annotations

from typing import Iterable

from cfw_lint.diagnostics import Severity
from cfw_lint.rule import ProjectDiagnostic, ProjectRule


class PackageUnverified(ProjectRule):
    code = "CFW808"
    name = "package-unverified"
    severity = Severity.INFO
    summary = "Whether a dependency installs could not be decided offline; --online asks the package index."
    profile_facts = ("package_index", "python_version")

    def check(self) -> Iterable[ProjectDiagnostic]:
        # imported here: most runs never need the dependency machinery
        from cfw_lint.project.deps import availability_findings, deps_of

        for f in availability_findings(deps_of(self.project)):
            if f.code == self.code:
                yield self.diagnostic(f.path, f.line, f.column, f.message)
