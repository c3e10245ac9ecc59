"""LibCST metadata at the least cost: the same values the stock providers give, fewer traversals.

`MetadataWrapper.resolve_many` runs one batched traversal of the whole module per dependency
level, even when a level has nothing batchable left (PositionProvider, and ScopeProvider, whose
`visit_Module` does its own traversal), and ScopeProvider drags in ExpressionContextProvider:
another full traversal whose only use is telling stored names from loaded ones. Here:

* scope analysis runs LibCST's own ScopeVisitor once; names are marked as stored at the
  statements that store them (assignment targets, `as` names, loop targets, definitions and
  parameters), which is exactly what ExpressionContextProvider would have told it;
* parents come from the rules' own traversal (a stack), and only a node not reached yet costs a
  full ParentNodeProvider pass;
* every other provider goes through LibCST unchanged.
"""

from __future__ import annotations

import inspect
from collections.abc import Iterable, Iterator, Mapping
from typing import Any, Collection, cast

import libcst as cst
from libcst.metadata import (
    BatchableMetadataProvider,
    CodePosition,
    CodeRange,
    ExpressionContext,
    ExpressionContextProvider,
    MetadataWrapper,
    ParentNodeProvider,
    PositionProvider,
    ScopeProvider,
    WhitespaceInclusivePositionProvider,
)
from libcst.metadata.position_provider import PositionProvidingCodegenState
from libcst.metadata.scope_provider import _ASSIGNMENT_LIKE_NODES, ScopeVisitor

from cfw_lint import fastvisit

fastvisit.install()  # read-only traversals without LibCST's copy of every node

_STORE = ExpressionContext.STORE


def _mark(node: cst.CSTNode, stores: set[int]) -> None:
    """Names `node` (an assignment target) stores, as ExpressionContextVisitor(STORE) finds them."""
    if isinstance(node, cst.Name):
        stores.add(id(node))
    elif isinstance(node, (cst.Attribute, cst.Subscript)):
        return  # `a.b = x`, `a[i] = x`: everything inside is loaded
    elif isinstance(node, (cst.Tuple, cst.List)):
        for element in node.elements:
            _mark(element.value, stores)
    elif isinstance(node, (cst.StarredElement, cst.Element)):
        _mark(node.value, stores)
    else:
        # not a valid target in today's grammar; keep the provider's semantics (STORE flows down
        # through every node it has no rule for)
        for child in node.children:
            _mark(child, stores)


def _delegate(parent: Any, name: str, node: cst.CSTNode) -> bool | None:
    method = getattr(parent, name, None)
    return True if method is None else method(node)


class _StoreMarkingScopeVisitor(ScopeVisitor):
    """LibCST's ScopeVisitor, told which names are stored without an expression-context pass."""

    def __init__(self, provider: FastScopeProvider) -> None:
        super().__init__(provider)
        self._stores = provider.stores
        self._computed = provider._computed  # noqa: SLF001

    # CSTVisitor's dispatch (an f-string and getattr per node, an isinstance against ABCs in
    # ScopeVisitor.on_leave), looked up once per node class; the same calls are made
    def on_visit(self, node: cst.CSTNode) -> bool:
        entry = _DISPATCH.get(type(node)) or _dispatch(type(node))
        visit = entry[0]
        if visit is None:
            return True
        return visit(self, node) is not False

    def on_leave(self, original_node: cst.CSTNode) -> None:
        entry = _DISPATCH.get(type(original_node)) or _dispatch(type(original_node))
        self._computed[original_node] = self.scope  # ScopeVisitor.on_leave: set_metadata
        if entry[2]:
            self.scope._assignment_count += 1  # noqa: SLF001
        leave = entry[1]
        if leave is not None:
            leave(self, original_node)

    def visit_Assign(self, node: cst.Assign) -> bool | None:
        for target in node.targets:
            _mark(target.target, self._stores)
        return True

    def visit_AnnAssign(self, node: cst.AnnAssign) -> bool | None:
        _mark(node.target, self._stores)
        return True

    def visit_AugAssign(self, node: cst.AugAssign) -> bool | None:
        _mark(node.target, self._stores)
        return True

    def visit_NamedExpr(self, node: cst.NamedExpr) -> bool | None:
        _mark(node.target, self._stores)
        return _delegate(super(), "visit_NamedExpr", node)

    def visit_AsName(self, node: cst.AsName) -> bool | None:
        _mark(node.name, self._stores)
        return True

    def visit_CompFor(self, node: cst.CompFor) -> bool | None:
        # the inner `for`s of a comprehension (ScopeVisitor visits the outer one's parts itself)
        _mark(node.target, self._stores)
        return _delegate(super(), "visit_CompFor", node)

    def visit_ListComp(self, node: cst.ListComp) -> bool | None:
        _mark(node.for_in.target, self._stores)
        return super().visit_ListComp(node)

    def visit_SetComp(self, node: cst.SetComp) -> bool | None:
        _mark(node.for_in.target, self._stores)
        return super().visit_SetComp(node)

    def visit_DictComp(self, node: cst.DictComp) -> bool | None:
        _mark(node.for_in.target, self._stores)
        return super().visit_DictComp(node)

    def visit_GeneratorExp(self, node: cst.GeneratorExp) -> bool | None:
        _mark(node.for_in.target, self._stores)
        return super().visit_GeneratorExp(node)

    def visit_For(self, node: cst.For) -> bool | None:
        _mark(node.target, self._stores)
        return super().visit_For(node)

    def visit_ClassDef(self, node: cst.ClassDef) -> bool | None:
        self._stores.add(id(node.name))
        return super().visit_ClassDef(node)

    def visit_FunctionDef(self, node: cst.FunctionDef) -> bool | None:
        self._stores.add(id(node.name))
        return super().visit_FunctionDef(node)

    def visit_Param(self, node: cst.Param) -> bool | None:
        self._stores.add(id(node.name))
        return super().visit_Param(node)


