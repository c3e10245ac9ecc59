"""Following JavaScript values (JsProxy) through a function (CFW412, facts §1.4, §6, §11 items 9-10).

`js_value(rule, expr)` says whether `expr` certainly holds a JsProxy of JavaScript data, and what
kind: a JS object of data (`await (await js.fetch(url)).json()`, a D1 row), a JS array of them, a
Python list of JsProxy elements, or JSON data of unknown shape (a field read off such an object).
It follows names assigned once (or just before the use), `await`, `for x in ...`, comprehension
targets, integer indexing, attribute reads and the return values of the module's own functions.
Anything else (a parameter, `.to_py()`, `as_object_map()`, a call into another module) is "not
known" and rules stay silent. Rules using it list `FFI_METADATA` (`cfw_lint.analysis.ffi`).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import libcst as cst
from libcst.metadata import ClassScope, FunctionScope, GlobalScope, ScopeProvider

from cfw_lint.analysis.ffi import assigned_value, is_sdk, parameter_of, parent
from cfw_lint.analysis.names import is_builtin, is_self_attribute, qualified_name

# kinds of value
OBJECT = "object"  # a JS object holding data (JSON object, D1 row or result, AI output...)
ARRAY = "array"  # a JS array
ROWS = "list"  # a Python list whose elements are JsProxy values (`list(js_array)`)
DATA = "data"  # a JSON value read off JS data: object, array or primitive, not known which
RESPONSE = "response"  # a JS Request/Response: its `.json()` gives an object
CURSOR = "cursor"  # a Durable Object SQL cursor: iterating it gives row objects

CONTAINERS = (OBJECT, ARRAY, ROWS)  # certainly not a Python dict/list nor a primitive
MAPPING_LIKE = (OBJECT, DATA)  # JS data that may be an object read as a dict

_MAX_DEPTH = 16


@dataclass(frozen=True)
class JsValue:
    kind: str
    origin: str  # for messages: where the value comes from
    element: str | None = None  # the kind of an array's or list's elements
    awaitable: bool = False  # a JS Promise of the value (await it first)
    # the expression whose result this value is, unchanged, when `.to_py()` appended there
    # would convert it (None after attribute reads, indexing, loops, helper calls)
    source: cst.BaseExpression | None = None
    # the name that holds it, when the value reached the use through one plain assignment
    holder: cst.Name | None = None


# JS globals whose result is JS data
_JS_DATA_CALLS = {
    "js.JSON.parse": (OBJECT, None),
    "js.Object.fromEntries": (OBJECT, None),
    "js.Object.assign": (OBJECT, None),
    "js.Object.create": (OBJECT, None),
    "js.Object.entries": (ARRAY, ARRAY),
    "js.Object.values": (ARRAY, DATA),
    "js.Array.from_": (ARRAY, DATA),
    "js.Array.of": (ARRAY, DATA),
    "js.structuredClone": (OBJECT, None),
}
_JS_HTTP = {"js.Response.new", "js.Request.new", "js.Response.json"}


def _value(kind: str, origin: str, **kw) -> JsValue:  # type: ignore[no-untyped-def]
    return JsValue(kind=kind, origin=origin, **kw)


def js_value(rule, node: cst.CSTNode | None, depth: int = 0) -> JsValue | None:  # type: ignore[no-untyped-def]
    """What JS value `node` certainly holds, or None when not certain."""
    if node is None or depth > _MAX_DEPTH:
        return None
    if isinstance(node, cst.NamedExpr):
        return js_value(rule, node.value, depth + 1)
    if isinstance(node, cst.Await):
        inner = js_value(rule, node.expression, depth + 1)
        if inner is None or not inner.awaitable:
            return None
        return replace(inner, awaitable=False, source=node, holder=None)
    if isinstance(node, cst.Call):
        return _call_value(rule, node, depth)
    if isinstance(node, cst.Attribute):
        return _attribute_value(rule, node, depth)
    if isinstance(node, cst.Subscript):
        return _index_value(rule, node, depth)
    if isinstance(node, cst.Name):
        return _name_value(rule, node, depth)
    return None


# -- calls ---------------------------------------------------------------------------------


def _call_value(rule, node: cst.Call, depth: int) -> JsValue | None:  # type: ignore[no-untyped-def]
    func = node.func
    origin = qualified_name(rule, func)
    if origin is not None and origin.startswith("js."):
        if origin == "js.fetch":
            return _value(RESPONSE, "`js.fetch(...)`", awaitable=True)
        if origin in _JS_HTTP:
            return _value(RESPONSE, f"`{origin}(...)`")
        if origin in _JS_DATA_CALLS:
            kind, element = _JS_DATA_CALLS[origin]
            return _value(kind, f"`{origin}(...)`", element=element, source=node)
        return None
    if isinstance(func, cst.Name) and is_builtin(rule, func, "list") and len(node.args) == 1 and not node.args[0].star:
        inner = js_value(rule, node.args[0].value, depth + 1)
        if (
            inner is not None
            and inner.kind in (ARRAY, ROWS, CURSOR)
            and not inner.awaitable
            and inner.element is not None
        ):
            return _value(ROWS, f"`list()` of {inner.origin}", element=inner.element)
        return None
    if isinstance(func, cst.Attribute):
        method = func.attr.value
        if method == "json" and not node.args:
            receiver = func.value
            if isinstance(receiver, cst.Attribute) and receiver.attr.value == "js_object":
                return _value(OBJECT, "the JS Request/Response's `.json()` (via `.js_object`)", awaitable=True)
            if isinstance(receiver, cst.Name) and _raw_legacy_request(rule, receiver):
                return _value(
                    OBJECT, "the `.json()` of the raw JS request a legacy `on_fetch` receives", awaitable=True
                )
            inner = js_value(rule, receiver, depth + 1)
            if inner is not None and inner.kind == RESPONSE and not inner.awaitable:
                return _value(OBJECT, f"the `.json()` of {inner.origin}", awaitable=True)
            return None
        found = binding_result(rule, node) or _sql_result(rule, node)
        if found is not None:
            return found
    helper = _helper_function(rule, func)
    if helper is not None:
        return _returned_value(rule, helper, depth)
    return None


def _raw_legacy_request(rule, name: cst.Name) -> bool:  # type: ignore[no-untyped-def]
    """The request parameter of a module-level `on_fetch` without `@handler`, under legacy
    handlers: the runtime passes the JS Request itself (facts §1.5)."""
    if not rule.profile.legacy_handlers:
        return False
    found = parameter_of(rule, name)
    if found is None:
        return False
    param, func = found
    params = list(func.params.params)
    return (
        func.name.value == "on_fetch"
        and rule.model.is_legacy_handler(func)
        and bool(params)
        and params[0] is param
        and not any(is_sdk(rule, d.decorator, "handler") for d in func.decorators)
    )


def _helper_function(rule, func: cst.BaseExpression) -> cst.FunctionDef | None:  # type: ignore[no-untyped-def]
    """The module's own function that `func` certainly calls: a module-level `def` bound once,
    or `self.name` for a method of the class around the call."""
    if isinstance(func, cst.Name):
        scope = rule.get_metadata(ScopeProvider, func, None)
        if scope is None:
            return None
        try:
            assignments = list(scope[func.value])
        except Exception:  # noqa: BLE001 - LibCST raises on names it cannot look up
            return None
        if len(assignments) != 1:
            return None
        node = getattr(assignments[0], "node", None)
        if isinstance(node, cst.FunctionDef) and isinstance(assignments[0].scope, GlobalScope):
            return node
        return None
    if isinstance(func, cst.Attribute) and isinstance(func.value, cst.Name) and func.value.value == "self":
        found = parameter_of(rule, func.value)
        if found is None:
            return None
        _, method = found
        holder = parent(rule, method)
        klass = parent(rule, holder) if holder is not None else None
        if not isinstance(klass, cst.ClassDef) or not isinstance(klass.body, cst.IndentedBlock):
            return None
        matches = [
            item for item in klass.body.body if isinstance(item, cst.FunctionDef) and item.name.value == func.attr.value
        ]
        if len(matches) == 1 and not any(
            isinstance(d.decorator, cst.Name) and d.decorator.value in ("staticmethod", "classmethod", "property")
            for d in matches[0].decorators
        ):
            return matches[0]
    return None


class _Returns(cst.CSTVisitor):
    def __init__(self) -> None:
        self.values: list[cst.BaseExpression | None] = []

    def visit_Return(self, node: cst.Return) -> None:
        self.values.append(node.value)

    def visit_FunctionDef(self, node: cst.FunctionDef) -> bool:
        return False

    def visit_Lambda(self, node: cst.Lambda) -> bool:
        return False

    def visit_ClassDef(self, node: cst.ClassDef) -> bool:
        return False


def _returned_value(rule, func: cst.FunctionDef, depth: int) -> JsValue | None:  # type: ignore[no-untyped-def]
    """What calling the module's own `func` gives, when every value it returns is JS data of
    one kind (a bare `return`/`return None` aside)."""
    returns = _Returns()
    func.body.visit(returns)
    found: list[JsValue] = []
    for value in returns.values:
        if value is None or (isinstance(value, cst.Name) and value.value == "None"):
            continue
        result = js_value(rule, value, depth + 2)
        if result is None or result.awaitable:
            return None
        found.append(result)
    if not found or len({(v.kind, v.element) for v in found}) != 1:
        return None
    first = found[0]
    return JsValue(
        kind=first.kind,
        origin=f"`{func.name.value}()`, which returns {first.origin}",
        element=first.element,
        awaitable=func.asynchronous is not None,
    )


# -- bindings ------------------------------------------------------------------------------


def _is_env(rule, node: cst.BaseExpression) -> bool:  # type: ignore[no-untyped-def]
    """`self.env`, an `env` parameter, `from workers import env`, or `request.scope["env"]`."""
    if isinstance(node, cst.Attribute):
        return is_self_attribute(node, "env")
    if isinstance(node, cst.Name):
        if node.value == "env":
            if qualified_name(rule, node) in ("workers.env", "cloudflare.workers.env"):
                return True
            if parameter_of(rule, node) is not None:
                return True
        # `env = self.env`, `env = request.scope["env"]`
        value = assigned_value(rule, node)
        return value is not None and not isinstance(value, cst.Name) and _is_env(rule, value)
    if isinstance(node, cst.Subscript) and len(node.slice) == 1:
        index = node.slice[0].slice
        return (
            isinstance(index, cst.Index)
            and isinstance(index.value, cst.SimpleString)
            and index.value.evaluated_value == "env"
            and isinstance(node.value, cst.Attribute)
            and node.value.attr.value == "scope"
        )
    return False


def binding_of(rule, node: cst.BaseExpression) -> str | None:  # type: ignore[no-untyped-def]
    """The binding name when `node` is `<env>.NAME` or a local name assigned one once."""
    if isinstance(node, cst.Name):
        value = assigned_value(rule, node)
        if value is None or not isinstance(value, cst.Attribute):
            return None
        node = value
    if isinstance(node, cst.Attribute) and _is_env(rule, node.value):
        return node.attr.value
    return None


def _json_type(call: cst.Call) -> bool:
    """KV `get(key, "json")`, `get(key, type="json")`, `get(key, {"type": "json"})`."""
    for i, arg in enumerate(call.args):
        value = arg.value
        positional_json = arg.keyword is None and i == 1
        if (
            isinstance(value, cst.SimpleString)
            and value.evaluated_value == "json"
            and (positional_json or (arg.keyword is not None and arg.keyword.value == "type"))
        ):
            return True
        if isinstance(value, cst.Dict) and arg.keyword is None and i == 1:
            for element in value.elements:
                if (
                    isinstance(element, cst.DictElement)
                    and isinstance(element.key, cst.SimpleString)
                    and element.key.evaluated_value == "type"
                    and isinstance(element.value, cst.SimpleString)
                    and element.value.evaluated_value == "json"
                ):
                    return True
    return False


def binding_result(rule, node: cst.Call) -> JsValue | None:  # type: ignore[no-untyped-def]
    """The awaitable JS result of a raw binding call (D1, KV json, AI, Vectorize), only where
    the SDK in use leaves bindings unwrapped (facts §1.4)."""
    if rule.profile.wrapped_bindings is not False:
        return None
    calls: list[tuple[str, cst.Call]] = []
    current: cst.BaseExpression = node
    while isinstance(current, cst.Call) and isinstance(current.func, cst.Attribute):
        calls.append((current.func.attr.value, current))
        current = current.func.value
    calls.reverse()
    if not calls:
        return None
    binding = binding_of(rule, current)
    methods = [m for m, _ in calls]
    if binding is None and isinstance(current, cst.Name):
        # `stmt = env.DB.prepare(sql)`, `if args: stmt = stmt.bind(*args)`, `await stmt.all()`
        binding = _statement_binding(rule, current)
        methods = ["prepare", *methods]
    if binding is None:
        return None
    last_call = calls[-1][1]
    where = f"`{binding}.{'(...).'.join(methods)}(...)`"
    if methods[0] == "prepare" and all(m == "bind" for m in methods[1:-1]) and len(methods) >= 2:
        if methods[-1] in ("all", "run"):
            return _value(OBJECT, f"the D1 result of {where}", awaitable=True, element="d1")
        if methods[-1] == "first" and not last_call.args:
            return _value(OBJECT, f"the D1 row of {where}", awaitable=True)
        return None
    if len(methods) != 1:
        return None
    method = methods[0]
    if method == "batch":
        return _value(ARRAY, f"the D1 results of {where}", awaitable=True, element="d1")
    if method == "get" and _json_type(last_call):
        return _value(OBJECT, f"the KV value of {where}", awaitable=True)
    if method in ("getWithMetadata", "list", "exec", "insert", "upsert", "query", "describe", "deleteByIds"):
        return _value(OBJECT, f"the result of {where}", awaitable=True)
    if method == "run" and last_call.args:
        return _value(OBJECT, f"the AI result of {where}", awaitable=True)
    if method == "getByIds":
        return _value(ARRAY, f"the vectors of {where}", awaitable=True, element=OBJECT)
    return None


def _statement_binding(rule, name: cst.Name) -> str | None:  # type: ignore[no-untyped-def]
    """The D1 binding when every assignment of `name` in its function is a prepared statement:
    `<binding>.prepare(...)[.bind(...)]`, or `name.bind(...)` of itself."""
    scope = rule.get_metadata(ScopeProvider, name, None)
    if scope is None:
        return None
    try:
        assignments = list(scope[name.value])
    except Exception:  # noqa: BLE001
        return None
    binding = None
    for assignment in assignments:
        if not isinstance(assignment.scope, FunctionScope):
            return None
        target = getattr(assignment, "node", None)
        holder = parent(rule, target) if isinstance(target, cst.Name) else None
        statement = parent(rule, holder) if isinstance(holder, cst.AssignTarget) else None
        if not isinstance(statement, cst.Assign) or len(statement.targets) != 1:
            return None
        methods: list[str] = []
        current: cst.BaseExpression = statement.value
        while isinstance(current, cst.Call) and isinstance(current.func, cst.Attribute):
            methods.append(current.func.attr.value)
            current = current.func.value
        methods.reverse()
        if isinstance(current, cst.Name) and current.value == name.value and methods and set(methods) == {"bind"}:
            continue
        found = binding_of(rule, current)
        if found is None or not methods or methods[0] != "prepare" or set(methods[1:]) - {"bind"}:
            return None
        binding = found
    return binding


# -- Durable Object SQL storage ---------------------------------------------------------------


def _sql_result(rule, node: cst.Call) -> JsValue | None:  # type: ignore[no-untyped-def]
    """`<ctx>.storage.sql.exec(...)` (a cursor of row objects), its `.one()` and `.toArray()`,
    only where the runtime's own SDK is in use (the external SDK wraps the DO context)."""
    profile = rule.profile
    if profile.sdk_version is not None or profile.wrapped_bindings is not False:
        return None
    func = node.func
    assert isinstance(func, cst.Attribute)
    method = func.attr.value
    if method == "exec" and _is_sql_storage(rule, func.value):
        return _value(CURSOR, "the rows of a Durable Object `sql.exec(...)` cursor", element=OBJECT)
    if method in ("one", "toArray") and not node.args:
        inner = js_value(rule, func.value)
        if inner is not None and inner.kind == CURSOR:
            if method == "one":
                return _value(OBJECT, "the row of a Durable Object `sql.exec(...).one()`", source=node)
            return _value(ARRAY, "the rows of a Durable Object `sql.exec(...).toArray()`", element=OBJECT, source=node)
    return None


