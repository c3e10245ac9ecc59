"""Web-framework objects in Worker code (CFW501-CFW503, facts §7).

`AppBindings` collects `name = <constructor>(...)` assignments during the traversal, and then
answers "is this Name certainly a FastAPI/Starlette/Flask/... app?" through LibCST scopes: every
assignment the name can refer to must construct (or wrap) an app. Anything else (a parameter, an
import from a project module, a value computed elsewhere) is "not certain" and rules stay silent.
"""

from __future__ import annotations

import libcst as cst
from libcst.metadata import Assignment, ScopeProvider

from cfw_lint.analysis.names import enclosing_functions, qualified_name
from cfw_lint.analysis.workflows import positional_params
from cfw_lint.fixes import FixBuilder, FixUnavailable

# constructors of ASGI applications (callables `(scope, receive, send)`)
ASGI_APPS = {
    "fastapi.FastAPI",
    "fastapi.applications.FastAPI",
    "fastapi.APIRouter",
    "fastapi.routing.APIRouter",
    "starlette.applications.Starlette",
    "starlette.routing.Router",
    "quart.Quart",
    "quart.app.Quart",
    "litestar.Litestar",
    "litestar.app.Litestar",
    "django.core.asgi.get_asgi_application",
}
# ASGI middleware classes wrap an app and are ASGI apps themselves
_ASGI_MIDDLEWARE_PREFIXES = ("starlette.middleware.", "fastapi.middleware.")
# applications with a `.run()` that starts a local development server (or none at all)
WSGI_APPS = {"flask.Flask", "flask.app.Flask", "sanic.Sanic", "bottle.Bottle"}


def is_asgi_constructor(origin: str | None) -> bool:
    if origin is None:
        return False
    if origin in ASGI_APPS:
        return True
    return origin.startswith(_ASGI_MIDDLEWARE_PREFIXES) and origin.rsplit(".", 1)[1].endswith("Middleware")


class AppBindings:
    """Assignments `target = value` seen in a file, by target Name node."""

    def __init__(self) -> None:
        self.values: dict[cst.Name, cst.BaseExpression] = {}

    def record(self, node: cst.Assign | cst.AnnAssign) -> None:
        if isinstance(node, cst.Assign):
            if len(node.targets) == 1 and isinstance(node.targets[0].target, cst.Name):
                self.values[node.targets[0].target] = node.value
        elif node.value is not None and isinstance(node.target, cst.Name):
            self.values[node.target] = node.value

    def app_origin(self, rule: cst.MetadataDependent, name: cst.Name, kinds: str = "asgi") -> str | None:
        """The constructor of the app `name` certainly refers to, or None.

        `kinds` is "asgi" (ASGI apps only) or "any" (ASGI and WSGI-style apps).
        """
        scope = rule.get_metadata(ScopeProvider, name, None)
        if scope is None:
            return None
        assignments = [a for a in scope[name.value]]
        if not assignments:
            return None
        origins = []
        for assignment in assignments:
            if not isinstance(assignment, Assignment) or not isinstance(assignment.node, cst.Name):
                return None
            value = self.values.get(assignment.node)
            if not isinstance(value, cst.Call):
                return None
            origin = qualified_name(rule, value.func)
            if is_asgi_constructor(origin) or (kinds == "any" and origin in WSGI_APPS):
                origins.append(origin)
            else:
                return None
        # prefer the application class over a middleware that wraps it
        for origin in origins:
            if origin in ASGI_APPS or origin in WSGI_APPS:
                return origin
        return origins[0]


def entrypoint_self(rule, node: cst.CSTNode) -> str | None:  # type: ignore[no-untyped-def]
    """The `self` parameter's name when `node` runs directly in a method of an entrypoint class
    (where `self.env` and `self.ctx` exist); None otherwise."""
    functions = enclosing_functions(rule, node)
    if not functions or not isinstance(functions[0], cst.FunctionDef):
        return None
    method = functions[0]
    entry = rule.model.entrypoint_of_method(method)
    if entry is None or entry.kind not in ("WorkerEntrypoint", "DurableObject"):
        return None
    if any(
        isinstance(d.decorator, cst.Name) and d.decorator.value in ("staticmethod", "classmethod")
        for d in method.decorators
    ):
        return None
    params = positional_params(method)
    return params[0].name.value if params else None


def arg_span(fx: FixBuilder, arg: cst.Arg) -> tuple[int, int]:
    """Offsets of an argument's text (`keyword=value` or `*value`), without its comma."""
    start = fx.tight_span(arg.keyword)[0] if arg.keyword is not None else fx.tight_span(arg.value)[0]
    if arg.star:
        start = fx.text.rfind(arg.star, 0, start)
    return start, fx.tight_span(arg.value)[1]


def append_arg(fx: FixBuilder, call: cst.Call, code: str) -> None:
    """Add `code` as the last argument of `call`, in the call's own layout (one argument per
    line or not, trailing comma kept), by inserting it right after the current last argument."""
    args = list(call.args)
    if not args:
        raise FixUnavailable("no argument to append after")
    if len(args) >= 2:
        separator = fx.text[arg_span(fx, args[-2])[1] : arg_span(fx, args[-1])[0]]
        if "#" in separator or separator.count(",") != 1:
            separator = ", "
    else:
        separator = ", "
    end = arg_span(fx, args[-1])[1]
    fx.edit(end, end, separator + code)
