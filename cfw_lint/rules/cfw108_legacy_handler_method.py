"""CFW108: an entrypoint class spells a handler the legacy way (`on_fetch`) on a date where the
runtime calls `fetch`. Facts §1.3, §1.5."""

from __future__ import annotations

import libcst as cst

from cfw_lint.analysis.model import EntrypointClass
from cfw_lint.diagnostics import Applicability, FixAvailability, Severity
from cfw_lint.fixes import FixBuilder
from cfw_lint.rule import PythonRule
from cfw_lint.summary import ModuleSummary

# legacy method name -> the name the runtime calls in class mode, per kind of entrypoint. Legacy
# mode looked these class methods up with the `on_` prefix; from 2025-08-14 it does not.
RENAMES = {
    "WorkerEntrypoint": {
        "on_fetch": "fetch", "on_scheduled": "scheduled", "on_queue": "queue",
        "on_trace": "tail", "on_connect": "connect",
    },
    "DurableObject": {"on_fetch": "fetch", "on_alarm": "alarm", "on_connect": "connect"},
    "WorkflowEntrypoint": {"on_run": "run"},
}  # fmt: skip
# what legacy mode (before 2025-08-14) does look up with the prefix (the entrypoint helper's
# SPECIAL_HANDLER_NAMES and, for Durable Objects, SPECIAL_DO_HANDLER_NAMES)
LEGACY_PREFIXED = {
    "WorkerEntrypoint": {"on_fetch", "on_connect"},
    "DurableObject": {"on_fetch", "on_connect", "on_alarm"},
    "WorkflowEntrypoint": set(),
}
ENTRYPOINT_ORIGINS = {f"{package}.{kind}" for package in ("workers", "cloudflare.workers") for kind in RENAMES}


class LegacyHandlerMethod(PythonRule):
    code = "CFW108"
    name = "legacy-handler-method"
    severity = Severity.ERROR
    # safe on class-handler dates; on legacy dates the rename needs the date move too (unsafe)
    fix = FixAvailability.SOMETIMES
    summary = "`on_fetch`/`on_alarm`/... on an entrypoint class: from 2025-08-14 the runtime calls `fetch`/`alarm`/..."
    profile_facts = ("class_handlers",)
    triggers = ("on_",)
    # only files importing these can hold what the rule matches (see PythonRule.modules)
    modules = ("workers", "cloudflare")

    @classmethod
    def could_fire(cls, summary: ModuleSummary, text: str) -> bool:
        return any(not summary.entrypoint_methods(kind).isdisjoint(names) for kind, names in RENAMES.items())

    def visit_Module(self, node: cst.Module) -> None:
        legacy = not self.profile.class_handlers
        classes = {s.name.value: s for s in node.body if isinstance(s, cst.ClassDef)}
        for entry in self.model.entrypoints.values():
            renames = RENAMES.get(entry.kind, {})
            defined = self._method_names(entry.node, classes, set())
            if defined is None:
                continue  # a base the module does not define may have the class-mode name
            for name, current in renames.items():
                func = entry.methods.get(name)
                if func is None or current in defined:
                    continue
                if legacy and name in LEGACY_PREFIXED[entry.kind]:
                    self._report_legacy_spelling(entry, func, name, current, node)
                    continue
                self._report(entry, func, name, current, node, legacy)

    def _method_names(self, cls: cst.ClassDef, classes: dict[str, cst.ClassDef], seen: set[str]) -> set[str] | None:
        """Methods `cls` defines or inherits from the module's own classes; None when a base is
        neither one of those nor the SDK's entrypoint class."""
        if cls.name.value in seen:
            return set()
        seen.add(cls.name.value)
        names = (
            {s.name.value for s in cls.body.body if isinstance(s, cst.FunctionDef)}
            if isinstance(cls.body, cst.IndentedBlock)
            else set()
        )
        for base in cls.bases:
            if base.keyword is not None:
                continue
            if self.model.resolve(base.value) in ENTRYPOINT_ORIGINS:
                continue
            local = classes.get(base.value.value) if isinstance(base.value, cst.Name) else None
            if local is None:
                return None
            inherited = self._method_names(local, classes, seen)
            if inherited is None:
                return None
            names |= inherited
        return names

    def _report(
        self, entry: EntrypointClass, func: cst.FunctionDef, name: str, current: str, module: cst.Module, legacy: bool
    ) -> None:
        why = (
            "on this date only fetch/connect (and a Durable Object's alarm) are looked up with the `on_` prefix"
            if legacy
            else "from compatibility date 2025-08-14 (python_no_global_handlers) no handler is looked up with the `on_` prefix"
        )
        message = (
            f"`{entry.name}.{name}` is never called: the runtime calls the {entry.kind}'s `{current}` "
            f"method, which this class does not define (`TypeError: Method {current} does not exist`); "
            f"{why}. Rename it to `{current}`"
        )
        self.report(func.name, message, fix=self._fix(func, name, current, module))

    def _report_legacy_spelling(
        self, entry: EntrypointClass, func: cst.FunctionDef, name: str, current: str, module: cst.Module
    ) -> None:
        """On a legacy date the `on_` name is the one the runtime calls: it works today and
        breaks the day the date moves, like a module-level `on_fetch` (CFW101's warning)."""
        if "disable_python_no_global_handlers" in self.profile.explicit_flags:
            how = "and remove disable_python_no_global_handlers"
        else:
            how = "and move compatibility_date to 2025-08-14 or later (CFW703 moves it)"
        message = (
            f"`{entry.name}.{name}` is the legacy spelling: it works only before compatibility date "
            "2025-08-14 (python_no_global_handlers), from which the runtime calls "
            f"`{current}` (`TypeError: Method {current} does not exist`); rename it to `{current}` {how}"
        )
        self.report(
            func.name,
            message,
            severity=Severity.WARNING,
            fix=self._fix(func, name, current, module),
            applicability=Applicability.UNSAFE,
        )

    @staticmethod
    def _fix(func: cst.FunctionDef, legacy: str, current: str, module: cst.Module):  # type: ignore[no-untyped-def]
        # a rename is safe only when nothing else in the module uses the old name
        if _uses(module, legacy) != 1:
            return None

        def apply(fx: FixBuilder) -> None:
            fx.replace(func.name, cst.Name(current))

        return apply


def _uses(module: cst.Module, name: str) -> int:
    """How many names (definitions, calls, attribute names) and string literals (`getattr`)
    spell `name` in the module."""

    class Counter(cst.CSTVisitor):
        count = 0

        def visit_Name(self, node: cst.Name) -> None:
            if node.value == name:
                Counter.count += 1

        def visit_SimpleString(self, node: cst.SimpleString) -> None:
            if node.evaluated_value == name:
                Counter.count += 1

    counter = Counter()
    module.visit(counter)
    return Counter.count
