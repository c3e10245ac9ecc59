"""Running cfw-lint over paths: discovery, per-file settings and profile, the cache, parallel
linting of Python files, project rules, fixes and atomic writes.

The CLI and standard input go through `run`; a language server would call `lint_python` and
`check_project` directly with in-memory text.
"""

from __future__ import annotations

import contextlib
import difflib
import os
import signal
import stat
import sys
import tempfile
import threading
import time
import traceback
from collections import deque
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterable, Iterator

from cfw_lint.config import FixPolicy, Settings, SettingsResolver, fix_policy
from cfw_lint.diagnostics import Diagnostic, Edit, FileResult, Fix, Position, Severity
from cfw_lint.files import Discovery, Found, file_kind
from cfw_lint.project import Project, ProfileOverrides, ProjectIndex
from cfw_lint.source import BOM, DecodeError, LineIndex, decode_python, decode_text
from cfw_lint.suppress import line_suppressions, python_suppressions

if TYPE_CHECKING:
    from cfw_lint.cache import Cache, CacheKey
    from cfw_lint.rule import FileContext

MAX_PROJECT_FIX_PASSES = 10
# Below this many files, starting worker processes costs more than it saves.
PARALLEL_THRESHOLD = 12
# Seconds one file may take; past it the file is reported as CFW004 and the run goes on.
PER_FILE_TIME_LIMIT = 60.0
# A worker stuck in native code ignores the in-process alarm; it is killed this much later.
KILL_GRACE = 5.0
# Files sent to a worker process at once: fewer round trips, yet the work stays balanced.
MAX_CHUNK = 8


@dataclass
class Options:
    paths: list[str] = field(default_factory=lambda: ["."])
    fix_mode: str | None = None  # None | "safe" | "unsafe"
    diff: bool = False
    select: list[str] | None = None
    extend_select: list[str] = field(default_factory=list)
    ignore: list[str] = field(default_factory=list)
    compat_date: Any = None
    compat_flags: tuple[str, ...] | None = None
    config: Path | None = None
    no_cache: bool = False
    jobs: int | None = None
    force_exclude: bool = False
    online: bool = False
    stdin: bytes | None = None
    stdin_filename: str | None = None
    # ruff's fix-class and cache options (None/empty: the settings decide)
    fixable: list[str] | None = None
    extend_fixable: list[str] = field(default_factory=list)
    unfixable: list[str] = field(default_factory=list)
    cache_dir: Path | None = None
    file_time_limit: float | None = None  # seconds per Python file; None: PER_FILE_TIME_LIMIT


@dataclass
class RunResult:
    diagnostics: list[Diagnostic] = field(default_factory=list)
    fixed: dict[str, list[str]] = field(default_factory=dict)  # display path -> codes fixed
    diffs: list[str] = field(default_factory=list)
    # with --fix/--diff: findings before fixing, and how many of them the fixes removed
    found_count: int = 0
    fixed_count: int = 0
    fix_notes: dict[str, list[str]] = field(default_factory=dict)  # display path -> fix messages
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    files_checked: int = 0
    stdin_output: str | None = None


