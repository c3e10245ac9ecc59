"""CFW413: a Python dict passed positionally to a raw JavaScript API, which receives a PyProxy. Facts §1.4, §6."""

from __future__ import annotations

import libcst as cst

from cfw_lint.analysis.ffi import (
    FFI_METADATA,
    assigned_value,
    is_builtin_call,
    is_mapping,
    object_from_entries,
    to_js_spelling,
)
from cfw_lint.analysis.jsvalues import binding_of
from cfw_lint.analysis.names import qualified_name
from cfw_lint.diagnostics import FixAvailability, Severity
from cfw_lint.rule import PythonRule
from cfw_lint.summary import ModuleSummary

# raw JS callables and the position of their options (init) argument
_OPTIONS_AT = {
    "js.fetch": 1,
    "js.Request.new": 1,
    "js.Response.new": 1,
}
# constructors whose init is a sequence of pairs or a record: a PyProxy of a dict is iterable, so
# it is taken as a sequence of its keys and each key (a string) is not a pair
_INIT_AT = {"js.Headers.new": 0, "js.URLSearchParams.new": 0}
# raw binding methods (KV, R2, Queues) and the position of their options argument
_BINDING_OPTIONS_AT = {
    "put": 2,
    "get": 1,
    "getWithMetadata": 1,
    "list": 0,
    "send": 1,
    "createMultipartUpload": 1,
}


def _nested_headers(rule, node: cst.BaseExpression) -> bool:  # type: ignore[no-untyped-def]
    """The options dict (a literal, `dict(...)`, or a local bound to one) has a dict under `headers`."""
    if isinstance(node, cst.Name):
        value = assigned_value(rule, node)
        return value is not None and _nested_headers(rule, value)
    if isinstance(node, cst.Dict):
        for element in node.elements:
            if (
                isinstance(element, cst.DictElement)
                and isinstance(element.key, cst.SimpleString)
                and element.key.evaluated_value == "headers"
                and is_mapping(rule, element.value)
            ):
                return True
        return False
    if is_builtin_call(rule, node, "dict"):
        assert isinstance(node, cst.Call)
        return any(
            a.keyword is not None and a.keyword.value == "headers" and is_mapping(rule, a.value) for a in node.args
        )
    return False


