from cfw_lint.diagnostics import Severity
from cfw_lint.rule import BuiltinRule


class UnreadableFile(BuiltinRule):
    code = "CFW002"
    name = "unreadable-file"
    severity = Severity.ERROR
    summary = "A file that cannot be decoded (PEP 263 cookie, BOM) or read, or is not a regular file."
