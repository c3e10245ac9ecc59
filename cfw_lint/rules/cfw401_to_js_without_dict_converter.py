"""CFW401: `to_js(dict)` without `dict_converter` sent where a Map breaks. Facts §6, §1.7, §11 item 6.

What `to_js(dict)` builds depends on the Pyodide bundle: a plain `Map` on 3.12 (properties read as
undefined, JSON gives `{}`), a `LiteralMap` on 3.13 (reads and JSON work, structured clone throws
`DataCloneError`), a plain Object on 3.14 (nothing to report).
"""

from __future__ import annotations

import libcst as cst
from libcst.metadata import GlobalScope, ScopeProvider

from cfw_lint.analysis.ffi import (
    FFI_METADATA,
    TO_JS,
    binding_call_chain,
    contains_dict,
    has_star_kwargs,
    is_to_js,
    keyword,
    object_from_entries,
    parent,
    positional,
)
from cfw_lint.analysis.names import qualified_name
from cfw_lint.diagnostics import FixAvailability, Severity
from cfw_lint.fixes import FixUnavailable
from cfw_lint.rule import PythonRule
from cfw_lint.summary import ModuleSummary

# methods of KV, R2, D1, Queue, AI, Vectorize, Analytics Engine and rate-limit bindings: raw
# JsProxy objects unless workers-runtime-sdk >= 1.3 wraps them (service, Durable Object and
# Workflow bindings are wrapped by every SDK, so they are not here)
_RAW_BINDING_METHODS = frozenset(
    {
        "put", "get", "getWithMetadata", "list", "delete", "head", "createMultipartUpload",
        "send", "sendBatch", "prepare", "batch", "exec", "run", "insert", "upsert", "query",
        "getByIds", "writeDataPoint", "limit",
    }
)  # fmt: skip


# JS APIs that structured-clone their argument: a 3.13 LiteralMap fails there
_CLONES = frozenset({"js.structuredClone"})

# service-binding / Durable Object stub calls that are not RPC methods
_NOT_RPC = frozenset({"fetch", "connect"})

# JS APIs that take any iterable of [key, value] pairs, which a Map is, structuredClone (a plain
# Map clones), and the console, where a Map is only displayed: a Map is fine there (3.12)
_MAP_IS_FINE = frozenset(
    {
        "js.Headers.new", "js.URLSearchParams.new", "js.Map.new", "js.Object.fromEntries",
        "js.Object.entries", "js.structuredClone",
    }
)  # fmt: skip


