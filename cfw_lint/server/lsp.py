"""`cfw-lint server`: the Language Server Protocol over stdio (pygls).

Diagnostics on open, change (debounced, from the unsaved buffer) and save; quick fixes, "disable
for this line" and `source.fixAll.cfw-lint` code actions; hover with the rule's page summary.
Every handler is guarded: an internal error is logged to the client and answered with an empty
result, never fatal.
"""

from __future__ import annotations

import asyncio
import functools
import logging
import re
import sys
import traceback
from urllib.parse import unquote
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, TypeVar

from lsprotocol import types as t
from pygls.exceptions import JsonRpcException
from pygls.lsp.server import LanguageServer
from pygls.protocol import LanguageServerProtocol
from pygls.uris import from_fs_path, to_fs_path

from cfw_lint import __version__
from cfw_lint.diagnostics import Applicability, Diagnostic, Fix, Severity
from cfw_lint.files import file_kind
from cfw_lint.server.session import ClientSettings, LintOutcome, LintSession, is_project_file, normalize
from cfw_lint.server.text import TextMap

FIX_ALL_KIND = "source.fixAll.cfw-lint"
DEFAULT_DEBOUNCE = 0.25  # seconds of quiet typing before a re-lint
WATCHED = (
    "**/wrangler.toml",
    "**/wrangler.json",
    "**/wrangler.jsonc",
    "**/pyproject.toml",
    "**/requirements.txt",
    "**/pylock.toml",
    "**/uv.lock",
    "**/*.py",
)
# the engine reports these before reading noqa comments (a file that does not parse or decode)
UNSUPPRESSIBLE = {"CFW001", "CFW002"}
SEVERITY = {
    Severity.ERROR: t.DiagnosticSeverity.Error,
    Severity.WARNING: t.DiagnosticSeverity.Warning,
    Severity.INFO: t.DiagnosticSeverity.Information,
}

log = logging.getLogger("cfw_lint.server")
F = TypeVar("F", bound=Callable[..., Any])


@dataclass
class Linted:
    version: int | None
    outcome: LintOutcome


class _Answered:
    """Stands for a request that was already answered with an error (pygls then ignores it)."""

    jsonrpc = "answered"


class Protocol(LanguageServerProtocol):
    def structure_message(self, data: Any) -> Any:
        try:
            return super().structure_message(data)
        except JsonRpcException as exc:
            # pygls drops a request whose params do not fit the protocol without answering, and
            # the client waits for ever: answer it with the error
            if isinstance(data, dict) and "id" in data and "method" in data:
                self._send_response(data["id"], error=exc.to_response_error())
                return _Answered()
            raise