class Runner:
    def __init__(self, options: Options, cwd: Path | None = None) -> None:
        self.o = options
        self.cwd = Path(os.path.abspath(cwd or os.getcwd()))
        self.resolver = SettingsResolver(options.config, self.cwd)
        self.result = RunResult()
        # --fix and --diff run the same fix loop; --diff only prints what it would write
        self._fixing = options.fix_mode is not None or options.diff
        self._py_codes: dict[Path, tuple[str, ...]] = {}  # Python file -> codes linted
        self._py_diags: dict[Path, list[Diagnostic]] = {}  # while fixing: first lint's findings
        self._py_sources: dict[Path, Any] = {}  # while fixing: decoded original (SourceText)
        self._py_first: dict[Path, tuple[str, list[str]]] = {}  # fixed text, codes applied
        self._py_bytes: dict[Path, bytes] = {}  # while fixing: the bytes read (unchanged on disk?)
        self._codes_cache: dict[tuple, frozenset[str]] = {}
        self._codes_by_path: dict[Path, frozenset[str]] = {}
        self._settings_by_path: dict[Path, Settings] = {}
        # Python files whose bytes hold no "noqa": CFW005 need not read them again
        self.without_noqa: set[Path] = set()
        self.stdin_path: Path | None = None
        overrides: dict[Path, Any] = {}
        if options.stdin is not None:
            name = options.stdin_filename or "stdin.py"
            self.stdin_path = Path(os.path.abspath(self.cwd / name))
            try:
                decoder = decode_python if name.endswith(".py") else decode_text
                overrides[self.stdin_path] = decoder(options.stdin).text
            except DecodeError:
                pass  # reported as CFW002 when the file is linted
        self.index = ProjectIndex(overrides)
        self._policies: dict[int, FixPolicy] = {}
        # noqa usage for CFW005: per Python file from the engine, per file from _filter
        self._noqa_used: dict[Path, list | None] = {}
        self._filter_used: dict[Path, set] = {}
        self._result_cache: Cache | None = None

    def fix_policy_for(self, path: Path) -> FixPolicy:
        settings = self.settings_for(path)
        if id(settings) not in self._policies:
            self._policies[id(settings)] = fix_policy(settings, self.o.fixable, self.o.extend_fixable, self.o.unfixable)
        return self._policies[id(settings)]

    def cache_dir(self) -> Path:
        """`--cache-dir`, else `cache-dir` in the settings, else $CFW_LINT_CACHE_DIR, else
        .cfw-lint-cache in the working directory."""
        from cfw_lint.cache import CACHE_DIR_NAME

        if self.o.cache_dir is not None:
            return Path(os.path.abspath(self.o.cache_dir))
        configured = self.resolver.for_path(self.cwd).cache_dir
        if configured is not None:
            return configured
        if os.environ.get("CFW_LINT_CACHE_DIR"):
            return Path(os.path.abspath(os.path.expanduser(os.environ["CFW_LINT_CACHE_DIR"])))
        return self.cwd / CACHE_DIR_NAME

    # -- helpers -----------------------------------------------------------------------------
    def display(self, path: Path) -> str:
        if self.stdin_path is not None and path == self.stdin_path and self.o.stdin_filename is None:
            return "-"
        try:
            return path.relative_to(self.cwd).as_posix()
        except ValueError:
            return str(path)

    def settings_for(self, path: Path) -> Settings:
        settings = self._settings_by_path.get(path)
        if settings is None:
            settings = self._settings_by_path[path] = self.resolver.for_path(path)
        return settings

    def codes_for(self, path: Path) -> frozenset[str]:
        codes = self._codes_by_path.get(path)
        if codes is None:
            codes = self._codes_by_path[path] = self._codes_for(path)
        return codes

    def _codes_for(self, path: Path) -> frozenset[str]:
        from cfw_lint.registry import resolve_selection

        settings = self.settings_for(path)
        ignored = frozenset(settings.per_file_ignored(path))
        key = (id(settings), ignored)
        if key not in self._codes_cache:
            select = self.o.select if self.o.select is not None else settings.select
            codes = resolve_selection(
                select,
                [*settings.extend_select, *self.o.extend_select],
                [*settings.ignore, *self.o.ignore],
            )
            # as ruff's: per-file-ignores remove codes after selection, however specific the select
            codes = frozenset(c for c in codes if not any(p == "ALL" or c.startswith(p) for p in ignored))
            self._codes_cache[key] = codes
        return self._codes_cache[key]

    def overrides_for(self, settings: Settings) -> ProfileOverrides:
        return ProfileOverrides(
            cli_date=self.o.compat_date,
            cli_flags=self.o.compat_flags,
            tool_date=settings.compat_date,
            tool_flags=settings.compat_flags,
            tool_source=f"[tool.cfw-lint] in {settings.source}" if settings.source else None,
        )

    def context_for(self, path: Path) -> tuple[FileContext, Project]:
        from cfw_lint.rule import FileContext

        project = self.index.project_of(path)
        settings = self.settings_for(path)
        profile = project.profile(self.overrides_for(settings))
        project.online = self.o.online
        context = FileContext(
            path=self.display(path),
            abspath=path,
            profile=profile,
            is_main=project.is_main(path),
            project_root=project.root,
            needs_facts=project.config is not None,
        )
        return context, project

    # -- the run -----------------------------------------------------------------------------
    def run(self) -> RunResult:
        if self.stdin_path is not None:
            kind = file_kind(self.stdin_path) or "python"
            found = [Found(self.stdin_path, kind)]
        else:
            discovery = Discovery(self.resolver, force_exclude=self.o.force_exclude)
            found = list(discovery.walk([Path(p) for p in self.o.paths]))
            for skipped in discovery.skipped:
                self.result.warnings.append(f"skipping {skipped}: not a Python file or Worker project file")
            for directory, reason in discovery.unreadable:
                from cfw_lint.engine import unreadable

                # files in it may need linting: an error, not a silent gap
                if "CFW002" in self.codes_for(directory):
                    self.result.diagnostics.append(
                        unreadable(self.display(directory), f"cannot read directory: {reason}")
                    )
        self.result.files_checked = len(found)
        python = [f for f in found if f.kind == "python"]
        touched: dict[int, Project] = {}
        for f in found:
            project = self.index.project_of(f.path)
            touched[id(project)] = project
        self._lint_python_files(python)
        for project in touched.values():
            self._check_project(project)
        self._unused_noqa(found)
        if self._result_cache is not None:
            self._result_cache.save()
        if self.stdin_path is not None:
            self.result.diagnostics = [d for d in self.result.diagnostics if d.path == self.display(self.stdin_path)]
        self.result.diagnostics.sort(key=Diagnostic.sort_key)
        return self.result

    # -- Python files ------------------------------------------------------------------------
    def _lint_python_files(self, files: list[Found]) -> None:
        from cfw_lint.registry import python_codes

        cache = self._cache()
        pending: list[tuple[LintTask, CacheKey | None]] = []
        stats: dict[Path, os.stat_result | None] = {}
        for f in files:
            # stat first: a symlink loop or a FIFO must not reach `resolve` or a blocking read
            try:
                stats[f.path] = os.stat(f.path) if f.path != self.stdin_path else None
            except OSError:
                stats[f.path] = None
        if cache is not None:
            self._known_facts(files, stats, cache)
        for f in files:
            data: bytes | Diagnostic | None = None
            st = stats[f.path]
            if st is None or not stat.S_ISREG(st.st_mode):
                data = self._read(f.path)
                if self._unreadable(f.path, data):
                    continue
            project = self.index.project_of(f.path)
            settings = self.settings_for(f.path)
            codes = python_codes(self.codes_for(f.path))
            if not project.is_worker_source(f.path, settings.worker_source(f.path)):
                codes = ()  # tests, scripts, vendored packages, unreachable files: parse problems only
            abspath = Path(os.path.abspath(f.path))
            self._py_codes[abspath] = codes
            key = None
            if cache is not None and st is not None:
                from cfw_lint.cache import Cache, now_ns

                variant = Cache.variant(
                    self.display(f.path),
                    codes,
                    self._profile_fingerprint(project, settings),
                    project.is_main(f.path),
                )
                hit = cache.unchanged(abspath, variant, st)
                outcome = _from_cache(hit)
                if outcome is None:
                    checked = now_ns()
                    data = self._read(f.path)
                    if self._unreadable(f.path, data):  # gone or changed kind since the stat
                        continue
                    assert isinstance(data, bytes)
                    key = Cache.key(abspath, variant, data, st, checked)
                    hit = cache.get(key)
                    outcome = _from_cache(hit)
                    if outcome is not None and not self._fixing and b"noqa" not in data.lower():
                        self.without_noqa.add(abspath)
                if outcome is not None:
                    if data is None and hit is not None and not hit.get("has_noqa", True):
                        self.without_noqa.add(abspath)
                    self._absorb(f.path, project, outcome)
                    continue
            if data is None:
                data = self._read(f.path)
                if self._unreadable(f.path, data):
                    continue
            assert isinstance(data, bytes)
            if not self._fixing and b"noqa" not in data.lower():
                self.without_noqa.add(abspath)
            context, _ = self.context_for(f.path)
            fix_mode = self._python_fix_mode()
            task = LintTask(
                codes,
                context,
                data,
                fix_mode,
                self.o.file_time_limit or PER_FILE_TIME_LIMIT,
                # cached results stay raw
                self.fix_policy_for(f.path) if fix_mode is not None else None,
            )
            pending.append((task, key))
        for (task, key), outcome in zip(pending, self._execute([t for t, _ in pending])):
            path = task.context.abspath
            project = self.index.project_of(path)
            if cache is not None and key is not None and not outcome.failed:
                # a crash or time-out may not happen next time
                cache.put(key, {**outcome.to_json(), "has_noqa": Path(path) not in self.without_noqa})
            self._absorb(path, project, outcome, original=task.data)

    def _known_facts(self, files: list[Found], stats: dict[Path, os.stat_result | None], cache: Cache) -> None:
        """Give Worker projects the facts of their unchanged files from the cache, so deciding
        which files are Worker code (before the cache key is known) parses nothing again."""
        for f in files:
            st = stats[f.path]
            if st is None or not stat.S_ISREG(st.st_mode):
                continue
            project = self.index.project_of(f.path)
            if project.config is None:
                continue
            facts = cache.facts(Path(os.path.abspath(f.path)), st)
            if facts is not None:
                project.file_facts.setdefault(project.resolved(f.path), facts)

    def _unreadable(self, path: Path, data: bytes | Diagnostic) -> bool:
        """Report a file that could not be read (if CFW002 is enabled there)."""
        if not isinstance(data, Diagnostic):
            return False
        if data.code in self.codes_for(path):
            self.result.diagnostics.append(data)
        return True

    def _cache(self) -> Cache | None:
        """The run's result cache: plain lint runs only (not fixing, not standard input)."""
        if self._result_cache is None:
            if self.o.no_cache or self._fixing or self.stdin_path is not None:
                return None
            from cfw_lint.cache import Cache

            self._result_cache = Cache(self.cache_dir())
        return self._result_cache

    def _profile_fingerprint(self, project: Project, settings: Settings) -> str:
        """The runtime profile and, in a Worker project, the set of its modules (is `import x`
        the project's own?): a result computed under other ones is stale."""

        def compute() -> str:
            from cfw_lint.cache import digest

            profile = project.profile(self.overrides_for(settings)).fingerprint()
            if project.config is None:
                return profile
            return digest(profile, *(str(f) for f in project.source_files()))

        o = self.overrides_for(settings)
        return project.memo(("cache-profile", o.cli_date, o.cli_flags, o.tool_date, o.tool_flags), compute)  # type: ignore[no-any-return]

    def _python_fix_mode(self) -> str | None:
        if self.o.fix_mode is None and self.o.diff:
            return "safe"
        return self.o.fix_mode

    def _read(self, path: Path) -> bytes | Diagnostic:
        if self.stdin_path is not None and path == self.stdin_path:
            return self.o.stdin or b""
        try:
            mode = path.stat().st_mode
            if stat.S_ISREG(mode):
                return path.read_bytes()
            problem = "not a regular file"
        except OSError as exc:
            problem = f"cannot read: {exc.strerror or exc}"
        from cfw_lint.engine import unreadable  # imports LibCST: only for a file that is not read

        return unreadable(self.display(path), problem)

    def _execute(self, tasks: list[LintTask]) -> Iterable[LintOutcome]:
        jobs = self.o.jobs or os.cpu_count() or 1
        if jobs <= 1 or len(tasks) < PARALLEL_THRESHOLD:
            return [lint_task(t) for t in tasks]
        try:
            pool = WorkerPool(min(jobs, len(tasks)))
            if pool.fork:
                # imported once here, inherited by every worker (not imported in each of them)
                import cfw_lint.engine  # noqa: F401
                from cfw_lint.registry import python_rules

                python_rules({c for t in tasks for c in t.codes})
            return pool.run(tasks)
        except OSError:
            return [lint_task(t) for t in tasks]  # no processes available: lint serially

    def _absorb(
        self,
        path: Path,
        project: Project,
        outcome: LintOutcome,
        original: bytes | str | None = None,
    ) -> None:
        # with --fix/--diff nothing is written here: the project's fix loop decides (FixLoop)
        enabled = self.codes_for(path)
        diagnostics = self.fix_policy_for(path)([Diagnostic.from_json(d) for d in outcome.diagnostics])
        self._noqa_used[Path(os.path.abspath(path))] = outcome.noqa_used
        # the engine reports CFW001/CFW002/CFW004 itself; they obey the selection like any code
        diagnostics = [d for d in diagnostics if d.code in enabled]
        if outcome.facts is not None:
            project.file_facts[project.resolved(path)] = outcome.facts
        if not self._fixing or original is None:
            self.result.diagnostics.extend(diagnostics)
            return
        # fixing: nothing is reported or written until the project's fix loop has run
        path = Path(os.path.abspath(path))  # as found (a symlink stays the link)
        self._py_diags[path] = diagnostics
        assert isinstance(original, bytes)
        self._py_sources[path] = decode_python(original)
        self._py_bytes[path] = original
        fixed = outcome.fixed_text
        if fixed is not None:
            self._py_first[path] = (fixed, list(outcome.applied))
            project.overrides[path] = fixed

    # -- projects ----------------------------------------------------------------------------
    def _check_project(self, project: Project) -> None:
        project.online = self.o.online
        if project.cache_dir is None and not self.o.no_cache:
            project.cache_dir = self.cache_dir()
        if not self._fixing:
            self.result.diagnostics.extend(self._filter(self._cached_project_findings(project)))
            return
        FixLoop(self, project).run()

    def _cached_project_findings(self, project: Project) -> list[Diagnostic]:
        """The project rules' findings, from the cache when none of their inputs changed."""
        cache = self._cache()
        key = self._project_key(project) if cache is not None else None
        if cache is not None and key is not None:
            hit = cache.get(key)
            if hit is not None:
                try:
                    return [Diagnostic.from_json(d) for d in hit["diagnostics"]]
                except (KeyError, TypeError, ValueError, AttributeError):
                    pass  # a damaged entry: run the rules again
        errors = len(self.result.errors)
        found = self._project_findings(project)
        if cache is not None and key is not None and len(self.result.errors) == errors:
            cache.put(key, {"diagnostics": [d.to_cache() for d in found]})  # not when a rule broke
        return found

    def _project_key(self, project: Project) -> CacheKey | None:
        """Everything the project rules read (see project/fingerprint.py), the codes that run,
        the date/flag overrides and how paths are displayed; None: not cacheable."""
        from cfw_lint.cache import Cache, CacheKey, digest
        from cfw_lint.project.fingerprint import Uncacheable, project_inputs
        from cfw_lint.registry import project_codes

        if project.config is None or project.overrides or self.o.online:
            return None  # no project rules (only cheap TOML checks), in-memory text, the network
        where = project.config_path or project.root
        codes = project_codes(self.codes_for(where))
        configs: list[Path] = []
        if "CFW710" in codes:
            from cfw_lint.project.repository import repository_configs, repository_root

            configs = repository_configs(project, repository_root(project.config.directory))
        try:
            inputs = project_inputs(project, configs)
        except Uncacheable:
            return None
        o = self.overrides_for(self.settings_for(where))
        variant = Cache.variant(
            str(self.cwd), codes, repr((o.cli_date, o.cli_flags, o.tool_date, o.tool_flags, o.tool_source)), None
        )
        return CacheKey(f"project:{project.root}", variant, digest(*inputs))

    def _project_diagnostics(self, project: Project) -> list[Diagnostic]:
        return self._filter(self._project_findings(project))

    def _project_findings(self, project: Project) -> list[Diagnostic]:
        """Every project finding, before selection and noqa (`_filter`)."""
        from cfw_lint.registry import project_rules

        out: list[Diagnostic] = []
        out.extend(self._invalid_files(project))
        if project.config is None:
            return out
        codes = self.codes_for(project.config_path or project.root)
        for rule in project_rules(codes):
            try:
                if not rule.applies(project):
                    continue
                for found in rule(project).check():
                    out.append(self._to_diagnostic(rule, found, project))
            except Exception as exc:  # noqa: BLE001 - one broken rule must not stop the run
                detail = "".join(traceback.format_exception_only(type(exc), exc)).strip()
                self.result.errors.append(
                    f"internal error in {rule.code} on {self.display(project.config_path or project.root)}: {detail}"
                )
        return out

    def _invalid_files(self, project: Project) -> list[Diagnostic]:
        """CFW003 for a Worker config, pyproject or lock file that does not parse."""
        from cfw_lint.tomlcompat import tomllib

        out = []
        if project.config_error is not None and project.config_path is not None:
            e = project.config_error
            out.append(self._builtin_config_error(project.config_path, e.message, e.line, e.column))
        for name in ("pyproject.toml", "pylock.toml", "uv.lock"):
            path = project.root / name
            if not (path.is_file() or path in project.overrides):
                continue
            text = project.read_text(path)
            if text is None:
                if path.exists():
                    out.append(self._builtin_config_error(path, "cannot read or decode the file as UTF-8", 1, 1))
                continue
            try:
                tomllib.loads(text)
            except tomllib.TOMLDecodeError as exc:
                from cfw_lint.project.wrangler import _strip_position, _toml_error_position

                line, column = _toml_error_position(str(exc))
                out.append(self._builtin_config_error(path, f"invalid TOML: {_strip_position(str(exc))}", line, column))
        return out

    def _builtin_config_error(self, path: Path, message: str, line: int, column: int) -> Diagnostic:
        pos = Position(line, column)
        return Diagnostic("CFW003", "invalid-config", message, Severity.ERROR, self.display(path), pos, pos)

    def _to_diagnostic(self, rule: Any, found: Any, project: Project) -> Diagnostic:
        path = Path(os.path.abspath(found.path))
        start = Position(found.line, found.column)
        end = Position(found.end_line or found.line, found.end_column or found.column)
        fix = found.fix
        if fix is not None:
            text = project.read_text(path) or ""
            index = LineIndex(text)
            edits = []
            for e in fix.edits:
                target = Path(os.path.abspath(e.path)) if e.path else path
                if e.whole_file:
                    edits.append(Edit(None, None, e.content, path=str(target)))
                    continue
                target_index = index if target == path else LineIndex(project.read_text(target) or "")
                edits.append(
                    Edit(
                        e.start,
                        e.end,
                        e.content,
                        path=str(target),
                        start_pos=target_index.position(e.start),
                        end_pos=target_index.position(e.end),
                    )
                )
            fix = Fix(tuple(edits), fix.applicability, fix.message)
        return Diagnostic(
            code=rule.code,
            name=rule.name,
            message=found.message,
            severity=found.severity or rule.severity,
            path=self.display(path),
            start=start,
            end=end,
            fix=fix,
        )

    def _filter(self, diagnostics: list[Diagnostic]) -> list[Diagnostic]:
        """Apply each target file's selection, per-file-ignores and noqa comments."""
        out = []
        suppressions: dict[Path, Any] = {}
        for d in diagnostics:
            path = Path(os.path.abspath(self.cwd / d.path)) if d.path != "-" else self.stdin_path
            assert path is not None
            if d.code not in self.codes_for(path):
                continue
            if path not in suppressions:
                project = self.index.project_of(path)
                text = project.read_text(path) or ""
                if path.suffix == ".py":
                    suppressions[path] = python_suppressions(text)
                else:
                    suppressions[path] = line_suppressions(text, "//" if path.suffix in (".json", ".jsonc") else "#")
            if suppressions[path].suppressed(d.code, d.start.line):
                continue
            out.extend(self.fix_policy_for(path)([d]))
        for path, found in suppressions.items():
            self._filter_used[path] = found.used
        return out

    def _unused_noqa(self, found: list[Found]) -> None:
        """CFW005: noqa directives that suppressed nothing; its safe fix is applied here, after
        every other fix, since only then is it known what the directives suppress."""
        from cfw_lint.unused_noqa import unused_noqa_diagnostics

        unused_noqa_diagnostics(self, found)

    def _apply_project_fixes(self, project: Project, fixes: list[Fix]) -> dict[Path, str | None] | None:
        """New text per changed file (None = deleted); None when a result does not parse."""
        from cfw_lint.fixes import apply_edits

        by_path: dict[Path, list[Edit]] = {}
        for fix in fixes:
            for e in fix.edits:
                by_path.setdefault(Path(e.path or ""), []).append(e)
        changes: dict[Path, str | None] = {}
        for path, edits in by_path.items():
            whole = [e for e in edits if e.whole_file]
            if whole:
                changes[path] = whole[-1].content
                continue
            changes[path] = apply_edits(project.read_text(path) or "", edits)
        for path, text in changes.items():
            if text is not None and not _parses(path, text):
                return None
        return changes


