"""CFW803: `requirements.txt` in a Worker project; pywrangler refuses it. Facts §4.1."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Iterable

from cfw_lint.diagnostics import Edit, Fix, FixAvailability, Severity
from cfw_lint.fixes import minimize
from cfw_lint.rule import ProjectDiagnostic, ProjectRule

if TYPE_CHECKING:
    from cfw_lint.project.deps import TxtLine

PYWRANGLER_MESSAGE = (
    "Specifying Python Packages in requirements.txt is no longer supported, please use pyproject.toml instead."
)


class RequirementsTxt(ProjectRule):
    code = "CFW803"
    name = "requirements-txt"
    severity = Severity.ERROR
    fix = FixAvailability.SAFE
    summary = "requirements.txt in a Worker project: pywrangler refuses it; move it to pyproject.toml."

    def check(self) -> Iterable[ProjectDiagnostic]:
        # imported here: most runs never need the dependency machinery
        from cfw_lint.project.deps import deps_of, read_requirements_txt, requirements_txt_path

        deps = deps_of(self.project)
        path = requirements_txt_path(self.project)
        text = deps._text(path)
        if text is None:
            return
        lines = read_requirements_txt(text)
        blocked = next((t.problem for t in lines if t.problem), None)
        fix, why_not = (None, blocked) if blocked else _fix(deps, path, lines)
        message = (
            f'pywrangler refuses a requirements.txt: "{PYWRANGLER_MESSAGE}" and exits with '
            f'"{path.name} exists. Delete the file to continue. Exiting." Move its requirements to '
            "[project].dependencies in pyproject.toml"
        )
        if fix is None and why_not:
            message += f" (no automatic fix: {why_not})"
        yield self.diagnostic(path, 1, 1, message, fix=fix)


def _fix(deps, path, lines: list[TxtLine]) -> tuple[Fix | None, str | None]:
    import tomlkit
    from tomlkit.exceptions import TOMLKitError

    from cfw_lint.project.deps_edit import dumps, extend_array, requirement_name

    requirements, dropped = _carried(deps, lines)
    existing_text = deps.pyproject_text
    pyproject = deps.pyproject_path
    if existing_text is None:
        name = _project_name(deps)
        document = tomlkit.document()
        new_table = tomlkit.table()
        new_table.add("name", name)
        new_table.add("version", "0.1.0")
        extend_array(new_table, "dependencies", requirements)
        document.add("project", new_table)
        new = dumps(document, None)
        edits: tuple[Edit, ...] = (Edit(None, None, new, path=str(pyproject)), Edit(None, None, None, path=str(path)))
        return Fix(edits, message="Move requirements.txt into a new pyproject.toml" + dropped), None
    if deps.pyproject is None:
        return None, "pyproject.toml does not parse"
    try:
        document = tomlkit.parse(existing_text)
    except TOMLKitError:
        return None, "pyproject.toml does not parse"
    table = document.get("project")
    if table is None:
        table = tomlkit.table()
        table.add("name", _project_name(deps))
        table.add("version", "0.1.0")
        document.add("project", table)
        # keep [project] first, where readers look for it
    elif not isinstance(table, dict):
        return None, "[project] is not a table"
    dynamic = table.get("dynamic")
    if isinstance(dynamic, list) and "dependencies" in dynamic:
        return None, "[project].dependencies is dynamic"
    current = table.get("dependencies")
    if current is not None and not isinstance(current, list):
        return None, "[project].dependencies is not an array"
    have = {requirement_name(str(x)) for x in current or []}
    added = []
    for requirement, comment in requirements:
        key = requirement_name(requirement)
        if key in have:
            continue  # never duplicate a package already declared
        have.add(key)
        added.append((requirement, comment))
    extend_array(table, "dependencies", added)
    new = dumps(document, existing_text)
    edit = minimize(existing_text, Edit(0, len(existing_text), new, path=str(pyproject)))
    edits = ((edit,) if edit is not None else ()) + (Edit(None, None, None, path=str(path)),)
    return Fix(edits, message="Move requirements.txt into [project].dependencies" + dropped), None


def _carried(deps, lines: list[TxtLine]) -> tuple[list[tuple[str, str | None]], str]:
    """The requirements worth carrying into pyproject.toml, and a note on those left out: a
    standard-library name (`ssl`, `asyncio`: old PyPI placeholders that do not install for the
    runtime) or one of the Worker's own modules is no dependency."""
    from cfw_lint.project.deps import is_stdlib

    own = deps.own_modules()
    kept, dropped = [], []
    for t in lines:
        if t.requirement is None:
            continue
        module = t.requirement.name.replace("-", "_")
        if is_stdlib(module, deps.profile.python) or is_stdlib(module.lower(), deps.profile.python) or module in own:
            dropped.append(t.requirement.name)
            continue
        kept.append((t.text, t.comment))
    note = (
        f" (left out: {', '.join(dropped)}, provided by the standard library or the Worker itself)" if dropped else ""
    )
    return kept, note


def _project_name(deps) -> str:
    """A valid project name: the Worker's `name`, else the directory's."""
    config = deps.project.config
    raw = config.data.get("name") if config is not None else None
    if not isinstance(raw, str) or not raw.strip():
        raw = deps.root.name
    name = re.sub(r"[^A-Za-z0-9._-]+", "-", raw).strip("-._")
    return name or "worker"
