"""fastvisit's traversal makes exactly LibCST's calls, in LibCST's order.

Every on_visit/on_leave (and attribute hook) a visitor receives is recorded with the patched
`CSTNode.visit` and with LibCST's own, over the fixtures, the equivalence corpus and edge cases;
scope analysis gives the same assignments and accesses either way."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import libcst as cst
import pytest
from libcst.metadata import MetadataWrapper, ScopeProvider

from cfw_lint import fastvisit
from cfw_lint.cstmeta import FastScopeProvider

ROOT = Path(__file__).resolve().parent.parent

EDGE = """\
from a import (b as c, d)
from . import *
import x.y as z
@dec(1)
class K(Base, metaclass=M):
    def m(self, /, a: int = 1, *args, k=2, **kw) -> None:
        f = lambda q, *r: q
        return [i async for i in g() if i] or {k: v for k, v in kw.items()}
match p:
    case [1, *rest] | {"k": v} if v:
        pass
    case Point(x=0) as pt:
        pass
try:
    pass
except* E as e:
    raise X from e
finally:
    s = f"{a!r:>{w}} {b=}"
with (open(x) as f, g()):
    del x[1:2, ::3], y.z
global q
t: list[int] = (yield)
"""


def _sources() -> list[str]:
    out = [EDGE]
    for base in (ROOT / "fixtures", ROOT / "tests" / "corpus"):
        for path in sorted(base.rglob("*.py")):
            out.append(path.read_text(encoding="utf-8"))
    parsed = []
    for text in out:
        try:
            cst.parse_module(text)
        except Exception:
            continue
        parsed.append(text)
    return parsed


@contextmanager
def libcst_traversal() -> Iterator[None]:
    fastvisit.uninstall()
    try:
        yield
    finally:
        fastvisit.install()


class Recorder(cst.CSTVisitor):
    def __init__(self) -> None:
        self.events: list[tuple[str, int]] = []

    def on_visit(self, node: cst.CSTNode) -> bool:
        self.events.append(("visit", id(node)))
        return not isinstance(node, (cst.Lambda, cst.Decorator))  # pruning honoured

    def on_leave(self, original_node: cst.CSTNode) -> None:
        self.events.append(("leave", id(original_node)))


class AttributeRecorder(Recorder):
    def visit_Call_func(self, node: cst.Call) -> None:
        self.events.append(("Call.func", id(node)))

    def leave_Call_args(self, node: cst.Call) -> None:
        self.events.append(("Call.args", id(node)))

    def visit_ImportFrom_names(self, node: cst.ImportFrom) -> None:
        self.events.append(("ImportFrom.names", id(node)))


class BatchedRecorder(cst.BatchableCSTVisitor):
    def __init__(self) -> None:
        super().__init__()
        self.events: list[tuple[str, int]] = []

    def visit_Name(self, node: cst.Name) -> None:
        self.events.append(("Name", id(node)))

    def leave_FunctionDef(self, node: cst.FunctionDef) -> None:
        self.events.append(("FunctionDef", id(node)))

    def visit_Param_default(self, node: cst.Param) -> None:
        self.events.append(("Param.default", id(node)))


def _events(module: cst.Module, make) -> list[tuple[str, int]]:  # type: ignore[no-untyped-def]
    visitor = make()
    module.visit(visitor)
    return visitor.events


@pytest.mark.parametrize("make", [Recorder, AttributeRecorder])
def test_same_calls_in_the_same_order(make) -> None:  # type: ignore[no-untyped-def]
    for text in _sources():
        module = cst.parse_module(text)
        fast = _events(module, make)
        with libcst_traversal():
            slow = _events(module, make)
        assert fast == slow
        assert len(fast) > 10


def test_batched_visitors_get_the_same_calls() -> None:
    for text in _sources():
        module = cst.parse_module(text)
        wrapper = MetadataWrapper(module, unsafe_skip_copy=True)
        fast = BatchedRecorder()
        wrapper.visit_batched([fast])
        slow = BatchedRecorder()
        with libcst_traversal():
            wrapper.visit_batched([slow])
        assert fast.events == slow.events
    assert fast.events


def test_visit_returns_the_node_and_transformers_still_transform() -> None:
    module = cst.parse_module("x = 1\n")
    assert module.visit(Recorder()) is module

    class Rename(cst.CSTTransformer):
        def leave_Name(self, original_node: cst.Name, updated_node: cst.Name) -> cst.Name:
            return updated_node.with_changes(value="y")

    assert module.visit(Rename()).code == "y = 1\n"


def _scope_summary(module: cst.Module) -> list[tuple[str, str, int, int]]:
    provider = FastScopeProvider()
    provider.metadata = {}
    provider.visit_Module(module)
    scopes = {id(s): s for s in provider._computed.values() if s is not None}  # noqa: SLF001
    out = []
    for scope in scopes.values():
        for assignment in scope.assignments:
            out.append((type(scope).__name__, assignment.name, len(assignment.references), 0))
        for access in scope.accesses:
            out.append(
                (
                    type(scope).__name__,
                    access.node.value if isinstance(access.node, cst.Name) else "?",
                    0,
                    len(access.referents),
                )
            )
    return sorted(out)


def test_scope_analysis_unchanged() -> None:
    for text in _sources():
        module = cst.parse_module(text)
        fast = _scope_summary(module)
        with libcst_traversal():
            slow = _scope_summary(module)
        assert fast == slow
    assert fast


def test_full_scope_provider_matches_libcst() -> None:
    module = cst.parse_module(EDGE)
    ours = MetadataWrapper(module, unsafe_skip_copy=True).resolve(ScopeProvider)
    with libcst_traversal():
        theirs = MetadataWrapper(module, unsafe_skip_copy=True).resolve(ScopeProvider)
    assert {type(n).__name__ for n in ours} == {type(n).__name__ for n in theirs}
    assert len(ours) == len(theirs)


def test_field_order_does_not_depend_on_the_first_instance_seen() -> None:
    # an f-string expression visits `format_spec` only when there is one
    saved = dict(fastvisit._FIELD_ORDER)  # noqa: SLF001
    fastvisit._FIELD_ORDER.clear()  # noqa: SLF001
    try:
        for text in ('f"{a}"\nf"{b:>{w}}"\n', 'f"{b:>{w}}"\nf"{a}"\n', "from a import *\nfrom b import (c)\n"):
            module = cst.parse_module(text)
            fast = _events(module, Recorder)
            with libcst_traversal():
                slow = _events(module, Recorder)
            assert fast == slow
            fastvisit._FIELD_ORDER.clear()  # noqa: SLF001
    finally:
        fastvisit._FIELD_ORDER.update(saved)  # noqa: SLF001


def test_learned_orders_agree_with_libcst_source() -> None:
    for text in _sources():
        cst.parse_module(text).visit(Recorder())
    learned = dict(fastvisit._FIELD_ORDER)  # noqa: SLF001
    assert len(learned) > 60
    for cls, order in learned.items():
        if order is None:
            continue
        from_source = fastvisit._source_order(cls, list(order))  # noqa: SLF001
        assert from_source in (None, order), cls.__name__


def _scopes(mapping) -> list[tuple]:  # type: ignore[no-untyped-def]
    # every node's scope (by kind and the node that opens it), and every scope's assignments
    # and accesses with how they resolve
    out = []
    scopes = {}
    for node, scope in mapping.items():
        if scope is None:
            continue
        scopes[id(scope)] = scope
        out.append(("node", id(node), type(scope).__name__, id(getattr(scope, "node", None))))
    for scope in scopes.values():
        for a in scope.assignments:
            out.append(
                ("assign", id(scope.node) if hasattr(scope, "node") else 0, a.name, id(a.node), len(a.references))
            )
        for access in scope.accesses:
            out.append(("access", id(access.node), len(access.referents), access.is_annotation, access.is_type_hint))
    return sorted(out, key=repr)


def test_scope_analysis_matches_libcst_scope_provider() -> None:
    # FastScopeProvider (no expression-context pass, table dispatch, fast walk) against LibCST's
    # own ScopeProvider with its ExpressionContextProvider, LibCST's traversal
    from cfw_lint.cstmeta import resolve

    for text in _sources():
        module = cst.parse_module(text)
        wrapper = MetadataWrapper(module, unsafe_skip_copy=True)
        resolve(wrapper, {ScopeProvider})
        ours = _scopes(wrapper._metadata[ScopeProvider])  # noqa: SLF001
        with libcst_traversal():
            theirs = _scopes(MetadataWrapper(module, unsafe_skip_copy=True).resolve(ScopeProvider))
        assert ours == theirs


def test_trivia_holds_only_trivia() -> None:
    # the batched walk skips trivia subtrees no method asks about: nothing else may hide there
    def below(node: cst.CSTNode) -> list[cst.CSTNode]:
        return [d for child in node.children for d in (child, *below(child))]

    seen = 0
    for text in _sources():
        for node in _all(cst.parse_module(text)):
            if type(node) in fastvisit.TRIVIA:
                seen += 1
                assert all(type(d) in fastvisit.TRIVIA for d in below(node)), type(node).__name__
    assert seen > 1000


def _all(module: cst.Module) -> list[cst.CSTNode]:
    found: list[cst.CSTNode] = []

    class Collect(cst.CSTVisitor):
        def on_visit(self, node: cst.CSTNode) -> bool:
            found.append(node)
            return True

    module.visit(Collect())
    return found


class TriviaRecorder(cst.BatchableCSTVisitor):
    def __init__(self) -> None:
        super().__init__()
        self.events: list[tuple[str, int]] = []

    def visit_Comment(self, node: cst.Comment) -> None:
        self.events.append(("Comment", id(node)))

    def leave_Comma(self, node: cst.Comma) -> None:
        self.events.append(("Comma", id(node)))

    def visit_Name(self, node: cst.Name) -> None:
        self.events.append(("Name", id(node)))


def test_batched_methods_on_trivia_still_run() -> None:
    kinds: set[str] = set()
    for text in _sources():
        module = cst.parse_module(text)
        wrapper = MetadataWrapper(module, unsafe_skip_copy=True)
        fast, slow = TriviaRecorder(), TriviaRecorder()
        wrapper.visit_batched([fast, BatchedRecorder()])
        with libcst_traversal():
            wrapper.visit_batched([slow, BatchedRecorder()])
        assert fast.events == slow.events
        kinds.update(kind for kind, _ in fast.events)
    assert kinds == {"Comment", "Comma", "Name"}


def test_parents_of_skipped_trivia_are_still_found() -> None:
    from libcst.metadata import ParentNodeProvider

    from cfw_lint.cstmeta import resolve

    module = cst.parse_module("f(a, b)  # c\n")
    wrapper = MetadataWrapper(module, unsafe_skip_copy=True)
    parents = resolve(wrapper, {ParentNodeProvider})
    assert parents is not None
    wrapper.visit_batched([BatchedRecorder()], before_visit=parents.enter, after_leave=parents.leave)
    call = module.body[0].body[0].value  # type: ignore[attr-defined]
    comma = call.args[0].comma
    assert parents[call.args[0]] is call
    assert parents[comma] is call.args[0]  # never walked: found by the full pass
