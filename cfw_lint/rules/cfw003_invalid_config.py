from cfw_lint.diagnostics import Severity
from cfw_lint.rule import BuiltinRule


class InvalidConfig(BuiltinRule):
    code = "CFW003"
    name = "invalid-config"
    severity = Severity.ERROR
    summary = "A wrangler, pyproject or lock file that does not parse; line and column of the error."