MAX_CULPRIT_ATTEMPTS = 8


class FixLoop:
    """One project's fixes, source and config rules together, run to a fixed point; then a
    final check: the fixed project is linted again, and a fix whose result has a new error (a
    new error-level finding, or a name that no longer resolves) is not applied and is reported.

    Fixes are keyed (file, code): blocking one re-runs the loop from the original texts without
    that code's fixes in that file."""

    def __init__(self, runner: Runner, project: Project) -> None:
        self.r = runner
        self.project = project
        self.mode = runner._python_fix_mode() or "safe"
        self.paths = sorted(
            p for p in runner._py_codes if runner.index.project_of(p) is project and p in runner._py_sources
        )
        self.notes: dict[Path, list[str]] = {}
        # files the Python rules run on (others get parse checks only, which no profile changes)
        self.linted = {p for p in self.paths if runner._py_codes[p]}

    # -- helpers ------------------------------------------------------------------------------
    def _lint(self, path: Path, fix_mode: str | None, exclude: set[str] | frozenset[str] = frozenset()) -> LintOutcome:
        context, _ = self.r.context_for(path)
        text = self.project.read_text(path)
        codes = tuple(c for c in self.r._py_codes[path] if c not in exclude)
        task = LintTask(
            codes,
            context,
            text or "",
            fix_mode,
            self.r.o.file_time_limit or PER_FILE_TIME_LIMIT,
            self.r.fix_policy_for(path) if fix_mode is not None else None,
        )
        outcome = lint_task(task)
        if outcome.failed and fix_mode is not None:
            # a fix pass that could not be analysed: write nothing for this project
            message = outcome.diagnostics[0]["message"]
            raise _InternalError(f"{self.r.display(path)}: fixes not applied: {message}")
        if fix_mode is None:
            self.r._noqa_used[path] = outcome.noqa_used  # CFW005 reads the final text's
        if outcome.facts is not None:
            self.project.file_facts[path] = outcome.facts
        else:
            self.project.file_facts.pop(path, None)
        return outcome

    def _py_findings(self, outcome: LintOutcome, path: Path) -> list[Diagnostic]:
        enabled = self.r.codes_for(path)
        found = self.r.fix_policy_for(path)([Diagnostic.from_json(x) for x in outcome.diagnostics])
        return [d for d in found if d.code in enabled]

    def _target(self, d: Diagnostic) -> Path:
        return Path(os.path.abspath(self.r.cwd / d.path)) if d.path != "-" else self.r.stdin_path  # type: ignore[return-value]

    # -- the loop -----------------------------------------------------------------------------
    def run(self) -> None:
        r, project = self.r, self.project
        # the original state: the first lint already fixed some files; take those fixes back
        # to see the project as it was
        self.start = dict(project.overrides)
        for path in self.paths:
            if path in r._py_first:
                self.start[path] = r._py_sources[path].text
        project.overrides.clear()
        project.overrides.update(self.start)
        for path in r._py_first:
            project.file_facts.pop(path, None)
        project.invalidate()
        self.baseline: list[Diagnostic] = [
            d for path in self.paths if path not in r._py_first for d in r._py_diags[path]
        ]
        blocked: set[tuple[Path, str]] = set()
        try:
            for path in self.paths:
                if path in r._py_first:
                    self.baseline.extend(self._py_findings(self._lint(path, None), path))
            # the Python rules' findings alone (project rules may report at a .py file too)
            self.baseline_py = list(self.baseline)
            baseline_project = r._project_diagnostics(project)
            self.baseline.extend(baseline_project)
            applied = self._fixpoint(blocked, first=True, project_diags=baseline_project)
            final, problems = self._final_check(applied)
            if problems:
                final, applied, blocked = self._without_culprits(applied, problems, final)
        except _InternalError as exc:
            r.result.errors.append(str(exc))
            self._restore()
            final, applied = self.baseline, []
        self._finish(final, applied)

    def _restore(self) -> None:
        """Back to the texts the fix loop started from."""
        project = self.project
        project.overrides.clear()
        project.overrides.update(self.start)
        for path in self.paths:
            project.file_facts.pop(path, None)
        project.invalidate()

    def _fixpoint(
        self, blocked: set[tuple[Path, str]], *, first: bool = False, project_diags: list[Diagnostic] | None = None
    ) -> list[tuple[Path, str]]:
        """Apply fixes until none is left; returns the (file, code) of each fix applied."""
        from cfw_lint.engine import allowed
        from cfw_lint.fixes import select_non_overlapping

        r, project = self.r, self.project
        applied: list[tuple[Path, str]] = []
        self.notes = {}
        if first:
            # reuse the first lint's fixes (it ran on the original config)
            dirty: set[Path] = set()
            text: str | None  # the first lint's text here, a project fix's (None: deleted) below
            for path in self.paths:
                if path in r._py_first:
                    text, codes = r._py_first[path]
                    project.overrides[path] = text
                    project.file_facts.pop(path, None)
                    applied.extend((path, c) for c in codes)
            if r._py_first:
                project.invalidate()
                project_diags = None
        else:
            self._restore()
            dirty = set(self.linted)
            project_diags = None
        for _ in range(MAX_PROJECT_FIX_PASSES):
            changed = False
            for path in sorted(dirty):
                exclude = {c for p, c in blocked if p == path}
                outcome = self._lint(path, self.mode, exclude)
                fixed = outcome.fixed_text
                if fixed is not None:
                    project.overrides[path] = fixed
                    applied.extend((path, c) for c in outcome.applied)
                    changed = True
            dirty = set()
            if changed:
                project.invalidate()
                project_diags = None
            diagnostics = project_diags if project_diags is not None else r._project_diagnostics(project)
            project_diags = None
            fixes = [
                (d, d.fix)
                for d in diagnostics
                if d.fix and allowed(d.fix.applicability, self.mode) and (self._target(d), d.code) not in blocked
            ]
            if fixes:
                by_id = {id(f): d for d, f in fixes}
                chosen = select_non_overlapping(f for _, f in fixes)
                changes = r._apply_project_fixes(project, chosen)
                if changes is None:
                    listed = ", ".join(sorted({by_id[id(f)].code for f in chosen}))
                    r.result.warnings.append(
                        f"fixes ({listed}) in {r.display(project.root)} produced a file that does not parse; "
                        "they were not applied"
                    )
                    blocked.update((self._target(by_id[id(f)]), by_id[id(f)].code) for f in chosen)
                    continue
                for path, text in changes.items():
                    project.overrides[path] = text  # type: ignore[assignment]
                    project.file_facts.pop(path, None)
                    if path in r._py_codes and path in self.paths:
                        dirty.add(path)
                    elif path.suffix != ".py":
                        dirty = set(self.linted)  # the runtime profile may have changed
                for f in chosen:
                    d = by_id[id(f)]
                    applied.append((self._target(d), d.code))
                    if f.message:
                        self.notes.setdefault(self._target(d), []).append(f"{d.code}: {f.message}")
                project.invalidate()
                changed = True
            if not changed:
                break
        return applied

    def _changed(self) -> dict[Path, tuple[str | None, str | None]]:
        """Files whose text differs from the start: path -> (before, after)."""
        out: dict[Path, tuple[str | None, str | None]] = {}
        project = self.project
        for path, after in project.overrides.items():
            before = self.start[path] if path in self.start else _disk_text(path)
            if before != after:
                out[path] = (before, after)
        return out

    def _final_check(
        self, applied: list[tuple[Path, str]]
    ) -> tuple[list[Diagnostic], list[tuple[Diagnostic | None, str]]]:
        """The fixed project's findings, and what the fixes made worse."""
        r, project = self.r, self.project
        if not applied:
            return list(self.baseline), []
        changed = self._changed()
        profile_changed = any(p.suffix != ".py" for p in changed)
        final: list[Diagnostic] = []
        baseline_by_path: dict[str, list[Diagnostic]] = {}
        for d in self.baseline_py:
            baseline_by_path.setdefault(d.path, []).append(d)
        for path in self.paths:
            if path in changed or (profile_changed and path in self.linted):
                final.extend(self._py_findings(self._lint(path, None), path))
            else:
                final.extend(d for d in baseline_by_path.get(r.display(path), []))
        final.extend(r._project_diagnostics(project))
        return final, self._problems(final, changed)

    def _problems(
        self, final: list[Diagnostic], changed: dict[Path, tuple[str | None, str | None]]
    ) -> list[tuple[Diagnostic | None, str]]:
        from collections import Counter

        from cfw_lint.fixes import unresolved_names

        before = Counter((d.path, d.code) for d in self.baseline if d.severity is Severity.ERROR)
        after = Counter((d.path, d.code) for d in final if d.severity is Severity.ERROR)
        problems: list[tuple[Diagnostic | None, str]] = []
        for key, count in after.items():
            if count > before.get(key, 0):
                d = next(x for x in final if (x.path, x.code) == key and x.severity is Severity.ERROR)
                problems.append((d, f"{d.path}:{d.start.line}:{d.start.column}: {d.code} {_first_sentence(d.message)}"))
        for path, (old, new) in sorted(changed.items()):
            if path.suffix != ".py" or new is None:
                continue
            lost_before = unresolved_names(old) if old is not None else set()
            lost_after = unresolved_names(new)
            if lost_before is None or lost_after is None:
                continue
            for name in sorted(lost_after - lost_before):
                problems.append(
                    (None, f"{self.r.display(path)}: the name `{name}` would no longer resolve (NameError)")
                )
        return problems

    def _without_culprits(
        self,
        applied: list[tuple[Path, str]],
        problems: list[tuple[Diagnostic | None, str]],
        final: list[Diagnostic],
    ) -> tuple[list[Diagnostic], list[tuple[Path, str]], set[tuple[Path, str]]]:
        """Find the fixes to leave out: one (file, code) at a time, latest first; then
        cumulatively. Every fix left out is reported with what it would have broken."""
        r = self.r
        keys = list(dict.fromkeys(applied))
        candidates: list[set[tuple[Path, str]]] = [{k} for k in reversed(keys)][:MAX_CULPRIT_ATTEMPTS]
        cumulative: set[tuple[Path, str]] = set()
        for k in reversed(keys):
            cumulative = cumulative | {k}
            candidates.append(set(cumulative))
        for blocked in candidates:
            attempt_applied = self._fixpoint(set(blocked))
            attempt_final, attempt_problems = self._final_check(attempt_applied)
            if not attempt_problems:
                reasons = "; ".join(text for _, text in problems[:3])
                for path, code in sorted(blocked, key=lambda k: (str(k[0]), k[1])):
                    r.result.warnings.append(
                        f"{code} fix in {r.display(path)} not applied: the fixed project would have a new "
                        f"error ({reasons})"
                    )
                return attempt_final, attempt_applied, blocked
        # nothing combination works: leave every fix out
        self._restore()
        reasons = "; ".join(text for _, text in problems[:3])
        r.result.warnings.append(
            f"fixes in {r.display(self.project.root)} not applied: the fixed project would have a new error ({reasons})"
        )
        return list(self.baseline), [], set(keys)

    def _finish(self, final: list[Diagnostic], applied: list[tuple[Path, str]]) -> None:
        from collections import Counter

        r = self.r
        failed = self._write()
        if failed:
            # a file left as it was keeps its findings and counts as not fixed
            shown = {r.display(p) for p in failed}
            final = [d for d in final if d.path not in shown] + [d for d in self.baseline if d.path in shown]
            applied = [(p, c) for p, c in applied if p not in failed]
        r.result.diagnostics.extend(final)
        r.result.found_count += len(self.baseline)
        left = Counter((d.path, d.code) for d in final)
        gone = Counter((d.path, d.code) for d in self.baseline)
        gone.subtract(left)
        r.result.fixed_count += sum(n for n in gone.values() if n > 0)
        if not r.o.diff:
            for path, code in applied:
                r.result.fixed.setdefault(r.display(path), []).append(code)
        done = set(applied)
        for d in self.baseline:
            # what a source fix changes besides the finding (its message), for --show-fixes
            if d.fix is not None and d.fix.message and (self._target(d), d.code) in done:
                self.notes.setdefault(self._target(d), []).append(f"{d.code}: {d.fix.message}")
        for path, notes in self.notes.items():
            if path not in failed:
                r.result.fix_notes.setdefault(r.display(path), []).extend(dict.fromkeys(notes))

    def _write(self) -> set[Path]:
        """Show, print or write every changed file; the files that could not be written."""
        r, project = self.r, self.project
        failed: set[Path] = set()
        for path, (before, after) in sorted(self._changed().items()):
            display = r.display(path)
            if r.o.diff:
                r.result.diffs.append(unified_diff(display, before, after))
                continue
            if r.stdin_path is not None:
                if path == r.stdin_path:
                    r.result.stdin_output = after
                continue
            problem: str | None
            if path in r._py_sources and after is not None:
                # a linted Python file (a symlink is written through, as when it was read)
                problem = write_fixed(path, r._py_sources[path].encode(after), expected=r._py_bytes.get(path))
            elif not project.contains(path):
                problem = "it is outside the project"
            elif after is None:
                try:
                    path.unlink()
                    problem = None
                except OSError as exc:
                    problem = exc.strerror or str(exc)
            else:
                if not path.parent.exists():
                    try:
                        path.parent.mkdir(parents=True, exist_ok=True)
                    except OSError as exc:
                        r.result.errors.append(f"{display}: fixes not written: {exc.strerror or exc}")
                        failed.add(path)
                        continue
                problem = write_fixed(path, _encode_config(path, after))
            if problem is not None:
                r.result.errors.append(f"{display}: fixes not written: {problem}")
                failed.add(path)
        return failed


