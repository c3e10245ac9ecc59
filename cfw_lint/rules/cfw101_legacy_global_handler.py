"""CFW101: module-level `on_fetch`/`on_scheduled`/... handlers in the main module. Facts §1.5."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import cast

import libcst as cst
from libcst.metadata import Assignment, GlobalScope, ScopeProvider

from cfw_lint.analysis.handlers import (
    Rename,
    apply_renames,
    attribute,
    make_param,
    name,
    plan_renames,
    positional_params,
)
from cfw_lint.analysis.imports import _insertion_point
from cfw_lint.analysis.model import EntrypointClass
from cfw_lint.analysis.names import NAME_METADATA, dotted_name, qualified_name
from cfw_lint.diagnostics import Applicability, FixAvailability, Severity
from cfw_lint.facts import import_from_module
from cfw_lint.fixes import FixBuilder
from cfw_lint.rule import FileContext, PythonRule
from cfw_lint.summary import ModuleSummary

HANDLER_DECORATORS = ("workers.handler", "cloudflare.workers.handler")
ENTRYPOINT_ORIGINS = ("workers.WorkerEntrypoint", "cloudflare.workers.WorkerEntrypoint")

# legacy name -> (class method, its parameters after self, the first one renamed to the
# method's own name for the event). Only handlers whose class form the runtime is known to call
# with these arguments are moved; `on_alarm` (Durable Objects) and `on_pubsub` have no certain
# class counterpart on a WorkerEntrypoint.
MOVABLE = {
    "on_fetch": ("fetch", ("request",)),
    "on_scheduled": ("scheduled", ("controller", "env", "ctx")),
    "on_queue": ("queue", ("batch", "env", "ctx")),
    "on_trace": ("tail", ("events", "env", "ctx")),
    "test": ("test", None),  # relaxed call: `(self)` or `(self, ctrl)`, event name kept
}
# every libcst `BaseStatement` is one of these (only they carry `leading_lines`)
_Statement = cst.SimpleStatementLine | cst.BaseCompoundStatement
LEGACY_NAMES = ("on_fetch", "on_scheduled", "on_queue", "on_alarm", "on_trace", "on_pubsub")
CLASS_NAME = {
    "on_fetch": "fetch",
    "on_scheduled": "scheduled",
    "on_queue": "queue",
    "on_trace": "tail",
    "on_alarm": "alarm",
    "on_pubsub": "pubsub",
    "test": "test",
}
# what the runtime says when the class handler is missing (global-scope.c++)
MISSING_TEXT = {
    "fetch": 'every request fails with "Handler does not export a fetch() function."',
    "scheduled": 'cron triggers fail with "Handler does not export a scheduled() function"',
    "queue": "queue batches are not delivered to it",
    "tail": "tail events are not delivered to it",
}


@dataclass
class Move:
    """One legacy handler that the fix moves into `Default`."""

    func: cst.FunctionDef
    legacy: str
    method: str
    replacements: dict[cst.Name, cst.BaseExpression]
    params: cst.Parameters
    removed_decorators: list[cst.Decorator] = field(default_factory=list)
    uses_env: bool = False  # the legacy env parameter is read (it becomes `self.env`)
    uses_request: bool = False  # the fetch handler's request is read


def _signature(legacy: str, func: cst.FunctionDef) -> tuple[cst.Parameters, list[Rename], list[str]] | None:
    """The new parameters, the renames they need, and the names they newly bind."""
    params = func.params
    if params.star_arg is not cst.MaybeSentinel.DEFAULT and params.star_arg is not None:
        return None
    if params.kwonly_params or params.star_kwarg is not None:
        return None
    old = positional_params(params)
    if len(old) > 3 or any(p.star for p in old):
        return None
    method, names = MOVABLE[legacy]
    renames: list[Rename] = []
    for index, attr in ((1, "env"), (2, "ctx")):
        if index < len(old):
            renames.append(Rename(old[index].name.value, attribute("self", attr), "self"))
    new: list[cst.Param] = [cst.Param(cst.Name("self"))]
    if names is None:  # test: keep its first parameter as it is
        if old:
            new.append(make_param(old[0].name.value, like=old[0]))
        new_names = ["self"]
    else:
        first = names[0]
        if old and old[0].name.value != first:
            renames.append(Rename(old[0].name.value, name(first), first))
        new.append(make_param(first, like=old[0] if old else None))
        new.extend(cst.Param(cst.Name(n)) for n in names[1:])
        new_names = ["self", *names]
    return cst.Parameters(params=new), renames, new_names


def _split_leading(lines) -> tuple[list[cst.EmptyLine], list[cst.EmptyLine]]:  # type: ignore[no-untyped-def]
    """(lines that stay where they are, the comment block directly above the function)."""
    lines = list(lines)
    start = len(lines)
    while start > 0 and lines[start - 1].comment is not None:
        start -= 1
    return lines[:start], lines[start:]


def _detached_comments(lines: list[cst.EmptyLine]) -> list[cst.EmptyLine]:
    """The part of `lines` to keep in place when the statement they precede goes away."""
    end = len(lines)
    while end > 0 and lines[end - 1].comment is None:
        end -= 1
    return lines[:end]


class LegacyGlobalHandler(PythonRule):
    code = "CFW101"
    name = "legacy-global-handler"
    severity = Severity.ERROR
    fix = FixAvailability.SOMETIMES
    summary = "Module-level `on_fetch`/`on_scheduled`/... handlers: move them into `class Default(WorkerEntrypoint)`."
    profile_facts = ("class_handlers",)
    METADATA_DEPENDENCIES = NAME_METADATA
    # a legacy `test` handler counts only beside other legacy handlers or under `@handler`
    # (`@handler` / `@workers.handler` end their line with "handler")
    triggers = (*LEGACY_NAMES, "handler\n", "handler\r")

    @classmethod
    def could_fire(cls, summary: ModuleSummary, text: str) -> bool:
        # a module-level binding of an `on_*` name, or a `test` under `@handler` (an SDK import)
        return not summary.names.isdisjoint(LEGACY_NAMES) or (
            "test" in summary.names and summary.refers_to(HANDLER_DECORATORS)
        )

    @classmethod
    def applies(cls, context: FileContext) -> bool:
        return context.maybe_main

    def leave_Module(self, original_node: cst.Module) -> None:
        scope = self.get_metadata(ScopeProvider, original_node, None)
        if not isinstance(scope, GlobalScope):
            return
        found: list[tuple[str, cst.CSTNode, cst.CSTNode]] = []  # (legacy name, binding, report at)
        for legacy in LEGACY_NAMES:
            for assignment in scope.assignments[legacy]:
                node = cast(Assignment, assignment).node  # a module scope holds no builtin bindings
                found.append((legacy, node, self._anchor(node, legacy)))
        if found or self._decorated_test(scope):
            for assignment in scope.assignments["test"]:
                node = cast(Assignment, assignment).node  # a module scope holds no builtin bindings
                found.append(("test", node, self._anchor(node, "test")))
        if not found:
            return
        default = self.model.default_class()
        fix = self._plan_fix(scope, found, default)
        changes = self._semantic_changes(fix[1]) if fix is not None else []
        safe = self.profile.class_handlers and not changes
        for legacy, binding, anchor in found:
            method = CLASS_NAME[legacy]
            handled = default is not None and method in default.methods
            moved = fix is not None and any(m.func is binding for m in fix[1])
            self.report(
                anchor,
                self._message(legacy, method, handled),
                severity=Severity.WARNING if handled or not self.profile.class_handlers else Severity.ERROR,
                fix=fix[0] if moved else None,
                applicability=Applicability.SAFE if safe else Applicability.UNSAFE,
            )

    def _semantic_changes(self, moves: list[Move]) -> list[str]:
        """What the class form receives differently from a module-level handler without
        `@handler` (raw JS arguments), where the fix cannot keep the old behaviour."""
        out = []
        wrapped = self.profile.wrapped_bindings
        for move in moves:
            if move.removed_decorators:
                continue  # `@handler` already gave it the class form's arguments
            if move.legacy == "on_queue" and self.profile.external_sdk:
                out.append("`batch` message bodies arrive as Python values (the external SDK wraps the batch)")
            # before 2026-04-21 an unknown SDK is most likely the runtime's own, which wraps
            # only service, Durable Object and Workflow bindings
            if move.uses_env and (wrapped is True or (wrapped is None and self.profile.external_sdk)):
                out.append(
                    "`self.env` bindings are wrapped by workers-runtime-sdk (>= 1.3: KV/R2/D1/Queue results "
                    "arrive as Python values, not JS objects)"
                )
        return sorted(set(out))

    # -- detection ---------------------------------------------------------------------------
    def _decorated_test(self, scope: GlobalScope) -> bool:
        """A module-level `test` counts as a handler only with `@handler` (or beside `on_*`)."""
        for assignment in scope.assignments["test"]:
            node = cast(Assignment, assignment).node  # a module scope holds no builtin bindings
            if isinstance(node, cst.FunctionDef) and any(self._is_handler_decorator(d) for d in node.decorators):
                return True
        return False

    def _is_handler_decorator(self, decorator: cst.Decorator) -> bool:
        return qualified_name(self, decorator.decorator) in HANDLER_DECORATORS

    @staticmethod
    def _anchor(node: cst.CSTNode, legacy: str) -> cst.CSTNode:
        if isinstance(node, (cst.FunctionDef, cst.ClassDef)):
            return node.name
        if isinstance(node, (cst.Import, cst.ImportFrom)) and not isinstance(node.names, cst.ImportStar):
            for alias in node.names:
                local = alias.asname.name if alias.asname is not None else alias.name
                if dotted_name(local) == legacy:  # type: ignore[arg-type]
                    return local
        return node

    def _message(self, legacy: str, method: str, handled: bool) -> str:
        target = {
            "fetch": "async def fetch(self, request)",
            "scheduled": "async def scheduled(self, controller, env, ctx)",
            "queue": "async def queue(self, batch, env, ctx)",
            "tail": "async def tail(self, events, env, ctx)",
            "test": "async def test(self)",
        }.get(method)
        where = (
            f"a `{method}` method of `class Default(WorkerEntrypoint)`"
            if target is None
            else (f"`class Default(WorkerEntrypoint)` as `{target}`")
        )
        if handled and self.profile.class_handlers:
            return (
                f"module-level `{legacy}` is never called: the `Default` class's `{method}` handles "
                "these events; remove it"
            )
        if self.profile.class_handlers:
            effect = MISSING_TEXT.get(method, "the runtime never calls it")
            return (
                f"module-level `{legacy}` is ignored from compatibility date 2025-08-14 "
                f"(python_no_global_handlers): {effect}; move it into {where}, using "
                "`self.env`/`self.ctx`"
            )
        return (
            f"`{legacy}` is the legacy module-level handler: it only works before compatibility "
            f"date 2025-08-14 (or with disable_python_no_global_handlers); move it into {where} "
            "and move the date on (CFW703)"
        )

    # -- the fix -----------------------------------------------------------------------------
    def _plan_fix(self, scope: GlobalScope, found, default: EntrypointClass | None):  # type: ignore[no-untyped-def]
        if scope.assignments["__all__"]:
            return None  # the new class would have to be exported too: left to the author
        default_bindings = list(scope.assignments["Default"])
        if default is None and default_bindings:
            return None  # `Default` is something else (imported, not an entrypoint, ...)
        if default is not None:
            if len(default_bindings) != 1 or not isinstance(default.node.body, cst.IndentedBlock):
                return None
        entrypoint_name = next((n for n in (self.model.local_name_for(o) for o in ENTRYPOINT_ORIGINS) if n), None)
        if default is None and entrypoint_name is None and scope.assignments["WorkerEntrypoint"]:
            return None
        moves: list[Move] = []
        for legacy, binding, _ in found:
            move = self._plan_move(scope, legacy, binding, default)
            if move is not None:
                moves.append(move)
        if not moves:
            return None
        module = self.module
        order = {id(stmt): i for i, stmt in enumerate(module.body)}
        moves.sort(key=lambda m: order[id(m.func)])

        def apply(fx: FixBuilder) -> None:
            code = self._rewrite(module, scope, moves, default, entrypoint_name).code
            renamed = {m.legacy: m.method for m in moves if m.legacy != m.method}
            fx.edit(0, len(fx.text), _rename_in_comments(code, renamed))
            notes = self._semantic_changes(moves)
            if notes:
                fx.message = "unsafe: " + "; ".join(notes)

        return apply, moves

    def _plan_move(self, scope: GlobalScope, legacy: str, binding: cst.CSTNode, default) -> Move | None:  # type: ignore[no-untyped-def]
        if legacy not in MOVABLE or not isinstance(binding, cst.FunctionDef):
            return None
        if not any(stmt is binding for stmt in self.module.body):
            return None  # defined under an `if`/`try`: not a mechanical move
        assignments = list(scope.assignments[legacy])
        if len(assignments) != 1 or assignments[0].references:
            return None  # redefined, or used by name elsewhere (the name goes away)
        method = MOVABLE[legacy][0]
        if default is not None and method in default.methods:
            return None
        if default is not None and self._annotations_move_up(binding, default.node):
            return None  # evaluated earlier, inside the class: names defined in between break
        removed = []
        for decorator in binding.decorators:
            if not self._is_handler_decorator(decorator):
                return None  # another wrapper: may not bind as a method
            removed.append(decorator)
        if "#" in self.module.code_for_node(binding.params):
            return None  # comments inside the parameter list would be lost
        signature = _signature(legacy, binding)
        if signature is None:
            return None
        params, renames, new_names = signature
        old_names = [p.name.value for p in positional_params(binding.params)]
        replacements = plan_renames(self, binding, renames, new_names=new_names, rewritten_params=old_names)
        if replacements is None:
            return None
        read = {node.value for node in replacements}
        uses_env = len(old_names) > 1 and old_names[1] in read
        uses_request = (
            legacy == "on_fetch"
            and bool(old_names)
            and (old_names[0] in read or (old_names[0] == "request" and _reads(binding, "request")))
        )
        return Move(binding, legacy, method, replacements, params, removed, uses_env, uses_request)

    def _annotations_move_up(self, func: cst.FunctionDef, default: cst.ClassDef) -> bool:
        body = list(self.module.body)
        if body.index(default) < body.index(func) and not self._future_annotations():
            positional = positional_params(func.params)
            return func.returns is not None or bool(positional and positional[0].annotation)
        return False

    def _future_annotations(self) -> bool:
        for stmt in self.module.body:
            if isinstance(stmt, cst.SimpleStatementLine):
                for small in stmt.body:
                    if (
                        isinstance(small, cst.ImportFrom)
                        and dotted_name(small.module) == "__future__"  # type: ignore[arg-type]
                        and not isinstance(small.names, cst.ImportStar)
                        and any(dotted_name(a.name) == "annotations" for a in small.names)
                    ):
                        return True
        return False

    def _method(self, move: Move, first: bool) -> cst.FunctionDef:
        func = apply_renames(move.func, move.replacements)
        assert isinstance(func, cst.FunctionDef)
        _, comments = _split_leading(move.func.leading_lines)
        # comments written between removed decorators stay, just above the `def`
        carried: list[cst.EmptyLine] = []
        for decorator in move.func.decorators:
            carried.extend(decorator.leading_lines)
        carried.extend(move.func.lines_after_decorators)
        carried = [line for line in carried if line.comment is not None]
        leading = ([] if first else [cst.EmptyLine(indent=False)]) + comments + carried
        if move.uses_request and not move.removed_decorators and isinstance(func.body, cst.IndentedBlock):
            # without `@handler` the module-level handler got the raw JS Request; the class's
            # fetch gets a workers.Request, whose `.js_object` is that JS Request
            keep = cst.parse_statement(
                "request = request.js_object  # the raw JS Request, as the handler received it before\n"
            )
            body = list(func.body.body)
            at = 1 if body and _is_docstring(body[0]) else 0
            func = func.with_changes(body=func.body.with_changes(body=[*body[:at], keep, *body[at:]]))
        return func.with_changes(
            name=cst.Name(move.method),
            params=move.params,
            decorators=[],
            leading_lines=leading,
            lines_after_decorators=(),
        )

    def _rewrite(
        self,
        module: cst.Module,
        scope: GlobalScope,
        moves: list[Move],
        default: EntrypointClass | None,
        entrypoint_name: str | None,
    ) -> cst.Module:
        moved = {id(m.func) for m in moves}
        removed_decorators = {id(d.decorator) for m in moves for d in m.removed_decorators}
        body: list[cst.BaseStatement] = []
        last = moves[-1].func
        need_import = default is None and entrypoint_name is None
        base_name = entrypoint_name or "WorkerEntrypoint"
        import_edit = _ImportEdit(self, scope, removed_decorators, add_entrypoint=need_import)
        pending = import_edit.pending
        for stmt in module.body:
            if id(stmt) in moved:
                staying, _ = _split_leading(stmt.leading_lines)
                if not (stmt is last and default is None):
                    # comments separated from the function by a blank line stay put
                    pending.extend(_detached_comments(staying))
                else:
                    blank = [*pending, *staying]
                    pending.clear()
                    methods = [self._method(m, i == 0) for i, m in enumerate(moves)]
                    body.append(
                        cst.ClassDef(
                            name=cst.Name("Default"),
                            bases=[cst.Arg(cst.Name(base_name))],
                            body=cst.IndentedBlock(body=methods),
                            leading_lines=blank,
                        )
                    )
                continue
            if default is not None and stmt is default.node:
                block = stmt.body
                assert isinstance(block, cst.IndentedBlock)
                existing = list(block.body)
                if all(_is_placeholder(s) for s in existing):
                    existing = []
                methods = [self._method(m, not existing and i == 0) for i, m in enumerate(moves)]
                stmt = stmt.with_changes(body=block.with_changes(body=[*existing, *methods]))
                if pending:
                    stmt = stmt.with_changes(leading_lines=[*pending, *stmt.leading_lines])
                    pending.clear()
                body.append(stmt)
                continue
            for new in import_edit.statement(stmt):
                if pending:
                    new = new.with_changes(leading_lines=[*pending, *new.leading_lines])
                    pending.clear()
                body.append(new)
        if import_edit.add_entrypoint:
            body = import_edit.insert_new(module, body)
        if default is None:
            body = self._after_its_names(body, moves, base_name)
        footer = [*pending, *module.footer]
        return module.with_changes(body=body, footer=footer)

    def _after_its_names(
        self, body: list[cst.BaseStatement], moves: list[Move], base_name: str
    ) -> list[cst.BaseStatement]:
        """Move the new class below the statements that bind the names its definition
        evaluates (the base, the methods' defaults, decorators and annotations), so that no
        `NameError` is raised at import when the handler sat above the imports; and keep two
        blank lines between it and the statement before it."""
        index = next(
            i for i, stmt in enumerate(body) if isinstance(stmt, cst.ClassDef) and stmt.name.value == "Default"
        )
        needed = {base_name.split(".")[0]}
        deferred = self._future_annotations()
        for move in moves:
            needed |= _definition_names(move.func, annotations=not deferred)
        last = max((i for i, stmt in enumerate(body) if _binds(stmt) & needed), default=-1)
        cls = body[index]
        if last > index:
            rest = body[:index] + body[index + 1 :]
            if index == 0 and rest:
                # the new first statement keeps its comments, not the blank lines above them
                lines = list(cast(_Statement, rest[0]).leading_lines)
                while lines and lines[0].comment is None:
                    lines.pop(0)
                rest[0] = rest[0].with_changes(leading_lines=lines)
            position = last  # `last` counted the class itself, which now sits below
            body = [*rest[:position], cls, *rest[position:]]
            index = position
        if index > 0:
            # two blank lines above a top-level class (and its comments), as formatters expect
            lines = list(cast(_Statement, cls).leading_lines)
            end = len(lines)  # the comment block directly above the class goes with it
            while end > 0 and lines[end - 1].comment is not None:
                end -= 1
            start = end
            while start > 0 and lines[start - 1].comment is None:
                start -= 1
            if end - start < 2:
                blank = cst.EmptyLine(indent=False)
                lines[end:end] = [blank] * (2 - (end - start))
                body[index] = cls.with_changes(leading_lines=lines)
        return body


def _rename_in_comments(code: str, renamed: dict[str, str]) -> str:
    """Comments that name a moved handler (`# on_fetch: ...`) name its new method."""
    import io
    import re
    import tokenize

    if not renamed:
        return code
    pattern = re.compile(r"\b(" + "|".join(re.escape(k) for k in renamed) + r")\b")
    lines = code.splitlines(keepends=True)
    try:
        tokens = [t for t in tokenize.generate_tokens(io.StringIO(code).readline) if t.type == tokenize.COMMENT]
    except (tokenize.TokenError, SyntaxError):
        return code
    for token in reversed(tokens):
        text = token.string.lstrip("#").strip()
        if text.lower().startswith(("noqa", "type:", "pragma")) or re.match(r"(async\s+)?def\s", text):
            continue  # directives, and commented-out code (`# async def on_fetch(...)`)
        row, col = token.start
        line = lines[row - 1]
        comment = line[col : col + len(token.string)]
        lines[row - 1] = (
            line[:col] + pattern.sub(lambda m: renamed[m.group(1)], comment) + line[col + len(token.string) :]
        )
    return "".join(lines)


def _binds(stmt: cst.BaseStatement) -> set[str]:
    """Top-level names a statement binds (imports, assignments, definitions, also in if/try)."""
    out: set[str] = set()

    class Binds(cst.CSTVisitor):
        def visit_FunctionDef(self, node: cst.FunctionDef) -> bool:
            out.add(node.name.value)
            return False

        def visit_ClassDef(self, node: cst.ClassDef) -> bool:
            out.add(node.name.value)
            return False

        def visit_ImportAlias(self, node: cst.ImportAlias) -> None:
            local = node.asname.name if node.asname is not None else node.name
            text = dotted_name(local)  # type: ignore[arg-type]
            if text:
                out.add(text.split(".")[0])

        def visit_AssignTarget(self, node: cst.AssignTarget) -> None:
            for n in _target_names(node.target):
                out.add(n)

        def visit_AnnAssign(self, node: cst.AnnAssign) -> None:
            out.update(_target_names(node.target))

        def visit_AugAssign(self, node: cst.AugAssign) -> None:
            out.update(_target_names(node.target))

    stmt.visit(Binds())
    return out


def _target_names(target: cst.BaseExpression) -> list[str]:
    if isinstance(target, cst.Name):
        return [target.value]
    if isinstance(target, (cst.Tuple, cst.List)):
        return [n for el in target.elements for n in _target_names(el.value)]
    return []


def _definition_names(func: cst.FunctionDef, *, annotations: bool) -> set[str]:
    """Names evaluated when a method is defined: decorators, defaults, annotations."""
    parts: list[cst.CSTNode] = [d.decorator for d in func.decorators]
    params = func.params
    for param in [*params.posonly_params, *params.params, *params.kwonly_params]:
        if param.default is not None:
            parts.append(param.default)
        if annotations and param.annotation is not None:
            parts.append(param.annotation)
    if annotations and func.returns is not None:
        parts.append(func.returns)
    out: set[str] = set()

    class Names(cst.CSTVisitor):
        def visit_Attribute(self, node: cst.Attribute) -> bool:
            node.value.visit(self)
            return False

        def visit_Name(self, node: cst.Name) -> None:
            out.add(node.value)

    for part in parts:
        part.visit(Names())
    return out


def _is_docstring(stmt: cst.BaseStatement) -> bool:
    return (
        isinstance(stmt, cst.SimpleStatementLine)
        and len(stmt.body) == 1
        and isinstance(stmt.body[0], cst.Expr)
        and isinstance(stmt.body[0].value, (cst.SimpleString, cst.ConcatenatedString))
    )


def _reads(func: cst.FunctionDef, name: str) -> bool:
    """Whether `func`'s body mentions the name `name` (not as an attribute)."""

    class Reads(cst.CSTVisitor):
        found = False

        def visit_Attribute(self, node: cst.Attribute) -> bool:
            node.value.visit(self)
            return False

        def visit_Name(self, node: cst.Name) -> None:
            if node.value == name:
                Reads.found = True

    visitor = Reads()
    func.body.visit(visitor)
    return Reads.found


def _is_placeholder(stmt: cst.BaseStatement) -> bool:
    """`pass` or `...` alone on a line (an empty class body)."""
    if not isinstance(stmt, cst.SimpleStatementLine) or len(stmt.body) != 1:
        return False
    small = stmt.body[0]
    if stmt.leading_lines and any(line.comment for line in stmt.leading_lines):
        return False
    if stmt.trailing_whitespace.comment is not None:
        return False
    return isinstance(small, cst.Pass) or (isinstance(small, cst.Expr) and isinstance(small.value, cst.Ellipsis))


class _ImportEdit:
    """The import changes of the fix: drop `handler` where it becomes unused, add
    `WorkerEntrypoint` once (into an existing `from workers import`, or in place of the removed
    `handler`)."""

    def __init__(
        self, rule: LegacyGlobalHandler, scope: GlobalScope, removed_decorators: set[int], *, add_entrypoint: bool
    ) -> None:
        self.rule = rule
        self.add_entrypoint = add_entrypoint
        # local names of `handler` imports whose every use is a decorator the fix removes
        self.unused: set[str] = set()
        for local, origin in rule.model.aliases.items():
            if origin not in HANDLER_DECORATORS:
                continue
            assignments = list(scope.assignments[local])
            if len(assignments) == 1 and all(id(a.node) in removed_decorators for a in assignments[0].references):
                self.unused.add(local)
        self.target = self._workers_import(rule.module) if add_entrypoint else None
        self.pending: list[cst.EmptyLine] = []

    @staticmethod
    def _workers_import(module: cst.Module) -> cst.ImportFrom | None:
        for stmt in module.body:
            if isinstance(stmt, cst.SimpleStatementLine) and len(stmt.body) == 1:
                small = stmt.body[0]
                if (
                    isinstance(small, cst.ImportFrom)
                    and not small.relative
                    and import_from_module(small) == "workers"
                    and not isinstance(small.names, cst.ImportStar)
                ):
                    return small
        return None

    def statement(self, stmt: _Statement) -> list[_Statement]:
        if not isinstance(stmt, cst.SimpleStatementLine):
            return [stmt]
        smalls: list[cst.BaseSmallStatement] = []
        changed = False
        for small in stmt.body:
            if isinstance(small, cst.ImportFrom) and not isinstance(small.names, cst.ImportStar):
                new = self._import_from(small)
                if new is not small:
                    changed = True
                    if new is None:
                        continue
                    small = new
            smalls.append(small)
        if not changed:
            return [stmt]
        if not smalls:
            # the statement goes; comments above it stay, above the next statement
            self.pending.extend(line for line in stmt.leading_lines if line.comment is not None)
            return []
        smalls[-1] = smalls[-1].with_changes(semicolon=cst.MaybeSentinel.DEFAULT)
        return [stmt.with_changes(body=smalls)]

    def _import_from(self, small: cst.ImportFrom) -> cst.ImportFrom | None:
        assert not isinstance(small.names, cst.ImportStar)
        module = import_from_module(small)
        names = list(small.names)
        keep: list[cst.ImportAlias] = []
        dropped_at: int | None = None
        for alias in names:
            local = alias.asname.name if alias.asname is not None else alias.name
            origin = f"{module}.{dotted_name(alias.name)}"
            if origin in HANDLER_DECORATORS and dotted_name(local) in self.unused:  # type: ignore[arg-type]
                if dropped_at is None:
                    dropped_at = len(keep)
                continue
            keep.append(alias)
        adds_here = self.add_entrypoint and (
            small is self.target or (self.target is None and dropped_at is not None and not keep)
        )
        if adds_here:
            self.add_entrypoint = False
            entry = cst.ImportAlias(name=cst.Name("WorkerEntrypoint"))
            if dropped_at is not None:
                keep.insert(dropped_at, entry)  # where `handler` was
            else:
                keep.append(entry)
            module = "workers"
        if dropped_at is None and not adds_here:
            return small
        if not keep:
            return None
        # separators between names keep their own style (and comments); the original last
        # name, if it is no longer last, gets the style of the others; the new last name ends
        # like the original last one (trailing comma or not)
        original_last = names[-1]
        between = next(
            (a.comma for a in names[:-1] if isinstance(a.comma, cst.Comma)),
            cst.Comma(whitespace_after=cst.SimpleWhitespace(" ")),
        )
        fixed = []
        for i, alias in enumerate(keep):
            if i == len(keep) - 1:
                comma = original_last.comma
            elif alias is original_last or not isinstance(alias.comma, cst.Comma):
                comma = between
            else:
                comma = alias.comma
            fixed.append(alias.with_changes(comma=comma))
        trailing = original_last.comma
        new = small.with_changes(names=fixed)
        if module == "workers" and import_from_module(small) != "workers":
            new = new.with_changes(module=cst.Name("workers"))
        if len(fixed) == 1 and small.lpar is not None and not isinstance(trailing, cst.Comma):
            new = new.with_changes(lpar=None, rpar=None)
        return new

    def insert_new(self, module: cst.Module, body: list[cst.BaseStatement]) -> list[cst.BaseStatement]:
        """Add `from workers import WorkerEntrypoint` at the end of the leading import block."""
        statement = cst.SimpleStatementLine(
            [cst.ImportFrom(module=cst.Name("workers"), names=[cst.ImportAlias(cst.Name("WorkerEntrypoint"))])]
        )
        anchor = _insertion_point(module.with_changes(body=body))
        if anchor is None:
            return [statement, *body]
        index = next(i for i, s in enumerate(body) if s is anchor)
        return [*body[: index + 1], statement, *body[index + 1 :]]
