"""The language server's linting model, free of LSP types: open buffers, a warm project index,
and the same Runner the command line uses for `cfw-lint --stdin-filename PATH -`.

Warm means: projects, their parsed configs and the facts of other Python files stay cached
between requests; a buffer change drops only what depends on that buffer's text.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable

from cfw_lint.config import SettingsResolver
from cfw_lint.diagnostics import Diagnostic
from cfw_lint.files import file_kind
from cfw_lint.project import PROJECT_FILE_NAMES, ProjectIndex
from cfw_lint.runner import Options, Runner

# Project memo entries that depend only on the Worker config, pyproject, lock files and the set
# of files; every other memo (import analysis across the sources, ...) may read Python facts and
# is recomputed after a Python buffer changes.
_STABLE_MEMOS = {"pyproject", "sdk_version", "source_files", "layout"}


@dataclass
class ClientSettings:
    """What the editor may set (initializationOptions / workspace/didChangeConfiguration); the
    same meaning as the command-line flags of the same names."""

    select: list[str] | None = None
    extend_select: list[str] = field(default_factory=list)
    ignore: list[str] = field(default_factory=list)
    unsafe_fixes: bool = False

    @classmethod
    def parse(cls, raw: Any) -> tuple[ClientSettings, list[str]]:
        """Settings from a client's JSON, and the problems found in it (reported, not fatal).

        Accepts the keys at the top level or under "cfw-lint"/"cfwLint", in camelCase or with
        dashes (`extendSelect`, `extend-select`)."""
        from cfw_lint.registry import SelectionError, check_selectors

        problems: list[str] = []
        out = cls()
        if not isinstance(raw, dict):
            return out, problems
        for name in ("cfw-lint", "cfwLint", "cfw_lint"):
            if isinstance(raw.get(name), dict):
                raw = raw[name]
                break

        def get(*names: str) -> Any:
            for n in names:
                if n in raw:
                    return raw[n]
            return None

        for attr, names in (
            ("select", ("select",)),
            ("extend_select", ("extendSelect", "extend-select", "extend_select")),
            ("ignore", ("ignore",)),
        ):
            value = get(*names)
            if value is None:
                continue
            if isinstance(value, str):
                value = [value]
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                problems.append(f"setting `{names[0]}` must be a list of rule codes or prefixes")
                continue
            try:
                setattr(out, attr, check_selectors(value, f"the editor setting `{names[0]}`"))
            except SelectionError as exc:
                problems.append(str(exc))
        unsafe = get("unsafeFixes", "unsafe-fixes", "unsafe_fixes")
        if unsafe is not None:
            if isinstance(unsafe, bool):
                out.unsafe_fixes = unsafe
            else:
                problems.append("setting `unsafeFixes` must be true or false")
        return out, problems


@dataclass
class LintOutcome:
    path: Path
    text: str
    diagnostics: list[Diagnostic]
    errors: list[str]


def _encode(path: Path, text: str) -> bytes:
    """The buffer as the bytes of a file, so that decoding it (PEP 263 cookie included) gives
    back the same text."""
    data = text.encode("utf-8", errors="replace")
    if path.suffix != ".py":
        return data
    import io
    import tokenize

    try:
        encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
    except SyntaxError:
        return data  # an unknown encoding: CFW002 reports it, as for the file on disk
    if encoding in ("utf-8", "utf-8-sig"):
        return data
    try:
        return text.encode(encoding, errors="replace")
    except LookupError:
        return data


def normalize(path: str | Path) -> Path:
    return Path(os.path.abspath(path))


def is_project_file(path: Path) -> bool:
    """A file whose change can change other files' diagnostics (configs, pyproject, locks)."""
    return file_kind(path) == "config" or path.name in PROJECT_FILE_NAMES


