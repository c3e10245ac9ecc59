"""A cheap model of a module's top level: imports, entrypoint classes and handlers.

Built once per parse from `module.body` (no traversal, no metadata) and shared by every rule
through `PythonRule.model`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import libcst as cst

from cfw_lint.analysis.names import dotted_name
from cfw_lint.facts import import_from_module

# Where the SDK base classes can come from: the `workers` SDK (in-runtime or vendored), its
# submodule, and the 0.26-only `cloudflare.workers` path.
_SDK_MODULES = ("workers", "workers.entrypoints", "cloudflare.workers")
ENTRYPOINT_KINDS = ("WorkerEntrypoint", "DurableObject", "WorkflowEntrypoint")
ENTRYPOINT_BASES = {f"{m}.{k}": k for m in _SDK_MODULES for k in ENTRYPOINT_KINDS}

# Module-level handlers the runtime exported in legacy mode (entrypoint helper
# SUPPORTED_HANDLER_NAMES), and the class method each one becomes.
LEGACY_HANDLERS = {
    "on_fetch": "fetch",
    "on_scheduled": "scheduled",
    "on_queue": "queue",
    "on_alarm": "alarm",
    "on_trace": "tail",
    "on_pubsub": "pubsub",
}

# Class handlers the runtime calls strictly with (event, env, ctx) after self.
STRICT_THREE_ARG_HANDLERS = ("scheduled", "queue", "tail")
# Methods the runtime calls that are not RPC methods.
SPECIAL_HANDLERS = ("fetch", "scheduled", "queue", "tail", "email", "test", "connect")
DURABLE_OBJECT_SPECIAL = ("alarm", "webSocketMessage", "webSocketClose", "webSocketError")


@dataclass
class EntrypointClass:
    node: cst.ClassDef
    kind: str  # WorkerEntrypoint | DurableObject | WorkflowEntrypoint
    methods: dict[str, cst.FunctionDef] = field(default_factory=dict)

    @property
    def name(self) -> str:
        return self.node.name.value


class ModuleModel:
    def __init__(self, module: cst.Module) -> None:
        self.module = module
        self.aliases: dict[str, str] = {}  # local name -> dotted origin, top-level imports
        self.import_statements: list[cst.SimpleStatementLine] = []
        self.entrypoints: dict[cst.ClassDef, EntrypointClass] = {}
        self.functions: dict[str, cst.FunctionDef] = {}
        self._build()

    # -- construction ------------------------------------------------------------------------
    def _build(self) -> None:
        local_kinds: dict[str, str] = {}
        for stmt in self.module.body:
            if isinstance(stmt, cst.SimpleStatementLine):
                for small in stmt.body:
                    if isinstance(small, (cst.Import, cst.ImportFrom)):
                        self._record_import(small)
                        if stmt not in self.import_statements:
                            self.import_statements.append(stmt)
            elif isinstance(stmt, cst.FunctionDef):
                self.functions[stmt.name.value] = stmt
            elif isinstance(stmt, cst.ClassDef):
                kind = self._entrypoint_kind(stmt, local_kinds)
                if kind is not None:
                    local_kinds[stmt.name.value] = kind
                    methods = {}
                    for item in stmt.body.body if isinstance(stmt.body, cst.IndentedBlock) else ():
                        if isinstance(item, cst.FunctionDef):
                            methods[item.name.value] = item
                    self.entrypoints[stmt] = EntrypointClass(stmt, kind, methods)

    def _record_import(self, node: cst.Import | cst.ImportFrom) -> None:
        if isinstance(node, cst.Import):
            for alias in node.names:
                name = dotted_name(alias.name)
                if not name:
                    continue
                if alias.asname is not None and isinstance(alias.asname.name, cst.Name):
                    self.aliases[alias.asname.name.value] = name
                else:
                    head = name.split(".")[0]
                    self.aliases[head] = head
            return
        if node.relative or isinstance(node.names, cst.ImportStar):
            return
        module = import_from_module(node)
        for alias in node.names:
            name = dotted_name(alias.name)
            if not name:
                continue
            local = name
            if alias.asname is not None and isinstance(alias.asname.name, cst.Name):
                local = alias.asname.name.value
            self.aliases[local] = f"{module}.{name}"

    def resolve(self, node: cst.CSTNode) -> str | None:
        """Dotted origin of a Name/Attribute through the module's top-level imports."""
        name = dotted_name(node)
        if name is None:
            return None
        head, _, rest = name.partition(".")
        origin = self.aliases.get(head)
        if origin is None:
            return None
        return f"{origin}.{rest}" if rest else origin

    def _entrypoint_kind(self, node: cst.ClassDef, local_kinds: dict[str, str]) -> str | None:
        for arg in node.bases:
            if arg.keyword is not None:
                continue
            written = dotted_name(arg.value)
            if written in local_kinds:
                return local_kinds[written]
            origin = self.resolve(arg.value)
            if origin in ENTRYPOINT_BASES:
                return ENTRYPOINT_BASES[origin]
        return None

    # -- queries -----------------------------------------------------------------------------
    def entrypoint_of_method(self, func: cst.CSTNode) -> EntrypointClass | None:
        for entry in self.entrypoints.values():
            if any(m is func for m in entry.methods.values()):
                return entry
        return None

    def is_handler(self, func: cst.CSTNode, *, maybe_main: bool = True) -> bool:
        """A method of an entrypoint class (RPC methods included), or a legacy handler."""
        if self.entrypoint_of_method(func) is not None:
            return True
        return maybe_main and self.is_legacy_handler(func)

    def is_legacy_handler(self, func: cst.CSTNode) -> bool:
        return (
            isinstance(func, cst.FunctionDef)
            and func.name.value in LEGACY_HANDLERS
            and self.functions.get(func.name.value) is func
        )

    def legacy_handlers(self) -> list[cst.FunctionDef]:
        return [f for name, f in self.functions.items() if name in LEGACY_HANDLERS]

    def default_class(self) -> EntrypointClass | None:
        for entry in self.entrypoints.values():
            if entry.name == "Default" and entry.kind == "WorkerEntrypoint":
                return entry
        return None

    def local_name_for(self, origin: str) -> str | None:
        """The local name bound to a dotted origin by a top-level import, if any."""
        for local, target in self.aliases.items():
            if target == origin:
                return local
        return None
