from cfw_lint.diagnostics import Severity
from cfw_lint.rule import BuiltinRule


class AnalysisFailed(BuiltinRule):
    code = "CFW004"
    name = "analysis-failed"
    severity = Severity.ERROR
    summary = (
        "A Python file Python accepts but cfw-lint could not analyse (nested too deeply for its parser, "
        "a crash, the per-file time limit); other files are still linted."
    )
