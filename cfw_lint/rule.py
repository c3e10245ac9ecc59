"""Rule base classes.

A rule is a small class in its own module under `cfw_lint/rules/`, declaring its code, name,
severity, fix safety and the profile facts it reads. Adding a module adds the rule (the registry
discovers them). Two kinds:

* `PythonRule`: a LibCST batchable visitor. All enabled Python rules of a file share one parse
  and one traversal; metadata is resolved only for the rules that run on that file.
* `ProjectRule`: runs once per Worker project over its config, pyproject, lock files and the
  facts collected from its Python files.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, ClassVar, Iterable

import libcst as cst

from cfw_lint.cstmeta import TableVisitor
from cfw_lint.diagnostics import Applicability, FixAvailability, Severity

if TYPE_CHECKING:
    from cfw_lint.analysis.model import ModuleModel
    from cfw_lint.fixes import FixBuilder
    from cfw_lint.profile import RuntimeProfile
    from cfw_lint.project import Project
    from cfw_lint.summary import ModuleSummary


class Rule:
    code: ClassVar[str]
    name: ClassVar[str]
    severity: ClassVar[Severity]
    fix: ClassVar[FixAvailability] = FixAvailability.NONE
    summary: ClassVar[str] = ""
    # names of RuntimeProfile facts the rule reads (documentation, and `cfw-lint rules` output)
    profile_facts: ClassVar[tuple[str, ...]] = ()
    kind: ClassVar[str] = "builtin"

    @classmethod
    def meta(cls) -> dict[str, Any]:
        return {
            "code": cls.code,
            "name": cls.name,
            "severity": cls.severity.value,
            "fix": cls.fix.value,
            "summary": cls.summary,
            "kind": cls.kind,
            "profile_facts": list(cls.profile_facts),
        }


class BuiltinRule(Rule):
    """A code the engine itself reports (syntax errors, unreadable files, broken configs)."""

    kind = "builtin"


@dataclass
class FileContext:
    """What a Python rule knows about the file it checks. Picklable."""

    path: str  # as displayed
    abspath: Path
    profile: RuntimeProfile
    # True/False when the Worker config names a main module; None when there is no config
    is_main: bool | None = None
    project_root: Path | None = None
    # rule options from [tool.cfw-lint] (none yet; kept so rules have one place to read them)
    options: dict[str, Any] = field(default_factory=dict)
    # collect facts (imports, classes) for project rules; only files of a Worker project need it
    needs_facts: bool = True

    @property
    def maybe_main(self) -> bool:
        return self.is_main is not False


FixCallback = Callable[["FixBuilder"], None]


@dataclass
class Report:
    rule: type[PythonRule]
    node: cst.CSTNode
    message: str
    severity: Severity
    fix: FixCallback | None
    applicability: Applicability
    # an optional second node: the diagnostic spans from `node` to the end of `end_node`
    end_node: cst.CSTNode | None = None


class FileState:
    """What all rules of one pass share: the module, its text, and a lazily built model."""

    def __init__(self, module: cst.Module, text: str) -> None:
        self.module = module
        self.text = text
        self._model: Any = None

    @property
    def model(self) -> Any:
        if self._model is None:
            from cfw_lint.analysis.model import ModuleModel

            self._model = ModuleModel(self.module)
        return self._model


class SourceRule(Rule):
    """What both kinds of Python-file rule share: pre-filters, runtime gating, the profile.
    `PythonRule` runs on LibCST; `AstRule` (cfw_lint/astrule.py) on the stdlib `ast` tree."""

    kind = "python"
    # Fast pre-filter: the rule runs on a file only if one of these substrings is in its text.
    # Empty means always. Keeps metadata (scopes, qualified names) off files that cannot match.
    triggers: ClassVar[tuple[str, ...]] = ()
    # Second pre-filter: the rule runs only if the file imports one of these top-level modules
    # (found by a cheap scan of import lines). Empty means no such condition. For rules that
    # match qualified names, which need an import anyway, it never changes a result.
    modules: ClassVar[tuple[str, ...]] = ()
    context: FileContext

    @classmethod
    def applies(cls, context: FileContext) -> bool:
        """Whether the rule runs at all for this file's profile. Override for runtime gating."""
        return True

    @classmethod
    def could_fire(cls, summary: ModuleSummary, text: str) -> bool:
        """Whether the rule can report anything in this file, decided from the `ast` summary.

        False keeps the file's LibCST parse and metadata off this rule, so it must never be False
        where the rule would report (`CFW_LINT_CHECK_PREFILTERS=1` runs every rule and fails on
        a report a pre-filter ruled out). The default is the text pre-filters above."""
        return _text_prefilter(cls, text, summary.imported_modules())

    @property
    def profile(self) -> RuntimeProfile:
        return self.context.profile


class PythonRule(SourceRule, TableVisitor):
    def __init__(self, context: FileContext, reports: list[Report], state: FileState) -> None:
        super().__init__()
        self.context = context
        self.state = state
        self._reports = reports

    @property
    def model(self) -> ModuleModel:
        """Top-level imports, entrypoint classes and handlers of the module (built once)."""
        return self.state.model

    @property
    def module(self) -> cst.Module:
        return self.state.module

    def report(
        self,
        node: cst.CSTNode,
        message: str,
        *,
        fix: FixCallback | None = None,
        severity: Severity | None = None,
        applicability: Applicability | None = None,
        end_node: cst.CSTNode | None = None,
    ) -> None:
        """Report `node`. `fix`, if given, is called after the traversal with a FixBuilder."""
        if applicability is None:
            applicability = Applicability.UNSAFE if self.fix is FixAvailability.UNSAFE else Applicability.SAFE
        self._reports.append(
            Report(
                rule=type(self),
                node=node,
                message=message,
                severity=severity or self.severity,
                fix=fix,
                applicability=applicability,
                end_node=end_node,
            )
        )


def _text_prefilter(rule: type[SourceRule], text: str, imported: frozenset[str] | None) -> bool:
    """`triggers` and `modules`; `imported` None means scan the text for the imports."""
    if rule.triggers and not any(t in text for t in rule.triggers):
        return False
    if rule.modules:
        if imported is None:
            from cfw_lint.engine import imported_top_level

            imported = imported_top_level(text)
        if imported.isdisjoint(rule.modules):
            return False
    return True


@dataclass
class ProjectDiagnostic:
    """What a project rule reports; the engine turns it into a Diagnostic."""

    path: Path
    line: int
    column: int
    message: str
    end_line: int | None = None
    end_column: int | None = None
    severity: Severity | None = None
    fix: Any = None  # cfw_lint.diagnostics.Fix with edits whose offsets refer to `path`'s text


class ProjectRule(Rule):
    kind = "project"

    def __init__(self, project: Project) -> None:
        self.project = project

    @classmethod
    def applies(cls, project: Project) -> bool:
        return True

    def check(self) -> Iterable[ProjectDiagnostic]:
        raise NotImplementedError

    def diagnostic(self, path: Path, line: int, column: int, message: str, **kw: Any) -> ProjectDiagnostic:
        return ProjectDiagnostic(path=path, line=line, column=column, message=message, **kw)
