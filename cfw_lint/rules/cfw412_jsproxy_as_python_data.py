"""CFW412: a JsProxy of JavaScript data used as a Python dict or list. Facts §1.4, §1.6, §6, §7, §11."""

from __future__ import annotations

from pathlib import PurePath

import libcst as cst
from libcst.metadata import ScopeProvider

from cfw_lint.analysis.ffi import FFI_METADATA, assigned_value, is_sdk, parent
from cfw_lint.analysis.frameworks import is_asgi_constructor
from cfw_lint.analysis.jsvalues import (
    MAPPING_LIKE,
    OBJECT,
    JsValue,
    held_js_value,
    is_string,
    js_value,
)
from cfw_lint.analysis.names import enclosing_functions, is_builtin, qualified_name
from cfw_lint.diagnostics import FixAvailability, Severity
from cfw_lint.rule import PythonRule
from cfw_lint.summary import ModuleSummary

_DICT_METHODS = ("get", "items", "keys", "values", "setdefault", "pop", "update")
_JSON_DUMPS = ("json.dumps", "json.dump")
_JSON_RESPONSES = (
    "fastapi.responses.JSONResponse",
    "starlette.responses.JSONResponse",
    "fastapi.responses.ORJSONResponse",
    "fastapi.responses.UJSONResponse",
)
_ROUTE_METHODS = ("get", "post", "put", "patch", "delete", "head", "options", "api_route", "route")
_PYDANTIC_BASES = ("pydantic.BaseModel", "pydantic.main.BaseModel")
# references of the holding name that still work once the value is a Python dict/list
_SAFE_ATTRS = frozenset(dir(dict)) | frozenset(dir(list))


def _is_test_file(path: str) -> bool:
    pure = PurePath(path)
    name = pure.name
    if name == "conftest.py" or name.startswith("test_") or name.endswith("_test.py"):
        return True
    return any(part in ("tests", "test") for part in pure.parts[:-1])


