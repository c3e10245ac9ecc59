"""CFW709: no `compatibility_date`, or one that is not a YYYY-MM-DD string."""

from __future__ import annotations

import datetime as dt
import re
from typing import Iterable

from cfw_lint.diagnostics import Severity
from cfw_lint.profile import parse_date
from cfw_lint.rule import ProjectDiagnostic, ProjectRule


class MissingCompatibilityDate(ProjectRule):
    code = "CFW709"
    name = "missing-compatibility-date"
    severity = Severity.ERROR
    summary = "No `compatibility_date`, or a value that is not a YYYY-MM-DD date string."

    def check(self) -> Iterable[ProjectDiagnostic]:
        config = self.project.config
        if config is None or not config.is_python_worker():
            return
        seen: set = set()
        for settings in config.settings():
            key = settings.key("compatibility_date")
            if key in seen:
                continue
            seen.add(key)
            value = settings.compatibility_date
            if key is None:
                message = (
                    f"no compatibility_date{settings.label}: it selects the Python runtime, the "
                    'handler style and the flags in force, and pywrangler stops with "No '
                    'compatibility_date specified in wrangler config". Add compatibility_date = '
                    '"YYYY-MM-DD".'
                )
                yield self.diagnostic(config.path, 1, 1, message)
                continue
            if isinstance(value, str) and parse_date(value) is not None and _strict(value):
                continue
            if isinstance(value, dt.date):
                message = (
                    f"compatibility_date{settings.label} is a TOML date, not the string wrangler's "
                    f'config schema expects. Quote it: compatibility_date = "{value.isoformat()}".'
                )
            else:
                message = (
                    f"compatibility_date{settings.label} {value!r} is not a YYYY-MM-DD date, so the "
                    "runtime version and the flags it implies are unknown."
                )
            line, column = config.position(*key)
            if isinstance(value, str) and _PLACEHOLDER.search(value):
                # a template (a starter kit, a generator's input) filled in before deploying
                message = (
                    f"compatibility_date{settings.label} {value!r} is a template placeholder: it must "
                    "be replaced by a YYYY-MM-DD date before this Worker is deployed; until then the "
                    "runtime version and the flags it implies are unknown."
                )
                yield self.diagnostic(config.path, line, column, message, severity=Severity.WARNING)
                continue
            yield self.diagnostic(config.path, line, column, message)


# `<TBD>`, `%COMPAT_DATE%`, `${DATE}`, `{{ date }}`, `$DATE`, `YYYY-MM-DD`, `TODO`
_PLACEHOLDER = re.compile(
    r"^\s*(?:<[^<>]+>|%[A-Za-z_]+%?|\$\{[^}]*\}|\{\{[^}]*\}\}|\$[A-Z_][A-Z0-9_]*|[YMDX]{4}-[MX]{2}-[DX]{2}|TBD|TODO|FIXME|CHANGEME)\s*$",
    re.IGNORECASE,
)


def _strict(value: str) -> bool:
    """YYYY-MM-DD exactly (Python's fromisoformat also takes 20250101 and other forms)."""
    return len(value) == 10 and value[4] == "-" and value[7] == "-"
