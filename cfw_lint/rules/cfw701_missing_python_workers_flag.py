"""CFW701: a `.py` main module without the `python_workers` compatibility flag."""

from __future__ import annotations

from typing import Iterable

from cfw_lint.diagnostics import Applicability, Fix, FixAvailability, Severity
from cfw_lint.project.config_edit import add_to_array, add_top_level_key
from cfw_lint.rule import ProjectDiagnostic, ProjectRule


# workerd flags that imply `python_workers` or make a Python main count without it
STAND_INS = ("python_workers_development", "auto_inject_python_workers")


class MissingPythonWorkersFlag(ProjectRule):
    code = "CFW701"
    name = "missing-python-workers-flag"
    severity = Severity.ERROR
    fix = FixAvailability.SAFE
    summary = "`main` is a .py module but `python_workers` is not in compatibility_flags."

    def check(self) -> Iterable[ProjectDiagnostic]:
        config = self.project.config
        if config is None:
            return
        seen: set = set()
        for settings in config.settings():
            main = settings.main
            if not (isinstance(main, str) and main.strip().lower().endswith(".py")):
                continue
            if "python_workers" in settings.flags:
                continue
            flags_key = settings.key("compatibility_flags")
            if flags_key in seen:
                continue  # an environment inheriting the same list: reported once, at the list
            seen.add(flags_key)
            # wrangler tests for the literal name (runtime facts 3.2): flags that imply or stand
            # in for it in workerd do not satisfy it
            stand_ins = [f for f in settings.flags if f in STAND_INS]
            note = f" ({', '.join(stand_ins)} does not count: wrangler checks for this exact flag)" if stand_ins else ""
            message = (
                f'main module "{main}"{settings.label} is Python but compatibility_flags lacks '
                f'"python_workers"{note}: wrangler refuses the config with "The `python_workers` '
                'compatibility flag is required to use Python." (the runtime too). Add "python_workers" '
                "to compatibility_flags."
            )
            if flags_key is None:
                edit = add_top_level_key(config, "compatibility_flags", ["python_workers"], after="compatibility_date")
                line, column = config.position(*settings.key("main"))  # type: ignore[misc]
            else:
                edit = (
                    add_to_array(config, flags_key, "python_workers")
                    if isinstance(settings.flags_value, list)
                    else None
                )
                line, column = config.position(*flags_key)
            fix = Fix((edit,), Applicability.SAFE, 'add "python_workers"') if edit else None
            yield self.diagnostic(config.path, line, column, message, fix=fix)
