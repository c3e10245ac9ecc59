from cfw_lint.diagnostics import Severity
from cfw_lint.rule import BuiltinRule


class SyntaxErrorRule(BuiltinRule):
    code = "CFW001"
    name = "syntax-error"
    severity = Severity.ERROR
    summary = "A Python file does not parse; reported with line and column, other files still linted."
