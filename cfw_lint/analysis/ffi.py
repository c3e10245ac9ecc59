"""Shared analysis for the JavaScript-boundary rules (CFW4xx): what a value is, where it goes.

Everything here resolves names through LibCST scope and qualified-name metadata; rules using it
list `FFI_METADATA` in their `METADATA_DEPENDENCIES`.
"""

from __future__ import annotations

import libcst as cst
from libcst.metadata import (
    FunctionScope,
    GlobalScope,
    ParentNodeProvider,
    ScopeProvider,
)

from cfw_lint.analysis.names import is_builtin, is_self_attribute, qualified_name, qualified_names

FFI_METADATA = (ScopeProvider, ParentNodeProvider)

TO_JS = "pyodide.ffi.to_js"
# Where the SDK's names can be imported from: the in-runtime/vendored `workers` package, its
# submodules, and the 0.26-only `cloudflare.workers` path.
_SDK_PREFIXES = ("workers.", "cloudflare.workers.")
_SDK_SUBMODULES = {
    "Response": ("workers.response.Response",),
    "Request": ("workers.request.Request",),
    "fetch": ("workers.fetch.fetch", "workers.request.fetch"),
    "handler": (),
}


def parent(rule: cst.MetadataDependent, node: cst.CSTNode) -> cst.CSTNode | None:
    return rule.get_metadata(ParentNodeProvider, node, None)


def ancestors(rule: cst.MetadataDependent, node: cst.CSTNode):
    current = parent(rule, node)
    while current is not None:
        yield current
        current = parent(rule, current)


def is_sdk(rule: cst.MetadataDependent, node: cst.CSTNode, name: str) -> bool:
    """`node` resolves (through imports) to the workers SDK's `name` (Response, Request, fetch...)."""
    targets = {p + name for p in _SDK_PREFIXES} | set(_SDK_SUBMODULES.get(name, ()))
    return bool(qualified_names(rule, node) & targets)


def is_to_js(rule: cst.MetadataDependent, node: cst.CSTNode) -> bool:
    return isinstance(node, cst.Call) and qualified_name(rule, node.func) == TO_JS


def keyword(call: cst.Call, name: str) -> cst.Arg | None:
    for arg in call.args:
        if arg.keyword is not None and arg.keyword.value == name:
            return arg
    return None


def has_star_kwargs(call: cst.Call) -> bool:
    return any(arg.star == "**" for arg in call.args)


def positional(call: cst.Call) -> list[cst.Arg]:
    return [a for a in call.args if a.keyword is None and a.star == ""]


# -- local values ---------------------------------------------------------------------------


def _function_scope_assignments(rule: cst.MetadataDependent, name: cst.Name):
    scope = rule.get_metadata(ScopeProvider, name, None)
    if scope is None:
        return None
    try:
        return list(scope[name.value])
    except Exception:  # noqa: BLE001 - LibCST raises on names it cannot look up
        return None


def assigned_value(
    rule: cst.MetadataDependent, name: cst.CSTNode, *, module_level: bool = False
) -> cst.BaseExpression | None:
    """The value of `name` when its only binding is one plain `name = value` in its function, or
    (bound more than once) the straight-line assignment just before the use (`_reaching_value`).

    `module_level` also accepts a single module-level assignment. Anything else (loops,
    reassignment, augmented assignment, parameters, globals) gives None: not certain.
    """
    if not isinstance(name, cst.Name):
        return None
    assignments = _function_scope_assignments(rule, name)
    if not assignments:
        return None
    if len(assignments) != 1:
        return _reaching_value(rule, name, assignments)
    (assignment,) = assignments
    scope = getattr(assignment, "scope", None)
    if not isinstance(scope, FunctionScope) and not (module_level and isinstance(scope, GlobalScope)):
        return None
    target = getattr(assignment, "node", None)
    if not isinstance(target, cst.Name):
        return None
    holder = parent(rule, target)
    if isinstance(holder, cst.AssignTarget):
        statement = parent(rule, holder)
        if isinstance(statement, cst.Assign) and len(statement.targets) == 1:
            return statement.value
        return None
    if isinstance(holder, cst.AnnAssign) and holder.target is target:
        return holder.value
    return None