# node class -> (visit function, leave function, assignment-like), for _StoreMarkingScopeVisitor
_DISPATCH: dict[type, tuple[Any, Any, bool]] = {}


def _dispatch(node_type: type) -> tuple[Any, Any, bool]:
    def method(prefix: str) -> Any:
        found = getattr(_StoreMarkingScopeVisitor, f"{prefix}_{node_type.__name__}", None)
        return None if found is None or getattr(found, "_is_no_op", False) else found

    entry = (method("visit"), method("leave"), issubclass(node_type, _ASSIGNMENT_LIKE_NODES))
    _DISPATCH[node_type] = entry
    return entry


class FastScopeProvider(ScopeProvider):
    """ScopeProvider without its ExpressionContextProvider dependency (see the module doc)."""

    METADATA_DEPENDENCIES = ()  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.stores: set[int] = set()
        self._keep: list[cst.CSTNode] = []

    def get_metadata(self, key: Any, node: cst.CSTNode, default: Any = None) -> Any:  # type: ignore[override]
        if key is ExpressionContextProvider:
            # ScopeVisitor asks only about names, and only whether they are stored
            return _STORE if id(node) in self.stores else default
        return super().get_metadata(key, node, default)

    def visit_Module(self, node: cst.Module) -> bool | None:
        visitor = _StoreMarkingScopeVisitor(self)
        node.visit(visitor)
        visitor.infer_accesses()
        return False


class NodeMapping(Mapping):  # type: ignore[type-arg]
    """A read-only map from CST nodes that computes its values on demand (`__getitem__`)."""

    def get(self, node: cst.CSTNode, default: Any = None) -> Any:  # type: ignore[override]
        try:
            return self[node]
        except KeyError:
            return default

    def __contains__(self, node: object) -> bool:
        return isinstance(node, cst.CSTNode) and self.get(node) is not None


class LazyParents(NodeMapping):
    """Parents recorded by the rules' traversal; a full ParentNodeProvider pass only on a miss."""

    def __init__(self, wrapper: MetadataWrapper) -> None:
        self._wrapper = wrapper
        self._root = wrapper.module
        self.known: dict[cst.CSTNode, cst.CSTNode] = {}
        self._stack: list[cst.CSTNode] = []
        self._full: Mapping[cst.CSTNode, Any] | None = None

    # traversal hooks (visit_batched's before_visit / after_leave)
    def enter(self, node: cst.CSTNode) -> None:
        if self._stack:
            self.known[node] = self._stack[-1]
        self._stack.append(node)

    def leave(self, node: cst.CSTNode) -> None:
        self._stack.pop()

    def _complete(self) -> Mapping[cst.CSTNode, Any]:
        if self._full is None:
            provider = ParentNodeProvider()
            self._wrapper.visit_batched([provider])
            self._full = provider._computed  # noqa: SLF001
        return self._full

    def __getitem__(self, node: cst.CSTNode) -> cst.CSTNode:
        found = self.known.get(node)
        if found is not None:
            return found
        if node is self._root:
            raise KeyError(node)
        return self._complete()[node]

    def __iter__(self) -> Iterator[cst.CSTNode]:
        return iter(self._complete())

    def __len__(self) -> int:
        return len(self._complete())


