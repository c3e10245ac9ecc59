"""CFW602: a step returns something the Workflows engine cannot store. Facts §2.

The conversion depends on the SDK that runs: the runtime's own and workers-runtime-sdk <= 1.8.5
use `to_js` (a datetime fails to clone, a tuple becomes an array); >= 1.8.6 uses `python_to_rpc`
(a datetime becomes a Date, a tuple or bytearray raises TypeError).
"""

from __future__ import annotations

from dataclasses import dataclass

import libcst as cst

from cfw_lint.analysis.names import NAME_METADATA, is_builtin, qualified_name
from cfw_lint.analysis.workflows import Region, WorkflowRun, workflow_runs
from cfw_lint.diagnostics import FixAvailability, Severity
from cfw_lint.fixes import FixBuilder
from cfw_lint.rule import FixCallback, PythonRule
from cfw_lint.summary import ModuleSummary

_DATETIME_MAKERS = {
    f"datetime.{cls}{suffix}"
    for cls, suffixes in (
        (
            "datetime",
            (
                "",
                ".now",
                ".utcnow",
                ".today",
                ".fromtimestamp",
                ".utcfromtimestamp",
                ".fromisoformat",
                ".strptime",
                ".combine",
            ),
        ),
        ("date", ("", ".today", ".fromtimestamp", ".fromisoformat")),
        ("time", ("", ".fromisoformat")),
    )
    for suffix in suffixes
}
# methods of a datetime that return a datetime
_DATETIME_METHODS = ("replace", "astimezone")
_OTHER_OBJECTS = {
    "datetime.timedelta": "a `timedelta`",
    "decimal.Decimal": "a `Decimal`",
    "uuid.UUID": "a `UUID` object",
    "uuid.uuid1": "a `UUID` object",
    "uuid.uuid3": "a `UUID` object",
    "uuid.uuid4": "a `UUID` object",
    "uuid.uuid5": "a `UUID` object",
    "pathlib.Path": "a `Path`",
}
_RESPONSES = {"workers.Response", "js.Response", "workers.FetchResponse"}
_RESPONSE_MAKERS = ("new", "json", "redirect")
_FETCHES = {"workers.fetch", "js.fetch"}
# workers-runtime-sdk >= 1.8.6 converts step results with python_to_rpc, which refuses these
_TUPLE = (
    "a `tuple`, which `workers-runtime-sdk` >= 1.8.6 refuses: `TypeError: <class 'tuple'> cannot be sent over RPC.`"
)
_BYTEARRAY = (
    "a `bytearray`, which `workers-runtime-sdk` >= 1.8.6 refuses: `TypeError: <class 'bytearray'> "
    "cannot be sent over RPC.`"
)
# classes whose instances are plain JSON values
_PLAIN_BASES = {"dict", "list", "str", "int", "float", "bool", "TypedDict"}


@dataclass
class Problem:
    node: cst.BaseExpression
    what: str
    warning: bool = False
    fix: str | None = None  # "isoformat" | "list"


