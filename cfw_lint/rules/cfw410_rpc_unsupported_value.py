"""CFW410: a public RPC method returns a value RPC cannot carry. Facts §1.2, §1.7."""

from __future__ import annotations

import libcst as cst
from libcst.metadata import ScopeProvider

from cfw_lint.analysis.ffi import FFI_METADATA, assigned_value
from cfw_lint.analysis.model import DURABLE_OBJECT_SPECIAL, SPECIAL_HANDLERS
from cfw_lint.analysis.names import is_builtin, is_self_attribute, qualified_name
from cfw_lint.diagnostics import FixAvailability, Severity
from cfw_lint.fixes import FixBuilder
from cfw_lint.rule import PythonRule
from cfw_lint.summary import ModuleSummary

_NOT_RPC_DECORATORS = ("staticmethod", "classmethod", "property")
_PLAIN_BASES = {"abc.ABC", "typing.Generic", "typing.Protocol", "typing_extensions.Protocol"}
_TUPLE_BASES = {"typing.NamedTuple", "typing_extensions.NamedTuple"}


class _Returns(cst.CSTVisitor):
    """Return statements of one function, not of functions, lambdas or classes nested in it."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[cst.Return] = []

    def visit_Return(self, node: cst.Return) -> None:
        self.found.append(node)

    def visit_FunctionDef(self, node: cst.FunctionDef) -> bool:
        return False

    def visit_ClassDef(self, node: cst.ClassDef) -> bool:
        return False

    def visit_Lambda(self, node: cst.Lambda) -> bool:
        return False


def _self_called(cls: cst.ClassDef) -> set[str]:
    """Method names the class calls on itself (`self.helper(...)`)."""
    names: set[str] = set()

    class Calls(cst.CSTVisitor):
        def visit_Call(self, node: cst.Call) -> None:
            func = node.func
            if is_self_attribute(func):
                assert isinstance(func, cst.Attribute)
                names.add(func.attr.value)

    cls.body.visit(Calls())
    return names


def _as_list(value: cst.BaseExpression):  # type: ignore[no-untyped-def]
    """Unsafe fix: a tuple literal becomes a list literal (the caller gets an array either way;
    Python callers that unpack or compare with a tuple may notice)."""
    if not isinstance(value, cst.Tuple) or any(isinstance(e, cst.StarredElement) for e in value.elements):
        return None

    def apply(fx: FixBuilder) -> None:
        elements = list(value.elements)
        if len(elements) == 1 and isinstance(elements[0].comma, cst.Comma):
            elements[0] = elements[0].with_changes(comma=cst.MaybeSentinel.DEFAULT)  # `(x,)` -> `[x]`
        fx.replace(
            value, cst.List(elements=elements, lbracket=cst.LeftSquareBracket(), rbracket=cst.RightSquareBracket())
        )

    return apply


def _type_error(kind: str) -> str:
    return f"`TypeError: <class '{kind}'> cannot be sent over RPC.`"


def _clone_error(kind: str) -> str:
    return f"a `DataCloneError` in JavaScript ({kind} cannot be structured-cloned)"


class RpcUnsupportedValue(PythonRule):
    code = "CFW410"
    name = "rpc-unsupported-value"
    severity = Severity.ERROR
    fix = FixAvailability.UNSAFE
    summary = "A public RPC method returns a tuple, bytearray, range, complex or project class instance."
    METADATA_DEPENDENCIES = FFI_METADATA
    triggers = ("Entrypoint", "DurableObject")
    # only files importing these can hold what the rule matches (see PythonRule.modules)
    modules = ("workers", "cloudflare")

    @classmethod
    def could_fire(cls, summary: ModuleSummary, text: str) -> bool:
        # a public method that is not a handler (an RPC method)
        public = {m for m in summary.entrypoint_methods("WorkerEntrypoint") if not m.startswith("_")}
        if public - set(SPECIAL_HANDLERS):
            return True
        public = {m for m in summary.entrypoint_methods("DurableObject") if not m.startswith("_")}
        return bool(public - set(SPECIAL_HANDLERS) - set(DURABLE_OBJECT_SPECIAL))

    def visit_Module(self, node: cst.Module) -> None:
        self._classes = {stmt.name.value: stmt for stmt in node.body if isinstance(stmt, cst.ClassDef)}
        for entry in self.model.entrypoints.values():
            if entry.kind not in ("WorkerEntrypoint", "DurableObject"):
                continue
            special = set(SPECIAL_HANDLERS)
            if entry.kind == "DurableObject":
                special |= set(DURABLE_OBJECT_SPECIAL)
            internal = _self_called(entry.node)
            for name, method in entry.methods.items():
                if name.startswith("_") or name in special or not self._plain_function(method):
                    continue
                if name in internal:
                    continue  # a helper the class calls itself (`self.helper()`): not meant for RPC
                collector = _Returns()
                method.body.visit(collector)
                for ret in collector.found:
                    if ret.value is not None:
                        self._check(ret.value, ret.value, f"{entry.name}.{name}", 0)

    def _plain_function(self, method: cst.FunctionDef) -> bool:
        for decorator in method.decorators:
            expr = decorator.decorator
            if isinstance(expr, cst.Name) and expr.value in _NOT_RPC_DECORATORS:
                if is_builtin(self, expr, expr.value):
                    return False
            if isinstance(expr, cst.Attribute) and expr.attr.value in ("setter", "getter", "deleter"):
                return False
        return True

    def _check(self, value: cst.BaseExpression, at: cst.CSTNode, method: str, depth: int) -> None:
        if depth > 6:
            return
        problem = self._problem(value)
        if problem is not None:
            self.report(
                at,
                f"RPC method `{method}` returns {problem[0]}, which fails when it is sent back "
                f"to the caller: {problem[1]}; return a list, dict, str, number, bool or None",
                fix=_as_list(value) if at is value else None,
            )
            return
        if isinstance(value, (cst.List, cst.Set)):
            for el in value.elements:
                if not isinstance(el, cst.StarredElement):
                    self._check(el.value, el.value, method, depth + 1)
        elif isinstance(value, cst.Dict):
            for item in value.elements:
                if isinstance(item, cst.DictElement):
                    self._check(item.value, item.value, method, depth + 1)
        elif isinstance(value, cst.Name):
            assigned = assigned_value(self, value)
            if assigned is not None:
                problem = self._problem(assigned)
                if problem is not None:
                    self._check(assigned, at, method, depth + 1)

    def _problem(self, value: cst.BaseExpression) -> tuple[str, str] | None:
        if isinstance(value, cst.Tuple):
            return "a tuple", _type_error("tuple")
        if isinstance(value, cst.Imaginary) or (
            isinstance(value, cst.BinaryOperation)
            and (isinstance(value.left, cst.Imaginary) or isinstance(value.right, cst.Imaginary))
        ):
            return "a complex number", _clone_error("complex")
        if not isinstance(value, cst.Call):
            return None
        func = value.func
        if isinstance(func, cst.Name):
            for builtin, problem in (
                ("bytearray", ("a bytearray", _type_error("bytearray"))),
                ("tuple", ("a tuple", _type_error("tuple"))),
                ("range", ("a range", _clone_error("range"))),
                ("complex", ("a complex number", _clone_error("complex"))),
            ):
                if func.value == builtin and is_builtin(self, func, builtin):
                    return problem
            cls = self._project_class(func)
            if cls is not None:
                kind = self._class_kind(cls, 0)
                if kind == "tuple":
                    return f"a `{cls.name.value}` (a NamedTuple)", _type_error(f"...{cls.name.value}")
                if kind == "plain":
                    return f"a `{cls.name.value}` instance", _clone_error("class instances")
        return None

    def _project_class(self, name: cst.Name) -> cst.ClassDef | None:
        cls = self._classes.get(name.value)
        if cls is None:
            return None
        scope = self.get_metadata(ScopeProvider, name, None)
        if scope is None:
            return None
        assignments = list(scope[name.value])
        if len(assignments) == 1 and getattr(assignments[0], "node", None) is cls:
            return cls
        return None

    def _class_kind(self, cls: cst.ClassDef, depth: int) -> str | None:
        """ "plain" (an ordinary class), "tuple" (a NamedTuple) or None (unknown base)."""
        if depth > 6 or cls in self.model.entrypoints:
            return None
        kind = "plain"
        for arg in cls.bases:
            if arg.keyword is not None:
                continue
            base = arg.value.value if isinstance(arg.value, cst.Subscript) else arg.value
            if isinstance(base, cst.Name) and base.value == "object" and is_builtin(self, base, "object"):
                continue
            origin = qualified_name(self, base)
            if origin in _TUPLE_BASES:
                kind = "tuple"
                continue
            if origin in _PLAIN_BASES:
                continue
            if isinstance(base, cst.Name) and base.value in self._classes:
                inner = self._class_kind(self._classes[base.value], depth + 1)
                if inner is None:
                    return None
                if inner == "tuple":
                    kind = "tuple"
                continue
            return None  # Exception, dict, Enum, third-party bases: not decided here
        return kind