class LintSession:
    def __init__(self, root: Path | None = None, settings: ClientSettings | None = None) -> None:
        self.root = normalize(root) if root is not None else normalize(os.getcwd())
        self.settings = settings or ClientSettings()
        self.buffers: dict[Path, str] = {}
        # bumped by every change that can change any file's diagnostics; with the text and the
        # settings it keys the last result per file, so a save or a refresh with nothing
        # changed costs nothing
        self.generation = 0
        self._last: dict[Path, tuple[Any, LintOutcome]] = {}
        self._new_model()

    # -- the warm model ----------------------------------------------------------------------
    def _new_model(self) -> None:
        self.resolver = SettingsResolver(None, self.root)
        self.index = ProjectIndex(dict(self.buffers))

    def reset(self) -> None:
        """Forget every project (a Worker config appeared or disappeared, settings changed)."""
        self.generation += 1
        self._new_model()

    def _set_override(self, path: Path, text: str | None) -> None:
        targets = [self.index.overrides, *(p.overrides for p in self.index.projects())]
        for overrides in targets:
            if text is None:
                overrides.pop(path, None)
            else:
                overrides[path] = text

    def _python_changed(self, path: Path) -> None:
        resolved = path.resolve()
        for project in self.index.projects():
            project.file_facts.pop(resolved, None)
            project.file_facts.pop(path, None)
        for project in {
            id(p): p for p in (self.index.project_of(path), *self.index.projects()) if path.is_relative_to(p.root)
        }.values():
            for key in list(project._memo):
                stable = key in _STABLE_MEMOS or (isinstance(key, tuple) and key[:1] == ("profile",))
                if not stable:
                    del project._memo[key]

    def _project_file_changed(self, path: Path) -> None:
        if path.name == "pyproject.toml":
            # [tool.cfw-lint] is read from disk, as on the command line
            self.resolver = SettingsResolver(None, self.root)
        for project in self.index.projects():
            if project.root == path.parent or project.config_path == path or path.parent == project.root:
                project.invalidate()

    # -- buffers -----------------------------------------------------------------------------
    def open(self, path: Path, text: str) -> None:
        self.update(path, text)

    def update(self, path: Path, text: str) -> None:
        path = normalize(path)
        if self.buffers.get(path) == text:
            return
        self.buffers[path] = text
        self._set_override(path, text)
        self._changed(path)

    def close(self, path: Path) -> None:
        path = normalize(path)
        if self.buffers.pop(path, None) is None:
            return
        self._set_override(path, None)  # the file on disk is the truth again
        self._changed(path)

    def disk_changed(self, path: Path, created_or_deleted: bool = False) -> None:
        """A file changed on disk (saved, or changed outside the editor)."""
        path = normalize(path)
        if created_or_deleted and (file_kind(path) is not None):
            # the set of projects or of source files changed: start over (buffers are kept)
            self.reset()
            return
        if path not in self.buffers:
            self._changed(path)
        elif path.name == "pyproject.toml":
            self.generation += 1
            self.resolver = SettingsResolver(None, self.root)

    def _changed(self, path: Path) -> None:
        self.generation += 1
        if path.suffix == ".py":
            self._python_changed(path)
        elif is_project_file(path):
            self._project_file_changed(path)

    def dependents(self, path: Path) -> list[Path]:
        """Open buffers whose diagnostics may change when `path` changes (itself excluded)."""
        path = normalize(path)
        base = path.parent
        out = []
        for other in self.buffers:
            if other == path:
                continue
            if is_project_file(path):
                if other.is_relative_to(base):
                    out.append(other)
            elif path.suffix == ".py" and is_project_file(other):
                # configs report on the sources (a class the config names, an import not declared)
                if path.is_relative_to(other.parent):
                    out.append(other)
        return out

    def read_text(self, path: Path) -> str | None:
        path = normalize(path)
        if path in self.buffers:
            return self.buffers[path]
        return self.index.project_of(path).read_text(path)

    # -- linting -----------------------------------------------------------------------------
    def _options(self, path: Path, text: str, fix_mode: str | None) -> Options:
        s = self.settings
        return Options(
            paths=["-"],
            fix_mode=fix_mode,
            select=s.select,
            extend_select=list(s.extend_select),
            ignore=list(s.ignore),
            no_cache=True,
            jobs=1,
            stdin=_encode(path, text),
            stdin_filename=str(path),
        )

    def lint(self, path: Path) -> LintOutcome:
        """Diagnostics for an open buffer, exactly as `cfw-lint --stdin-filename PATH -`."""
        path = normalize(path)
        text = self.buffers.get(path)
        if text is None:
            text = self.read_text(path) or ""
        key = (text, self.generation, repr(self.settings))
        last = self._last.get(path)
        if last is not None and last[0] == key:
            return last[1]
        runner = Runner(self._options(path, text, None), self.root)
        runner.resolver = self.resolver
        runner.index = self.index
        result = runner.run()
        outcome = LintOutcome(path, text, result.diagnostics, [*result.errors, *result.warnings])
        self._last[path] = (key, outcome)
        return outcome

    def fix_all(self, path: Path, unsafe: bool | None = None) -> tuple[str | None, list[str]]:
        """The buffer's text after every safe (and with `unsafe`, unsafe) fix, as
        `cfw-lint --fix --stdin-filename PATH -` prints it; None when nothing changes."""
        path = normalize(path)
        text = self.buffers.get(path)
        if text is None:
            text = self.read_text(path) or ""
        unsafe = self.settings.unsafe_fixes if unsafe is None else unsafe
        runner = Runner(self._options(path, text, "unsafe" if unsafe else "safe"), self.root)
        runner.resolver = self.resolver
        # fixing writes pending texts into the project model: use a throw-away one
        runner.index = ProjectIndex(dict(self.buffers))
        result = runner.run()
        fixed = result.stdin_output
        return (fixed if fixed is not None and fixed != text else None), [*result.errors, *result.warnings]

    def open_paths(self) -> Iterable[Path]:
        return list(self.buffers)
