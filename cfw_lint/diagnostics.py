"""The values the engine hands around: diagnostics, fixes and text edits.

Plain dataclasses with no LibCST in them, so results can cross process boundaries, go into the
cache as JSON, and be rendered by any output format.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from typing import Any


class Severity(str, enum.Enum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @property
    def rank(self) -> int:
        return {"error": 2, "warning": 1, "info": 0}[self.value]


class Applicability(str, enum.Enum):
    SAFE = "safe"
    UNSAFE = "unsafe"


class FixAvailability(str, enum.Enum):
    """What a rule declares about its fixes (the catalog's "fix" column)."""

    NONE = "none"
    SAFE = "safe"
    UNSAFE = "unsafe"
    # safe on some runtimes, unsafe on others (for example CFW101 under legacy dates)
    SOMETIMES = "sometimes"


# the rule pages in the project's repository; `rule-url` in [tool.cfw-lint] points elsewhere
RULE_URL = "https://github.com/cfw-lint/cfw-lint/blob/main/rules/{code}.md"


def rule_url(code: str) -> str | None:
    """Where a rule's reference page lives; `cfw-lint rule CODE` prints it offline."""
    return RULE_URL.replace("{code}", code.upper())


@dataclass(frozen=True)
class Position:
    """1-based line and 1-based column (in characters), like ruff's JSON output."""

    line: int
    column: int

    def to_json(self) -> dict[str, int]:
        return {"row": self.line, "column": self.column}


@dataclass(frozen=True)
class Edit:
    """Replace text between two offsets of a file's decoded text.

    `path` is None for the diagnostic's own file. `start`/`end` are character offsets; both None
    means the whole file, and then `content` None deletes the file (a fix may delete a
    `requirements.txt` or create a `pyproject.toml`).
    """

    start: int | None
    end: int | None
    content: str | None
    path: str | None = None
    # 1-based positions, filled in for reporting
    start_pos: Position | None = None
    end_pos: Position | None = None

    @property
    def whole_file(self) -> bool:
        return self.start is None

    def overlaps(self, other: Edit) -> bool:
        if (self.path or "") != (other.path or ""):
            return False
        if self.whole_file or other.whole_file:
            return True
        assert self.start is not None and self.end is not None
        assert other.start is not None and other.end is not None
        a0, a1, b0, b1 = self.start, self.end, other.start, other.end
        # an insertion touching another edit's range: their order would be arbitrary
        if a0 == a1:
            return b0 <= a0 <= b1
        if b0 == b1:
            return a0 <= b0 <= a1
        return a0 < b1 and b0 < a1

    def to_json(self) -> dict[str, Any]:
        return {
            "content": self.content if self.content is not None else "",
            "location": self.start_pos.to_json() if self.start_pos else None,
            "end_location": self.end_pos.to_json() if self.end_pos else None,
            **({"path": self.path} if self.path else {}),
        }


@dataclass(frozen=True)
class Fix:
    edits: tuple[Edit, ...]
    applicability: Applicability = Applicability.SAFE
    message: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "applicability": self.applicability.value,
            "message": self.message,
            "edits": [e.to_json() for e in self.edits],
        }


@dataclass
class Diagnostic:
    code: str
    name: str
    message: str
    severity: Severity
    path: str
    start: Position
    end: Position
    fix: Fix | None = None
    # the line a noqa comment must stand on (the first line of a multi-line statement)
    noqa_line: int | None = None

    @property
    def fixable(self) -> bool:
        return self.fix is not None

    def sort_key(self) -> tuple:
        return (self.path, self.start.line, self.start.column, self.code)

    def to_json(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "name": self.name,
            "message": self.message,
            "severity": self.severity.value,
            "filename": self.path,
            "location": self.start.to_json(),
            "end_location": self.end.to_json(),
            "fix": self.fix.to_json() if self.fix else None,
            "url": rule_url(self.code),
            "noqa_row": self.noqa_line if self.noqa_line is not None else self.start.line,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Diagnostic:
        fix = None
        if data.get("fix"):
            f = data["fix"]
            fix = Fix(
                edits=tuple(
                    Edit(
                        start=e.get("start"),
                        end=e.get("end"),
                        content=e.get("raw_content", e.get("content")),
                        path=e.get("path"),
                        start_pos=Position(e["location"]["row"], e["location"]["column"])
                        if e.get("location")
                        else None,
                        end_pos=Position(e["end_location"]["row"], e["end_location"]["column"])
                        if e.get("end_location")
                        else None,
                    )
                    for e in f["edits"]
                ),
                applicability=Applicability(f["applicability"]),
                message=f.get("message"),
            )
        return cls(
            code=data["code"],
            name=data["name"],
            message=data["message"],
            severity=Severity(data["severity"]),
            path=data["filename"],
            start=Position(data["location"]["row"], data["location"]["column"]),
            end=Position(data["end_location"]["row"], data["end_location"]["column"]),
            fix=fix,
            noqa_line=data.get("noqa_row"),
        )

    def to_cache(self) -> dict[str, Any]:
        """JSON for the cache: like to_json, but keeps the raw offsets fixes need."""
        data = self.to_json()
        if self.fix:
            data["fix"]["edits"] = [
                {**e.to_json(), "start": e.start, "end": e.end, "raw_content": e.content} for e in self.fix.edits
            ]
        return data


@dataclass
class FileResult:
    """Everything the core returns for one file."""

    path: str
    diagnostics: list[Diagnostic] = field(default_factory=list)
    # the fixed text (decoded) when fixes were applied, else None
    fixed_text: str | None = None
    # codes of the fixes that were applied, in order
    applied: list[str] = field(default_factory=list)
    # facts other (project) rules need: imports, classes, exports ...
    facts: dict[str, Any] | None = None
    # (line, code) of the noqa directives that suppressed something; None when unknown
    noqa_used: list[tuple[int, str]] | None = None