class _InternalError(Exception):
    pass


def _disk_text(path: Path) -> str | None:
    try:
        return decode_python(path.read_bytes()).text if path.suffix == ".py" else decode_text(path.read_bytes()).text
    except (OSError, DecodeError):
        return None


def _first_sentence(message: str) -> str:
    """The start of a finding's message, plus its "No automatic fix: ..." reason if any."""
    head = message.split(": ", 1)[0] if len(message) > 140 else message
    head = head[:140]
    reason = message.find("No automatic fix:")
    if reason > len(head):
        head += " ... " + message[reason:].split(". ", 1)[0].rstrip(".")
    return head


def _parses(path: Path, text: str) -> bool:
    name = path.name
    if name.endswith(".py"):
        from cfw_lint.engine import parse

        return not isinstance(parse(text, name), Diagnostic)
    if name.endswith((".toml", ".lock")):
        from cfw_lint.tomlcompat import tomllib

        try:
            tomllib.loads(text)
        except tomllib.TOMLDecodeError:
            return False
        return True
    if name.endswith((".json", ".jsonc")):
        from cfw_lint.project.jsonc import JsoncError, parse_jsonc

        try:
            parse_jsonc(text)
        except JsoncError:
            return False
    return True


def _encode_config(path: Path, text: str) -> bytes:
    data = text.encode("utf-8")
    try:
        if path.read_bytes().startswith(BOM):
            return BOM + data
    except OSError:
        pass
    return data


