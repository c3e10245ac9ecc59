from cfw_lint.diagnostics import FixAvailability, Severity
from cfw_lint.rule import BuiltinRule


class UnusedNoqa(BuiltinRule):
    """Reported by the runner (cfw_lint/unused_noqa.py) once every other check has run."""

    code = "CFW005"
    name = "unused-noqa"
    severity = Severity.WARNING
    fix = FixAvailability.SAFE
    summary = "A `# noqa` naming cfw-lint codes that suppress nothing, are unknown or are not enabled (ruff's RUF100)."