class PythonDictToRawJs(PythonRule):
    code = "CFW413"
    name = "python-dict-to-raw-js"
    severity = Severity.ERROR
    fix = FixAvailability.SAFE
    summary = (
        "A Python dict passed positionally to a raw JS API (`js.fetch`, `js.Response.new`, ...) arrives as a PyProxy."
    )
    profile_facts = ("python_version", "wrapped_bindings")
    METADATA_DEPENDENCIES = FFI_METADATA
    # a `js` import or use, or a binding reached through an env (`self.env.X`, `env.X`, `scope["env"]`)
    triggers = ("js.", "from js import", "import js\n", "import js ", "import js,", "env.", '"env"]', "'env']")

    @classmethod
    def could_fire(cls, summary: ModuleSummary, text: str) -> bool:
        # a raw JS API (`js.fetch`, `js.Headers.new`...), or a raw binding method reached from `env`
        return summary.refers_to((*_INIT_AT, *_OPTIONS_AT, "js.Object.assign")) or (
            summary.may_reach_binding() and not summary.attributes.isdisjoint(_BINDING_OPTIONS_AT)
        )

    def visit_Call(self, node: cst.Call) -> None:
        if any(a.star for a in node.args):
            return  # *args/**kwargs: positions unknown
        positional = [a for a in node.args if a.keyword is None]
        func = node.func
        last = (
            func.attr.value if isinstance(func, cst.Attribute) else func.value if isinstance(func, cst.Name) else None
        )
        # name resolution is the costly part: only for callees that can be one of ours
        origin = qualified_name(self, func) if last in ("fetch", "new", "assign") else None
        if origin in _INIT_AT:
            self._check(node, positional, _INIT_AT[origin], f"`{origin}()`", init=True)
        elif origin in _OPTIONS_AT:
            self._check(node, positional, _OPTIONS_AT[origin], f"`{origin}()`", init=False)
            self._keyword_headers(node, f"`{origin}()`")
        elif origin == "js.Object.assign":
            if self.profile.python < (3, 13):
                for index in range(1, len(positional)):
                    self._check(node, positional, index, "`js.Object.assign()`", init=False, fetch_like=False)
        elif isinstance(node.func, cst.Attribute) and node.func.attr.value in _BINDING_OPTIONS_AT:
            if self.profile.wrapped_bindings is not False or self.profile.python >= (3, 13):
                return
            binding = binding_of(self, node.func.value)
            if binding is not None:
                index = _BINDING_OPTIONS_AT[node.func.attr.value]
                self._check(
                    node,
                    positional,
                    index,
                    f"the raw binding method `{binding}.{node.func.attr.value}()`",
                    init=False,
                    fetch_like=False,
                )

    def _keyword_headers(self, call: cst.Call, callee: str) -> None:
        """`js.fetch(url, headers={...})`: Pyodide builds the options object from the keywords,
        but converts each value only shallowly, so the headers dict is a PyProxy."""
        for arg in call.args:
            if arg.keyword is not None and arg.keyword.value == "headers" and is_mapping(self, arg.value):
                message = (
                    f"{callee} gets its keyword arguments as one JS object, but the `headers` dict in "
                    "it stays a PyProxy that JavaScript iterates as a sequence of keys "
                    '(`TypeError: ... headers[0] ("...") is not iterable`); pass '
                    "`to_js(headers, dict_converter=Object.fromEntries)`"
                )
                self.report(arg.value, message, fix=self._fix(arg.value))

    def _check(
        self, call: cst.Call, positional: list[cst.Arg], index: int, callee: str, *, init: bool, fetch_like: bool = True
    ) -> None:
        if len(positional) <= index:
            return
        arg = positional[index]
        value = arg.value
        if not is_mapping(self, value):
            return
        if init:
            message = (
                f"{callee} receives this dict as a PyProxy, which JavaScript iterates as a sequence of "
                "its keys, so the constructor fails (`TypeError: ... is not iterable`); pass "
                "`to_js(d, dict_converter=Object.fromEntries)`"
            )
        elif self.profile.python < (3, 13):
            message = (
                f"{callee} receives this dict as a PyProxy, not an object: on Pyodide "
                f"{self.profile.pyodide_version} (Python {self.profile.python_version}) JavaScript reads its "
                "properties as Python attributes, so every option is undefined and silently ignored "
                "(a POST goes out as a GET, headers are missing); pass "
                "`to_js(d, dict_converter=Object.fromEntries)`"
                + (' or keyword arguments (`js.fetch(url, method="POST")`)' if fetch_like else "")
            )
        elif fetch_like and _nested_headers(self, value):
            message = (
                f"{callee} receives this dict as a PyProxy: its top-level keys are read, but the nested "
                "`headers` dict stays a PyProxy that JavaScript iterates as a sequence of keys "
                '(`TypeError: ... headers[0] ("...") is not iterable`); pass '
                "`to_js(d, dict_converter=Object.fromEntries)`, which converts nested dicts too"
            )
        else:
            return
        self.report(value, message, fix=self._fix(value))

    def _fix(self, value: cst.BaseExpression):  # type: ignore[no-untyped-def]
        converter = object_from_entries(self, value)
        to_js = to_js_spelling(self, value)
        if converter is None or to_js is None:
            return None

        def apply(fx) -> None:  # type: ignore[no-untyped-def]
            function = to_js(fx)
            entries = converter(fx)
            # two insertions around the dict: its own text (and layout) stays as written
            start, end = fx.span(value)
            fx.edit(start, start, f"{function}(")
            fx.edit(end, end, f", dict_converter={entries})")

        return apply
