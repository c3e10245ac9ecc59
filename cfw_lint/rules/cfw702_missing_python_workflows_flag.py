"""CFW702: Workflows used on a date before `python_workflows` is implied, without the flag."""

from __future__ import annotations

from typing import Iterable

from cfw_lint.diagnostics import Applicability, Fix, FixAvailability, Severity
from cfw_lint.profile import runtime_data
from cfw_lint.project.config_edit import add_to_array, add_top_level_key
from cfw_lint.project.worker_module import enabled, main_entrypoint_kinds, valid_date
from cfw_lint.project.wrangler import EnvSettings
from cfw_lint.rule import ProjectDiagnostic, ProjectRule


class MissingPythonWorkflowsFlag(ProjectRule):
    code = "CFW702"
    name = "missing-python-workflows-flag"
    severity = Severity.ERROR
    fix = FixAvailability.SAFE
    summary = "Workflows used with a date before 2025-09-20 and no `python_workflows` flag."
    profile_facts = ("workflows_enabled",)

    def check(self) -> Iterable[ProjectDiagnostic]:
        config = self.project.config
        if config is None or not config.is_python_worker():
            return
        implied = runtime_data().flags["python_workflows"].implied_from
        seen: set = set()
        for settings in config.settings():
            date = valid_date(settings)
            if date is None or "python_workflows" in enabled(settings):
                continue
            use = self._workflow_use(settings)
            if use is None:
                continue
            flags_key = settings.key("compatibility_flags")
            where = flags_key or settings.key("compatibility_date")
            if where in seen:
                continue
            seen.add(where)
            disabled = "disable_python_workflows" in settings.flags
            if disabled:
                message = (
                    f"{use}{settings.label}, but compatibility_flags has "
                    '"disable_python_workflows": WorkflowEntrypoint.run is never dispatched. '
                    "Remove the disable flag."
                )
            else:
                message = (
                    f"{use}{settings.label}, but compatibility_date {date.isoformat()} is before "
                    f"{implied}, when python_workflows became implied, and the flag is not set: "
                    'WorkflowEntrypoint.run is not dispatched. Add "python_workflows" to '
                    "compatibility_flags (the `experimental` flag is no longer needed with it)."
                )
            edit = None
            if not disabled:
                if flags_key is None:
                    edit = add_top_level_key(
                        config, "compatibility_flags", ["python_workflows"], after="compatibility_date"
                    )
                elif isinstance(settings.flags_value, list):
                    edit = add_to_array(config, flags_key, "python_workflows")
            fix = Fix((edit,), Applicability.SAFE, 'add "python_workflows"') if edit else None
            line, column = config.position(*where)  # type: ignore[misc]
            yield self.diagnostic(config.path, line, column, message, fix=fix)

    def _workflow_use(self, settings: EnvSettings) -> str | None:
        """How this Worker uses Workflows (a phrase for the message), or None."""
        workflows = settings.own("workflows")
        if isinstance(workflows, list):
            for entry in workflows:
                # an entry with script_name binds to a Workflow that another Worker runs
                if (
                    isinstance(entry, dict)
                    and isinstance(entry.get("class_name"), str)
                    and not entry.get("script_name")
                ):
                    return f'the Worker runs Workflow class "{entry["class_name"]}" (workflows binding)'
        main = settings.main_path()
        if main is not None and main.suffix == ".py":
            kinds = main_entrypoint_kinds(self.project, main)
            for name, kind in kinds.items():
                if kind == "WorkflowEntrypoint":
                    return f"{main.name} defines class {name}(WorkflowEntrypoint)"
        return None
