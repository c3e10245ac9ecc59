"""What a `WorkflowEntrypoint.run(self, event, step)` does with its `step` (facts §2).

Built from the CST alone (no metadata), once per `run` and shared by the CFW6xx rules through
`workflow_runs(rule)`. It records:

* declared steps: `@step.do(...)`-decorated local functions (legacy `step.do("name",
  depends=[...])` and implicit `step.do()` / `step.do(name=...)`), and `x = step.do(...)(f)`;
* for the code that runs directly in `run` (not in nested functions): awaits, calls, simple
  assignments and name uses, with each node's parent;
* whether `step` escapes (passed to a helper that may declare steps we cannot see).

It reports only what the code shows; anything it cannot follow is left "unknown" so that rules
stay silent on it.
"""

from __future__ import annotations

import keyword
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Iterator

import libcst as cst

from cfw_lint.analysis import handlers
from cfw_lint.analysis.capabilities import string_value

if TYPE_CHECKING:
    from cfw_lint.rule import PythonRule

STEP_METHODS = ("do", "sleep", "sleep_until", "wait_for_event")
SLEEP_METHODS = ("sleep", "sleep_until", "wait_for_event")
_STATE_KEY = "_cfw_workflow_runs"


def all_params(func: cst.FunctionDef) -> list[cst.Param]:
    """Every parameter in signature order (`inspect.signature` order)."""
    p = func.params
    out = [*p.posonly_params, *p.params]
    if isinstance(p.star_arg, cst.Param):
        out.append(p.star_arg)
    out.extend(p.kwonly_params)
    if p.star_kwarg is not None:
        out.append(p.star_kwarg)
    return out


def positional_params(func: cst.FunctionDef) -> list[cst.Param]:
    return handlers.positional_params(func.params)


@dataclass
class StepDecl:
    """One `step.do` declaration."""

    var: str  # the local name the step is bound to
    node: cst.CSTNode  # the decorator (or the `step.do(...)(f)` call)
    do_call: cst.Call | None  # `step.do(...)`; None for a bare `@step.do`
    func: cst.FunctionDef | None  # the step function, when it is a local def
    name_expr: cst.BaseExpression | None  # the name argument, if given
    depends_arg: cst.Arg | None  # `depends=` (or the 2nd positional argument)
    implicit: bool
    # `step.do(*args, **kwargs)`: name and depends cannot be known
    opaque: bool = False

    @property
    def bare(self) -> bool:
        return self.do_call is None

    @property
    def name(self) -> str | None:
        """The step's name when it is certain."""
        if self.bare or self.opaque:
            return None
        if self.name_expr is None:
            # implicit mode names the step after the function
            if self.implicit and self.func is not None:
                return self.func.name.value
            return None
        return string_value(self.name_expr, bytes_ok=False)

    @property
    def depends(self) -> list[cst.BaseExpression] | None:
        """The `depends` elements when they are a literal list/tuple; None otherwise."""
        if self.depends_arg is None:
            return None
        value = self.depends_arg.value
        if isinstance(value, (cst.List, cst.Tuple)):
            if any(isinstance(e, cst.StarredElement) for e in value.elements):
                return None
            return [e.value for e in value.elements]
        return None

    @property
    def depends_is_none(self) -> bool:
        return self.depends_arg is None or (
            isinstance(self.depends_arg.value, cst.Name) and self.depends_arg.value.value == "None"
        )


