"""CFW303: `time.sleep` inside `async def`. Facts §8, §3.3.

Fix: `await asyncio.sleep(...)`, the argument text kept as written, `import asyncio` added once.
The `time` import is removed only when this call was its one use; when several calls are fixed
at once it stays (harmless, and any unused-import check reports it).
"""

from __future__ import annotations

import itertools

import libcst as cst
from libcst.metadata import ComprehensionScope, ScopeProvider
from libcst.metadata.scope_provider import LocalScope

from cfw_lint.analysis.imports import ensure_import, has_import, remove_from_import
from cfw_lint.analysis.capabilities import callee
from cfw_lint.analysis.names import NAME_METADATA, dotted_name, enclosing_functions
from cfw_lint.diagnostics import Edit, FixAvailability, Severity
from cfw_lint.fixes import FixBuilder
from cfw_lint.rule import PythonRule
from cfw_lint.summary import ModuleSummary


class BlockingSleep(PythonRule):
    code = "CFW303"
    name = "blocking-sleep"
    severity = Severity.WARNING
    fix = FixAvailability.SAFE
    summary = "time.sleep() inside async def; use await asyncio.sleep()."
    profile_facts = ("python_version",)
    METADATA_DEPENDENCIES = NAME_METADATA
    triggers = ("sleep",)
    # every match resolves through one of these imports (see PythonRule.modules)
    modules = ("time",)

    @classmethod
    def could_fire(cls, summary: ModuleSummary, text: str) -> bool:
        # the call must be inside an `async def`
        return "async" in text and super().could_fire(summary, text)

    def __init__(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        # expressions that are the primary of an attribute, subscript or call: `await` there
        # needs parentheses
        self._primaries: set[int] = set()

    def visit_Attribute(self, node: cst.Attribute) -> None:
        self._primaries.add(id(node.value))

    def visit_Subscript(self, node: cst.Subscript) -> None:
        self._primaries.add(id(node.value))

    def visit_Call(self, node: cst.Call) -> None:
        self._primaries.add(id(node.func))
        if callee(self, node.func) != "time.sleep":
            return
        functions = enclosing_functions(self, node)
        if not functions or not isinstance(functions[0], cst.FunctionDef):
            return
        if functions[0].asynchronous is None:
            return
        self.report(node, self._message(), fix=self._fix_for(node, functions[0]))

    def _message(self) -> str:
        if self.profile.has_jspi:
            why = (
                "on this runtime it avoids blocking only by stack switching, which exists only "
                "inside a request; anywhere else it falls back to the blocking sleep"
            )
        else:
            why = (
                f"on the Python {self.profile.python_version} runtime it is the blocking C sleep, "
                "and Workers clocks do not advance during pure CPU work, so it may spin until the "
                "CPU time limit"
            )
        return (
            f"`time.sleep()` inside `async def` relies on the runtime not to block: {why}. "
            "`await asyncio.sleep(...)` yields to the event loop on every runtime."
        )

    # -- fix -------------------------------------------------------------------------------------
    def _fix_for(self, node: cst.Call, function: cst.FunctionDef):  # type: ignore[no-untyped-def]
        scope = self.get_metadata(ScopeProvider, node, None)
        # `await` in a generator expression would turn it into an async generator
        while isinstance(scope, ComprehensionScope):
            if isinstance(scope.node, cst.GeneratorExp):
                return None
            scope = scope.parent
        if not isinstance(scope, LocalScope) or scope.node is not function:
            return None  # e.g. a class body inside the async def: `await` is not allowed there
        asyncio_name = has_import(self.module, "asyncio") or "asyncio"
        if not self._names_module(scope, asyncio_name):
            return None  # `asyncio` means something else here
        parenthesise = id(node) in self._primaries and not node.lpar
        unused_import = self._sole_use_import(node)

        def build(fx: FixBuilder) -> None:
            for remove in (True, False) if unused_import else (False,):
                fx.edits.clear()
                local = ensure_import(fx, "asyncio")
                start, end = fx.tight_span(node)
                _, func_end = fx.tight_span(node.func)
                text = f"await {local}.sleep{fx.text[func_end:end]}"
                fx.edit(start, end, f"({text})" if parenthesise else text)
                if remove and unused_import is not None:
                    self._remove_import(fx, *unused_import, local)
                    _merge_touching_insertions(fx)
                if not _overlapping(fx):
                    return

        return build

    @staticmethod
    def _names_module(scope, name: str) -> bool:  # type: ignore[no-untyped-def]
        """`name`, seen from `scope`, is unbound or bound only by `import asyncio [as name]`."""
        for assignment in scope[name]:
            node = getattr(assignment, "node", None)
            if not isinstance(node, cst.Import):
                return False
            if not any(_alias_binds(alias, name) and dotted_name(alias.name) == "asyncio" for alias in node.names):
                return False
        return True

    def _sole_use_import(
        self, node: cst.Call
    ) -> tuple[cst.SimpleStatementLine, cst.Import | cst.ImportFrom, str] | None:
        """(statement, import, bound name) when this call is the only use of a top-level import."""
        root = node.func
        while isinstance(root, cst.Attribute):
            root = root.value
        if not isinstance(root, cst.Name):
            return None
        scope = self.get_metadata(ScopeProvider, root, None)
        if scope is None:
            return None
        assignments = list(scope[root.value])
        if len(assignments) != 1:
            return None
        [assignment] = assignments
        small = getattr(assignment, "node", None)
        if not isinstance(small, (cst.Import, cst.ImportFrom)) or len(assignment.references) != 1:
            return None
        for stmt in self.module.body:
            if isinstance(stmt, cst.SimpleStatementLine) and any(s is small for s in stmt.body):
                return stmt, small, root.value
        return None

    def _remove_import(
        self,
        fx: FixBuilder,
        stmt: cst.SimpleStatementLine,
        small: cst.BaseSmallStatement,
        bound: str,
        asyncio_local: str,
    ) -> None:
        if isinstance(small, cst.ImportFrom):
            if isinstance(small.names, cst.ImportStar):
                return
            names = {dotted_name(a.name) for a in small.names if _alias_binds(a, bound)}
            remove_from_import(fx, stmt, small, {n for n in names if n})
            return
        assert isinstance(small, cst.Import)
        keep = [a for a in small.names if not _alias_binds(a, bound)]
        if keep:
            keep[-1] = keep[-1].with_changes(comma=cst.MaybeSentinel.DEFAULT)
            fx.replace(small, small.with_changes(names=keep))
        elif len(stmt.body) == 1:
            # the statement goes: when `import asyncio` is being added, it takes its place
            line = f"import {asyncio_local}{fx.module.default_newline}"
            added = [e for e in fx.edits if e.start == e.end and e.content == line]
            if added:
                fx.edits.remove(added[0])
                swapped = stmt.with_changes(
                    body=[cst.Import(names=[cst.ImportAlias(cst.Name(asyncio_local))])],
                    trailing_whitespace=cst.TrailingWhitespace(),
                )
                fx.replace(stmt, swapped)
            else:
                fx.remove(stmt)
        else:
            others = [s for s in stmt.body if s is not small]
            others[-1] = others[-1].with_changes(semicolon=cst.MaybeSentinel.DEFAULT)
            fx.replace(stmt, stmt.with_changes(body=others))


def _alias_binds(alias: cst.ImportAlias, name: str) -> bool:
    if alias.asname is not None:
        return isinstance(alias.asname.name, cst.Name) and alias.asname.name.value == name
    dotted = dotted_name(alias.name)
    return dotted is not None and dotted.split(".")[0] == name


def _overlapping(fx: FixBuilder) -> bool:
    for a, b in itertools.combinations(fx.edits, 2):
        if a.overlaps(b) and not (a.start == a.end == b.start == b.end):
            return True
    return False


def _merge_touching_insertions(fx: FixBuilder) -> None:
    """Fold an insertion made right at the end of another edit (the import added after the
    import statement being rewritten) into that edit, so the two do not count as overlapping."""
    for insertion in [e for e in fx.edits if e.start == e.end]:
        for other in fx.edits:
            if other is not insertion and other.start != other.end and other.end == insertion.start:
                fx.edits.remove(insertion)
                fx.edits[fx.edits.index(other)] = Edit(
                    other.start, other.end, (other.content or "") + (insertion.content or "")
                )
                break