def _is_sql_storage(rule, node: cst.BaseExpression, depth: int = 0) -> bool:  # type: ignore[no-untyped-def]
    """`ctx.storage.sql` of a Durable Object (`self.ctx`, the `ctx` parameter of `__init__`), or a
    local name or `self` attribute (set once in `__init__`) holding it."""
    if depth > 4:
        return False
    if isinstance(node, cst.Attribute) and node.attr.value == "sql" and _is_storage(rule, node.value, depth + 1):
        return True
    value = _held(rule, node)
    return value is not None and _is_sql_storage(rule, value, depth + 1)


def _is_storage(rule, node: cst.BaseExpression, depth: int) -> bool:  # type: ignore[no-untyped-def]
    if depth > 4:
        return False
    if isinstance(node, cst.Attribute) and node.attr.value == "storage" and not is_self_attribute(node):
        ctx = node.value
        if is_self_attribute(ctx, "ctx"):
            return _in_durable_object(rule, ctx)
        if isinstance(ctx, cst.Name):
            found = parameter_of(rule, ctx)
            if found is not None:
                param, func = found
                params = list(func.params.params)
                return (
                    func.name.value == "__init__"
                    and len(params) >= 2
                    and params[1] is param
                    and _in_durable_object(rule, ctx)
                )
        return False
    value = _held(rule, node)
    return value is not None and _is_storage(rule, value, depth + 1)


