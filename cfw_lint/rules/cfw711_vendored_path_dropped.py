"""CFW711: packages vendored the pre-2025-08-11 way (`vendor.txt`, `src/vendor/`) on a date from
2025-08-11, where the runtime no longer searches the vendor directory. Facts §0, §4.1."""

from __future__ import annotations

from typing import Iterable

from cfw_lint.diagnostics import Applicability, Fix, FixAvailability, Severity
from cfw_lint.profile import runtime_data
from cfw_lint.project.vendoring import FLAG, RUNTIME_VENDOR_PATH, lost_imports, vendoring
from cfw_lint.project.worker_module import display_path, enabled, valid_date
from cfw_lint.rule import ProjectDiagnostic, ProjectRule


class VendoredPathDropped(ProjectRule):
    code = "CFW711"
    name = "vendored-path-dropped"
    severity = Severity.ERROR
    fix = FixAvailability.UNSAFE
    summary = "Packages vendored into src/vendor (vendor.txt) on a date from 2025-08-11: the runtime no longer searches there."
    profile_facts = ("enabled_flags",)

    def check(self) -> Iterable[ProjectDiagnostic]:
        config = self.project.config
        if config is None or not config.is_python_worker():
            return
        switch = runtime_data().flags[FLAG].implied_from
        seen: set = set()
        for settings in config.settings():
            date = valid_date(settings)
            if date is None or FLAG not in enabled(settings):
                continue
            key = settings.key("compatibility_date")
            if key is None or key in seen:
                continue
            seen.add(key)
            lost = lost_imports(self.project)
            if not lost:
                return
            found = vendoring(self.project)
            root = self.project.root
            modules = sorted({site.module.split(".")[0] for _, site, _ in lost})
            first_path, first_site, _ = lost[0]
            where = (
                f"{display_path(found.vendor_dir, root)}/"
                if found.vendor_dir is not None
                else f"the vendor/ directory {display_path(found.vendor_txt, root)} installs into"  # type: ignore[arg-type]
            )
            message = (
                f"compatibility_date {date.isoformat()}{settings.label} is on or after {switch}, where "
                f"{FLAG} drops {RUNTIME_VENDOR_PATH} from sys.path: the packages vendored into {where} "
                f"are no longer found (ModuleNotFoundError: No module named '{modules[0]}', "
                f"{display_path(first_path, root)}:{first_site.line}). Declare them in "
                "[project].dependencies and deploy with pywrangler (it installs into python_modules/)"
            )
            fix = self._fix()
            if fix is None:
                message += f" ({self._why_no_fix()})"
            line, column = config.position(*key)
            yield self.diagnostic(config.path, line, column, message, fix=fix)

    def _why_no_fix(self) -> str:
        found = vendoring(self.project)
        if found.vendor_txt is None:
            return "no automatic fix: there is no vendor.txt to say which distributions and versions to declare"
        return (
            f"no automatic fix: {found.blocked}"
            if found.blocked
            else "no automatic fix: pyproject.toml cannot be edited"
        )

    def _fix(self) -> Fix | None:
        found = vendoring(self.project)
        if found.vendor_txt is None or found.blocked:
            return None
        from cfw_lint.project.deps import deps_of
        from cfw_lint.rules.cfw803_requirements_txt import _fix as move_requirements

        moved, _ = move_requirements(deps_of(self.project), found.vendor_txt, found.requirements)
        if moved is None:
            return None
        return Fix(moved.edits, Applicability.UNSAFE, f"move {found.vendor_txt.name} into [project].dependencies")