class JsProxyAsPythonData(PythonRule):
    code = "CFW412"
    name = "jsproxy-as-python-data"
    severity = Severity.ERROR
    fix = FixAvailability.UNSAFE
    summary = "A JsProxy of a JS object/array (js.fetch JSON, raw D1/KV/AI results) used as a Python dict or list."
    profile_facts = ("wrapped_bindings", "sdk_version")
    METADATA_DEPENDENCIES = FFI_METADATA
    # a `js` import or use, a binding reached through an env (`self.env.X`, `env.X`,
    # `scope["env"]`), queue messages, Durable Object SQL storage, a legacy `on_fetch`'s request
    triggers = (
        "js.", "from js import", "import js\n", "import js ", "import js,", "env.", '"env"]', "'env']", ".messages",
        "storage", "on_fetch",
    )  # fmt: skip

    @classmethod
    def could_fire(cls, summary: ModuleSummary, text: str) -> bool:
        return summary.may_hold_js_values()

    @classmethod
    def applies(cls, context) -> bool:  # type: ignore[no-untyped-def]
        return not _is_test_file(context.path)

    def __init__(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self._reported: set[int] = set()

    # -- uses ------------------------------------------------------------------------------
    def visit_Call(self, node: cst.Call) -> None:
        func = node.func
        if isinstance(func, cst.Attribute) and func.attr.value in _DICT_METHODS:
            value = self._mapping(func.value)
            if value is not None:
                self._report(
                    func.value,
                    value,
                    f"`.{func.attr.value}()` raises `AttributeError: {func.attr.value}`",
                    fix_ok=True,
                )
        for arg in node.args:
            if arg.star == "**":
                value = self._mapping(arg.value)
                if value is not None:
                    self._report(
                        arg.value,
                        value,
                        "`**` raises `TypeError: argument after ** must be a mapping, not JsProxy`",
                        fix_ok=True,
                    )
        if (
            isinstance(func, cst.Name)
            and is_builtin(self, func, "dict")
            and len(node.args) == 1
            and not node.args[0].star
        ):
            value = self._mapping(node.args[0].value)
            if value is not None:
                self._report(
                    node.args[0].value,
                    value,
                    "`dict()` raises `TypeError: 'pyodide.ffi.JsProxy' object is not iterable`",
                    fix_ok=True,
                )
            return
        last = (
            func.attr.value if isinstance(func, cst.Attribute) else func.value if isinstance(func, cst.Name) else None
        )
        # name resolution is the costly part: only for callees that can be one of ours
        origin = (
            qualified_name(self, func) if last in ("dumps", "dump") or (last or "").endswith("JSONResponse") else None
        )
        if origin in _JSON_DUMPS and node.args and not node.args[0].star and node.args[0].keyword is None:
            self._serialised(
                node.args[0].value, "`json.dumps()` raises `TypeError: Object of type JsProxy is not JSON serializable`"
            )
            return
        if origin in _JSON_RESPONSES:
            content = self._arg(node, 0, "content")
            if content is not None:
                self._serialised(
                    content,
                    "the JSON response cannot serialise it (`TypeError: Object of type JsProxy is not JSON serializable`)",
                )
            return
        if (
            isinstance(func, cst.Attribute)
            and func.attr.value in ("json", "from_json")
            and is_sdk(self, func.value, "Response")
        ):
            data = self._arg(node, 0, "data")
            if data is not None and js_value(self, data) is None:
                # a JsProxy on its own is handed to JS `Response.json`; inside a Python
                # container it goes through `json.dumps`
                self._serialised(
                    data,
                    "`Response.json()` serialises Python data with `json.dumps`, which raises `TypeError: Object of type JsProxy is not JSON serializable`",
                )
            return
        self._pydantic(node, func)

    def visit_Subscript(self, node: cst.Subscript) -> None:
        if len(node.slice) != 1 or not isinstance(node.slice[0].slice, cst.Index):
            return
        key = node.slice[0].slice.value
        if not is_string(key):
            return
        value = self._mapping(node.value)
        if value is not None:
            self._report(
                node.value,
                value,
                "a string subscript raises `TypeError: 'pyodide.ffi.JsProxy' object is not subscriptable`",
                fix_ok=True,
            )

    def visit_Comparison(self, node: cst.Comparison) -> None:
        for target in node.comparisons:
            if isinstance(target.operator, (cst.In, cst.NotIn)):
                value = js_value(self, target.comparator)
                if value is not None and not value.awaitable and value.kind == OBJECT:
                    self._report(
                        target.comparator,
                        value,
                        "`in` raises `TypeError: argument of type 'pyodide.ffi.JsProxy' is not iterable`",
                        fix_ok=True,
                    )

    def visit_Dict(self, node: cst.Dict) -> None:
        for element in node.elements:
            if isinstance(element, cst.StarredDictElement):
                value = self._mapping(element.value)
                if value is not None:
                    self._report(
                        element.value,
                        value,
                        "`{**x}` raises `TypeError: 'pyodide.ffi.JsProxy' object is not a mapping`",
                        fix_ok=True,
                    )

    def visit_Return(self, node: cst.Return) -> None:
        if node.value is None or not self._in_route(node):
            return
        self._serialised(
            node.value,
            "FastAPI cannot serialise it (`jsonable_encoder` fails with `ValueError`/`TypeError`)",
        )

    # -- helpers ---------------------------------------------------------------------------
    def _mapping(self, node: cst.BaseExpression) -> JsValue | None:
        value = js_value(self, node)
        if value is None or value.awaitable or value.kind not in MAPPING_LIKE:
            return None
        return value

    def _serialised(self, node: cst.BaseExpression, what: str) -> None:
        found = held_js_value(self, node)
        if found is None:
            return
        expr, value = found
        self._report(expr, value, what, fix_ok=expr is node and value.kind != "list")

    @staticmethod
    def _arg(call: cst.Call, index: int, keyword: str) -> cst.BaseExpression | None:
        positional = [a for a in call.args if a.keyword is None and not a.star]
        for arg in call.args:
            if arg.keyword is not None and arg.keyword.value == keyword:
                return arg.value
        if any(a.star for a in call.args[: index + 1]):
            return None
        return positional[index].value if len(positional) > index else None

    def _pydantic(self, node: cst.Call, func: cst.BaseExpression) -> None:
        model = func
        validate = False
        if isinstance(func, cst.Attribute) and func.attr.value in ("model_validate", "parse_obj", "validate"):
            model, validate = func.value, True
        if not isinstance(model, cst.Name) or not self._is_pydantic_model(model):
            return
        if validate:
            data = self._arg(node, 0, "obj")
            if data is not None:
                self._serialised(data, "pydantic cannot validate a JsProxy as a dict (`ValidationError`)")
            return
        for arg in node.args:
            if arg.keyword is not None:
                self._serialised(arg.value, "pydantic rejects a JsProxy for a dict/list field (`ValidationError`)")

    def _is_pydantic_model(self, name: cst.Name) -> bool:
        scope = self.get_metadata(ScopeProvider, name, None)
        if scope is None:
            return False
        try:
            assignments = list(scope[name.value])
        except Exception:  # noqa: BLE001
            return False
        if len(assignments) != 1:
            return False
        klass = getattr(assignments[0], "node", None)
        if not isinstance(klass, cst.ClassDef):
            return False
        return any(qualified_name(self, base.value) in _PYDANTIC_BASES for base in klass.bases)

    def _in_route(self, node: cst.CSTNode) -> bool:
        functions = enclosing_functions(self, node)
        if not functions or not isinstance(functions[0], cst.FunctionDef):
            return False
        for decorator in functions[0].decorators:
            call = decorator.decorator
            if not isinstance(call, cst.Call) or not isinstance(call.func, cst.Attribute):
                continue
            if call.func.attr.value not in _ROUTE_METHODS or not isinstance(call.func.value, cst.Name):
                continue
            app = assigned_value(self, call.func.value, module_level=True)
            if isinstance(app, cst.Call) and is_asgi_constructor(qualified_name(self, app.func)):
                origin = qualified_name(self, app.func) or ""
                return origin.startswith("fastapi.")
        return False

    def _report(self, node: cst.BaseExpression, value: JsValue, what: str, *, fix_ok: bool) -> None:
        if id(node) in self._reported:
            return
        self._reported.add(id(node))
        shown = self.module.code_for_node(node) if isinstance(node, cst.Name) else None
        subject = f"`{shown}`" if shown else "this value"
        kind = {
            "object": "a JavaScript object",
            "array": "a JavaScript array",
            "list": "a list of JavaScript objects",
            "data": "JavaScript data",
            "response": "a JavaScript object",
        }[value.kind]
        message = (
            f"{subject} is {kind} (a JsProxy; {value.origin}), not Python data: {what}; "
            "convert it with `.to_py()` where it is created, or read fields as attributes (`row.name`)"
        )
        fix = self._fix(value) if fix_ok else None
        self.report(node, message, fix=fix)

    # -- fix -------------------------------------------------------------------------------
    def _fix(self, value: JsValue):  # type: ignore[no-untyped-def]
        source = value.source
        if source is None or value.kind != OBJECT and value.kind != "array":
            return None
        if value.holder is not None and not self._holder_safe(value.holder):
            return None
        needs_parens = not isinstance(source, (cst.Call, cst.Name, cst.Attribute, cst.Subscript)) and not source.lpar
        base = source.with_changes(lpar=[cst.LeftParen()], rpar=[cst.RightParen()]) if needs_parens else source
        replacement = cst.Call(func=cst.Attribute(value=base, attr=cst.Name("to_py")))

        def apply(fx) -> None:  # type: ignore[no-untyped-def]
            fx.replace(source, replacement)

        return apply

    def _holder_safe(self, holder: cst.Name) -> bool:
        """Every use of the name still works once it holds a Python dict or list."""
        scope = self.get_metadata(ScopeProvider, holder, None)
        if scope is None:
            return False
        try:
            assignments = list(scope[holder.value])
        except Exception:  # noqa: BLE001
            return False
        if len(assignments) != 1:
            return False
        for access in assignments[0].references:
            up = parent(self, access.node)
            if isinstance(up, cst.Attribute) and up.value is access.node and up.attr.value not in _SAFE_ATTRS:
                return False
            if isinstance(up, cst.Arg):
                call = parent(self, up)
                callee = qualified_name(self, call.func) if isinstance(call, cst.Call) else None
                if callee is not None and callee.startswith("js."):
                    return False
        return True