class CfwLanguageServer(LanguageServer):
    def __init__(self) -> None:
        super().__init__(
            "cfw-lint", __version__, text_document_sync_kind=t.TextDocumentSyncKind.Incremental, protocol_cls=Protocol
        )
        self.session = LintSession()
        self.debounce = DEFAULT_DEBOUNCE
        self.linted: dict[str, Linted] = {}
        self.timers: dict[str, asyncio.TimerHandle] = {}
        self.uris: dict[Path, str] = {}  # open documents, as the client names them
        self.fixed: dict[str, tuple[Any, str | None]] = {}  # the last fix-all result per document

    # -- reporting ---------------------------------------------------------------------------
    def log(self, message: str, kind: t.MessageType = t.MessageType.Log) -> None:
        print(f"cfw-lint server: {message}", file=sys.stderr, flush=True)
        try:
            self.window_log_message(t.LogMessageParams(type=kind, message=message))
        except Exception:  # noqa: BLE001 - no client to tell (connection gone)
            pass

    def report_server_error(self, error: Exception, source: Any) -> None:
        self.log(f"internal error: {error!r}", t.MessageType.Error)

    # -- documents ---------------------------------------------------------------------------
    @property
    def encoding(self) -> str:
        enc = self.workspace.position_encoding
        return str(getattr(enc, "value", enc) or "utf-16")

    def path_of(self, uri: str) -> Path | None:
        """The file a document stands for; None for documents cfw-lint does not check."""
        fs = to_fs_path(uri) if uri.startswith("file:") else None
        if fs is None:
            return None
        path = normalize(fs)
        return path if file_kind(path) is not None else None

    def document(self, uri: str) -> Any:
        """The open document (pygls keys them by the unquoted URI), or None."""
        return self.workspace.text_documents.get(unquote(uri))

    def uri_of(self, path: Path) -> str:
        """The URI the client uses for a file (as it opened it), else the standard one."""
        return self.uris.get(path) or from_fs_path(str(path)) or path.as_uri()

    def open_uri(self, path: Path) -> str | None:
        return self.uris.get(path)

    # -- linting and publishing --------------------------------------------------------------
    def lint(self, uri: str) -> Linted | None:
        path = self.path_of(uri)
        if path is None:
            return None
        doc = self.document(uri)
        version = doc.version if doc is not None else None
        outcome = self.session.lint(path)
        for error in outcome.errors:
            self.log(error, t.MessageType.Warning)
        linted = Linted(version, outcome)
        self.linted[uri] = linted
        return linted

    def current(self, uri: str) -> Linted | None:
        """The lint result for the document's current version (linting now if it is stale)."""
        doc = self.document(uri)
        cached = self.linted.get(uri)
        if cached is not None and doc is not None and cached.version == doc.version:
            return cached
        if doc is not None and (path := self.path_of(uri)) is not None:
            self.session.update(path, doc.source)
        return self.lint(uri)

    def publish(self, uri: str) -> None:
        timer = self.timers.pop(uri, None)
        if timer is not None:
            timer.cancel()
        try:
            linted = self.lint(uri)
        except Exception as exc:  # noqa: BLE001 - one document's failure must not stop the server
            self.log(f"internal error while linting {uri}: {_describe(exc)}", t.MessageType.Error)
            return
        if linted is None:
            return
        tm = TextMap(linted.outcome.text, self.encoding)
        diagnostics = [self.to_lsp(d, tm) for d in linted.outcome.diagnostics]
        self.text_document_publish_diagnostics(
            t.PublishDiagnosticsParams(uri=uri, diagnostics=diagnostics, version=linted.version)
        )

    def publish_later(self, uri: str) -> None:
        timer = self.timers.pop(uri, None)
        if timer is not None:
            timer.cancel()
        loop = asyncio.get_event_loop()
        self.timers[uri] = loop.call_later(self.debounce, self.publish, uri)

    def refresh(self, paths: list[Path], later: bool = False) -> None:
        for path in paths:
            uri = self.open_uri(path)
            if uri is not None:
                (self.publish_later if later else self.publish)(uri)

    def refresh_all(self) -> None:
        self.refresh([p for p in self.session.open_paths()])

    def to_lsp(self, d: Diagnostic, tm: TextMap) -> t.Diagnostic:
        start = tm.lsp(tm.offset(d.start.line, d.start.column))
        end = tm.lsp(tm.offset(d.end.line, d.end.column))
        href = rule_href(d.code)
        return t.Diagnostic(
            range=t.Range(t.Position(*start), t.Position(*end)),
            message=d.message,
            severity=SEVERITY.get(d.severity, t.DiagnosticSeverity.Warning),
            code=d.code,
            code_description=t.CodeDescription(href=href) if href else None,
            source="cfw-lint",
            data={"name": d.name, "fixable": d.fix is not None},
        )

    # -- settings ----------------------------------------------------------------------------
    def apply_settings(self, raw: Any) -> None:
        settings, problems = ClientSettings.parse(raw)
        for problem in problems:
            self.log(problem, t.MessageType.Warning)
            self.window_show_message(t.ShowMessageParams(type=t.MessageType.Warning, message=f"cfw-lint: {problem}"))
        self.session.settings = settings
        if isinstance(raw, dict):
            inner = next((raw[k] for k in ("cfw-lint", "cfwLint", "cfw_lint") if isinstance(raw.get(k), dict)), raw)
            delay = inner.get("debounceMs", inner.get("debounce-ms"))
            if isinstance(delay, (int, float)) and not isinstance(delay, bool) and 0 <= delay <= 10_000:
                self.debounce = delay / 1000

    # -- code actions ------------------------------------------------------------------------
    def code_actions(self, params: t.CodeActionParams) -> list[t.CodeAction]:
        uri = params.text_document.uri
        path = self.path_of(uri)
        if path is None:
            return []
        linted = self.current(uri)
        if linted is None:
            return []
        outcome = linted.outcome
        tm = TextMap(outcome.text, self.encoding)
        only = params.context.only

        def wanted(kind: str) -> bool:
            return only is None or any(kind == k or kind.startswith(f"{k}.") for k in only)

        lo = tm.from_lsp(params.range.start.line, params.range.start.character)
        hi = tm.from_lsp(params.range.end.line, params.range.end.character)
        actions: list[t.CodeAction] = []
        noqa_actions: list[t.CodeAction] = []
        if wanted(t.CodeActionKind.QuickFix):
            for d in outcome.diagnostics:
                start, end = tm.offset(d.start.line, d.start.column), tm.offset(d.end.line, d.end.column)
                if start > hi or end < lo:
                    continue
                lsp_diagnostic = self.to_lsp(d, tm)
                if d.fix is not None:
                    edit = self.workspace_edit(d.fix, path, outcome.text)
                    if edit is not None:
                        unsafe = d.fix.applicability is Applicability.UNSAFE
                        title = f"Fix {d.code}: {d.fix.message or d.name}" + (" (unsafe)" if unsafe else "")
                        actions.append(
                            t.CodeAction(
                                title=title,
                                kind=t.CodeActionKind.QuickFix,
                                diagnostics=[lsp_diagnostic],
                                edit=edit,
                                is_preferred=not unsafe,
                            )
                        )
                noqa = self.noqa_action(d, path, outcome.text, tm, lsp_diagnostic)
                if noqa is not None and all(a.title != noqa.title for a in noqa_actions):
                    noqa_actions.append(noqa)
        actions.extend(noqa_actions)
        if wanted(FIX_ALL_KIND):
            fix_all = self.fix_all_action(uri, path, outcome, tm)
            if fix_all is not None:
                actions.append(fix_all)
        return actions

    def fix_all_action(self, uri: str, path: Path, outcome: LintOutcome, tm: TextMap) -> t.CodeAction | None:
        unsafe = self.session.settings.unsafe_fixes
        if not any(d.fix and (unsafe or d.fix.applicability is Applicability.SAFE) for d in outcome.diagnostics):
            return None
        doc = self.document(uri)
        # editors ask for code actions on every cursor move: fix a given version only once
        key = (outcome.text, self.session.generation, repr(self.session.settings))
        cached = self.fixed.get(uri)
        if cached is not None and cached[0] == key:
            fixed = cached[1]
        else:
            fixed, problems = self.session.fix_all(path)
            for problem in problems:
                self.log(problem, t.MessageType.Warning)
            self.fixed[uri] = (key, fixed)
        if fixed is None:
            return None
        edit = _narrowed_edit(outcome.text, fixed, tm)
        return t.CodeAction(
            title="Fix all auto-fixable cfw-lint problems" + (" (including unsafe fixes)" if unsafe else ""),
            kind=FIX_ALL_KIND,
            edit=t.WorkspaceEdit(
                document_changes=[
                    t.TextDocumentEdit(
                        text_document=t.OptionalVersionedTextDocumentIdentifier(
                            uri=uri, version=doc.version if doc else None
                        ),
                        edits=[edit],
                    )
                ]
            )
            if self._supports_document_changes()
            else t.WorkspaceEdit(changes={uri: [edit]}),
        )

    def noqa_action(
        self, d: Diagnostic, path: Path, text: str, tm: TextMap, lsp_diagnostic: t.Diagnostic
    ) -> t.CodeAction | None:
        from cfw_lint.runner import _parses
        from cfw_lint.server.noqa import noqa_edit

        if d.code in UNSUPPRESSIBLE:
            return None
        kind = "python" if path.suffix == ".py" else "jsonc" if path.suffix in (".json", ".jsonc") else "toml"
        lines = [d.noqa_line, d.start.line] if d.noqa_line else [d.start.line]
        found = noqa_edit(text, lines, d.code, kind)
        if found is None:
            return None
        start, end, content = found
        new_text = text[:start] + content + text[end:]
        if _parses(path, text) and not _parses(path, new_text):
            return None
        edit = t.TextEdit(range=t.Range(t.Position(*tm.lsp(start)), t.Position(*tm.lsp(end))), new_text=content)
        return t.CodeAction(
            title=f"Disable {d.code} for this line",
            kind=t.CodeActionKind.QuickFix,
            diagnostics=[lsp_diagnostic],
            edit=t.WorkspaceEdit(changes={self.uri_of(path): [edit]}),
        )

    def _supports_document_changes(self) -> bool:
        caps = self.client_capabilities.workspace
        return bool(caps and caps.workspace_edit and caps.workspace_edit.document_changes)

    def _supports_file_operations(self) -> bool:
        caps = self.client_capabilities.workspace
        ops = caps.workspace_edit.resource_operations if caps and caps.workspace_edit else None
        return bool(
            self._supports_document_changes()
            and ops
            and t.ResourceOperationKind.Create in ops
            and t.ResourceOperationKind.Delete in ops
        )

    def workspace_edit(self, fix: Fix, path: Path, text: str) -> t.WorkspaceEdit | None:
        """The LSP edit for one fix; a fix that creates or deletes a file needs a client that
        supports resource operations (else None: the fix is not offered)."""
        by_file: dict[Path, list[t.TextEdit]] = {}
        operations: list[Any] = []
        for e in fix.edits:
            target = normalize(e.path) if e.path else path
            target_text = text if target == path else self.session.read_text(target)
            if e.whole_file:
                uri = self.uri_of(target)
                if e.content is None:
                    operations.append(t.DeleteFile(uri=uri, options=t.DeleteFileOptions(ignore_if_not_exists=True)))
                    continue
                if target_text is None:
                    operations.append(t.CreateFile(uri=uri, options=t.CreateFileOptions(overwrite=True)))
                    target_text = ""
                ttm = TextMap(target_text, self.encoding)
                end = ttm.lsp(len(target_text))
                by_file.setdefault(target, []).append(
                    t.TextEdit(range=t.Range(t.Position(0, 0), t.Position(*end)), new_text=e.content)
                )
                continue
            if target_text is None or e.start is None or e.end is None:
                return None
            ttm = TextMap(target_text, self.encoding)
            by_file.setdefault(target, []).append(
                t.TextEdit(
                    range=t.Range(t.Position(*ttm.lsp(e.start)), t.Position(*ttm.lsp(e.end))),
                    new_text=e.content or "",
                )
            )
        if not operations and not self._supports_document_changes():
            return t.WorkspaceEdit(changes={self.uri_of(p): edits for p, edits in by_file.items()})
        if operations and not self._supports_file_operations():
            return None
        changes: list[Any] = [op for op in operations if isinstance(op, t.CreateFile)]
        for p, edits in by_file.items():
            uri = self.uri_of(p)
            doc = self.document(uri)
            changes.append(
                t.TextDocumentEdit(
                    text_document=t.OptionalVersionedTextDocumentIdentifier(
                        uri=uri, version=doc.version if doc else None
                    ),
                    edits=edits,
                )
            )
        changes.extend(op for op in operations if isinstance(op, t.DeleteFile))
        return t.WorkspaceEdit(document_changes=changes)

    # -- hover -------------------------------------------------------------------------------
    def hover(self, params: t.HoverParams) -> t.Hover | None:
        uri = params.text_document.uri
        linted = self.current(uri) if self.path_of(uri) is not None else None
        if linted is None:
            return None
        tm = TextMap(linted.outcome.text, self.encoding)
        at = tm.from_lsp(params.position.line, params.position.character)
        codes = []
        for d in linted.outcome.diagnostics:
            start, end = tm.offset(d.start.line, d.start.column), tm.offset(d.end.line, d.end.column)
            if start <= at <= max(end, start) and d.code not in codes:
                codes.append(d.code)
        if not codes:
            return None
        text = "\n\n---\n\n".join(rule_summary(code) for code in codes)
        return t.Hover(contents=t.MarkupContent(kind=t.MarkupKind.Markdown, value=text))