class ToJsWithoutDictConverter(PythonRule):
    code = "CFW401"
    name = "to-js-without-dict-converter"
    severity = Severity.WARNING
    fix = FixAvailability.SAFE
    summary = (
        "`to_js(dict)` without `dict_converter=Object.fromEntries`: a Map (3.12) or a clone-hostile LiteralMap (3.13)."
    )
    profile_facts = ("python_version", "wrapped_bindings")
    METADATA_DEPENDENCIES = FFI_METADATA
    triggers = ("to_js",)
    # only files importing these can hold what the rule matches (see PythonRule.modules)
    modules = ("pyodide",)

    @classmethod
    def could_fire(cls, summary: ModuleSummary, text: str) -> bool:
        return summary.refers_to((TO_JS,))

    @classmethod
    def applies(cls, context) -> bool:  # type: ignore[no-untyped-def]
        return context.profile.python < (3, 14)  # to_js(dict) is a plain Object there (facts §6)

    def visit_Call(self, node: cst.Call) -> None:
        if not is_to_js(self, node):
            return
        if keyword(node, "dict_converter") is not None or has_star_kwargs(node):
            return
        args = positional(node)
        if not args or node.args[0] is not args[0] or not contains_dict(self, args[0].value):
            return
        destination = self._destination(node)
        if destination is None:
            return
        if self._literal_map:
            message = (
                "`to_js()` turns a Python dict into a `LiteralMap` (a JS Map) on the Python 3.13 "
                f"runtime, and {destination} structured-clones it: `DataCloneError: [object Map] could "
                "not be cloned.`; pass `dict_converter=Object.fromEntries` (`from js import Object`)"
            )
        else:
            message = (
                "`to_js()` turns a Python dict into a JS `Map` on the Python 3.12 runtime, so "
                f"{destination} receives a Map instead of an object (its properties read as "
                "undefined, `JSON.stringify` gives `{}`); pass `dict_converter=Object.fromEntries` "
                "(`from js import Object`)"
            )
        self.report(node, message, fix=self._fix(node))

    # -- where the converted value goes ------------------------------------------------------
    def _destination(self, node: cst.Call) -> str | None:
        holder = parent(self, node)
        if isinstance(holder, cst.Arg):
            call = parent(self, holder)
            if isinstance(call, cst.Call):
                return self._raw_callee(call)
            return None
        if isinstance(holder, cst.AssignTarget):
            return None
        # `opts = to_js({...})` then `js.fetch(url, opts)`
        if isinstance(holder, cst.Assign) and len(holder.targets) == 1:
            target = holder.targets[0].target
            if isinstance(target, cst.Name):
                return self._raw_use_of(target)
        return None

    def _raw_use_of(self, target: cst.Name) -> str | None:
        scope = self.get_metadata(ScopeProvider, target, None)
        if scope is None or isinstance(scope, GlobalScope):
            return None
        assignments = list(scope.assignments[target.value])
        if len(assignments) != 1:
            return None
        for access in assignments[0].references:
            arg = parent(self, access.node)
            if isinstance(arg, cst.Arg):
                call = parent(self, arg)
                if isinstance(call, cst.Call):
                    found = self._raw_callee(call)
                    if found:
                        return found
        return None

    @property
    def _literal_map(self) -> bool:
        return self.profile.python >= (3, 13)

    def _raw_callee(self, call: cst.Call) -> str | None:
        origin = qualified_name(self, call.func)
        if origin is not None and origin.startswith("js."):
            if self._literal_map:
                return f"`{origin}`" if origin in _CLONES else None
            if origin in _MAP_IS_FINE or origin.startswith("js.console."):
                return None
            return f"`{origin}`"
        if self._literal_map:
            return self._clone_destination(call)
        chain = binding_call_chain(call)
        if chain is None or not chain[1]:
            return None
        binding, methods = chain
        raw = methods[0] in _RAW_BINDING_METHODS and (len(methods) == 1 or methods[0] == "prepare")
        if raw:
            # a to_js result is already a JsProxy: even a wrapping SDK passes it on as it is (§1.7)
            return f"the binding `self.env.{binding}`"
        return None

    @staticmethod
    def _clone_destination(call: cst.Call) -> str | None:
        """Calls whose arguments are structured-cloned: Durable Object storage, RPC."""
        func = call.func
        if (
            isinstance(func, cst.Attribute)
            and func.attr.value == "put"
            and isinstance(func.value, cst.Attribute)
            and func.value.attr.value == "storage"
        ):
            return "Durable Object storage (`storage.put`)"
        chain = binding_call_chain(call)
        if chain is None or not chain[1]:
            return None
        binding, methods = chain
        method = methods[-1]
        if method in _NOT_RPC:
            return None
        if len(methods) == 1 and method not in _RAW_BINDING_METHODS:
            return f"the RPC call `self.env.{binding}.{method}()`"
        if len(methods) == 2 and methods[0] in ("get", "getByName"):
            return f"the Durable Object RPC call `.{method}()`"
        return None

    # -- fix -----------------------------------------------------------------------------------
    def _converter(self, node: cst.Call):
        """How to spell Object.fromEntries here: a callable taking the FixBuilder, or None."""
        return object_from_entries(self, node)

    def _fix(self, node: cst.Call):
        converter = self._converter(node)
        if converter is None:
            return None
        last = node.args[-1]

        def apply(fx) -> None:  # type: ignore[no-untyped-def]
            value = f"dict_converter={converter(fx)}"
            text = fx.text
            _, value_end = fx.span(last.value)
            if not isinstance(last.comma, cst.Comma):
                fx.edit(value_end, value_end, f", {value}")
                return
            _, call_end = fx.tight_span(node)
            close = text.rfind(")", value_end, call_end)
            comma = text.find(",", value_end, close)
            if close < 0 or comma < 0:
                raise FixUnavailable("could not place the new argument")
            line_start = text.rfind("\n", 0, close) + 1
            if "\n" in text[comma:close] and text[line_start:close].strip() == "":
                # one argument per line, closing bracket on its own line: add a line
                arg_start, _ = fx.tight_span(last)
                arg_line = text.rfind("\n", 0, arg_start) + 1
                indent = text[arg_line:arg_start]
                indent = indent[: len(indent) - len(indent.lstrip())]
                fx.edit(line_start, line_start, f"{indent}{value},{fx.module.default_newline}")
            else:
                fx.edit(comma + 1, comma + 1, f" {value},")

        return apply
