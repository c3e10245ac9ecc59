"""CFW203: a third-party import inside a handler (runs on the request path). Catalog CFW2xx, facts §5.

Silent for the standard library, the runtime's own modules, relative imports, modules of the
project itself, and packages the file already imports at module level (importing them again is a
dictionary lookup).
"""

from __future__ import annotations

import sys

import libcst as cst

from cfw_lint.analysis.capabilities import project_module_exists
from cfw_lint.analysis.names import NAME_METADATA, dotted_name, enclosing_functions, runs_at_import_time
from cfw_lint.diagnostics import Severity
from cfw_lint.facts import import_from_module
from cfw_lint.rule import PythonRule

# sys.stdlib_module_names is the host's list; add what newer runtimes have that an older host lacks.
_STDLIB = frozenset(sys.stdlib_module_names) | {"tomllib", "__future__", "_interpreters", "annotationlib"}
# Modules the Workers runtime itself provides (or the SDK it vendors).
_RUNTIME = frozenset(("js", "pyodide", "pyodide_js", "_pyodide", "workers", "asgi"))
# the 0.26-only SDK path; `cloudflare` alone is the (third-party) Cloudflare API client
_LEGACY_SDK = "cloudflare.workers"


def _with_parents(module: str) -> set[str]:
    parts = module.split(".")
    return {".".join(parts[: i + 1]) for i in range(len(parts))}


class ImportInHandler(PythonRule):
    code = "CFW203"
    name = "import-in-handler"
    severity = Severity.INFO
    summary = "A third-party import inside a handler loads on the request path, not in the deploy snapshot."
    profile_facts = ("class_handlers",)
    METADATA_DEPENDENCIES = NAME_METADATA
    # only handlers matter: entrypoint classes, or legacy module-level handlers
    triggers = (
        "Entrypoint",
        "DurableObject",
        "on_fetch",
        "on_scheduled",
        "on_queue",
        "on_alarm",
        "on_trace",
        "on_pubsub",
    )

    def __init__(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self._loaded_at_import: set[str] = set()
        self._candidates: list[tuple[cst.CSTNode, list[str]]] = []
        self._project: dict[str, bool] = {}

    def visit_Import(self, node: cst.Import) -> None:
        modules = [m for m in (dotted_name(a.name) for a in node.names) if m]
        self._seen(node, modules, [])

    def visit_ImportFrom(self, node: cst.ImportFrom) -> None:
        if node.relative or node.module is None:
            return
        module = import_from_module(node)
        submodules = []
        if not isinstance(node.names, cst.ImportStar):
            submodules = [f"{module}.{n}" for n in (dotted_name(a.name) for a in node.names) if n]
        self._seen(node, [module], submodules)

    def _seen(self, node: cst.CSTNode, modules: list[str], submodules: list[str]) -> None:
        if runs_at_import_time(self, node):
            for module in modules + submodules:
                self._loaded_at_import |= _with_parents(module)
            return
        # module-level on_* handlers run only under legacy dates (CFW101 reports them otherwise)
        legacy = self.context.maybe_main and self.profile.legacy_handlers
        if not any(self.model.is_handler(f, maybe_main=legacy) for f in enclosing_functions(self, node)):
            return
        third_party = [m for m in modules if self._is_third_party(m)]
        if third_party:
            self._candidates.append((node, third_party))

    def _is_third_party(self, module: str) -> bool:
        top = module.split(".")[0]
        if top in _STDLIB or top in _RUNTIME or module == _LEGACY_SDK or module.startswith(_LEGACY_SDK + "."):
            return False
        if top not in self._project:
            self._project[top] = project_module_exists(self.context, top)
        return not self._project[top]

    def leave_Module(self, original_node: cst.Module) -> None:
        for node, modules in self._candidates:
            # a package already imported at module level is in the snapshot; whether one of its
            # submodules is too cannot be known here, so it is not reported
            late = [m for m in modules if m.split(".")[0] not in self._loaded_at_import]
            if not late:
                continue
            names = ", ".join(f"`{m}`" for m in late)
            self.report(
                node,
                f"{names} is imported inside a handler: it loads on the request path (the first "
                "request of each isolate pays for it) instead of being captured in the deploy "
                "snapshot. Import it at module level.",
            )
