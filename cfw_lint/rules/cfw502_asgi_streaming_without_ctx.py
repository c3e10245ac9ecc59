"""CFW502: `asgi.fetch` without `ctx` in an app that streams (SSE, StreamingResponse). Facts §7."""

from __future__ import annotations

import libcst as cst

from cfw_lint.analysis.frameworks import append_arg, entrypoint_self
from cfw_lint.analysis.names import NAME_METADATA, dotted_name, qualified_name
from cfw_lint.facts import import_from_module
from cfw_lint.diagnostics import FixAvailability, Severity
from cfw_lint.fixes import FixBuilder
from cfw_lint.rule import FixCallback, PythonRule

_ASGI_FETCH = {"asgi.fetch", "workers.asgi.fetch"}
_STREAMING = {
    "starlette.responses.StreamingResponse",
    "fastapi.responses.StreamingResponse",
    "sse_starlette.EventSourceResponse",
    "sse_starlette.sse.EventSourceResponse",
    "fastapi.sse.EventSourceResponse",
}
_PARAMS = ("app", "req", "env", "ctx")


class AsgiStreamingWithoutCtx(PythonRule):
    code = "CFW502"
    name = "asgi-streaming-without-ctx"
    severity = Severity.WARNING
    fix = FixAvailability.SAFE
    summary = "Pass `self.ctx` to `asgi.fetch` when the app streams (SSE, StreamingResponse)."
    METADATA_DEPENDENCIES = NAME_METADATA
    triggers = ("asgi",)
    # only files importing these can hold what the rule matches (see PythonRule.modules)
    modules = ("asgi", "workers")

    def __init__(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self._fetches: list[cst.Call] = []
        self._streams: str | None = None

    def visit_Call(self, node: cst.Call) -> None:
        if qualified_name(self, node.func) in _ASGI_FETCH:
            self._fetches.append(node)

    def visit_Name(self, node: cst.Name) -> None:
        if self._streams is None:
            origin = qualified_name(self, node)
            if origin in _STREAMING:
                self._streams = origin.rsplit(".", 1)[1]

    def visit_Attribute(self, node: cst.Attribute) -> None:
        if self._streams is None and node.attr.value in ("StreamingResponse", "EventSourceResponse"):
            origin = qualified_name(self, node)
            if origin in _STREAMING:
                self._streams = origin.rsplit(".", 1)[1]

    def visit_Import(self, node: cst.Import) -> None:
        for alias in node.names:
            if self._streams is None and (dotted_name(alias.name) or "").split(".")[0] == "sse_starlette":
                self._streams = "sse-starlette"

    def visit_ImportFrom(self, node: cst.ImportFrom) -> None:
        if self._streams is not None or node.relative or isinstance(node.names, cst.ImportStar):
            return
        module = import_from_module(node)
        for alias in node.names:
            origin = f"{module}.{dotted_name(alias.name)}"
            if origin in _STREAMING or module.split(".")[0] == "sse_starlette":
                self._streams = origin.rsplit(".", 1)[1] if origin in _STREAMING else "sse-starlette"
                return

    def visit_SimpleString(self, node: cst.SimpleString) -> None:
        if self._streams is None and "text/event-stream" in node.value:
            self._streams = '"text/event-stream" responses'

    def leave_Module(self, original_node: cst.Module) -> None:
        if self._streams is None:
            return
        for call in self._fetches:
            if any(a.star for a in call.args):
                continue
            positional = [a for a in call.args if a.keyword is None]
            keywords = {a.keyword.value for a in call.args if a.keyword is not None}
            if len(positional) >= 4 or "ctx" in keywords:
                continue
            if len(positional) + len(keywords & set(_PARAMS[:3])) < 3:
                continue  # not a complete call; not this rule's business
            self.report(
                call,
                f"`asgi.fetch` without `ctx` in an app that streams ({self._streams}): without "
                "`ctx` the whole body is buffered before anything is sent, so a stream that "
                "does not end never answers (older runtimes raise `RuntimeError: "
                "Server-Side-Events require ctx to be passed to asgi.fetch`). Pass `self.ctx` "
                "as the fourth argument",
                fix=self._fix(call, bool(keywords)),
            )

    def _fix(self, call: cst.Call, keywords: bool) -> FixCallback | None:
        me = entrypoint_self(self, call)
        if me is None:
            return None
        code = f"ctx={me}.ctx" if keywords else f"{me}.ctx"

        def apply(fx: FixBuilder) -> None:
            append_arg(fx, call, code)

        return apply