SETTING_KEYS = {
    "select",
    "extendSelect",
    "extend-select",
    "extend_select",
    "ignore",
    "unsafeFixes",
    "unsafe-fixes",
    "unsafe_fixes",
    "debounceMs",
    "debounce-ms",
}


def _names_settings(raw: Any) -> bool:
    """Whether a settings object carries cfw-lint settings (not just other tools')."""
    if not isinstance(raw, dict):
        return False
    if any(isinstance(raw.get(k), dict) for k in ("cfw-lint", "cfwLint", "cfw_lint")):
        return True
    return any(k in raw for k in SETTING_KEYS)


def _describe(exc: BaseException) -> str:
    return "".join(traceback.format_exception(type(exc), exc, exc.__traceback__)).strip()


def _narrowed_edit(before: str, after: str, tm: TextMap) -> t.TextEdit:
    """One edit covering only what changed between two versions of a document."""
    prefix = 0
    limit = min(len(before), len(after))
    while prefix < limit and before[prefix] == after[prefix]:
        prefix += 1
    suffix = 0
    while suffix < limit - prefix and before[-1 - suffix] == after[-1 - suffix]:
        suffix += 1
    # never split a \r\n pair or a surrogate pair
    while prefix > 0 and before[prefix - 1] == "\r":
        prefix -= 1
    start, end = prefix, len(before) - suffix
    return t.TextEdit(
        range=t.Range(t.Position(*tm.lsp(start)), t.Position(*tm.lsp(end))),
        new_text=after[prefix : len(after) - suffix],
    )


