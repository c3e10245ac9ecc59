"""CFW107: the 0.26-only `cloudflare.workers` import path on 3.13+ runtimes. Facts §1.1."""

from __future__ import annotations

import libcst as cst
from libcst.metadata import GlobalScope, ParentNodeProvider, ScopeProvider

from cfw_lint.analysis.names import dotted_name
from cfw_lint.diagnostics import FixAvailability, Severity
from cfw_lint.fixes import FixBuilder
from cfw_lint.rule import FileContext, PythonRule
from cfw_lint.summary import ModuleSummary

LEGACY = "cloudflare.workers"
_IMPORT_ERRORS = {"ImportError", "ModuleNotFoundError", "Exception", "BaseException"}


def _catches_import_error(handler: cst.ExceptHandler) -> bool:
    kind = handler.type
    if kind is None:
        return True
    names = [e.value for e in kind.elements] if isinstance(kind, cst.Tuple) else [kind]
    return any(dotted_name(n) in _IMPORT_ERRORS for n in names)


def _message(what: str, version: tuple[int, int]) -> str:
    return (
        f"`{what}` only exists on the Python 3.12 runtime (Pyodide 0.26); on Python "
        f"{version[0]}.{version[1]} it fails with `ModuleNotFoundError`: import from `workers` instead"
    )


class LegacySdkImport(PythonRule):
    code = "CFW107"
    name = "legacy-sdk-import"
    severity = Severity.ERROR
    fix = FixAvailability.SAFE
    summary = "`cloudflare.workers` is the 0.26-only import path; use `workers` on 3.13+."
    profile_facts = ("python_version",)
    METADATA_DEPENDENCIES = (ScopeProvider, ParentNodeProvider)
    triggers = ("cloudflare",)

    @classmethod
    def could_fire(cls, summary: ModuleSummary, text: str) -> bool:
        # `from cloudflare.workers import ...`, `from cloudflare import workers`, `import cloudflare.workers`
        return any(i.module == LEGACY or (i.module == "cloudflare" and "workers" in i.names) for i in summary.imports)

    @classmethod
    def applies(cls, context: FileContext) -> bool:
        return context.profile.python >= (3, 13)

    def _guarded(self, node: cst.CSTNode) -> bool:
        """Inside `try: ... except ImportError:` (or its handler): a fallback that works."""
        child, parent = node, self.get_metadata(ParentNodeProvider, node, None)
        while parent is not None:
            if isinstance(parent, cst.ExceptHandler) and _catches_import_error(parent):
                return True
            if isinstance(parent, cst.Try) and child is parent.body:
                if any(_catches_import_error(h) for h in parent.handlers):
                    return True
            if isinstance(parent, (cst.FunctionDef, cst.ClassDef)):
                return False
            child, parent = parent, self.get_metadata(ParentNodeProvider, parent, None)
        return False

    def visit_ImportFrom(self, node: cst.ImportFrom) -> None:
        if node.relative or node.module is None or self._guarded(node):
            return
        module = dotted_name(node.module)
        if module == LEGACY:
            self.report(node, _message(f"from {LEGACY} import ...", self.profile.python), fix=self._fix_from(node))
        elif module == "cloudflare" and not isinstance(node.names, cst.ImportStar):
            if any(dotted_name(a.name) == "workers" for a in node.names):
                self.report(
                    node,
                    _message("from cloudflare import workers", self.profile.python),
                    fix=self._fix_from_package(node),
                )

    def visit_Import(self, node: cst.Import) -> None:
        if self._guarded(node):
            return
        for alias in node.names:
            if dotted_name(alias.name) == LEGACY:
                # decided at the end: the fix depends on every later use of `cloudflare`
                self._imports.append((node, alias))
                return

    def leave_Module(self, original_node: cst.Module) -> None:
        for node, alias in self._imports:
            self.report(node, _message(f"import {LEGACY}", self.profile.python), fix=self._fix_import(node, alias))

    # -- fixes -------------------------------------------------------------------------------
    def _fix_from(self, node: cst.ImportFrom):  # type: ignore[no-untyped-def]
        def apply(fx: FixBuilder) -> None:
            fx.replace(node.module, cst.Name("workers"))  # type: ignore[arg-type]

        return apply

    def _fix_from_package(self, node: cst.ImportFrom):  # type: ignore[no-untyped-def]
        # `from cloudflare import workers [as w]` -> `import workers [as w]`, when it is alone
        if isinstance(node.names, cst.ImportStar) or len(node.names) != 1 or node.lpar is not None:
            return None
        alias = node.names[0]

        def apply(fx: FixBuilder) -> None:
            fx.replace(node, cst.Import(names=[alias.with_changes(comma=cst.MaybeSentinel.DEFAULT)]))

        return apply

    def _fix_import(self, node: cst.Import, alias: cst.ImportAlias):  # type: ignore[no-untyped-def]
        if alias.asname is not None:
            # `import cloudflare.workers as w` binds w to the SDK module either way
            def apply_alias(fx: FixBuilder) -> None:
                fx.replace(alias.name, cst.Name("workers"))

            return apply_alias
        return self._fix_bare_import(node, alias)

    def _fix_bare_import(self, node: cst.Import, alias: cst.ImportAlias):  # type: ignore[no-untyped-def]
        """`import cloudflare.workers` binds `cloudflare`; every use must be `cloudflare.workers...`."""
        if len(node.names) != 1:
            return None
        scope = self.get_metadata(ScopeProvider, node, None)
        if not isinstance(scope, GlobalScope):
            return None
        if scope.assignments["workers"]:
            return None  # `workers` already means something in this module
        chains: list[cst.Attribute] = []
        for s in {scope, *self._scopes}:
            if not self._only_this_import(s, node if s is scope else None):
                return None  # `cloudflare` is also bound to something else
            for access in s.accesses:
                base = access.node
                while isinstance(base, cst.Attribute):
                    base = base.value
                if not (isinstance(base, cst.Name) and base.value == "cloudflare"):
                    continue
                if isinstance(access.node, cst.Attribute) and dotted_name(access.node) == LEGACY:
                    chains.append(access.node)
                elif id(access.node) in self._attribute_bases:
                    chains.append(self._attribute_bases[id(access.node)])
                else:
                    return None  # `cloudflare` used for something else
            if s is not scope and s.assignments["workers"]:
                return None

        def apply(fx: FixBuilder) -> None:
            fx.replace(alias.name, cst.Name("workers"))
            for chain in chains:
                fx.replace(chain, cst.Name("workers", lpar=chain.lpar, rpar=chain.rpar))

        return apply

    @staticmethod
    def _only_this_import(scope, node: cst.Import | None) -> bool:  # type: ignore[no-untyped-def]
        """Every binding of `cloudflare` in `scope` is this import statement (none when None)."""
        bound = [a for a in scope.assignments if a.name == "cloudflare" or a.name.startswith("cloudflare.")]
        return all(getattr(a, "node", None) is node for a in bound)

    # collect `cloudflare.workers` attributes during the traversal, keyed by their base name
    def __init__(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self._attribute_bases: dict[int, cst.Attribute] = {}
        self._scopes: set = set()
        self._imports: list[tuple[cst.Import, cst.ImportAlias]] = []

    def visit_Attribute(self, node: cst.Attribute) -> None:
        if isinstance(node.value, cst.Name) and node.value.value == "cloudflare" and node.attr.value == "workers":
            self._attribute_bases[id(node.value)] = node

    def visit_Name(self, node: cst.Name) -> None:
        scope = self.get_metadata(ScopeProvider, node, None)
        if scope is not None:
            self._scopes.add(scope)
