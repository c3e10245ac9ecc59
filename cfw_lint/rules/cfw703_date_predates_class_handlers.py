"""CFW703: `class Default(WorkerEntrypoint)` under a date that still uses module-level handlers."""

from __future__ import annotations

import datetime as dt
from typing import Any, Iterable

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
    methods = {n.name for n in classes[0].body if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))}
    legacy_spelled = any(m.startswith("on_") for m in methods)
    return legacy_spelled and not any(n in methods and f"on_{n}" not in methods for n in _RENAMED)


def _candidate_dates(switch: dt.date) -> list[dt.date]:
    """The switch date, then each later date that selects a newer Python, up to (not
    including) the date the runtime stops shipping the SDK (a change of its own, CFW708)."""
    data = runtime_data()
    stop = data.flags["enable_python_external_sdk"].implied_from
    dates = [switch]
    for release in data.releases:
        info = data.flags.get(release.flag)
        implied = info.implied_from if info is not None else None
        if implied is not None and switch < implied and (stop is None or implied < stop):
            dates.append(implied)
    return sorted(set(dates))


def _errors_on(project: Any, date: dt.date, flags: list[str]) -> tuple[int, list[str]]:
    """Error-level findings of the Worker's Python sources linted as if on `date` (the codes
    found, for the message). The code is parsed, never run."""
    from cfw_lint.engine import lint_python
    from cfw_lint.profile import build_profile
    from cfw_lint.project.deps import reached_sources
    from cfw_lint.registry import all_rules, python_rules
    from cfw_lint.rule import FileContext

    profile = build_profile(date, flags, source="candidate date").with_sdk(*project.sdk_version())
    files = reached_sources(project)
    if files is None:
        files = {p for p in project.source_files() if project.is_worker_source(p)}
    # the candidates differ in the Python they select: only rules whose findings depend on it
    rules = [r for r in python_rules(list(all_rules())) if "python_version" in getattr(r, "profile_facts", ())]
    count, codes = 0, []
    for path in sorted(files):
        text = project.read_text(path)
        if text is None:
            continue
        context = FileContext(
            path=str(path),
            abspath=path,
            profile=profile,
            is_main=project.is_main(path),
            project_root=project.root,
            needs_facts=False,
        )
        for d in lint_python(text, context, rules).diagnostics:
            if d.severity is Severity.ERROR:
                count += 1
                codes.append(d.code)
    return count, codes


def pick_date(project: Any, switch: dt.date, flags: list[str]) -> tuple[dt.date | None, str]:
    """The date to move to: the earliest candidate on which the Worker's code has the fewest
    errors. None (and why) when no date keeps the Worker working."""
    from cfw_lint.project.vendoring import FLAG, lost_imports, vendoring

    vendor_flag = runtime_data().flags[FLAG].implied_from
    note = ""
    lost = lost_imports(project)
    if lost and vendor_flag is not None and vendor_flag <= switch:
        found = vendoring(project)
        modules = ", ".join(sorted({site.module.split(".")[0] for _, site, _ in lost}))
        if found.vendor_txt is None or found.blocked:
            return None, (
                f"no date keeps this Worker working: class handlers need {switch} or later, and from "
                f"{vendor_flag} the packages vendored into vendor/ ({modules}) are no longer found "
                "(CFW711); declare them in [project].dependencies and deploy with pywrangler first"
            )
        note = (
            f"; from {vendor_flag} the vendored packages ({modules}) are no longer found, so the date "
            f"goes together with moving {found.vendor_txt.name} into [project].dependencies (CFW711)"
        )
    candidates = _candidate_dates(switch)
    if len(candidates) == 1:
        return switch, note
    scored = [(date, *_errors_on(project, date, flags)) for date in candidates]
    best = min(scored, key=lambda s: (s[1], s[0]))
    if best[0] != switch:
        first = scored[0]
        gone = sorted(set(first[2]) - set(best[2])) or sorted(set(first[2]))
        python = build_python(best[0], flags)
        note = (
            f"; {best[0]} rather than {switch}: it selects Python {python}, on which the code has "
            f"{first[1] - best[1]} error(s) fewer ({', '.join(gone)})" + note
        )
    return best[0], note


def build_python(date: dt.date, flags: list[str]) -> str:
    from cfw_lint.profile import build_profile

    return build_profile(date, flags, source="candidate date").python_version


# what legacy mode looks up with the `on_` prefix on a Durable Object (SPECIAL_HANDLER_NAMES and
# SPECIAL_DO_HANDLER_NAMES of the entrypoint helper)
_DO_RENAMED = ("fetch", "connect", "alarm")


def _class_mode_subject(kinds: dict[str, str], text: str | None) -> tuple[str, str, str] | None:
    """(class, kind, method) of an entrypoint class in the main module spelled for class mode
    that legacy mode cannot call: `Default` (unless it spells its handlers the legacy way), or a
    Durable Object with `fetch`/`alarm`/`connect` and no `on_` version."""
    if kinds.get("Default") == "WorkerEntrypoint" and not _works_in_legacy_mode(text):
        return "Default", "WorkerEntrypoint", "fetch"
    if text is None:
        return None
    import ast

    try:
        tree = ast.parse(text)
    except (SyntaxError, ValueError):
        return None
    for node in tree.body:
        if isinstance(node, ast.ClassDef) and kinds.get(node.name) == "DurableObject":
            methods = {n.name for n in node.body if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))}
            for method in _DO_RENAMED:
                if method in methods and f"on_{method}" not in methods:
                    return node.name, "DurableObject", method
    return None


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
            subject = _class_mode_subject(main_entrypoint_kinds(self.project, main), self.project.read_text(main))
            if subject is None:
                continue
            cls, kind, method = subject
            flags = settings.flags
            if info.disable in flags:
                key = settings.key("compatibility_flags")
                where = key + (flags.index(info.disable),) if key else None
                message = (
                    f"{main.name} defines class {cls}({kind}){settings.label}, but "
                    f'"{info.disable}" keeps the legacy module-level handlers: the class\'s {method} is '
                    f'looked up as on_{method} ("Method on_{method} does not exist"). Remove the flag.'
                )
                edit = None
            else:
                where = settings.key("compatibility_date")
                if where in seen:
                    continue
                target, note = pick_date(self.project, switch, flags)
                message = (
                    f"{main.name} defines class {cls}({kind}){settings.label}, but "
                    f"compatibility_date {date.isoformat()} is before {switch.isoformat()}: the "
                    "runtime still expects module-level on_fetch/on_scheduled handlers and looks the "
                    f'class\'s {method} up as on_{method} ("Method on_{method} does not exist"). '
                )
                if target is None:
                    message += f"No automatic fix: {note}."
                    edit = None
                else:
                    message += f"Set compatibility_date to {target.isoformat()} or later{note}."
                    edit = set_string(config, where, target.isoformat()) if where else None
            if where in seen:
                continue
            seen.add(where)
            fix = Fix((edit,), Applicability.UNSAFE, f"set compatibility_date to {target}") if edit else None
            line, column = config.position(*where) if where else (1, 1)
            yield self.diagnostic(config.path, line, column, message, fix=fix)