_OWN_SCOPE = (cst.Lambda, cst.ListComp, cst.SetComp, cst.DictComp, cst.GeneratorExp)


def _reaching_value(rule: cst.MetadataDependent, name: cst.Name, assignments) -> cst.BaseExpression | None:
    """For a name bound more than once in its function (`data = await request.json()` then
    `data = data.to_py()`): the value of the nearest earlier `name = value` in the same block,
    when no statement in between binds the name. Straight-line code always runs that assignment
    right before the use, so it is the value the use sees (loops included)."""
    if any(not isinstance(getattr(a, "scope", None), FunctionScope) for a in assignments):
        return None
    targets = [getattr(a, "node", None) for a in assignments]
    if any(t is name for t in targets):
        return None  # `name` is itself a binding, not a use
    statement: cst.CSTNode | None = name
    while statement is not None and not isinstance(statement, (cst.SimpleStatementLine, cst.BaseCompoundStatement)):
        if isinstance(statement, _OWN_SCOPE):
            return None
        statement = parent(rule, statement)
    block = parent(rule, statement) if statement is not None else None
    if not isinstance(block, (cst.IndentedBlock, cst.Module)):
        return None
    body = list(block.body)
    index = next((i for i, s in enumerate(body) if s is statement), None)
    if index is None:
        return None
    for earlier in reversed(body[:index]):
        inside = [t for t in targets if t is not None and _within(rule, t, earlier)]
        if not inside:
            continue
        if len(inside) == 1 and isinstance(earlier, cst.SimpleStatementLine) and len(earlier.body) == 1:
            small = earlier.body[0]
            if isinstance(small, cst.Assign) and len(small.targets) == 1 and small.targets[0].target is inside[0]:
                return small.value
            if isinstance(small, cst.AnnAssign) and small.target is inside[0]:
                return small.value
        return None
    return None


def _within(rule: cst.MetadataDependent, node: cst.CSTNode, container: cst.CSTNode) -> bool:
    return any(a is container for a in ancestors(rule, node))


def parameter_of(rule: cst.MetadataDependent, name: cst.Name) -> tuple[cst.Param, cst.FunctionDef] | None:
    """The parameter (and its function) that `name` refers to, when that is its only binding."""
    assignments = _function_scope_assignments(rule, name)
    if not assignments or len(assignments) != 1:
        return None
    node = getattr(assignments[0], "node", None)
    if not isinstance(node, cst.Param):
        return None
    params = parent(rule, node)
    func = parent(rule, params) if params is not None else None
    if isinstance(func, cst.FunctionDef):
        return node, func
    return None


# -- what a value is ------------------------------------------------------------------------


def is_builtin_call(rule: cst.MetadataDependent, node: cst.CSTNode, name: str) -> bool:
    return (
        isinstance(node, cst.Call)
        and isinstance(node.func, cst.Name)
        and node.func.value == name
        and is_builtin(rule, node.func, name)
    )


def contains_dict(rule: cst.MetadataDependent, node: cst.CSTNode, depth: int = 0) -> bool:
    """`node` certainly is a dict, or a list/tuple/set literal (or comprehension) holding one."""
    if depth > 8:
        return False
    if isinstance(node, cst.NamedExpr):
        return contains_dict(rule, node.value, depth + 1)
    if isinstance(node, (cst.Dict, cst.DictComp)):
        return True
    if is_builtin_call(rule, node, "dict"):
        return True
    if isinstance(node, (cst.List, cst.Tuple, cst.Set)):
        return any(
            not isinstance(el, cst.StarredElement) and contains_dict(rule, el.value, depth + 1) for el in node.elements
        )
    if isinstance(node, (cst.ListComp, cst.SetComp, cst.GeneratorExp)):
        return contains_dict(rule, node.elt, depth + 1)
    if isinstance(node, cst.Name):
        value = assigned_value(rule, node)
        return value is not None and contains_dict(rule, value, depth + 1)
    return False