class Region:
    """The code of one function body that runs when the function runs (nested defs excluded)."""

    def __init__(self, func: cst.FunctionDef) -> None:
        self.func = func
        self.parents: dict[cst.CSTNode, cst.CSTNode] = {}
        self.awaits: list[cst.Await] = []
        self.calls: list[cst.Call] = []
        self.returns: list[cst.Return] = []
        self.yields: list[cst.Yield] = []
        self.name_loads: dict[str, list[cst.Name]] = {}
        # names bound in this region: Name -> values of simple `name = value` assignments,
        # with None for any other kind of binding (for targets, with-as, augmented, ...)
        self.bindings: dict[str, list[cst.BaseExpression | None]] = {}
        self.nested: dict[str, cst.FunctionDef] = {}
        self.nested_classes: dict[str, cst.ClassDef] = {}
        for param in all_params(func):
            self.bindings.setdefault(param.name.value, []).append(None)
        _RegionWalker(self).walk(func.body)

    def single_value(self, name: str) -> cst.BaseExpression | None:
        """The value of `name` when it is bound exactly once, by a simple assignment."""
        values = self.bindings.get(name)
        if values is None or len(values) != 1:
            return None
        return values[0]

    def binds(self, name: str) -> bool:
        return name in self.bindings or name in self.nested or name in self.nested_classes

    def parent(self, node: cst.CSTNode) -> cst.CSTNode | None:
        return self.parents.get(node)


class _RegionWalker(cst.CSTVisitor):
    def __init__(self, region: Region) -> None:
        super().__init__()
        self.region = region
        self.stack: list[cst.CSTNode] = []

    def walk(self, body: cst.BaseSuite) -> None:
        body.visit(self)

    def on_visit(self, node: cst.CSTNode) -> bool:
        r = self.region
        if self.stack:
            r.parents[node] = self.stack[-1]
        if isinstance(node, cst.FunctionDef):
            r.nested[node.name.value] = node
            r.bindings.setdefault(node.name.value, []).append(None)
            # decorators run here; the body does not
            for dec in node.decorators:
                self.stack.append(node)
                dec.visit(self)
                self.stack.pop()
            return False
        if isinstance(node, cst.ClassDef):
            r.nested_classes[node.name.value] = node
            return False
        if isinstance(node, cst.Lambda):
            return False
        if isinstance(node, cst.Await):
            r.awaits.append(node)
        elif isinstance(node, cst.Call):
            r.calls.append(node)
        elif isinstance(node, cst.Return):
            r.returns.append(node)
        elif isinstance(node, cst.Yield):
            r.yields.append(node)
        elif isinstance(node, cst.Name):
            self._name(node)
        elif isinstance(node, cst.Assign):
            for target in node.targets:
                self._bind(target.target, node.value if len(node.targets) == 1 else None)
        elif isinstance(node, cst.AnnAssign):
            self._bind(node.target, node.value)
        elif isinstance(node, cst.AugAssign):
            self._bind(node.target, None)
        elif isinstance(node, (cst.For, cst.CompFor)):
            self._bind(node.target, None)
        elif isinstance(node, cst.WithItem) and node.asname is not None:
            self._bind(node.asname.name, None)
        elif isinstance(node, cst.NamedExpr):
            self._bind(node.target, node.value)
        elif isinstance(node, cst.ExceptHandler) and node.name is not None:
            self._bind(node.name.name, None)
        elif isinstance(node, (cst.Global, cst.Nonlocal)):
            for item in node.names:
                r.bindings.setdefault(item.name.value, []).append(None)
        elif isinstance(node, (cst.Import, cst.ImportFrom)):
            names = node.names
            if not isinstance(names, cst.ImportStar):
                for alias in names:
                    bound: cst.BaseExpression = alias.asname.name if alias.asname is not None else alias.name
                    while isinstance(bound, cst.Attribute):
                        bound = bound.value
                    self._bind(bound, None)
        self.stack.append(node)
        return True

    def on_leave(self, original_node: cst.CSTNode) -> None:
        if self.stack and self.stack[-1] is original_node:
            self.stack.pop()

    def _bind(self, target: cst.CSTNode, value: cst.BaseExpression | None) -> None:
        if isinstance(target, cst.Name):
            self.region.bindings.setdefault(target.value, []).append(value)
        elif isinstance(target, (cst.Tuple, cst.List)):
            for element in target.elements:
                self._bind(element.value, None)
        elif isinstance(target, cst.StarredElement):
            self._bind(target.value, None)

    def _name(self, node: cst.Name) -> None:
        parent = self.stack[-1] if self.stack else None
        # attribute names, keyword names and binding targets are not loads
        if isinstance(parent, cst.Attribute) and parent.attr is node:
            return
        if isinstance(parent, (cst.Arg, cst.Param)) and getattr(parent, "keyword", None) is node:
            return
        if isinstance(parent, cst.Param):
            return
        if isinstance(parent, cst.AssignTarget) and parent.target is node:
            return
        if isinstance(parent, (cst.AnnAssign, cst.AugAssign, cst.NamedExpr)) and parent.target is node:
            return
        if isinstance(parent, (cst.For, cst.CompFor)) and parent.target is node:
            return
        if isinstance(parent, (cst.AsName, cst.ImportAlias, cst.FunctionDef, cst.ClassDef)):
            return
        self.region.name_loads.setdefault(node.value, []).append(node)