def _held(rule, node: cst.BaseExpression) -> cst.BaseExpression | None:  # type: ignore[no-untyped-def]
    """The value a local name holds, or a `self.attr` assigned exactly once in the class, in `__init__`."""
    if isinstance(node, cst.Name):
        return assigned_value(rule, node)
    if not is_self_attribute(node):
        return None
    assert isinstance(node, cst.Attribute)
    klass = _enclosing_class(rule, node)
    if klass is None:
        return None
    values = []
    for item in klass.body.body:
        if not isinstance(item, cst.FunctionDef):
            continue
        for statement in _simple_statements(item):
            for small in statement.body:
                if isinstance(small, (cst.Assign, cst.AugAssign, cst.AnnAssign)):
                    targets = [t.target for t in small.targets] if isinstance(small, cst.Assign) else [small.target]
                    for target in targets:
                        if is_self_attribute(target, node.attr.value):
                            values.append((item, small))
    if len(values) != 1:
        return None
    method, small = values[0]
    if method.name.value != "__init__" or not isinstance(small, cst.Assign) or len(small.targets) != 1:
        return None
    return small.value


def _simple_statements(func: cst.FunctionDef):  # type: ignore[no-untyped-def]
    class Collect(cst.CSTVisitor):
        def __init__(self) -> None:
            self.found: list[cst.SimpleStatementLine] = []

        def visit_SimpleStatementLine(self, node: cst.SimpleStatementLine) -> None:
            self.found.append(node)

        def visit_FunctionDef(self, node: cst.FunctionDef) -> bool:
            return node is func

    collect = Collect()
    func.visit(collect)
    return collect.found