class _TimeLimitExceeded(BaseException):
    """Raised by the alarm; a BaseException so that no rule's `except Exception` swallows it."""


@contextlib.contextmanager
def _time_limit(seconds: float | None) -> Iterator[None]:
    """SIGALRM after `seconds` (POSIX, main thread); elsewhere no limit in-process."""
    usable = seconds and hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()
    if not usable or seconds is None:  # `usable` is falsy when `seconds` is None
        yield
        return

    def expire(signum: int, frame: Any) -> None:
        raise _TimeLimitExceeded()

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


@dataclass
class LintTask:
    """One Python file to lint, in this process or a worker (picklable)."""

    codes: tuple[str, ...]
    context: FileContext
    data: bytes | str
    fix_mode: str | None = None
    time_limit: float = PER_FILE_TIME_LIMIT
    fix_policy: FixPolicy | None = None  # None: the findings stay raw (as cached)


@dataclass
class LintOutcome:
    """What linting one file gives back; `to_json`/`from_json` are its cache form."""

    diagnostics: list[dict[str, Any]]  # Diagnostic.to_cache() form: cheap to pickle and to store
    fixed_text: str | None = None
    applied: list[str] = field(default_factory=list)  # codes of the fixes applied, in order
    facts: dict[str, Any] | None = None
    noqa_used: list[Any] | None = None  # (line, code) of the noqa directives that suppressed something
    failed: bool = False  # the analysis failed (a CFW004): never cached

    def to_json(self) -> dict[str, Any]:
        return {
            "diagnostics": self.diagnostics,
            "fixed_text": self.fixed_text,
            "applied": self.applied,
            "facts": self.facts,
            "noqa_used": self.noqa_used,
            "failed": self.failed,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> LintOutcome:
        return cls(
            diagnostics=data["diagnostics"],
            fixed_text=data.get("fixed_text"),
            applied=list(data.get("applied") or []),
            facts=data.get("facts"),
            noqa_used=data.get("noqa_used"),
            failed=bool(data.get("failed")),
        )


def _from_cache(value: dict[str, Any] | None) -> LintOutcome | None:
    """A stored result, or None when there is none or it is damaged (then the file is linted)."""
    if value is None:
        return None
    try:
        outcome = LintOutcome.from_json(value)
        for d in outcome.diagnostics:
            Diagnostic.from_json(d)
    except (KeyError, TypeError, ValueError, AttributeError):
        return None
    return outcome


def failed_outcome(path: str, message: str) -> LintOutcome:
    """A file whose analysis failed: one CFW004, no fix, not cached."""
    from cfw_lint.engine import analysis_failed

    return LintOutcome([analysis_failed(path, message).to_cache()], failed=True)


def lint_task(task: LintTask) -> LintOutcome:
    """One Python file, in this or a worker process.

    Nothing escapes: an exception, deep recursion, memory exhaustion or the time limit becomes
    a CFW004 for this file only."""
    from cfw_lint.engine import lint_python
    from cfw_lint.registry import python_rules

    context = task.context
    limit = task.time_limit
    try:
        with _time_limit(limit):
            result: FileResult = lint_python(
                task.data,
                context,
                python_rules(task.codes),
                fix_mode=task.fix_mode,
                fix_policy=task.fix_policy,
            )
    except _TimeLimitExceeded:
        return failed_outcome(context.path, f"could not be analysed within the time limit of {limit:g} s")
    except RecursionError:
        return failed_outcome(context.path, "could not be analysed: the code is nested too deeply for cfw-lint")
    except MemoryError:
        return failed_outcome(context.path, "could not be analysed: cfw-lint ran out of memory")
    except Exception as exc:  # noqa: BLE001 - reported for this file only
        detail = "".join(traceback.format_exception_only(type(exc), exc)).strip()
        return failed_outcome(
            context.path, f"could not be analysed: internal error in cfw-lint ({detail}); please report it"
        )
    return LintOutcome(
        [d.to_cache() for d in result.diagnostics],
        result.fixed_text,
        result.applied,
        result.facts,
        result.noqa_used,
    )


def write_fixed(path: Path, data: bytes, expected: bytes | None = None) -> str | None:
    """Replace a file's content with fixes; None when done, else why not (the file is untouched).

    A symlink is written through (the link stays); a file without write permission is refused,
    even for root (as ruff does); a file that changed since it was read is left alone."""
    target = Path(os.path.realpath(path))
    try:
        exists = os.path.lexists(target)
        if exists and not target.stat().st_mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH):
            return "the file is read-only"
        if expected is not None and (not exists or target.read_bytes() != expected):
            return "the file changed while it was being linted"
        write_atomic(target, data)
    except OSError as exc:
        return exc.strerror or str(exc)
    return None