@dataclass
class WorkflowRun:
    cls: cst.ClassDef
    func: cst.FunctionDef
    step_param: str | None
    implicit: bool
    region: Region
    steps: list[StepDecl] = field(default_factory=list)
    # `step` is handed to something we cannot see into (a helper that may declare steps)
    step_escapes: bool = False
    _regions: dict[cst.FunctionDef, Region] = field(default_factory=dict)

    # -- queries -----------------------------------------------------------------------------
    def step_named(self, var: str) -> StepDecl | None:
        found = [s for s in self.steps if s.var == var]
        # a name bound to a step and to something else is not certainly a step
        if len(found) != 1 or len(self.region.bindings.get(var, ())) != 1:
            return None
        return found[0]

    def step_functions(self) -> Iterator[tuple[StepDecl, cst.FunctionDef]]:
        for s in self.steps:
            if s.func is not None:
                yield s, s.func

    def region_of(self, func: cst.FunctionDef) -> Region:
        if func is self.func:
            return self.region
        if func not in self._regions:
            self._regions[func] = Region(func)
        return self._regions[func]

    def is_step_attr(self, node: cst.CSTNode, methods: tuple[str, ...] = STEP_METHODS) -> bool:
        """`step.<method>` on this run's step parameter."""
        return (
            self.step_param is not None
            and isinstance(node, cst.Attribute)
            and isinstance(node.value, cst.Name)
            and (node.value.value == self.step_param or self.is_step_alias(node.value.value))
            and node.attr.value in methods
        )

    def step_names_known(self) -> bool:
        """Every step of this run is visible and has a certain name."""
        return not self.step_escapes and all(s.name is not None for s in self.steps)

    def is_step_alias(self, name: str) -> bool:
        """`name` is a local of run bound only to the step parameter (`s = step`)."""
        value = self.region.single_value(name)
        return isinstance(value, cst.Name) and value.value == self.step_param

    def uses_step(self, node: cst.CSTNode) -> bool:
        """`node` mentions the step parameter (a helper given `step`, or closing over it)."""
        if self.step_param is None:
            return False
        return _mentions(node, self.step_param)


def _mentions(node: cst.CSTNode, name: str) -> bool:
    found = False

    class _Finder(cst.CSTVisitor):
        def visit_Name(self, n: cst.Name) -> bool:
            nonlocal found
            if n.value == name:
                found = True
            return False

        def visit_Attribute(self, n: cst.Attribute) -> bool:
            n.value.visit(self)
            return False

    node.visit(_Finder())
    return found


def _step_param(func: cst.FunctionDef) -> str | None:
    params = positional_params(func)
    if len(params) >= 3:
        return params[2].name.value
    return None


