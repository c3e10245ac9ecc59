"""CFW806: Worker code imports a module nothing deployed with the Worker provides. Facts §4.1, §4.2."""

from __future__ import annotations

from typing import Iterable

from cfw_lint.diagnostics import Applicability, Fix, FixAvailability, Severity
from cfw_lint.rule import ProjectDiagnostic, ProjectRule


class ImportNotDeclared(ProjectRule):
    code = "CFW806"
    name = "import-not-declared"
    severity = Severity.ERROR
    fix = FixAvailability.SOMETIMES
    summary = "Worker code imports a module that neither the stdlib, the runtime nor [project].dependencies provide."
    profile_facts = ("package_index",)

    def check(self) -> Iterable[ProjectDiagnostic]:
        # imported here: most runs never need the dependency machinery
        from cfw_lint.project.deps import deps_of, import_problems
        from cfw_lint.project.deps_edit import add_dependency_edits
        from cfw_lint.rules.cfw803_requirements_txt import _project_name

        deps = deps_of(self.project)
        for path, site, problem in import_problems(deps):
            if problem.code != self.code:
                continue
            fix = None
            if problem.distribution is not None:
                edits = add_dependency_edits(deps, problem.distribution, _project_name(deps))
                if edits is not None:
                    fix = Fix(
                        edits,
                        Applicability.SAFE if problem.certain else Applicability.UNSAFE,
                        f"Add {problem.distribution} to [project].dependencies",
                    )
            severity = Severity.INFO if problem.severity == "info" else None
            yield self.diagnostic(path, site.line, site.column, problem.message, severity=severity, fix=fix)
