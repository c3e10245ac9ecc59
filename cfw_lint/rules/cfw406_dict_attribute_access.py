"""CFW406: attribute access on `await request.json()`, which is a Python dict. Facts §1.6 [DISAGREE]."""

from __future__ import annotations

import libcst as cst

from cfw_lint.analysis.ffi import FFI_METADATA, ancestors, is_request_json_value, parent
from cfw_lint.diagnostics import FixAvailability, Severity
from cfw_lint.rule import PythonRule
from cfw_lint.summary import ModuleSummary

# `json.loads` gives a dict or a list: their methods are fine
_CONTAINER_METHODS = frozenset(dir(dict)) | frozenset(dir(list))


class DictAttributeAccess(PythonRule):
    code = "CFW406"
    name = "dict-attribute-access"
    severity = Severity.ERROR
    fix = FixAvailability.SAFE
    summary = '`(await request.json()).name`: the SDK\'s `request.json()` returns a dict; use `["name"]`.'
    METADATA_DEPENDENCIES = FFI_METADATA
    triggers = (".json(",)
    # only files importing these can hold what the rule matches (see PythonRule.modules)
    modules = ("workers", "cloudflare")

    @classmethod
    def could_fire(cls, summary: ModuleSummary, text: str) -> bool:
        return summary.may_read_request_json()

    def visit_Attribute(self, node: cst.Attribute) -> None:
        attr = node.attr.value
        if attr in _CONTAINER_METHODS or attr == "to_py" or attr.startswith("__"):
            return
        if not is_request_json_value(self, node.value):
            return
        message = (
            f"`request.json()` on a `workers.Request` returns a Python dict (json.loads), so "
            f"`.{attr}` raises `AttributeError: 'dict' object has no attribute '{attr}'`; "
            f'use `["{attr}"]`'
        )
        holder = parent(self, node)
        called = isinstance(holder, cst.Call) and holder.func is node
        quote = self._quote(node)
        self.report(node, message, fix=None if called or quote is None else self._subscript(node, quote))

    def _quote(self, node: cst.Attribute) -> str | None:
        """A quote the key can use: not one an enclosing f-string is delimited by (before
        Python 3.12 that ends the f-string, and tests often run on the host's Python)."""
        used = set()
        for up in ancestors(self, node):
            if isinstance(up, cst.FormattedString):
                delimiter = up.quote
                if len(delimiter) == 1:
                    used.add(delimiter)
        for quote in ('"', "'"):
            if quote not in used:
                return quote
        return None

    @staticmethod
    def _subscript(node: cst.Attribute, quote: str):
        def apply(fx) -> None:  # type: ignore[no-untyped-def]
            fx.replace(
                node,
                cst.Subscript(
                    value=node.value,
                    slice=[cst.SubscriptElement(cst.Index(cst.SimpleString(f"{quote}{node.attr.value}{quote}")))],
                    lpar=node.lpar,
                    rpar=node.rpar,
                ),
            )

        return apply