def _enclosing_class(rule, node: cst.CSTNode) -> cst.ClassDef | None:  # type: ignore[no-untyped-def]
    current = parent(rule, node)
    while current is not None and not isinstance(current, cst.ClassDef):
        current = parent(rule, current)
    if current is None or not isinstance(current.body, cst.IndentedBlock):
        return None
    return current


def _in_durable_object(rule, node: cst.CSTNode) -> bool:  # type: ignore[no-untyped-def]
    klass = _enclosing_class(rule, node)
    entry = rule.model.entrypoints.get(klass) if klass is not None else None
    return entry is not None and entry.kind == "DurableObject"


# -- attribute reads and indexing ----------------------------------------------------------


def _attribute_value(rule, node: cst.Attribute, depth: int) -> JsValue | None:  # type: ignore[no-untyped-def]
    queue_body = _queue_body(rule, node)
    if queue_body is not None:
        return queue_body
    inner = js_value(rule, node.value, depth + 1)
    if inner is None or inner.awaitable or inner.kind not in MAPPING_LIKE:
        return None
    if inner.element == "d1" and node.attr.value == "results":
        return _value(ARRAY, f"the rows (`.results`) of {inner.origin}", element=OBJECT)
    return _value(DATA, f"a field of {inner.origin}")


def _index_value(rule, node: cst.Subscript, depth: int) -> JsValue | None:  # type: ignore[no-untyped-def]
    if len(node.slice) != 1 or not isinstance(node.slice[0].slice, cst.Index):
        return None
    key = node.slice[0].slice.value
    if is_string(key):
        return None  # a string key on JS data is itself the mistake; not followed further
    inner = js_value(rule, node.value, depth + 1)
    if inner is None or inner.awaitable:
        return None
    return _element(inner)


