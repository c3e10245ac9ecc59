"""CFW804: Worker code imports a module only a dependency group or extra provides. Facts §4.1."""

from __future__ import annotations

from typing import Iterable

from cfw_lint.diagnostics import Severity
from cfw_lint.rule import ProjectDiagnostic, ProjectRule


class DependencyOnlyInGroup(ProjectRule):
    code = "CFW804"
    name = "dependency-only-in-group"
    severity = Severity.ERROR
    summary = "A module imported by Worker code comes only from [dependency-groups] or an extra: not vendored."
    profile_facts = ("package_index",)

    def check(self) -> Iterable[ProjectDiagnostic]:
        # imported here: most runs never need the dependency machinery
        from cfw_lint.project.deps import deps_of, import_problems

        for path, site, problem in import_problems(deps_of(self.project)):
            if problem.code == self.code:
                yield self.diagnostic(path, site.line, site.column, problem.message)
