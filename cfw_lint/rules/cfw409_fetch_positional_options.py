"""CFW409: `workers.fetch(url, {...})`: the SDK's fetch options are keyword-only. Facts §1.6."""

from __future__ import annotations

import keyword as pykeyword
from typing import cast

import libcst as cst

from cfw_lint.analysis.ffi import (
    FFI_METADATA,
    assigned_value,
    enclosing_statement,
    has_comment,
    is_sdk,
    is_to_js,
    positional,
    replace_expression,
)
from cfw_lint.analysis.names import is_builtin
from cfw_lint.diagnostics import FixAvailability, Severity
from cfw_lint.rule import PythonRule
from cfw_lint.summary import ModuleSummary

_COMMA = cst.Comma(whitespace_after=cst.SimpleWhitespace(" "))


def _has_newline(ws: cst.BaseParenthesizableWhitespace) -> bool:
    return isinstance(ws, cst.ParenthesizedWhitespace)


def _keyword_args(options: cst.Dict, taken: set[str]) -> list[cst.Arg] | None:
    """The dict's entries as keyword arguments, or None when a key is not a plain identifier."""
    args: list[cst.Arg] = []
    seen = set(taken)
    for element in options.elements:
        if isinstance(element, cst.StarredDictElement):
            args.append(cst.Arg(value=element.value, star="**", comma=element.comma))
            continue
        key = cast(cst.DictElement, element).key  # BaseDictElement is DictElement or StarredDictElement
        if not isinstance(key, cst.SimpleString) or key.prefix.lower() not in ("", "r"):
            return None
        name = key.evaluated_value
        if not isinstance(name, str) or not name.isidentifier() or pykeyword.iskeyword(name) or name in seen:
            return None
        seen.add(name)
        args.append(
            cst.Arg(
                keyword=cst.Name(name),
                value=element.value,
                equal=cst.AssignEqual(
                    whitespace_before=cst.SimpleWhitespace(""), whitespace_after=cst.SimpleWhitespace("")
                ),
                comma=element.comma,
            )
        )
    return args


class FetchPositionalOptions(PythonRule):
    code = "CFW409"
    name = "fetch-positional-options"
    severity = Severity.ERROR
    fix = FixAvailability.SAFE
    summary = "`workers.fetch(url, {...})`: options are keyword-only (`fetch(url, method=..., headers=...)`)."
    METADATA_DEPENDENCIES = FFI_METADATA
    triggers = ("fetch",)
    # only files importing these can hold what the rule matches (see PythonRule.modules)
    modules = ("workers", "cloudflare")

    @classmethod
    def could_fire(cls, summary: ModuleSummary, text: str) -> bool:
        return summary.refers_to_sdk("fetch")

    def visit_Call(self, node: cst.Call) -> None:
        if not is_sdk(self, node.func, "fetch"):
            return
        if any(a.star == "*" for a in node.args):
            return  # *args: the count is unknown
        args = positional(node)
        if len(args) < 2:
            return
        message = (
            "the SDK's `fetch(resource, **options)` takes its options as keyword arguments: "
            f"`TypeError: fetch() takes 1 positional argument but {len(args)} were given`; "
            "write `fetch(url, method=..., headers=..., body=...)`"
        )
        fix = None
        if len(args) == 2 and node.args[1] is args[1]:
            fix = self._fix(node, args[1])
        self.report(args[1], message, fix=fix)

    def _options_dict(self, value: cst.BaseExpression) -> tuple[cst.BaseExpression, bool] | None:
        """(the Python dict expression to pass, whether it is a literal) or None."""
        if is_to_js(self, value):
            assert isinstance(value, cst.Call)
            inner = positional(value)
            if not inner or value.args[0] is not inner[0]:
                return None
            if any(a.keyword is None for a in value.args[1:]):
                return None
            value = inner[0].value
        if isinstance(value, cst.Dict):
            return value, True
        if isinstance(value, cst.Name):
            assigned = assigned_value(self, value)
            if isinstance(assigned, (cst.Dict, cst.DictComp)) or (
                isinstance(assigned, cst.Call)
                and isinstance(assigned.func, cst.Name)
                and assigned.func.value == "dict"
                and is_builtin(self, assigned.func, "dict")
            ):
                return value, False
        return None

    def _fix(self, node: cst.Call, options_arg: cst.Arg):
        found = self._options_dict(options_arg.value)
        if found is None:
            return None
        options, literal = found
        statement = enclosing_statement(self, node)
        taken = {a.keyword.value for a in node.args if a.keyword is not None}
        new_args = None
        if literal:
            assert isinstance(options, cst.Dict)
            new_args = _keyword_args(options, taken)
            if isinstance(options_arg.comma, cst.Comma) and has_comment(options.rbrace):
                new_args = None  # the comment before `}` would have nowhere to go
        if not new_args:
            # `**{...}` / `**opts`: the same mapping, passed as keywords
            new_args = [options_arg.with_changes(value=options, star="**")]
        elif isinstance(options_arg.comma, cst.Comma):
            new_args[-1] = new_args[-1].with_changes(comma=options_arg.comma)
        else:
            # the dict was the last argument: its closing line (and comments) close the call
            assert isinstance(options, cst.Dict)
            closing = options.rbrace.whitespace_before
            new_args[-1] = new_args[-1].with_changes(
                whitespace_after_arg=closing if _has_newline(closing) else options_arg.whitespace_after_arg
            )

        def apply(fx) -> None:  # type: ignore[no-untyped-def]
            before: list[cst.Arg] = []
            after: list[cst.Arg] = []
            target = before
            for arg in node.args:
                if arg is options_arg:
                    target = after
                    continue
                target.append(arg)
            first_ws = options.lbrace.whitespace_after if isinstance(options, cst.Dict) else None
            if (
                before
                and first_ws is not None
                and _has_newline(first_ws)
                and new_args[0].star == ""
                and isinstance(before[-1].comma, cst.Comma)
            ):
                before[-1] = before[-1].with_changes(comma=before[-1].comma.with_changes(whitespace_after=first_ws))
            if after and isinstance(new_args[-1].comma, cst.MaybeSentinel):
                new_args[-1] = new_args[-1].with_changes(comma=_COMMA)
            replace_expression(fx, statement, node, node.with_changes(args=[*before, *new_args, *after]))

        return apply
