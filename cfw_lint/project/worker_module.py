"""What the Worker config rules (CFW7xx) need to know about a Worker's main module and runtime.

The runtime imports the main module and exports every public attribute (or the names in
`__all__`) that subclasses `WorkerEntrypoint`, `DurableObject` or `WorkflowEntrypoint`
(runtime facts 1.2). These helpers answer that from the module's text; nothing is imported.
"""

from __future__ import annotations

import ast
import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, cast

from cfw_lint.analysis.model import ENTRYPOINT_BASES
from cfw_lint.profile import RuntimeProfile, build_profile, enabled_flags, parse_date
from cfw_lint.project.wrangler import EnvSettings


def main_entrypoint_kinds(project: Any, main: Path, depth: int = 0) -> dict[str, str]:
    """Entrypoint classes visible in a module: its own, and those imported from the Worker's
    other modules (`from handlers import Default`), also as bases of its own classes."""
    facts = project.facts_for(main)
    if not facts:
        return {}
    imported: dict[str, str] = {}  # origin ("handlers.Default") -> kind
    if depth < 3:
        for origin in set(facts.get("aliases", {}).values()):
            module, _, name = origin.rpartition(".")
            path = _local_module(main, module)
            if path is None or path == main:
                continue
            kind = main_entrypoint_kinds(project, path, depth + 1).get(name)
            if kind:
                imported[origin] = kind
    kinds = entrypoint_kinds(facts, imported)
    for local, origin in facts.get("aliases", {}).items():
        if origin in imported:
            kinds.setdefault(local, imported[origin])
    return kinds


def _local_module(main: Path, module: str) -> Path | None:
    """The file of a module imported by the main module, when it is one of the Worker's own
    (the main module's directory is on sys.path; relative imports count from it too)."""
    if not module.strip("."):
        return None
    dots = len(module) - len(module.lstrip("."))
    base = main.parent
    for _ in range(max(dots - 1, 0)):
        base = base.parent
    rel = Path(*module.lstrip(".").split("."))
    for candidate in (base / rel.with_suffix(".py"), base / rel / "__init__.py"):
        if candidate.is_file():
            return candidate.resolve()
    return None


def entrypoint_kinds(facts: dict[str, Any] | None, imported: dict[str, str] | None = None) -> dict[str, str]:
    """Top-level class name -> WorkerEntrypoint | DurableObject | WorkflowEntrypoint, following
    subclass chains through the module's own classes (and `imported` base origins)."""
    if not facts:
        return {}
    imported = imported or {}
    classes = [c for c in facts.get("classes", []) if isinstance(c, dict)]
    kinds: dict[str, str] = {}
    changed = True
    while changed:  # a local base may be defined after its use in the list; iterate to a fixpoint
        changed = False
        for cls in classes:
            name = cast(str, cls.get("name"))  # fact classes always carry a name
            if name in kinds:
                continue
            for base in cls.get("bases", []):
                kind = ENTRYPOINT_BASES.get(base) or kinds.get(base) or imported.get(base)
                if kind:
                    kinds[name] = kind
                    changed = True
                    break
    return kinds


def effective_profile(settings: EnvSettings) -> RuntimeProfile:
    date = parse_date(settings.compatibility_date)
    return build_profile(date, settings.flags, source=str(settings.config.path))


def enabled(settings: EnvSettings, flags: list[str] | None = None) -> frozenset[str]:
    """Flags in force for these settings (as if `python_workers` were set, see build_profile)."""
    date = parse_date(settings.compatibility_date)
    explicit = frozenset(settings.flags if flags is None else flags) | {"python_workers"}
    return enabled_flags(date, explicit)


def valid_date(settings: EnvSettings) -> dt.date | None:
    value = settings.compatibility_date
    return parse_date(value) if isinstance(value, str) else None


@dataclass
class Namespace:
    """Top-level names of a module, as far as they can be read without running it."""

    names: set[str] = field(default_factory=set)
    # the literal `__all__`, None when absent
    dunder_all: list[str] | None = None
    # a star import, or an `__all__` that is not a literal: the exported set is unknown
    unknown: bool = False

    def exports(self, name: str) -> bool | None:
        """Whether the runtime sees `name`; None when that cannot be told."""
        if self.unknown:
            return None
        if self.dunder_all is not None:
            return name in self.dunder_all
        return name in self.names and not name.startswith("_")


def module_namespace(text: str) -> Namespace | None:
    """Names bound at the top level of a module (also inside top-level if/try/with blocks)."""
    try:
        tree = ast.parse(text)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return None
    ns = Namespace()
    _collect(tree.body, ns)
    return ns


def _collect(body: list[ast.stmt], ns: Namespace) -> None:
    for stmt in body:
        if isinstance(stmt, (ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)):
            ns.names.add(stmt.name)
        elif isinstance(stmt, ast.Import):
            for alias in stmt.names:
                ns.names.add(alias.asname or alias.name.split(".")[0])
        elif isinstance(stmt, ast.ImportFrom):
            for alias in stmt.names:
                if alias.name == "*":
                    ns.unknown = True
                else:
                    ns.names.add(alias.asname or alias.name)
        elif isinstance(stmt, (ast.Assign, ast.AnnAssign, ast.AugAssign)):
            targets = stmt.targets if isinstance(stmt, ast.Assign) else [stmt.target]
            for target in targets:
                for node in ast.walk(target):
                    if isinstance(node, ast.Name):
                        ns.names.add(node.id)
                if isinstance(target, ast.Name) and target.id == "__all__":
                    literal = _string_list(stmt.value)
                    if literal is None or isinstance(stmt, ast.AugAssign) or ns.dunder_all is not None:
                        ns.unknown = True
                    else:
                        ns.dunder_all = literal
        elif isinstance(stmt, ast.If):
            _collect(stmt.body, ns)
            _collect(stmt.orelse, ns)
        elif isinstance(stmt, ast.Try) or type(stmt).__name__ == "TryStar":
            _collect(stmt.body, ns)  # type: ignore[attr-defined]
            for h in stmt.handlers:  # type: ignore[attr-defined]
                _collect(h.body, ns)
            _collect(stmt.orelse, ns)  # type: ignore[attr-defined]
            _collect(stmt.finalbody, ns)  # type: ignore[attr-defined]
        elif isinstance(stmt, (ast.With, ast.AsyncWith)):
            _collect(stmt.body, ns)
        elif isinstance(stmt, (ast.For, ast.AsyncFor, ast.While)):
            _collect(stmt.body, ns)
            _collect(stmt.orelse, ns)
        elif isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Call):
            func = stmt.value.func
            # globals().update(...) / setattr(sys.modules[...]) style: names we cannot see
            if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Call):
                inner = func.value.func
                if isinstance(inner, ast.Name) and inner.id in ("globals", "vars", "locals"):
                    ns.unknown = True


def _string_list(node: ast.expr | None) -> list[str] | None:
    if not isinstance(node, (ast.List, ast.Tuple)):
        return None
    out = []
    for element in node.elts:
        if isinstance(element, ast.Constant) and isinstance(element.value, str):
            out.append(element.value)
        else:
            return None
    return out


def display_path(path: Path, base: Path) -> str:
    try:
        return path.relative_to(base).as_posix()
    except ValueError:
        return str(path)
