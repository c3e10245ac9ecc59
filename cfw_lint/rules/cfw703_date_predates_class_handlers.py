"""CFW703: `class Default(WorkerEntrypoint)` under a date that still uses module-level handlers."""

from __future__ import annotations

from typing import Iterable

from cfw_lint.diagnostics import Applicability, Fix, FixAvailability, Severity
from cfw_lint.profile import runtime_data
from cfw_lint.project.config_edit import set_string
from cfw_lint.project.worker_module import enabled, main_entrypoint_kinds, valid_date
from cfw_lint.rule import ProjectDiagnostic, ProjectRule


# handlers legacy mode looks up on a Default instance with an `on_` prefix (the entrypoint
# helper's SPECIAL_HANDLER_NAMES); `scheduled`, `queue`, `tail` are looked up as they are
_RENAMED = ("fetch", "connect")


def _works_in_legacy_mode(text: str | None) -> bool:
    """The main module's own `class Default` spells its handlers for legacy mode (`on_fetch`)
    and defines none that legacy mode would look up under another name (`fetch` without
    `on_fetch`): on these dates that class works."""
    if text is None:
        return False
    import ast

    try:
        tree = ast.parse(text)
    except (SyntaxError, ValueError):
        return False
    classes = [n for n in tree.body if isinstance(n, ast.ClassDef) and n.name == "Default"]
    if len(classes) != 1:
        return False
    methods = {
        n.name for n in classes[0].body if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))
    }
    legacy_spelled = any(m.startswith("on_") for m in methods)
    return legacy_spelled and not any(n in methods and f"on_{n}" not in methods for n in _RENAMED)


class DatePredatesClassHandlers(ProjectRule):
    code = "CFW703"
    name = "date-predates-class-handlers"
    severity = Severity.ERROR
    fix = FixAvailability.UNSAFE
    summary = "`Default(WorkerEntrypoint)` with a compatibility date before 2025-08-14."
    profile_facts = ("class_handlers",)

    def check(self) -> Iterable[ProjectDiagnostic]:
        config = self.project.config
        if config is None:
            return
        info = runtime_data().flags["python_no_global_handlers"]
        switch = info.implied_from
        assert switch is not None
        seen: set = set()
        for settings in config.settings():
            date = valid_date(settings)
            if date is None or "python_no_global_handlers" in enabled(settings):
                continue
            main = settings.main_path()
            if main is None or main.suffix != ".py":
                continue
            if main_entrypoint_kinds(self.project, main).get("Default") != "WorkerEntrypoint":
                continue
            if _works_in_legacy_mode(self.project.read_text(main)):
                continue
            flags = settings.flags
            if info.disable in flags:
                key = settings.key("compatibility_flags")
                where = key + (flags.index(info.disable),) if key else None
                message = (
                    f'{main.name} defines class Default(WorkerEntrypoint){settings.label}, but '
                    f'"{info.disable}" keeps the legacy module-level handlers: the class\'s fetch is '
                    'looked up as on_fetch ("Method on_fetch does not exist"). Remove the flag.'
                )
                edit = None
            else:
                where = settings.key("compatibility_date")
                message = (
                    f"{main.name} defines class Default(WorkerEntrypoint){settings.label}, but "
                    f"compatibility_date {date.isoformat()} is before {switch.isoformat()}: the "
                    "runtime still expects module-level on_fetch/on_scheduled handlers and looks the "
                    'class\'s fetch up as on_fetch ("Method on_fetch does not exist"). Set '
                    f"compatibility_date to {switch.isoformat()} or later."
                )
                edit = set_string(config, where, switch.isoformat()) if where else None
            if where in seen:
                continue
            seen.add(where)
            fix = Fix((edit,), Applicability.UNSAFE, f"set compatibility_date to {switch}") if edit else None
            line, column = config.position(*where) if where else (1, 1)
            yield self.diagnostic(config.path, line, column, message, fix=fix)