def _element(inner: JsValue) -> JsValue | None:
    if inner.kind in (ARRAY, ROWS, CURSOR) and inner.element is not None:
        if inner.element == "d1":
            return _value(OBJECT, f"a D1 result in {inner.origin}", element="d1")
        if inner.element == ARRAY:
            return _value(ARRAY, f"an element of {inner.origin}", element=DATA)
        return _value(inner.element, f"an element of {inner.origin}")
    if inner.kind == DATA:
        return _value(DATA, f"an element of {inner.origin}")
    return None


def is_string(node: cst.BaseExpression) -> bool:
    return isinstance(node, (cst.SimpleString, cst.ConcatenatedString, cst.FormattedString))


# -- names ---------------------------------------------------------------------------------


def _name_value(rule, node: cst.Name, depth: int) -> JsValue | None:  # type: ignore[no-untyped-def]
    value = assigned_value(rule, node)
    if value is not None:
        found = js_value(rule, value, depth + 1)
        if found is None:
            return None
        single = _single_binding(rule, node)
        return (
            replace(found, holder=single)
            if found.source is not None and single is not None
            else replace(found, source=None)
        )
    iterable = loop_iterable(rule, node)
    if iterable is not None:
        inner = js_value(rule, iterable, depth + 1)
        if inner is None or inner.awaitable:
            return None
        return _element(inner)
    return None


