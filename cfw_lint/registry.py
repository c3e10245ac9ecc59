"""Every rule, discovered from the modules in `cfw_lint/rules/` (adding a module adds a rule)."""

from __future__ import annotations

import functools
import importlib
import json
import pkgutil
import re
from pathlib import Path
from typing import Any, Iterable

from typing import TYPE_CHECKING

from cfw_lint.diagnostics import RULE_URL, rule_url  # noqa: F401 - re-exported: rule pages' URLs

if TYPE_CHECKING:
    from cfw_lint.rule import ProjectRule, Rule, SourceRule

CODE_RE = re.compile(r"^CFW\d{3}$")
PREFIX_RE = re.compile(r"^(ALL|CFW\d{0,3})$")


@functools.lru_cache(maxsize=1)
def all_rules() -> dict[str, type[Rule]]:
    import cfw_lint.rules as package
    from cfw_lint.rule import Rule

    found: dict[str, type[Rule]] = {}
    for info in sorted(pkgutil.iter_modules(package.__path__), key=lambda i: i.name):
        module = importlib.import_module(f"{package.__name__}.{info.name}")
        for value in vars(module).values():
            if (
                isinstance(value, type)
                and issubclass(value, Rule)
                and value.__module__ == module.__name__
                and getattr(value, "code", None)
            ):
                if value.code in found and found[value.code] is not value:
                    raise RuntimeError(f"rule code {value.code} is declared twice")
                found[value.code] = value
    return dict(sorted(found.items()))


TABLE = Path(__file__).resolve().parent / "data" / "rules.json"


@functools.lru_cache(maxsize=1)
def rule_table() -> dict[str, dict[str, Any]]:
    """Every rule's `meta()` without importing the rules (and LibCST): `cfw-lint rules` and
    `cfw-lint rule CODE` start in a fraction of the time. Read from data/rules.json, which
    `python -m cfw_lint.registry` writes and a test keeps current; when a rule module was added
    or removed since, the rules are imported after all."""
    import cfw_lint.rules as package

    try:
        table: dict[str, dict[str, Any]] = json.loads(TABLE.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        table = {}
    modules = {i.name[:6].upper() for i in pkgutil.iter_modules(package.__path__) if CODE_RE.match(i.name[:6].upper())}
    if not table or modules != set(table):
        return {code: rule.meta() for code, rule in all_rules().items()}
    return table


def write_table() -> None:
    TABLE.write_text(json.dumps({c: r.meta() for c, r in all_rules().items()}, indent=1) + "\n", encoding="utf-8")


def _loaded() -> bool:
    """Whether the rule classes are at hand already (imported, or replaced by a test)."""
    info = getattr(all_rules, "cache_info", None)
    return info is None or info().currsize > 0


# (the rules or the table it was computed from, code -> kind): asked once per file
_kinds: tuple[object, dict[str, str]] | None = None


def rule_kinds() -> dict[str, str]:
    """Every code's kind (builtin, python, project), without importing a rule module unless the
    rules are loaded already: a fully cached run never needs LibCST."""
    global _kinds
    source: Any = all_rules() if _loaded() else rule_table()
    if _kinds is None or _kinds[0] is not source:
        if source is rule_table():
            _kinds = (source, {code: meta["kind"] for code, meta in source.items()})
        else:
            _kinds = (source, {code: rule.kind for code, rule in source.items()})
    return _kinds[1]


def rule_codes() -> list[str]:
    return list(rule_kinds())


def python_codes(codes: Iterable[str]) -> tuple[str, ...]:
    """The Python rules among `codes`, sorted (what `python_rules` would load)."""
    kinds = rule_kinds()
    return tuple(sorted(c for c in codes if kinds.get(c) == "python"))


def project_codes(codes: Iterable[str]) -> tuple[str, ...]:
    kinds = rule_kinds()
    return tuple(sorted(c for c in codes if kinds.get(c) == "project"))


def get_rule(code: str) -> type[Rule] | None:
    return all_rules().get(code.upper())


class SelectionError(ValueError):
    pass


def check_selectors(selectors: Iterable[str], where: str) -> list[str]:
    """Validate codes/prefixes such as CFW201, CFW2, ALL; unknown ones are an error."""
    codes = rule_codes()
    out = []
    for raw in selectors:
        sel = raw.strip().upper()
        if not sel:
            continue
        if not PREFIX_RE.match(sel) or (sel != "ALL" and not any(c.startswith(sel) for c in codes)):
            raise SelectionError(f"unknown rule code or prefix {raw.strip()!r} in {where}")
        out.append(sel)
    return out


def resolve_selection(
    select: Iterable[str] | None, extend_select: Iterable[str], ignore: Iterable[str]
) -> frozenset[str]:
    """ruff's semantics: for each code the most specific matching selector decides."""
    select = list(select) if select is not None else ["ALL"]
    chosen: set[str] = set()
    for code in rule_codes():
        best_len, enabled = -1, False
        for sel, on in [(s, True) for s in [*select, *extend_select]] + [(s, False) for s in ignore]:
            length = 0 if sel == "ALL" else len(sel)
            if sel == "ALL" or code.startswith(sel):
                if length > best_len or (length == best_len and not on):
                    best_len, enabled = length, on
        if enabled:
            chosen.add(code)
    return frozenset(chosen)


def python_rules(codes: Iterable[str]) -> list[type[SourceRule]]:
    """The rules that check Python files: LibCST rules and `ast` rules."""
    from cfw_lint.rule import SourceRule

    rules = all_rules()
    return [rules[c] for c in sorted(codes) if issubclass(rules[c], SourceRule)]  # type: ignore[misc]


def project_rules(codes: Iterable[str]) -> list[type[ProjectRule]]:
    from cfw_lint.rule import ProjectRule

    rules = all_rules()
    return [rules[c] for c in sorted(codes) if issubclass(rules[c], ProjectRule)]  # type: ignore[misc]


if __name__ == "__main__":
    write_table()
    print(f"wrote {TABLE}")
