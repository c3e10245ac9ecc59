"""Finding a rule's reference page (rules/CFWNNN.md) in a checkout or an installed copy."""

from __future__ import annotations

import sys
from pathlib import Path


def _candidates(code: str) -> list[Path]:
    here = Path(__file__).resolve().parent
    return [
        here / "docs" / f"{code}.md",  # bundled into the package
        here.parent / "rules" / f"{code}.md",  # a checkout / editable install
        Path(sys.prefix) / "share" / "cfw-lint" / "rules" / f"{code}.md",  # data-files install
    ]


def rule_page_path(code: str) -> Path | None:
    for candidate in _candidates(code):
        if candidate.is_file():
            return candidate
    return None


def rule_page(code: str) -> str | None:
    path = rule_page_path(code)
    return path.read_text(encoding="utf-8") if path is not None else None
