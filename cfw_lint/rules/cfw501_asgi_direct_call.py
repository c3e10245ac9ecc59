"""CFW501: an ASGI app called like a handler, `await app(request)`. Facts §7."""

from __future__ import annotations

import libcst as cst
from libcst.metadata import ParentNodeProvider, ScopeProvider

from cfw_lint.analysis.frameworks import (
    _ASGI_MIDDLEWARE_PREFIXES,
    ASGI_APPS,
    AppBindings,
    append_arg,
    arg_span,
    entrypoint_self,
)
from cfw_lint.analysis.imports import ensure_import, has_from_import, has_import
from cfw_lint.analysis.names import NAME_METADATA
from cfw_lint.diagnostics import FixAvailability, Severity
from cfw_lint.fixes import FixBuilder
from cfw_lint.rule import FixCallback, PythonRule
from cfw_lint.summary import ModuleSummary


class AsgiDirectCall(PythonRule):
    code = "CFW501"
    name = "asgi-direct-call"
    severity = Severity.ERROR
    fix = FixAvailability.SAFE
    summary = "An ASGI app is not a Worker handler: use `await asgi.fetch(app, request, self.env)`."
    METADATA_DEPENDENCIES = (*NAME_METADATA, ParentNodeProvider)
    triggers = (
        "FastAPI",
        "Starlette",
        "Quart",
        "Litestar",
        "APIRouter",
        "Router",
        "Middleware",
        "get_asgi_application",
    )
    # only files importing these can hold what the rule matches (see PythonRule.modules)
    modules = ("fastapi", "starlette", "quart", "litestar", "django", "sse_starlette")

    @classmethod
    def could_fire(cls, summary: ModuleSummary, text: str) -> bool:
        # an app built by an ASGI constructor (analysis.frameworks.is_asgi_constructor)
        return summary.refers_to(ASGI_APPS) or summary.refers_under(_ASGI_MIDDLEWARE_PREFIXES)

    def __init__(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self._bindings = AppBindings()
        self._calls: list[cst.Call] = []

    def visit_Assign(self, node: cst.Assign) -> None:
        self._bindings.record(node)

    def visit_AnnAssign(self, node: cst.AnnAssign) -> None:
        self._bindings.record(node)

    def visit_Call(self, node: cst.Call) -> None:
        # an app called with one request-like argument (the real ASGI call takes three)
        if isinstance(node.func, cst.Name) and len(node.args) == 1:
            arg = node.args[0]
            if arg.keyword is None and not arg.star:
                self._calls.append(node)

    def leave_Module(self, original_node: cst.Module) -> None:
        for call in self._calls:
            name = call.func
            assert isinstance(name, cst.Name)
            origin = self._bindings.app_origin(self, name)
            if origin is None:
                continue
            awaited = isinstance(self.get_metadata(ParentNodeProvider, call, None), cst.Await)
            shown = "await " if awaited else ""
            self.report(
                call,
                f"`{shown}{name.value}(...)` calls the `{origin.rsplit('.', 1)[1]}` app as if it "
                "were a handler, but an ASGI app takes `(scope, receive, send)`, so this raises a "
                "missing-arguments `TypeError`. Serve it with "
                f"`await asgi.fetch({name.value}, request, self.env)` (`import asgi`)",
                fix=self._fix(call) if awaited else None,
            )

    def _fix(self, call: cst.Call) -> FixCallback | None:
        me = entrypoint_self(self, call)
        if me is None:
            return None
        asgi_local = self._asgi_name(call)
        if asgi_local is False:
            return None
        app = call.func
        assert isinstance(app, cst.Name)
        request = call.args[0]

        def apply(fx: FixBuilder) -> None:
            local = asgi_local or ensure_import(fx, "asgi")
            fx.replace(app, f"{local}.fetch")
            start, _ = arg_span(fx, request)
            fx.edit(start, start, f"{app.value}, ")
            append_arg(fx, call, f"{me}.env")

        return apply

    def _asgi_name(self, call: cst.Call) -> str | None | bool:
        """The local name of the `asgi` module (None: import it), or False if `asgi` means
        something else here."""
        local = has_import(self.module, "asgi") or has_from_import(self.module, "workers", "asgi")
        scope = self.get_metadata(ScopeProvider, call, None)
        if scope is None:
            return False
        if local is not None:
            # the import must be what the name means here (no local variable shadowing it)
            bound = list(scope[local])
            if bound and all(isinstance(getattr(a, "node", None), (cst.Import, cst.ImportFrom)) for a in bound):
                return local
            return False
        return False if "asgi" in scope else None