class StepResultNotSerializable(PythonRule):
    code = "CFW602"
    name = "step-result-not-serializable"
    severity = Severity.ERROR
    fix = FixAvailability.UNSAFE
    summary = "A step's result must be JSON-like (dict, list, str, number, bool, None)."
    profile_facts = ("external_sdk", "sdk_version")
    METADATA_DEPENDENCIES = NAME_METADATA
    triggers = ("WorkflowEntrypoint",)
    # only files importing these can hold what the rule matches (see PythonRule.modules)
    modules = ("workers", "cloudflare")

    @classmethod
    def could_fire(cls, summary: ModuleSummary, text: str) -> bool:
        # a WorkflowEntrypoint with a `run` method (analysis.workflows.workflow_runs)
        return "run" in summary.entrypoint_methods("WorkflowEntrypoint")

    def visit_Module(self, node: cst.Module) -> None:
        self._classes = _module_classes(node)
        # does python_to_rpc convert the results (workers-runtime-sdk >= 1.8.6)? With the version
        # unknown, assume so exactly when the date requires a vendored SDK (pywrangler vendors a
        # current one)
        known = self.profile.sdk_at_least(1, 8, 6)
        self._rpc_known = known is not None
        self._rpc = known if known is not None else self.profile.external_sdk
        for run in workflow_runs(self):
            for decl, func in run.step_functions():
                region = run.region_of(func)
                label = decl.name or func.name.value
                if region.yields:
                    self.report(
                        region.yields[0],
                        f"step `{label}` contains `yield`, so it returns a generator, which cannot "
                        "be stored as a step result; build and return a list instead",
                    )
                    continue
                for ret in region.returns:
                    if ret.value is None:
                        continue
                    for problem in self._check(run, region, ret.value, 0):
                        self._emit(label, problem)

    def _emit(self, label: str, p: Problem) -> None:
        fix: FixCallback | None = None
        if p.fix == "isoformat":
            hint = "return `.isoformat()` (and parse it back where it is used)"
            fix = _wrap(p.node, suffix=".isoformat()")
        elif p.fix == "list":
            hint = "return a list"
            fix = _wrap(p.node, prefix="list(", suffix=")")
        elif p.what in (_TUPLE, _BYTEARRAY):
            hint = "return a list" if p.what is _TUPLE else "return a str (for example base64)"
        elif p.warning:
            hint = "return a str (for example base64 or `.decode()`)"
        elif p.what.startswith("the `Response` of a fetch"):
            hint = "return `await response.json()` or `await response.text()` (and the status if needed)"
        else:
            hint = "return plain data (dict, list, str, number, bool, None)"
        if "workers-runtime-sdk" in p.what:
            why = "the JSON shape is the one that survives a replay unchanged"
        elif p.warning:
            why = "structured clone may carry it, but the documented, safe shape of a step result is JSON"
        else:
            why = (
                "step results are converted (`python_to_rpc` in workers-runtime-sdk >= 1.8.6, "
                "`to_js` before and in the runtime's own SDK) and stored by the Workflows engine, "
                "which only takes serialisable values (dict, list, str, number, bool, None)"
            )
        self.report(
            p.node,
            f"step `{label}` returns {p.what}: {why}; {hint}",
            fix=fix,
            severity=Severity.WARNING if p.warning else None,
        )

    # -- what an expression is ---------------------------------------------------------------
    def _check(self, run: WorkflowRun, region: Region, expr: cst.BaseExpression, depth: int) -> list[Problem]:
        if isinstance(expr, cst.Dict):
            out: list[Problem] = []
            for el in expr.elements:
                if isinstance(el, cst.DictElement):
                    out.extend(self._check(run, region, el.value, depth))
            return out
        if isinstance(expr, (cst.List, cst.Tuple)):
            out = []
            if isinstance(expr, cst.Tuple) and self._rpc:
                out.append(Problem(expr, _TUPLE))
            for item in expr.elements:
                if isinstance(item, cst.Element):
                    out.extend(self._check(run, region, item.value, depth))
            return out
        if isinstance(expr, (cst.Set, cst.SetComp)):
            return [Problem(expr, "a `set`", warning=True, fix="list")]
        if isinstance(expr, cst.GeneratorExp):
            return [Problem(expr, "a generator")]
        if isinstance(expr, cst.SimpleString) and expr.prefix.lower().count("b"):
            return [Problem(expr, "`bytes`", warning=True)]
        if isinstance(expr, cst.Name):
            if depth >= 3:
                return []
            value = region.single_value(expr.value)
            if value is None:
                return []
            # a whole value is reported (and fixed) where it is returned; a part of it where
            # it is built
            return [
                Problem(expr, p.what, p.warning, p.fix) if p.node is value else p
                for p in self._check(run, region, value, depth + 1)
            ]
        if isinstance(expr, cst.Call):
            p = self._call(region, expr)
            return [p] if p else []
        if isinstance(expr, cst.Await) and isinstance(expr.expression, cst.Call):
            # `return await fetch(url)`: the response object, not its body
            if qualified_name(self, expr.expression.func) in _FETCHES:
                return [Problem(expr, "the `Response` of a fetch (not its body)")]
        return []

    def _call(self, region: Region, call: cst.Call) -> Problem | None:
        func = call.func
        origin = qualified_name(self, func)
        if origin in _DATETIME_MAKERS:
            return self._datetime(call, origin.split(".")[1])
        if isinstance(func, cst.Attribute) and func.attr.value in _DATETIME_METHODS:
            inner = func.value
            if isinstance(inner, cst.Call):
                inner_origin = qualified_name(self, inner.func)
                if inner_origin in _DATETIME_MAKERS:
                    return self._datetime(call, inner_origin.split(".")[1])
        if origin in _OTHER_OBJECTS:
            return Problem(call, _OTHER_OBJECTS[origin])
        if origin in _RESPONSES or (
            isinstance(func, cst.Attribute)
            and func.attr.value in _RESPONSE_MAKERS
            and qualified_name(self, func.value) in _RESPONSES
        ):
            return Problem(call, "a `Response`")
        if isinstance(func, cst.Name):
            for builtin, what, fix in (
                ("set", "a `set`", "list"),
                ("frozenset", "a `frozenset`", "list"),
                ("bytes", "`bytes`", None),
                ("bytearray", "a `bytearray`", None),
                ("tuple", "a `tuple`", None),
            ):
                if is_builtin(self, func, builtin):
                    if builtin == "tuple":
                        return Problem(call, _TUPLE) if self._rpc else None
                    if builtin == "bytearray" and self._rpc:
                        return Problem(call, _BYTEARRAY)
                    return Problem(call, what, warning=True, fix=fix)
            cls = self._classes.get(func.value)
            if cls is not None and not region.binds(func.value) and self._is_module_name(func):
                return Problem(call, f"an instance of the class `{func.value}`")
        return None

    def _datetime(self, call: cst.Call, kind: str) -> Problem | None:
        if kind == "datetime" and self._rpc:
            if self._rpc_known:
                return None  # python_to_rpc sends a JS Date and gives a datetime back (facts §2)
            return Problem(
                call,
                "a `datetime`, which `workers-runtime-sdk` >= 1.8.6 sends as a JS `Date`, but "
                "older SDKs pass to `to_js`, where it fails with `DataCloneError` (the SDK version "
                "is unknown here)",
                warning=True,
                fix="isoformat",
            )
        return Problem(call, f"a `{kind}`", fix="isoformat")

    def _is_module_name(self, name: cst.Name) -> bool:
        """`name` refers to a module-level binding (not a local of run or the step)."""
        from libcst.metadata import QualifiedNameSource, ScopeProvider

        scope = self.get_metadata(ScopeProvider, name, None)
        names = scope.get_qualified_names_for(name) if scope is not None else set()
        return any(q.name == name.value and q.source is QualifiedNameSource.LOCAL for q in names)


def _module_classes(module: cst.Module) -> dict[str, cst.ClassDef]:
    """Module-level classes whose instances are not plain data."""
    out: dict[str, cst.ClassDef] = {}
    for stmt in module.body:
        if not isinstance(stmt, cst.ClassDef):
            continue
        bases = set()
        for arg in stmt.bases:
            value = arg.value
            while isinstance(value, cst.Attribute):
                bases.add(value.attr.value)
                value = value.value
            if isinstance(value, cst.Name):
                bases.add(value.value)
        if bases & _PLAIN_BASES:
            continue
        out[stmt.name.value] = stmt
    # a later function or assignment of the same name makes it something else
    for stmt in module.body:
        if isinstance(stmt, cst.FunctionDef):
            out.pop(stmt.name.value, None)
    return out


def _wrap(node: cst.BaseExpression, prefix: str = "", suffix: str = "") -> FixCallback:
    def apply(fx: FixBuilder) -> None:
        start, end = fx.tight_span(node)
        code = fx.text[start:end]
        if suffix and not prefix and not isinstance(node, (cst.Name, cst.Call, cst.Attribute, cst.Subscript)):
            code = f"({code})"
        fx.edit(start, end, f"{prefix}{code}{suffix}")

    return apply