@functools.lru_cache(maxsize=None)
def rule_href(code: str) -> str | None:
    """The rule's documentation: the JSON output's URL when there is one, else the local page."""
    from cfw_lint.docs import rule_page_path
    from cfw_lint.registry import rule_url

    url = rule_url(code)
    if url:
        return url
    page = rule_page_path(code)
    return page.resolve().as_uri() if page is not None else None


_SECTION = re.compile(r"^## What it catches\s*\n(.*?)(?=^## |\Z)", re.S | re.M)


@functools.lru_cache(maxsize=None)
def rule_summary(code: str) -> str:
    """Markdown for a hover: the rule's title, summary, facts and what it catches."""
    from cfw_lint.docs import rule_page
    from cfw_lint.registry import get_rule

    rule = get_rule(code)
    page = rule_page(code) or ""
    title = f"**{code}** `{rule.name}`" if rule is not None else f"**{code}**"
    parts = [title]
    if rule is not None and rule.summary:
        parts.append(rule.summary)
    facts = [line for line in page.splitlines() if line.startswith("- **")]
    if facts:
        parts.append("\n".join(facts))
    match = _SECTION.search(page)
    if match:
        body = match.group(1).strip()
        paragraphs = body.split("\n\n")
        parts.append(paragraphs[0] + (" …" if len(paragraphs) > 1 else ""))
    href = rule_href(code)
    if href:
        parts.append(f"[Rule page]({href})")
    return "\n\n".join(parts)