def is_mapping(rule: cst.MetadataDependent, node: cst.CSTNode, depth: int = 0) -> bool:
    """`node` certainly is a dict: a literal, a comprehension, `dict(...)`, or a local holding one."""
    if depth > 8:
        return False
    if isinstance(node, cst.NamedExpr):
        return is_mapping(rule, node.value, depth + 1)
    if isinstance(node, (cst.Dict, cst.DictComp)) or is_builtin_call(rule, node, "dict"):
        return True
    if isinstance(node, cst.Name):
        value = assigned_value(rule, node)
        return value is not None and is_mapping(rule, value, depth + 1)
    return False


def is_json_container(rule: cst.MetadataDependent, node: cst.CSTNode, depth: int = 0) -> bool:
    """`node` certainly is a dict or a list (or tuple) built in Python: JSON data, not a body."""
    if depth > 8:
        return False
    if isinstance(node, cst.NamedExpr):
        return is_json_container(rule, node.value, depth + 1)
    if isinstance(node, (cst.Dict, cst.DictComp, cst.List, cst.ListComp)):
        return True
    if isinstance(node, cst.Tuple) and node.lpar:
        return True
    if is_builtin_call(rule, node, "dict") or is_builtin_call(rule, node, "list"):
        return True
    if isinstance(node, cst.Name):
        value = assigned_value(rule, node)
        return value is not None and is_json_container(rule, value, depth + 1)
    return False


# -- the SDK request and its JSON body ------------------------------------------------------


def _is_fetch_handler(rule, func: cst.FunctionDef, param: cst.Param) -> bool:
    model = rule.model
    params = list(func.params.params)
    entry = model.entrypoint_of_method(func)
    if entry is not None:
        return (
            func.name.value == "fetch"
            and entry.kind in ("WorkerEntrypoint", "DurableObject")
            and len(params) >= 2
            and params[1] is param
        )
    # legacy `@handler async def on_fetch(request, env)`: the decorator makes a workers.Request
    if model.is_legacy_handler(func) and func.name.value == "on_fetch" and params and params[0] is param:
        return any(is_sdk(rule, d.decorator, "handler") for d in func.decorators)
    return False


def is_sdk_request(rule, name: cst.CSTNode) -> bool:
    """`name` is a `workers.Request`: a fetch handler's request, or a parameter typed so."""
    if not isinstance(name, cst.Name):
        return False
    found = parameter_of(rule, name)
    if found is None:
        return False
    param, func = found
    if param.annotation is not None:
        annotation = param.annotation.annotation
        if is_sdk(rule, annotation, "Request"):
            return True
        if isinstance(annotation, (cst.SimpleString, cst.ConcatenatedString)):
            return False
    return _is_fetch_handler(rule, func, param)


def is_request_json(rule, node: cst.CSTNode) -> bool:
    """`await request.json()` on a workers.Request: a Python dict or list (json.loads)."""
    if not isinstance(node, cst.Await):
        return False
    call = node.expression
    return (
        isinstance(call, cst.Call)
        and not call.args
        and isinstance(call.func, cst.Attribute)
        and call.func.attr.value == "json"
        and is_sdk_request(rule, call.func.value)
    )


def is_request_json_value(rule, node: cst.CSTNode) -> bool:
    """`await request.json()` itself, or a local name holding it."""
    if is_request_json(rule, node):
        return True
    value = assigned_value(rule, node)
    return value is not None and is_request_json(rule, value)


# -- bindings -------------------------------------------------------------------------------


def binding_call_chain(node: cst.CSTNode) -> tuple[str, list[str]] | None:
    """For `self.env.NAME.a(...).b(...)`: ("NAME", ["a", "b"]). None for anything else."""
    methods: list[str] = []
    current = node
    while True:
        if isinstance(current, cst.Call):
            current = current.func
            continue
        if not isinstance(current, cst.Attribute):
            return None
        value = current.value
        if is_self_attribute(value, "env"):
            return current.attr.value, list(reversed(methods))
        methods.append(current.attr.value)
        current = value


# -- guards ---------------------------------------------------------------------------------