def write_atomic(path: Path, data: bytes) -> None:
    """Write via a temporary file in the same directory and rename; keep the file's mode and owner.

    Either the whole new content is in place or the original is untouched, and no temporary
    file is left behind."""
    try:
        st = path.stat()
        mode: int | None = stat.S_IMODE(st.st_mode)
    except OSError:
        st, mode = None, None
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".cfw-lint.tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        if mode is not None:
            os.chmod(tmp, mode)
        else:
            os.chmod(tmp, 0o666 & ~_umask())
        if st is not None and hasattr(os, "chown") and (st.st_uid, st.st_gid) != (os.getuid(), os.getgid()):
            try:
                os.chown(tmp, st.st_uid, st.st_gid)  # root fixing someone else's file
            except OSError:
                pass
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def unified_diff(display: str, before: str | None, after: str | None) -> str:
    old = (before or "").splitlines(keepends=True)
    new = (after or "").splitlines(keepends=True)
    lines = list(
        difflib.unified_diff(
            old,
            new,
            fromfile="/dev/null" if before is None else f"a/{display}",
            tofile="/dev/null" if after is None else f"b/{display}",
        )
    )
    return "".join(line if line.endswith(("\n", "\r")) else line + "\n\\ No newline at end of file\n" for line in lines)


class WorkerPool:
    """Lints files in worker processes, each file isolated from the others' failures.

    Workers receive chunks of files and answer file by file, so the parent always knows which
    file a worker is on: a worker that dies (a crash in native code) or overruns the time limit
    (stuck in native code, where the in-process alarm cannot reach) costs a CFW004 for that file
    only; the rest of its chunk goes to a fresh worker."""

    def __init__(self, jobs: int) -> None:
        self.jobs = jobs
        self.respawns = 0
        import multiprocessing

        self.fork = sys.platform.startswith("linux")
        self.ctx = multiprocessing.get_context("fork") if self.fork else multiprocessing.get_context("spawn")

    def run(self, tasks: list[LintTask]) -> list[LintOutcome]:
        from multiprocessing.connection import wait

        size = max(1, min(MAX_CHUNK, len(tasks) // (self.jobs * 4)))
        queue = deque(list(range(i, min(i + size, len(tasks)))) for i in range(0, len(tasks), size))
        results: list[LintOutcome | None] = [None] * len(tasks)
        workers: list[_Worker] = []
        try:
            workers = [self._spawn(tasks) for _ in range(min(self.jobs, len(queue)))]
            while True:
                for w in list(workers):
                    if not w.chunk and queue:
                        chunk = queue.popleft()
                        try:
                            w.give(chunk, tasks, self.fork)
                        except OSError:  # the worker is gone: no file is to blame
                            w.chunk = []
                            queue.appendleft(chunk)
                            self._replace(w, workers, tasks, results, queue, "")
                busy = [w for w in workers if w.chunk]
                if not busy:
                    break
                now = time.monotonic()
                timeout = max(0.0, min(w.deadline(tasks) for w in busy) - now)
                ready = wait([w.conn for w in busy] + [w.process.sentinel for w in busy], timeout)
                for w in busy:
                    if w.conn in ready or w.process.sentinel in ready:
                        alive = w.collect(results)
                        if not alive:
                            self._replace(w, workers, tasks, results, queue, w.crash_message())
                    elif time.monotonic() > w.deadline(tasks):
                        limit = tasks[w.chunk[0]].time_limit or PER_FILE_TIME_LIMIT
                        w.process.kill()
                        w.process.join()
                        self._replace(
                            w,
                            workers,
                            tasks,
                            results,
                            queue,
                            f"could not be analysed within the time limit of {limit:g} s",
                        )
        finally:
            for w in workers:
                w.stop()
        return [
            r if r is not None else failed_outcome(t.context.path, "could not be analysed")
            for r, t in zip(results, tasks)
        ]

    def _spawn(self, tasks: list[LintTask]) -> _Worker:
        parent, child = self.ctx.Pipe()
        # with fork the worker inherits `tasks` and receives indices only; with spawn, the tasks
        process = self.ctx.Process(target=_worker_main, args=(child, tasks if self.fork else None), daemon=True)
        process.start()
        child.close()
        return _Worker(process, parent)

    def _replace(
        self,
        w: _Worker,
        workers: list[_Worker],
        tasks: list[LintTask],
        results: list[Any],
        queue: deque,
        message: str,
    ) -> None:
        """The file `w` was on gets `message`; the rest of its chunk is queued again."""
        if w.chunk:
            current = w.chunk.pop(0)
            results[current] = failed_outcome(tasks[current].context.path, message)
            if w.chunk:
                queue.appendleft(w.chunk)
        w.chunk = []
        w.stop()
        self.respawns += 1
        if self.respawns > len(tasks) + self.jobs:
            raise OSError("worker processes keep dying")  # not one file's fault: lint serially
        workers[workers.index(w)] = self._spawn(tasks)


class _Worker:
    def __init__(self, process: Any, conn: Any) -> None:
        self.process = process
        self.conn = conn
        self.chunk: list[int] = []  # indices not yet answered; the first is being linted
        self.since = time.monotonic()

    def give(self, chunk: list[int], tasks: list[LintTask], fork: bool) -> None:
        self.chunk = list(chunk)
        self.since = time.monotonic()
        self.conn.send([(i, None if fork else tasks[i]) for i in chunk])

    def deadline(self, tasks: list[LintTask]) -> float:
        limit = tasks[self.chunk[0]].time_limit or PER_FILE_TIME_LIMIT
        return self.since + limit + KILL_GRACE

    def collect(self, results: list[Any]) -> bool:
        """Take every answer waiting; False when the worker has died (then it is replaced)."""
        try:
            while self.conn.poll():
                index, outcome = self.conn.recv()
                results[index] = outcome
                if index in self.chunk:
                    self.chunk.remove(index)
                self.since = time.monotonic()
        except (EOFError, OSError):
            pass
        if self.process.is_alive():
            return True
        self.process.join()
        return False

    def crash_message(self) -> str:
        code = self.process.exitcode
        if code is not None and code < 0:
            try:
                how = signal.Signals(-code).name
            except ValueError:
                how = f"signal {-code}"
        else:
            how = f"exit status {code}"
        return f"could not be analysed: the process analysing it crashed ({how}); please report this file"

    def stop(self) -> None:
        try:
            self.conn.send(None)
        except (OSError, ValueError):
            pass
        self.process.join(timeout=1)
        if self.process.is_alive():
            self.process.kill()
            self.process.join()
        self.conn.close()


def _worker_main(conn: Any, tasks: list[LintTask] | None) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent handles Ctrl-C and stops us
    try:
        import resource

        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))  # a crash leaves no core file in the project
    except (ImportError, ValueError, OSError):
        pass
    while True:
        try:
            chunk = conn.recv()
        except (EOFError, OSError):
            return
        if chunk is None:
            return
        for index, task in chunk:
            conn.send((index, lint_task(task if task is not None else tasks[index])))  # type: ignore[index]


def run(options: Options, cwd: Path | None = None) -> RunResult:
    return Runner(options, cwd).run()