def _do_call_parts(call: cst.Call, implicit: bool) -> tuple[cst.BaseExpression | None, cst.Arg | None]:
    """(name expression, depends argument) of a `step.do(...)` call."""
    name_expr = None
    depends = None
    positional = [a for a in call.args if a.keyword is None and not a.star]
    for arg in call.args:
        if arg.keyword is not None and arg.keyword.value == "name":
            name_expr = arg.value
        elif arg.keyword is not None and arg.keyword.value == "depends":
            depends = arg
    if positional:
        name_expr = positional[0].value
    if len(positional) >= 2 and depends is None:
        depends = positional[1]
    return name_expr, depends


def build_run(cls: cst.ClassDef, func: cst.FunctionDef, implicit: bool) -> WorkflowRun:
    step_param = _step_param(func)
    region = Region(func)
    run = WorkflowRun(cls, func, step_param, implicit, region)
    if step_param is None:
        return run

    def decl_from(expr: cst.BaseExpression, var: str, fn: cst.FunctionDef | None, node: cst.CSTNode) -> StepDecl | None:
        if isinstance(expr, cst.Call) and run.is_step_attr(expr.func, ("do",)):
            if any(a.star for a in expr.args):
                return StepDecl(var, node, expr, fn, None, None, implicit, opaque=True)
            name_expr, depends = _do_call_parts(expr, implicit)
            return StepDecl(var, node, expr, fn, name_expr, depends, implicit)
        if run.is_step_attr(expr, ("do",)):
            return StepDecl(var, node, None, fn, None, None, implicit)
        return None

    # decorated local functions
    for fname, fn in region.nested.items():
        for dec in fn.decorators:
            decl = decl_from(dec.decorator, fname, fn, dec)
            if decl is not None:
                run.steps.append(decl)
                break
    # `x = step.do(...)(f)`
    for var, values in region.bindings.items():
        for value in values:
            if (
                isinstance(value, cst.Call)
                and isinstance(value.func, cst.Call)
                and run.is_step_attr(value.func.func, ("do",))
                and len(value.args) == 1
            ):
                target = value.args[0].value
                target_fn = region.nested.get(target.value) if isinstance(target, cst.Name) else None
                decl = decl_from(value.func, var, target_fn, value)
                if decl is not None:
                    run.steps.append(decl)
    run.steps.sort(key=lambda s: _order(region, s))

    # `step` handed to anything but its own methods: steps may be declared where we cannot see
    for name in region.name_loads.get(step_param, ()):
        parent = region.parent(name)
        if not (isinstance(parent, cst.Attribute) and parent.value is name and parent.attr.value in STEP_METHODS):
            run.step_escapes = True
            break
    for fn in region.nested.values():
        if not any(s.func is fn for s in run.steps) and _mentions(fn.body, step_param):
            run.step_escapes = True
    return run


def _order(region: Region, decl: StepDecl) -> int:
    """Source order of declarations (by a walk of the run body)."""
    order: dict[cst.CSTNode, int] | None = getattr(region, "_order_index", None)
    if order is None:
        index: dict[cst.CSTNode, int] = {}

        class _Idx(cst.CSTVisitor):
            def on_visit(self, node: cst.CSTNode) -> bool:
                index[node] = len(index)
                return True

        region.func.body.visit(_Idx())
        region._order_index = index  # type: ignore[attr-defined]
        order = index
    return order.get(decl.node, 0)


def workflow_runs(rule: PythonRule) -> list[WorkflowRun]:
    """Every `run` method of a WorkflowEntrypoint class in the file, analysed once per parse."""
    state = rule.state
    cached = getattr(state, _STATE_KEY, None)
    implicit = rule.profile.implicit_step_dependencies
    if cached is not None and cached[0] == implicit:
        return cached[1]
    runs = []
    for entry in rule.model.entrypoints.values():
        if entry.kind != "WorkflowEntrypoint":
            continue
        func = entry.methods.get("run")
        if func is None or func.asynchronous is None:
            continue
        runs.append(build_run(entry.node, func, implicit))
    setattr(state, _STATE_KEY, (implicit, runs))
    return runs


def is_identifier(name: str) -> bool:
    return name.isidentifier() and not keyword.iskeyword(name)
