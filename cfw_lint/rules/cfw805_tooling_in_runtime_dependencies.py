"""CFW805: development tools listed as runtime dependencies get vendored into the Worker.
Facts §4.1."""

from __future__ import annotations

from typing import TYPE_CHECKING, Iterable

from cfw_lint.diagnostics import Edit, Fix, FixAvailability, Severity
from cfw_lint.fixes import minimize
from cfw_lint.rule import ProjectDiagnostic, ProjectRule

if TYPE_CHECKING:
    from cfw_lint.project.deps import Declared, ProjectDeps

WHY = {
    "workers-py": "it is pywrangler itself (a host-side CLI); vendored for Pyodide it pulls in "
    "pyjson5, which has no Pyodide wheel",
    "wrangler": "wrangler is the host-side deploy tool, not a Worker library",
}


class ToolingInRuntimeDependencies(ProjectRule):
    code = "CFW805"
    name = "tooling-in-runtime-dependencies"
    severity = Severity.ERROR
    fix = FixAvailability.SAFE
    summary = "workers-py, pytest or wrangler in [project].dependencies: vendored into the Worker."

    def check(self) -> Iterable[ProjectDiagnostic]:
        # imported here: most runs never need the dependency machinery
        from cfw_lint.project.deps import deps_of, is_tooling

        deps = deps_of(self.project)
        imported = self._imported_tops()
        for d in deps.runtime:
            if d.name is None or not is_tooling(d.name):
                continue
            if _used_at_run_time(d.name, imported, deps):
                continue
            why = WHY.get(d.name, "a test tool runs on the host, never inside the Worker")
            yield self.diagnostic(
                d.path,
                d.line,
                d.column,
                f"`{d.raw}` is in [project].dependencies, which pywrangler vendors into the Worker: "
                f"{why}. Move it to [dependency-groups].dev",
                fix=_fix(deps, d),
            )

    def _imported_tops(self) -> set[str]:
        """Top-level modules the Worker's own sources import."""
        out: set[str] = set()
        for path in self.project.source_files():
            facts = self.project.facts_for(path) or {}
            out.update(m.split(".")[0] for m in facts.get("imports", []))
        return out


def _used_at_run_time(name: str, imported: set[str], deps: ProjectDeps) -> bool:
    """A Worker that imports pytest (one that runs its tests inside workerd) needs it, and the
    pytest plugins pytest loads, vendored; the host-only CLIs never are imports."""
    if name in ("workers-py", "wrangler"):
        return False
    if name.startswith("pytest-") and "pytest" in imported:
        return True
    return any(module.split(".")[0] in imported for module in deps.modules_of(name))


def _fix(deps: ProjectDeps, item: Declared) -> Fix | None:
    import tomlkit
    from tomlkit.exceptions import TOMLKitError

    from cfw_lint.project.deps_edit import dumps, extend_array, item_comment, requirement_name

    text = deps.pyproject_text
    if text is None:
        return None
    try:
        document = tomlkit.parse(text)
    except TOMLKitError:
        return None
    dependencies = document.get("project", {}).get("dependencies")
    if (
        not isinstance(dependencies, list)
        or item.index >= len(dependencies)
        or str(dependencies[item.index]) != item.raw
    ):
        return None
    groups = document.get("dependency-groups")
    if groups is None:
        groups = tomlkit.table()
        document.add("dependency-groups", groups)
    elif not isinstance(groups, dict):
        return None
    dev = groups.get("dev")
    if dev is not None and not isinstance(dev, list):
        return None
    comment = item_comment(dependencies, item.index)
    del dependencies[item.index]
    if not any(isinstance(x, str) and requirement_name(x) == item.name for x in dev or []):
        extend_array(groups, "dev", [(item.raw, comment)])
    edit = minimize(text, Edit(0, len(text), dumps(document, text), path=str(deps.pyproject_path)))
    if edit is None:
        return None
    return Fix((edit,), message=f"Move {item.raw} to [dependency-groups].dev")
