"""CFW502: `asgi.fetch` without `ctx` in an app that serves server-sent events. Facts §7.

Only the runtime's own `asgi` module (and workers-runtime-sdk before 1.1.1) needs `ctx`, and only
for SSE; from 1.1.1 the SDK ignores `ctx` and streams any response.
"""

from __future__ import annotations

import libcst as cst

from cfw_lint.analysis.frameworks import append_arg, entrypoint_self
from cfw_lint.analysis.names import NAME_METADATA, dotted_name, qualified_name
from cfw_lint.facts import import_from_module
from cfw_lint.diagnostics import FixAvailability, Severity
from cfw_lint.fixes import FixBuilder
from cfw_lint.rule import FixCallback, PythonRule
from cfw_lint.summary import ModuleSummary

# server-sent-event responses; a plain StreamingResponse counts only with a text/event-stream
# media type (the string is seen below): other streams do not need ctx
_STREAMING = {
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
    summary = "Pass `self.ctx` to `asgi.fetch` when the app serves SSE and the runtime's own `asgi` runs."
    profile_facts = ("sdk_version", "external_sdk")
    METADATA_DEPENDENCIES = NAME_METADATA
    triggers = ("asgi",)
    # only files importing these can hold what the rule matches (see PythonRule.modules)
    modules = ("asgi", "workers")

    @classmethod
    def could_fire(cls, summary: ModuleSummary, text: str) -> bool:
        # `asgi.fetch(...)` and a sign of server-sent events
        if not summary.refers_to(("asgi.fetch", "workers.asgi.fetch")):
            return False
        return (
            summary.refers_to(_STREAMING)
            or any(f"{i.module}.{n}" in _STREAMING for i in summary.imports for n in i.names)
            or "sse_starlette" in summary.imported_top_level()
            or "text/event-stream" in text
        )

    @classmethod
    def applies(cls, context) -> bool:  # type: ignore[no-untyped-def]
        # silent where workers-runtime-sdk >= 1.1.1 runs: known from the lock, or (version
        # unknown) because the date requires a vendored SDK, which pywrangler resolves to a
        # current one
        modern = context.profile.sdk_at_least(1, 1, 1)
        return modern is False or (modern is None and not context.profile.external_sdk)

    def __init__(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self._fetches: list[cst.Call] = []
        self._streams: str | None = None

    def visit_Call(self, node: cst.Call) -> None:
        origin = qualified_name(self, node.func)
        if origin == "asgi.fetch":
            self._fetches.append(node)
        elif origin == "workers.asgi.fetch" and self.profile.sdk_at_least(1, 1, 1) is False:
            # `workers.asgi` exists only in workers-runtime-sdk: report it only when the lock
            # pins a version before 1.1.1
            self._fetches.append(node)

    def visit_Name(self, node: cst.Name) -> None:
        if self._streams is None:
            origin = qualified_name(self, node)
            if origin in _STREAMING:
                self._streams = origin.rsplit(".", 1)[1]

    def visit_Attribute(self, node: cst.Attribute) -> None:
        if self._streams is None and node.attr.value == "EventSourceResponse":
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
            where = (
                f"workers-runtime-sdk {self.profile.sdk_version}"
                if self.profile.sdk_version
                else "the runtime's own `asgi` module, used unless workers-runtime-sdk >= 1.1.1 is vendored,"
            )
            self.report(
                call,
                f"`asgi.fetch` without `ctx` in an app that serves server-sent events "
                f"({self._streams}): {where} raises `RuntimeError: Server-Side-Events require ctx "
                "to be passed to asgi.fetch`. Pass `self.ctx` as the fourth argument",
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
