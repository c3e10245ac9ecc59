"""CFW707: both the enable and the disable flag of one pair."""

from __future__ import annotations

from typing import Iterable

from cfw_lint.diagnostics import Severity
from cfw_lint.profile import runtime_data
from cfw_lint.rule import ProjectDiagnostic, ProjectRule


class ContradictoryFlags(ProjectRule):
    code = "CFW707"
    name = "contradictory-flags"
    severity = Severity.ERROR
    summary = "Both halves of an enable/disable compatibility flag pair."

    def check(self) -> Iterable[ProjectDiagnostic]:
        config = self.project.config
        if config is None or not config.is_python_worker():
            return
        pairs = [(f.name, f.disable) for f in runtime_data().flags.values() if f.disable]
        seen: set = set()
        for settings in config.settings():
            key = settings.key("compatibility_flags")
            raw = settings.flags_value
            if key is None or key in seen or not isinstance(raw, list):
                continue
            seen.add(key)
            for enable, disable in pairs:
                if enable in raw and disable in raw:
                    later = max(raw.index(enable), raw.index(disable))
                    line, column = config.position(*key, later)
                    message = (
                        f"Compatibility flags are mutually contradictory: {enable} vs {disable} "
                        "(the runtime rejects the config). Keep one of them."
                    )
                    yield self.diagnostic(config.path, line, column, message)
