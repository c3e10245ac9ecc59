"""CFW203: a third-party import inside a handler (runs on the request path). Catalog CFW2xx, facts §5.

Silent for the standard library, the runtime's own modules, relative imports, modules of the
project itself, and packages the file already imports at module level (importing them again is a
dictionary lookup).
"""

from __future__ import annotations

import sys

import ast

from cfw_lint.analysis.astmodel import TopLevel, walk_statements
from cfw_lint.analysis.capabilities import project_module_exists
from cfw_lint.astrule import AstRule
from cfw_lint.diagnostics import Severity

# sys.stdlib_module_names is the host's list; add what newer runtimes have that an older host lacks.
_STDLIB = frozenset(sys.stdlib_module_names) | {"tomllib", "__future__", "_interpreters", "annotationlib"}
# Modules the Workers runtime itself provides (or the SDK it vendors).
_RUNTIME = frozenset(("js", "pyodide", "pyodide_js", "_pyodide", "workers", "asgi"))
# the 0.26-only SDK path; `cloudflare` alone is the (third-party) Cloudflare API client
_LEGACY_SDK = "cloudflare.workers"


def _with_parents(module: str) -> set[str]:
    parts = module.split(".")
    return {".".join(parts[: i + 1]) for i in range(len(parts))}


class ImportInHandler(AstRule):
    code = "CFW203"
    name = "import-in-handler"
    severity = Severity.INFO
    summary = "A third-party import inside a handler loads on the request path, not in the deploy snapshot."
    profile_facts = ("class_handlers",)
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

    def check(self) -> None:
        self._loaded_at_import: set[str] = set()
        self._candidates: list[tuple[ast.AST, list[str]]] = []
        self._project: dict[str, bool] = {}
        self._model: TopLevel | None = None
        for node in walk_statements(self.tree):
            if isinstance(node, ast.Import):
                self._seen(node, [a.name for a in node.names], [])
            elif isinstance(node, ast.ImportFrom):
                if node.level or node.module is None:
                    continue
                submodules = [f"{node.module}.{a.name}" for a in node.names if a.name != "*"]
                self._seen(node, [node.module], submodules)
        for found, modules in self._candidates:
            # a package already imported at module level is in the snapshot; whether one of its
            # submodules is too cannot be known here, so it is not reported
            late = [m for m in modules if m.split(".")[0] not in self._loaded_at_import]
            if not late:
                continue
            names = ", ".join(f"`{m}`" for m in late)
            self.report(
                found,
                f"{names} is imported inside a handler: it loads on the request path (the first "
                "request of each isolate pays for it) instead of being captured in the deploy "
                "snapshot. Import it at module level.",
            )

    @property
    def model(self) -> TopLevel:
        if self._model is None:
            self._model = TopLevel(self.tree)
        return self._model

    def _seen(self, node: ast.AST, modules: list[str], submodules: list[str]) -> None:
        if self.names.runs_at_import_time(node):
            for module in modules + submodules:
                self._loaded_at_import |= _with_parents(module)
            return
        # module-level on_* handlers run only under legacy dates (CFW101 reports them otherwise)
        legacy = self.context.maybe_main and self.profile.legacy_handlers
        if not any(self.model.is_handler(f, maybe_main=legacy) for f in self.names.enclosing_functions(node)):
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
