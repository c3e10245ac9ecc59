"""Every rule, discovered from the modules in `cfw_lint/rules/` (adding a module adds a rule)."""

from __future__ import annotations

import functools
import importlib
import pkgutil
import re
from typing import Iterable

from cfw_lint.rule import ProjectRule, PythonRule, Rule

CODE_RE = re.compile(r"^CFW\d{3}$")
PREFIX_RE = re.compile(r"^(ALL|CFW\d{0,3})$")


@functools.lru_cache(maxsize=1)
def all_rules() -> dict[str, type[Rule]]:
    import cfw_lint.rules as package

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


def get_rule(code: str) -> type[Rule] | None:
    return all_rules().get(code.upper())


# the rule pages in the project's repository; `rule-url` in [tool.cfw-lint] points elsewhere
RULE_URL = "https://github.com/cfw-lint/cfw-lint/blob/main/rules/{code}.md"


def rule_url(code: str) -> str | None:
    """Where a rule's reference page lives; `cfw-lint rule CODE` prints it offline."""
    return RULE_URL.replace("{code}", code.upper())


class SelectionError(ValueError):
    pass


def check_selectors(selectors: Iterable[str], where: str) -> list[str]:
    """Validate codes/prefixes such as CFW201, CFW2, ALL; unknown ones are an error."""
    codes = all_rules()
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
    for code in all_rules():
        best_len, enabled = -1, False
        for sel, on in [(s, True) for s in [*select, *extend_select]] + [(s, False) for s in ignore]:
            length = 0 if sel == "ALL" else len(sel)
            if sel == "ALL" or code.startswith(sel):
                if length > best_len or (length == best_len and not on):
                    best_len, enabled = length, on
        if enabled:
            chosen.add(code)
    return frozenset(chosen)


def python_rules(codes: Iterable[str]) -> list[type[PythonRule]]:
    rules = all_rules()
    return [rules[c] for c in sorted(codes) if issubclass(rules[c], PythonRule)]  # type: ignore[misc]


def project_rules(codes: Iterable[str]) -> list[type[ProjectRule]]:
    rules = all_rules()
    return [rules[c] for c in sorted(codes) if issubclass(rules[c], ProjectRule)]  # type: ignore[misc]
