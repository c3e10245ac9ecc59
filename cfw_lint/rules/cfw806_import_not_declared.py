"""CFW806: Worker code imports a module no declared runtime dependency provides. Facts §4.1, §4.2."""

from __future__ import annotations

from typing import Iterable

from cfw_lint.diagnostics import Severity
from cfw_lint.rule import ProjectDiagnostic, ProjectRule


class ImportNotDeclared(ProjectRule):
    code = "CFW806"
    name = "import-not-declared"
    severity = Severity.ERROR
    summary = "Worker code imports a module that neither the stdlib, the runtime nor [project].dependencies provide."
    profile_facts = ("package_index",)

    def check(self) -> Iterable[ProjectDiagnostic]:
        # imported here: most runs never need the dependency machinery
        from cfw_lint.project.deps import deps_of, import_problems

        for path, site, problem in import_problems(deps_of(self.project)):
            if problem.code == self.code:
                yield self.diagnostic(path, site.line, site.column, problem.message)