def _single_binding(rule, node: cst.Name) -> cst.Name | None:  # type: ignore[no-untyped-def]
    """The target of the only assignment of `node`'s name in its function."""
    scope = rule.get_metadata(ScopeProvider, node, None)
    if scope is None:
        return None
    try:
        assignments = list(scope[node.value])
    except Exception:  # noqa: BLE001
        return None
    if len(assignments) != 1 or not isinstance(assignments[0].scope, FunctionScope):
        return None
    target = getattr(assignments[0], "node", None)
    return target if isinstance(target, cst.Name) else None


def loop_iterable(rule, node: cst.Name) -> cst.BaseExpression | None:  # type: ignore[no-untyped-def]
    """For a name bound only as the target of `for name in X` (or a comprehension's `for`): X."""
    scope = rule.get_metadata(ScopeProvider, node, None)
    if scope is None or isinstance(scope, (GlobalScope, ClassScope)):
        return None
    try:
        assignments = list(scope[node.value])
    except Exception:  # noqa: BLE001
        return None
    if len(assignments) != 1:
        return None
    target = getattr(assignments[0], "node", None)
    if target is None or target is node:
        return None
    holder = parent(rule, target)
    if isinstance(holder, (cst.For, cst.CompFor)) and holder.target is target:
        return holder.iter
    return None


def _queue_body(rule, node: cst.Attribute) -> JsValue | None:  # type: ignore[no-untyped-def]
    """`message.body` for `message` in `batch.messages` of a `queue` handler, when the SDK in
    use hands bodies over as JS values (the in-runtime SDK; workers-runtime-sdk < 1.4)."""
    if node.attr.value != "body" or not isinstance(node.value, cst.Name):
        return None
    if rule.profile.sdk_at_least(1, 4) is not False:
        return None
    source = loop_iterable(rule, node.value)
    if not (isinstance(source, cst.Attribute) and source.attr.value == "messages"):
        return None
    if not isinstance(source.value, cst.Name):
        return None
    found = parameter_of(rule, source.value)
    if found is None:
        return None
    param, func = found
    entry = rule.model.entrypoint_of_method(func)
    params = list(func.params.params)
    if (
        entry is not None
        and entry.kind == "WorkerEntrypoint"
        and func.name.value == "queue"
        and len(params) >= 2
        and params[1] is param
    ):
        return _value(DATA, "a queue message body (a JS value with this SDK)")
    return None


# -- Python containers holding JS values ---------------------------------------------------


def held_js_value(rule, node: cst.BaseExpression, depth: int = 0) -> tuple[cst.BaseExpression, JsValue] | None:  # type: ignore[no-untyped-def]
    """The first JS container inside a Python dict/list/tuple literal (or `node` itself)."""
    if depth > 6:
        return None
    found = js_value(rule, node)
    if found is not None and not found.awaitable and found.kind in CONTAINERS:
        return node, found
    elements: list[cst.BaseExpression] = []
    if isinstance(node, (cst.Dict, cst.List, cst.Tuple, cst.Set)):
        elements = [e.value for e in node.elements]  # `**x`/`*x` elements hold their value too
    for element in elements:
        inside = held_js_value(rule, element, depth + 1)
        if inside is not None:
            return inside
    return None
