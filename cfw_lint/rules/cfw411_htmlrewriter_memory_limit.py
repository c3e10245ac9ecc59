"""CFW411: HTMLRewriter in a module that builds or handles inline `data:` URLs. Facts §9.

HTMLRewriter itself is fine; it fails only on one token above its 3 MiB buffer, which in practice
is an inline `data:` URL (base64 images in generated HTML). So the rule speaks only where both
meet in one module: a rewriter is constructed and a `data:<type>/<subtype>` or `;base64,` string
is written.
"""

from __future__ import annotations

import re

import libcst as cst

from cfw_lint.analysis.names import NAME_METADATA, qualified_name
from cfw_lint.diagnostics import Severity
from cfw_lint.rule import PythonRule
from cfw_lint.summary import ModuleSummary

_DATA_URL = re.compile(r"data:[A-Za-z0-9.+-]+/[A-Za-z0-9.+-]+|;base64,")


class HtmlRewriterMemoryLimit(PythonRule):
    code = "CFW411"
    name = "htmlrewriter-memory-limit"
    severity = Severity.INFO
    summary = "HTMLRewriter over HTML with inline data: URLs fails on one token above 3 MiB."
    METADATA_DEPENDENCIES = NAME_METADATA
    triggers = ("HTMLRewriter",)
    # only files importing these can hold what the rule matches (see PythonRule.modules)
    modules = ("js",)

    @classmethod
    def could_fire(cls, summary: ModuleSummary, text: str) -> bool:
        # a rewriter and an inline data: URL in one module
        return summary.refers_to(("js.HTMLRewriter.new",)) and _DATA_URL.search(text) is not None

    def __init__(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self._rewriters: list[cst.Call] = []
        self._data_urls = False

    def visit_Call(self, node: cst.Call) -> None:
        if qualified_name(self, node.func) == "js.HTMLRewriter.new":
            self._rewriters.append(node)

    def visit_SimpleString(self, node: cst.SimpleString) -> None:
        if not self._data_urls and _DATA_URL.search(node.value):
            self._data_urls = True

    def visit_FormattedStringText(self, node: cst.FormattedStringText) -> None:
        if not self._data_urls and _DATA_URL.search(node.value):
            self._data_urls = True

    def leave_Module(self, original_node: cst.Module) -> None:
        if not self._data_urls:
            return
        for call in self._rewriters:
            self.report(
                call,
                "this module writes inline `data:` URLs and runs HTMLRewriter: the rewriter "
                "buffers each token whole with a 3 MiB limit, so one large inline image fails "
                "with `TypeError: Parser error: The memory limit has been exceeded.`; link "
                "large images by URL, or do not rewrite those responses",
            )