def guarded(fallback: Any = None) -> Callable[[F], F]:
    """An internal error in one handler is logged and answered with `fallback`, not raised."""

    def wrap(fn: F) -> F:
        @functools.wraps(fn)
        def inner(ls: CfwLanguageServer, params: Any) -> Any:
            try:
                return fn(ls, params)
            except Exception as exc:  # noqa: BLE001 - see the docstring
                ls.log(f"internal error in {fn.__name__}: {_describe(exc)}", t.MessageType.Error)
                return fallback

        return inner  # type: ignore[return-value]

    return wrap


def build_server() -> CfwLanguageServer:
    server = CfwLanguageServer()

    @server.feature(t.INITIALIZE)
    @guarded()
    def initialize(ls: CfwLanguageServer, params: t.InitializeParams) -> None:
        root = None
        if params.workspace_folders:
            root = to_fs_path(params.workspace_folders[0].uri)
        elif params.root_uri:
            root = to_fs_path(params.root_uri)
        elif params.root_path:
            root = params.root_path
        ls.session = LintSession(Path(root) if root else None)
        ls.apply_settings(params.initialization_options)

    @server.feature(t.INITIALIZED)
    @guarded()
    def initialized(ls: CfwLanguageServer, params: t.InitializedParams) -> None:
        caps = ls.client_capabilities.workspace
        watch = caps.did_change_watched_files if caps else None
        if watch is not None and watch.dynamic_registration:
            ls.client_register_capability(
                t.RegistrationParams(
                    registrations=[
                        t.Registration(
                            id="cfw-lint-watched-files",
                            method=t.WORKSPACE_DID_CHANGE_WATCHED_FILES,
                            register_options=t.DidChangeWatchedFilesRegistrationOptions(
                                watchers=[t.FileSystemWatcher(glob_pattern=g) for g in WATCHED]
                            ),
                        )
                    ]
                )
            )

    @server.feature(t.TEXT_DOCUMENT_DID_OPEN)
    @guarded()
    def did_open(ls: CfwLanguageServer, params: t.DidOpenTextDocumentParams) -> None:
        path = ls.path_of(params.text_document.uri)
        if path is None:
            return
        ls.uris[path] = params.text_document.uri
        on_disk = ls.session.read_text(path)
        ls.session.open(path, params.text_document.text)
        ls.publish(params.text_document.uri)
        if is_project_file(path) and on_disk != params.text_document.text:
            ls.refresh(ls.session.dependents(path))

    @server.feature(t.TEXT_DOCUMENT_DID_CHANGE)
    @guarded()
    def did_change(ls: CfwLanguageServer, params: t.DidChangeTextDocumentParams) -> None:
        uri = params.text_document.uri
        path = ls.path_of(uri)
        doc = ls.document(uri)
        if path is None or doc is None:
            return
        ls.session.update(path, doc.source)
        ls.publish_later(uri)
        # a config buffer changes its Python files' diagnostics; a Python buffer its configs'
        ls.refresh(ls.session.dependents(path), later=True)

    @server.feature(t.TEXT_DOCUMENT_DID_SAVE)
    @guarded()
    def did_save(ls: CfwLanguageServer, params: t.DidSaveTextDocumentParams) -> None:
        uri = params.text_document.uri
        path = ls.path_of(uri)
        if path is None:
            return
        doc = ls.document(uri)
        if doc is not None:
            ls.session.update(path, doc.source)
        ls.session.disk_changed(path)
        ls.publish(uri)
        ls.refresh(ls.session.dependents(path))

    @server.feature(t.TEXT_DOCUMENT_DID_CLOSE)
    @guarded()
    def did_close(ls: CfwLanguageServer, params: t.DidCloseTextDocumentParams) -> None:
        uri = params.text_document.uri
        timer = ls.timers.pop(uri, None)
        if timer is not None:
            timer.cancel()
        ls.linted.pop(uri, None)
        ls.fixed.pop(uri, None)
        path = ls.path_of(uri)
        if path is None:
            return
        ls.uris.pop(path, None)
        dependents = ls.session.dependents(path)
        ls.session.close(path)
        ls.text_document_publish_diagnostics(t.PublishDiagnosticsParams(uri=uri, diagnostics=[]))
        ls.refresh(dependents)

    @server.feature(t.WORKSPACE_DID_CHANGE_WATCHED_FILES)
    @guarded()
    def watched_files(ls: CfwLanguageServer, params: t.DidChangeWatchedFilesParams) -> None:
        for change in params.changes:
            fs = to_fs_path(change.uri)
            if fs is None:
                continue
            ls.session.disk_changed(Path(fs), change.type != t.FileChangeType.Changed)
        ls.refresh_all()

    @server.feature(t.WORKSPACE_DID_CHANGE_CONFIGURATION)
    @guarded()
    def did_change_configuration(ls: CfwLanguageServer, params: t.DidChangeConfigurationParams) -> None:
        if _names_settings(params.settings):
            ls.apply_settings(params.settings)
            ls.refresh_all()
            return
        # no cfw-lint settings pushed (some clients send null): pull them, if the client can
        caps = ls.client_capabilities.workspace
        if not (caps and caps.configuration):
            return

        def pulled(result: Any) -> None:
            try:
                if result and _names_settings(result[0]):
                    ls.apply_settings(result[0])
                    ls.refresh_all()
            except Exception as exc:  # noqa: BLE001 - see guarded()
                ls.log(f"internal error applying settings: {_describe(exc)}", t.MessageType.Error)

        ls.workspace_configuration(t.ConfigurationParams(items=[t.ConfigurationItem(section="cfw-lint")]), pulled)

    @server.feature(
        t.TEXT_DOCUMENT_CODE_ACTION,
        t.CodeActionOptions(code_action_kinds=[t.CodeActionKind.QuickFix, FIX_ALL_KIND]),
    )
    @guarded(fallback=[])
    def code_action(ls: CfwLanguageServer, params: t.CodeActionParams) -> list[t.CodeAction]:
        return ls.code_actions(params)

    @server.feature(t.TEXT_DOCUMENT_HOVER)
    @guarded()
    def hover(ls: CfwLanguageServer, params: t.HoverParams) -> t.Hover | None:
        return ls.hover(params)

    @server.feature(t.SHUTDOWN)
    @guarded()
    def shutdown(ls: CfwLanguageServer, params: Any) -> None:
        for timer in ls.timers.values():
            timer.cancel()
        ls.timers.clear()

    return server


def main() -> None:
    logging.basicConfig(level=logging.WARNING, stream=sys.stderr, format="cfw-lint server: %(message)s")
    build_server().start_io()