def resolve(wrapper: MetadataWrapper, providers: Collection[Any]) -> LazyParents | None:
    """Resolve `providers` on `wrapper` before a traversal; returns the parent tracker to hook
    into that traversal when ParentNodeProvider was asked for."""
    metadata = wrapper._metadata  # noqa: SLF001 - LibCST's own cache; get_metadata reads it
    parents = None
    if ParentNodeProvider in providers and ParentNodeProvider not in metadata:
        parents = LazyParents(wrapper)
        metadata[ParentNodeProvider] = parents
    if ScopeProvider in providers and ScopeProvider not in metadata:
        provider = FastScopeProvider()
        provider.metadata = {}
        provider.visit_Module(wrapper.module)
        metadata[ScopeProvider] = provider._computed  # noqa: SLF001
        if ExpressionContextProvider not in metadata:
            # nothing reads it (resolve_many only needs it present as the scope's dependency)
            metadata[ExpressionContextProvider] = _Unavailable()
    if (
        PositionProvider in providers
        and WhitespaceInclusivePositionProvider in providers
        and PositionProvider not in metadata
        and WhitespaceInclusivePositionProvider not in metadata
    ):
        syntactic, inclusive = _both_positions(wrapper.module)
        metadata[PositionProvider] = syntactic
        metadata[WhitespaceInclusivePositionProvider] = inclusive
    for provider_class in [p for p in providers if p not in metadata]:
        if issubclass(provider_class, BatchableMetadataProvider) or not all(
            d in metadata for d in provider_class.METADATA_DEPENDENCIES
        ):
            wrapper.resolve_many([provider_class])
            continue
        # positions: computed from code generation, no traversal needed after it (LibCST would
        # run an empty batched traversal of the module here)
        instance = (
            provider_class(wrapper._cache.get(provider_class))  # noqa: SLF001
            if provider_class.gen_cache
            else provider_class()
        )
        metadata[provider_class] = instance._gen(wrapper)  # noqa: SLF001
    return parents


class _BothPositionsState(PositionProvidingCodegenState):
    """One code generation recording both position kinds (LibCST runs one per provider)."""

    inclusive: dict[cst.CSTNode, CodeRange]

    def after_codegen(self, node: cst.CSTNode) -> None:
        start = self._stack.pop()
        span = CodeRange(start, CodePosition(self.line, self.column))
        # WhitespaceInclusivePositionProvider's rule and PositionProvider's, side by side
        if node not in self.inclusive:
            self.inclusive[node] = span
        if node not in self.provider._computed:  # noqa: SLF001
            self.provider._computed[node] = span  # noqa: SLF001


def _both_positions(module: cst.Module) -> tuple[Mapping[cst.CSTNode, CodeRange], Mapping[cst.CSTNode, CodeRange]]:
    provider = PositionProvider()
    state = _BothPositionsState(
        default_indent=module.default_indent, default_newline=module.default_newline, provider=provider
    )
    state.inclusive = {}
    module._codegen(state)  # noqa: SLF001
    # after_codegen stores only CodeRange values in _computed (typed for LazyValue too)
    return cast(Mapping[cst.CSTNode, CodeRange], provider._computed), state.inclusive  # noqa: SLF001


def providers_of(visitors: Iterable[cst.MetadataDependent]) -> set[Any]:
    """Every provider the visitors declare."""
    out: set[Any] = set()
    for visitor in visitors:
        out.update(visitor.get_inherited_dependencies())
    return out


_VISITOR_NAMES: dict[type, tuple[str, ...]] = {}


def _visitor_names(cls: type) -> tuple[str, ...]:
    names = _VISITOR_NAMES.get(cls)
    if names is None:
        found = []
        for name in dir(cls):
            if not name.startswith(("visit_", "leave_")):
                continue
            value = getattr(cls, name, None)
            if not (inspect.isfunction(value) or inspect.ismethod(value)):
                continue
            # the tests LibCST's get_visitors applies to the bound method
            if value.__name__.startswith(("visit_", "leave_")) and not getattr(value, "_is_no_op", False):
                found.append(name)
        names = _VISITOR_NAMES[cls] = tuple(found)
    return names


class TableVisitor(cst.BatchableCSTVisitor):
    """A batchable visitor whose visit/leave table is built once per class.

    LibCST's `get_visitors` runs `inspect.getmembers` on every instance (every rule, every file),
    which also evaluates every property of the rule."""

    def get_visitors(self) -> Mapping[str, Any]:
        return {name: getattr(self, name) for name in _visitor_names(type(self))}


class _Unavailable(Mapping):  # type: ignore[type-arg]
    """Stands in for ExpressionContextProvider's values, which no rule reads."""

    def __getitem__(self, node: object) -> Any:
        raise KeyError("ExpressionContextProvider is not computed by cfw-lint")

    def __iter__(self) -> Iterator[Any]:
        return iter(())

    def __len__(self) -> int:
        return 0