_IMPORT_ERRORS = {"ImportError", "ModuleNotFoundError", "Exception", "BaseException"}


def _catches_import_error(handler: cst.ExceptHandler) -> bool:
    if handler.type is None:
        return True
    types = handler.type.elements if isinstance(handler.type, cst.Tuple) else [handler.type]
    for t in types:
        value = t.value if isinstance(t, cst.Element) else t
        if isinstance(value, cst.Name) and value.value in _IMPORT_ERRORS:
            return True
    return False


def in_import_guard(rule, node: cst.CSTNode) -> bool:
    """`node` sits in the body of a `try` that catches ImportError (or a broader class)."""
    child = node
    for up in ancestors(rule, node):
        if isinstance(up, cst.Try) and child is up.body:
            if any(_catches_import_error(h) for h in up.handlers):
                return True
        child = up
    return False


# -- fix helpers ----------------------------------------------------------------------------


def has_comment(node: cst.CSTNode) -> bool:
    """Any comment inside `node` (a rewrite that moves its parts could lose it)."""
    found = False

    class Find(cst.CSTVisitor):
        def visit_Comment(self, _node: cst.Comment) -> bool:
            nonlocal found
            found = True
            return False

    node.visit(Find())
    return found


def enclosing_statement(rule, node: cst.CSTNode) -> cst.BaseStatement | None:
    """The innermost statement holding `node` (call at report time: metadata is gone later)."""
    for up in ancestors(rule, node):
        if isinstance(up, (cst.SimpleStatementLine, cst.BaseCompoundStatement)):
            return up
    return None


def replace_expression(fx, statement, old: cst.CSTNode, new: cst.CSTNode) -> None:  # type: ignore[no-untyped-def]
    """Replace an expression. A multi-line result is rendered inside its `statement` (from
    `enclosing_statement`), so lines inside brackets keep the block's indentation; the edit is
    narrowed to what changed."""
    code = fx.code(new)
    if statement is None or ("\n" not in code and "\r" not in code):
        fx.replace(old, new)
        return
    fx.replace(statement, statement.deep_replace(old, new))


def object_from_entries(rule, node: cst.CSTNode):  # type: ignore[no-untyped-def]
    """How a fix can spell `Object.fromEntries` at `node`: a callable taking the FixBuilder and
    returning the text (adding `from js import Object` when needed), or None when every
    spelling is taken. Call at report time (reads scope metadata)."""
    from cfw_lint.analysis.imports import (
        add_statement,
        ensure_from_import,
        has_from_import,
        has_import,
    )

    existing = has_from_import(rule.module, "js", "Object")
    if existing is not None:
        return lambda fx: f"{existing}.fromEntries"
    taken = {name for name in ("Object", "JsObject") if _name_taken(rule, node, name)}
    if "Object" not in taken:
        return lambda fx: f"{ensure_from_import(fx, 'js', 'Object')}.fromEntries"
    js_module = has_import(rule.module, "js")
    if js_module is not None:
        return lambda fx: f"{js_module}.Object.fromEntries"
    if "JsObject" not in taken:

        def alias(fx) -> str:  # type: ignore[no-untyped-def]
            add_statement(fx, "from js import Object as JsObject")
            return "JsObject.fromEntries"

        return alias
    return None


def to_js_spelling(rule, node: cst.CSTNode):  # type: ignore[no-untyped-def]
    """Like `object_from_entries`, for `pyodide.ffi.to_js`."""
    from cfw_lint.analysis.imports import ensure_from_import, has_from_import

    existing = has_from_import(rule.module, "pyodide.ffi", "to_js")
    if existing is not None:
        return lambda fx: existing
    if _name_taken(rule, node, "to_js"):
        return None
    return lambda fx: ensure_from_import(fx, "pyodide.ffi", "to_js")


def _name_taken(rule, node: cst.CSTNode, name: str) -> bool:  # type: ignore[no-untyped-def]
    scope = rule.get_metadata(ScopeProvider, node, None)
    if scope is None:
        return True
    return bool(scope[name]) or bool(scope.globals.assignments[name])
