"""CFW706: a compatibility flag the date already implies, or `experimental` kept for Workflows."""

from __future__ import annotations

from typing import Iterable

from cfw_lint.diagnostics import Applicability, Fix, FixAvailability, Severity
from cfw_lint.profile import runtime_data
from cfw_lint.project.config_edit import remove_from_array
from cfw_lint.project.worker_module import enabled, valid_date
from cfw_lint.project.wrangler import EnvSettings
from cfw_lint.rule import ProjectDiagnostic, ProjectRule


class RedundantFlag(ProjectRule):
    code = "CFW706"
    name = "redundant-flag"
    severity = Severity.INFO
    fix = FixAvailability.SAFE
    summary = "A flag the compatibility date already implies, or `experimental` kept only for Workflows."

    def check(self) -> Iterable[ProjectDiagnostic]:
        config = self.project.config
        if config is None or not config.is_python_worker():
            return
        # one flags list may serve several variants (environments inherit it); a flag is
        # redundant only if every variant using the list has it anyway
        users: dict[tuple, list[EnvSettings]] = {}
        for settings in config.settings():
            key = settings.key("compatibility_flags")
            if key is not None and isinstance(settings.flags_value, list):
                users.setdefault(key, []).append(settings)
        data = runtime_data()
        for key, variants in users.items():
            if any(valid_date(v) is None for v in variants):
                continue  # no usable date: what it implies is unknown (CFW709)
            flags = variants[0].flags
            raw = variants[0].flags_value
            for index, flag in enumerate(raw):
                if not isinstance(flag, str) or raw.index(flag) != index:
                    continue
                info = data.flags.get(flag)
                message = None
                if info is not None and info.implied_from is not None:
                    rest = [f for f in flags if f != flag]
                    if all(flag in enabled(v, rest) for v in variants):
                        dates = sorted({valid_date(v).isoformat() for v in variants})  # type: ignore[union-attr]
                        via = f" with {info.requires}" if info.requires else ""
                        message = (
                            f'"{flag}" is redundant: compatibility_date {" / ".join(dates)} already '
                            f"implies it (from {info.implied_from.isoformat()}{via}). Remove it."
                        )
                elif flag == "experimental" and self._experimental_only_for_workflows(flags):
                    message = (
                        '"experimental" is not needed: python_workflows stopped being an experimental '
                        "flag in August 2025, and no other flag here is experimental. Remove it."
                    )
                if message is None:
                    continue
                edit = remove_from_array(config, key, index)
                fix = Fix((edit,), Applicability.SAFE, f'remove "{flag}"') if edit else None
                line, column = config.position(*key, index)
                yield self.diagnostic(config.path, line, column, message, fix=fix)

    @staticmethod
    def _experimental_only_for_workflows(flags: list[str]) -> bool:
        data = runtime_data()
        others = [f for f in flags if f != "experimental"]
        if "python_workflows" not in others:
            return False
        # a flag we do not know may be an experimental one: then `experimental` may be needed
        return all(data.known_flag(f) and not (f in data.flags and data.flags[f].experimental) for f in others)
