"""Round-trip edits of pyproject.toml dependency arrays for the CFW803/CFW805 fixes (tomlkit keeps
comments, key order and formatting of everything not touched)."""

from __future__ import annotations

import re
from typing import Any

import tomlkit

from cfw_lint.project.index import normalize


def requirement_name(requirement: str) -> str:
    match = re.match(r"\s*([A-Za-z0-9][A-Za-z0-9._-]*)", requirement)
    return normalize(match.group(1)) if match else requirement.strip()


def _is_multiline(array: Any) -> bool:
    return "\n" in array.as_string()


def extend_array(table: Any, key: str, items: list[tuple[str, str | None]]) -> None:
    """Append `(requirement, comment)` items to `table[key]` (created when missing). A multi-line
    array gets one line per item with its comment; an empty or one-line array is rewritten as a
    multi-line one when comments must be carried, and extended in place otherwise."""
    if not items:
        return
    current = table.get(key)
    if current is not None and len(current) and _is_multiline(current):
        for text, comment in items:
            current.add_line(text, comment=comment) if comment else current.add_line(text)
        return
    if current is not None and len(current) and not any(c for _, c in items):
        for text, _ in items:
            current.append(text)
        return
    array = tomlkit.array()
    for existing in current or []:
        array.add_line(str(existing))
    for text, comment in items:
        array.add_line(text, comment=comment) if comment else array.add_line(text)
    array.add_line(indent="")
    if current is None:
        table.add(key, array)
    else:
        table[key] = array


def dumps(document: Any, original: str | None) -> str:
    text = tomlkit.dumps(document)
    if original is not None and "\r\n" in original:
        text = text.replace("\r\n", "\n").replace("\n", "\r\n")
    return text


def item_comment(array: Any, index: int) -> str | None:
    """The `# ...` comment after element `index` of a tomlkit array (None when there is none)."""
    groups = [g for g in getattr(array, "_value", []) if getattr(g, "value", None) is not None]
    if index >= len(groups) or groups[index].comment is None:
        return None
    text = groups[index].comment.as_string().strip()
    return text[1:].strip() if text.startswith("#") else None


def add_dependency_edits(deps: Any, requirement: str, project_name: str) -> tuple[Any, ...] | None:
    """Edits adding `requirement` to [project].dependencies (creating pyproject.toml or the
    table when missing); None when pyproject.toml cannot be edited safely (does not parse,
    dynamic or non-array dependencies) or already declares the package."""
    from tomlkit.exceptions import TOMLKitError

    from cfw_lint.diagnostics import Edit
    from cfw_lint.fixes import minimize

    path = deps.pyproject_path
    existing = deps.pyproject_text
    if existing is None:
        document = tomlkit.document()
        new_table = tomlkit.table()
        new_table.add("name", project_name)
        new_table.add("version", "0.1.0")
        extend_array(new_table, "dependencies", [(requirement, None)])
        document.add("project", new_table)
        return (Edit(None, None, dumps(document, None), path=str(path)),)
    if deps.pyproject is None:
        return None
    try:
        document = tomlkit.parse(existing)
    except TOMLKitError:
        return None
    table = document.get("project")
    if table is None:
        table = tomlkit.table()
        table.add("name", project_name)
        table.add("version", "0.1.0")
        document.add("project", table)
    elif not isinstance(table, dict):
        return None
    dynamic = table.get("dynamic")
    if isinstance(dynamic, list) and "dependencies" in dynamic:
        return None
    current = table.get("dependencies")
    if current is not None and not isinstance(current, list):
        return None
    if requirement_name(requirement) in {requirement_name(str(x)) for x in current or []}:
        return None
    extend_array(table, "dependencies", [(requirement, None)])
    edit = minimize(existing, Edit(0, len(existing), dumps(document, existing), path=str(path)))
    return (edit,) if edit is not None else None
