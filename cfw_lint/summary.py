"""A cheap summary of one Python file from one `ast` parse (no LibCST).

It answers what the engine must know before deciding whether a file needs LibCST at all: the
project facts (imports, top-level classes with their bases, functions, `__all__`, aliases; the
same values `facts.FactsCollector` computes from LibCST), the modules imported, top-level
definitions, and the names called. The cache and `Project.facts_for` store the facts.

Two traps of `ast`: it parses only the running interpreter's grammar, so `summarize` returns None
on a SyntaxError (the caller falls back to LibCST, which reports or accepts the file); and its
columns are UTF-8 byte offsets, so positions here are lines only, never columns.
"""

from __future__ import annotations

import ast
import io
import re
import tokenize
import warnings
from dataclasses import dataclass, field
from typing import Any, Iterable, NamedTuple


# Python's own line ends (not form feeds or other `str.splitlines` separators); the capture
# group keeps the ends out of the odd positions of `re.split`'s result
_LINE_SPLIT = re.compile(r"(\r\n|\r|\n)")


@dataclass
class Import:
    module: str  # absolute ("bs4", "workers.asgi") or relative ("..models")
    line: int
    names: tuple[str, ...] = ()  # for `from m import a, b`: a, b ("*" for a star import)
    top_level: bool = False  # at module level (not inside a function or class)


class Signature(NamedTuple):
    """A function's parameters, as far as `analysis.handlers.accepts_positional` reads them."""

    positional: int  # positional-only and positional-or-keyword, self included
    required: int  # of those, without a default
    star: bool  # `*args`
    required_kwonly: int

    def accepts_positional(self, count: int) -> bool:
        """Callable with `count` positional arguments after self (handlers.accepts_positional)."""
        if self.positional < 1 + count and not self.star:
            return False
        return self.required <= 1 + count and not self.required_kwonly


@dataclass
class ModuleSummary:
    imports: list[Import] = field(default_factory=list)
    classes: list[dict[str, Any]] = field(default_factory=list)  # top level: name, bases
    functions: list[str] = field(default_factory=list)  # top level
    dunder_all: list[Any] | None = None
    aliases: dict[str, str] = field(default_factory=dict)  # top-level local name -> dotted origin
    called: set[str] = field(default_factory=set)  # last name of every callee (`a.b.c()` -> c)
    # modules imported by a literal `__import__("x")` / `importlib.import_module("x")`
    dynamic_imports: set[str] = field(default_factory=set)
    # valid Python that LibCST may still reject: such a file must reach LibCST, which says so
    needs_libcst_parse: bool = False
    tree: ast.Module | None = field(default=None, repr=False, compare=False)  # for `ast` rules

    # What the rules' pre-filters (`PythonRule.could_fire`) read; each a superset of what the
    # LibCST pass could find, gathered anywhere in the file (any depth):
    names: set[str] = field(default_factory=set)  # identifiers: read, bound, defined, parameters
    attributes: set[str] = field(default_factory=set)  # `x.attr` attribute names
    keywords: set[str] = field(default_factory=set)  # keyword argument names in calls
    def_names: set[str] = field(default_factory=set)  # functions and methods
    strings: set[str] = field(default_factory=set)  # short string constants (not docstrings)
    chains: set[str] = field(default_factory=set)  # `a.b.c` Name/Attribute chains, unresolved
    assigned_chains: set[str] = field(default_factory=set)  # chains that are the whole value of `x = ...`
    import_bindings: dict[str, set[str]] = field(default_factory=dict)  # local name -> origins
    star_modules: set[str] = field(default_factory=set)  # `from m import *`
    params: set[str] = field(default_factory=set)  # parameter names of functions and lambdas
    # top-level classes (module level, `if`/`try` blocks included): name, written bases
    class_bases: list[tuple[str, tuple[str, ...]]] = field(default_factory=list)
    class_methods: dict[str, set[str]] = field(default_factory=dict)  # the `def`s of their bodies
    method_signatures: dict[tuple[str, str], list[Signature]] = field(default_factory=dict)  # (class, def)
    _resolved: frozenset[str] | None = field(default=None, repr=False, compare=False)
    _kinds: dict[str, set[str]] | None = field(default=None, repr=False, compare=False)

    def facts(self) -> dict[str, Any]:
        """What project rules read about a file (the keys FactsCollector.facts() returns)."""
        absolute = {i.module for i in self.imports if not i.module.startswith(".")}
        relative = {i.module for i in self.imports if i.module.startswith(".")}
        return {
            "imports": sorted(absolute),
            "relative_imports": sorted(relative),
            "classes": self.classes,
            "functions": self.functions,
            "all": self.dunder_all,
            "aliases": self.aliases,
        }

    def imported_top_level(self) -> frozenset[str]:
        return frozenset(i.module.split(".")[0] for i in self.imports if not i.module.startswith("."))

    def imported_modules(self) -> frozenset[str]:
        """Top-level names of every module imported, statically or by a literal dynamic import
        (what the `modules` pre-filter of a rule reads)."""
        return self.imported_top_level() | {m.split(".")[0] for m in self.dynamic_imports}

    # -- pre-filter predicates -----------------------------------------------------------------
    def may_call(self, last_names: frozenset[str]) -> bool:
        """A call whose callee's last name is one of `last_names` may be here: `called` has it, or
        an import brings it in under another local name (`from m import run as go; go()`)."""
        if not last_names.isdisjoint(self.called):
            return True
        return any(not last_names.isdisjoint(i.names) for i in self.imports)

    def resolved_names(self) -> frozenset[str]:
        """Every dotted name a Name/Attribute chain (or a prefix of one) may refer to through
        an import anywhere in the file (`import numpy as np; np.random.seed` -> "numpy",
        "numpy.random", "numpy.random.seed"). A superset of what LibCST's qualified names give:
        shadowing is ignored, and under `from m import *` any name not bound by an import may
        be `m.<name>`."""
        if self._resolved is None:
            out: set[str] = set()
            bindings = self.import_bindings
            for chain in self.chains:
                head, _, rest = chain.partition(".")
                origins = bindings.get(head)
                if origins is None:
                    if not self.star_modules:
                        continue
                    origins = {f"{m}.{head}" for m in self.star_modules}
                for origin in origins:
                    out.add(origin)
                    for part in rest.split(".") if rest else ():
                        origin = f"{origin}.{part}"
                        out.add(origin)
            self._resolved = frozenset(out)
        return self._resolved

    def refers_to(self, targets: Iterable[str]) -> bool:
        """Some chain may resolve to one of `targets` (dotted names)."""
        return not self.resolved_names().isdisjoint(targets)

    def refers_under(self, prefixes: tuple[str, ...]) -> bool:
        """Some chain may resolve to a name starting with one of `prefixes` ("js.")."""
        return any(name.startswith(prefixes) for name in self.resolved_names())

    def imports_name(self, modules: Iterable[str], names: Iterable[str]) -> bool:
        """A `from <module> import <name>` of one of `names` from one of `modules`."""
        modules, names = set(modules), set(names)
        return any(i.module in modules and not names.isdisjoint(i.names) for i in self.imports)

    def entrypoint_kinds(self) -> frozenset[str]:
        """The SDK kinds (WorkerEntrypoint, DurableObject, WorkflowEntrypoint) of the top-level
        classes: a superset of `analysis.model.ModuleModel.entrypoints` (bases resolved through
        every import binding, local subclass chains in any order)."""
        return frozenset(k for kinds in self.entrypoint_classes().values() for k in kinds)

    def entrypoint_methods(self, *kinds: str) -> set[str]:
        """The methods defined in the bodies of the top-level classes of one of `kinds`."""
        out: set[str] = set()
        for name, found in self.entrypoint_classes().items():
            if not found.isdisjoint(kinds):
                out |= self.class_methods.get(name, set())
        return out

    def entrypoint_signatures(self, kind: str, methods: Iterable[str]) -> list[Signature]:
        """The signatures of `methods` in the top-level classes that may be of `kind`."""
        methods = set(methods)
        out: list[Signature] = []
        for name, found in self.entrypoint_classes().items():
            if kind in found:
                for method in methods & self.class_methods.get(name, set()):
                    out.extend(self.method_signatures.get((name, method), ()))
        return out

    def entrypoint_classes(self) -> dict[str, set[str]]:
        """Top-level class name -> the entrypoint kinds it may be (only those with one)."""
        if self._kinds is None:
            from cfw_lint.analysis.model import ENTRYPOINT_BASES

            local: dict[str, set[str]] = {}
            changed = bool(self.class_bases)
            while changed:
                changed = False
                for name, bases in self.class_bases:
                    kinds = local.setdefault(name, set())
                    before = len(kinds)
                    for base in bases:
                        kinds |= local.get(base, set())
                        head, _, rest = base.partition(".")
                        for origin in self.import_bindings.get(head, ()):
                            kind = ENTRYPOINT_BASES.get(f"{origin}.{rest}" if rest else origin)
                            if kind is not None:
                                kinds.add(kind)
                    changed = changed or len(kinds) != before
            self._kinds = {name: kinds for name, kinds in local.items() if kinds}
        return self._kinds

    def refers_to_sdk(self, *names: str) -> bool:
        """Some chain may be the workers SDK's `name` (what `analysis.ffi.is_sdk` matches)."""
        from cfw_lint.analysis.ffi import _SDK_PREFIXES, _SDK_SUBMODULES

        targets = {p + n for p in _SDK_PREFIXES for n in names}
        targets.update(t for n in names for t in _SDK_SUBMODULES.get(n, ()))
        return self.refers_to(targets)

    def may_have_sdk_request(self) -> bool:
        """A `workers.Request` can reach a function here (`analysis.ffi.is_sdk_request`): the
        fetch handler of a WorkerEntrypoint/DurableObject, a parameter annotated `Request`, or
        a legacy `@handler on_fetch`."""
        return not self.entrypoint_kinds().isdisjoint(("WorkerEntrypoint", "DurableObject")) or self.refers_to_sdk(
            "Request", "handler"
        )

    def may_read_request_json(self) -> bool:
        """`await request.json()` on a `workers.Request` (`analysis.ffi.is_request_json`): a
        parameter's `.json()` where an SDK request can arrive."""
        return (
            any(
                chain.endswith(".json") and chain.count(".") == 1 and chain[:-5] in self.params for chain in self.chains
            )
            and self.may_have_sdk_request()
        )

    def may_hold_js_values(self) -> bool:
        """Some expression may hold a JsProxy of JS data (`analysis.jsvalues.js_value`): a `js.*`
        call, `.js_object`, a binding reached from `env`, a legacy `on_fetch` request, Durable
        Object SQL storage, or a queue message body."""
        return (
            self.refers_under(("js.",))
            or "js_object" in self.attributes
            or self.may_reach_binding()
            or "on_fetch" in self.def_names
            or (("messages" in self.attributes or "storage" in self.attributes) and bool(self.entrypoint_kinds()))
        )

    def may_reach_binding(self) -> bool:
        """Some expression may be a binding, `<env>.NAME` (`analysis.jsvalues.binding_of`): a
        chain through `env` that goes on past a name (`env.DB.prepare`, `self.env.KV.get`), a
        local assigned one (`kv = env.KV`) or `self.env` (`e = self.env`), or
        `request.scope["env"]`. `env.get(...)` (a dict of environment variables) or `self.env`
        passed on as an argument is not one."""
        for chain in self.chains:
            parts = chain.split(".")
            if "env" not in parts:
                continue
            after = len(parts) - 1 - parts.index("env")
            if after >= 2 or (chain in self.assigned_chains and (after == 1 or chain == "self.env")):
                return True
        return "env" in self.strings and "scope" in self.attributes

    def mentions(self, word: str) -> bool:
        """`word` as an identifier, an attribute name or a short string constant."""
        return word in self.names or word in self.attributes or word in self.strings


def summarize(text: str) -> ModuleSummary | None:
    """The summary of `text`, or None when the running interpreter cannot parse it."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            tree = ast.parse(text)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return None
    builder = _Builder(text)
    try:
        builder.visit(tree)
    except RecursionError:
        return None
    builder.summary.tree = tree
    return builder.summary


def full_name(node: ast.AST) -> str | None:
    """libcst.helpers.get_full_name_for_node, on `ast` nodes (same results, quirks included):
    steps through calls and subscripts (`a(x).b` -> "a.b")."""
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return f"{full_name(node.value)}.{node.attr}"
    if isinstance(node, ast.Call):
        return full_name(node.func)
    if isinstance(node, ast.Subscript):
        return full_name(node.value)
    if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
        return node.name
    return None


def single_string_token(segment: str) -> bool:
    """`segment` is one string token (LibCST's SimpleString), not an implicit concatenation such
    as `"a" "b"`, which `ast` gives as one constant."""
    try:
        tokens = [t for t in tokenize.generate_tokens(io.StringIO(segment).readline) if t.type == tokenize.STRING]
    except (tokenize.TokenError, SyntaxError):
        return False
    return len(tokens) == 1


class _Builder(ast.NodeVisitor):
    def __init__(self, text: str) -> None:
        self.text = text
        self.summary = ModuleSummary()
        self._depth = 0  # nesting in functions and classes
        self._lines: list[bytes] | None = None

    def _segment(self, node: ast.expr) -> str | None:
        """ast.get_source_segment, with the text split into lines once per file, not per call
        (per call it made the summary of a long `__all__` quadratic: 17 s on the stdlib)."""
        if self._lines is None:
            self._lines = [line.encode("utf-8") for line in _LINE_SPLIT.split(self.text)[::2]]
        first, last = node.lineno - 1, (node.end_lineno or node.lineno) - 1
        if last >= len(self._lines) or node.end_col_offset is None:
            return None
        if first == last:
            return self._lines[first][node.col_offset : node.end_col_offset].decode("utf-8", "replace")
        parts = [
            self._lines[first][node.col_offset :],
            *self._lines[first + 1 : last],
            self._lines[last][: node.end_col_offset],
        ]
        return "\n".join(p.decode("utf-8", "replace") for p in parts)

    # nesting -------------------------------------------------------------------------------
    def _function(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> None:
        if self._depth == 0:
            self.summary.functions.append(node.name)
        self.summary.def_names.add(node.name)
        self.summary.names.add(node.name)
        self._depth += 1
        self.generic_visit(node)
        self._depth -= 1

    visit_FunctionDef = _function
    visit_AsyncFunctionDef = _function

    def visit_ClassDef(self, node: ast.ClassDef) -> None:
        self.summary.names.add(node.name)
        if self._depth == 0:
            written = (full_name(b.value if isinstance(b, ast.Starred) else b) for b in node.bases)
            self.summary.class_bases.append((node.name, tuple(w for w in written if w)))
            methods = self.summary.class_methods.setdefault(node.name, set())
            for item in node.body:
                if isinstance(item, (ast.FunctionDef, ast.AsyncFunctionDef)):
                    methods.add(item.name)
                    signatures = self.summary.method_signatures.setdefault((node.name, item.name), [])
                    signatures.append(_signature(item.args))
            bases = []
            for base in node.bases:
                name = full_name(base.value if isinstance(base, ast.Starred) else base)
                if name is None:
                    continue
                head, _, rest = name.partition(".")
                origin = self.summary.aliases.get(head)
                bases.append(f"{origin}.{rest}" if origin and rest else origin or name)
            self.summary.classes.append({"name": node.name, "bases": bases})
        self._depth += 1
        self.generic_visit(node)
        self._depth -= 1

    # imports -------------------------------------------------------------------------------
    def visit_Import(self, node: ast.Import) -> None:
        top = self._depth == 0
        for alias in node.names:
            self.summary.imports.append(Import(alias.name, node.lineno, top_level=top))
            if alias.asname is not None:
                self._bind(alias.asname, alias.name)
            else:
                head = alias.name.split(".")[0]
                self._bind(head, head)
            if top:
                if alias.asname is not None:
                    self.summary.aliases[alias.asname] = alias.name
                else:
                    head = alias.name.split(".")[0]
                    self.summary.aliases[head] = head

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        module = "." * (node.level or 0) + (node.module or "")
        names = tuple(a.name for a in node.names)
        top = self._depth == 0
        self.summary.imports.append(Import(module, node.lineno, names, top_level=top))
        if names == ("*",):
            self.summary.star_modules.add(module)
            return
        for alias in node.names:
            self._bind(
                alias.asname or alias.name,
                f"{module}{alias.name}" if module.endswith(".") else f"{module}.{alias.name}",
            )
        if not top:
            return
        for alias in node.names:
            local = alias.asname or alias.name
            self.summary.aliases[local] = f"{module}{alias.name}" if module.endswith(".") else f"{module}.{alias.name}"

    # __all__ and LibCST's blind spots --------------------------------------------------------
    def visit_Assign(self, node: ast.Assign) -> None:
        if self._depth == 0:
            for target in node.targets:
                if isinstance(target, ast.Name) and target.id == "__all__":
                    self.summary.dunder_all = self._literal_strings(node.value)
        self._assigned(node.value)
        self.generic_visit(node)

    def visit_AnnAssign(self, node: ast.AnnAssign) -> None:
        if not node.simple and isinstance(node.target, ast.Name):
            # `(x): int = 1`: Python accepts it, LibCST 1.x does not
            self.summary.needs_libcst_parse = True
        if node.value is not None:
            self._assigned(node.value)
        self.generic_visit(node)

    def _assigned(self, value: ast.expr) -> None:
        parts = []
        while isinstance(value, ast.Attribute):
            parts.append(value.attr)
            value = value.value
        if parts and isinstance(value, ast.Name):
            parts.append(value.id)
            self.summary.assigned_chains.add(".".join(reversed(parts)))

    # names and chains for the pre-filters -------------------------------------------------------
    def _bind(self, local: str, origin: str) -> None:
        self.summary.names.add(local)
        self.summary.import_bindings.setdefault(local, set()).add(origin)

    def visit_Name(self, node: ast.Name) -> None:
        self.summary.names.add(node.id)
        self.summary.chains.add(node.id)

    def visit_Attribute(self, node: ast.Attribute) -> None:
        attributes = self.summary.attributes
        parts = []
        current: ast.expr = node
        while isinstance(current, ast.Attribute):
            attributes.add(current.attr)
            parts.append(current.attr)
            current = current.value
        if isinstance(current, ast.Name):
            self.summary.names.add(current.id)
            parts.append(current.id)
            self.summary.chains.add(".".join(reversed(parts)))
        else:
            self.visit(current)

    def visit_arg(self, node: ast.arg) -> None:
        self.summary.names.add(node.arg)
        self.summary.params.add(node.arg)
        if node.annotation is not None:
            self.visit(node.annotation)

    def visit_keyword(self, node: ast.keyword) -> None:
        if node.arg is not None:
            self.summary.keywords.add(node.arg)
        self.visit(node.value)

    def visit_Constant(self, node: ast.Constant) -> None:
        if isinstance(node.value, str) and len(node.value) <= 64:
            self.summary.strings.add(node.value)

    def visit_Global(self, node: ast.Global) -> None:
        self.summary.names.update(node.names)

    visit_Nonlocal = visit_Global  # type: ignore[assignment]

    def visit_ExceptHandler(self, node: ast.ExceptHandler) -> None:
        if node.name:
            self.summary.names.add(node.name)
        self.generic_visit(node)

    def visit_MatchAs(self, node: ast.MatchAs) -> None:
        if node.name:
            self.summary.names.add(node.name)
        self.generic_visit(node)

    def visit_MatchStar(self, node: ast.MatchStar) -> None:
        if node.name:
            self.summary.names.add(node.name)

    def visit_MatchMapping(self, node: ast.MatchMapping) -> None:
        if node.rest:
            self.summary.names.add(node.rest)
        self.generic_visit(node)

    def visit_Call(self, node: ast.Call) -> None:
        func = node.func
        last = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else None
        if last is not None:
            self.summary.called.add(last)
            if last in ("__import__", "import_module") and node.args:
                first = node.args[0]
                if isinstance(first, ast.Constant) and isinstance(first.value, str) and first.value:
                    self.summary.dynamic_imports.add(first.value)
        if isinstance(func, ast.Name):
            self.summary.names.add(func.id)
            self.summary.chains.add(func.id)
        elif isinstance(func, ast.Attribute):
            self.visit_Attribute(func)
        else:
            self.visit(func)
        for arg in node.args:
            self.visit(arg)
        for keyword in node.keywords:
            self.visit_keyword(keyword)

    def _literal_strings(self, node: ast.expr) -> list[Any] | None:
        """facts._literal_strings: a list/tuple of plain string literals, else None."""
        if not isinstance(node, (ast.List, ast.Tuple)):
            return None
        out: list[Any] = []  # bytes literals too, as LibCST's evaluated_value gives them
        for element in node.elts:
            if not isinstance(element, ast.Constant) or not isinstance(element.value, (str, bytes)):
                return None
            if not self._single_literal(element):
                return None  # `"a" "b"`: one constant to ast, a concatenation to LibCST
            out.append(element.value)
        return out

    def _single_literal(self, node: ast.Constant) -> bool:
        segment = self._segment(node)
        return segment is not None and single_string_token(segment)


def _signature(args: ast.arguments) -> Signature:
    positional = len(args.posonlyargs) + len(args.args)
    return Signature(
        positional=positional,
        required=positional - len(args.defaults),
        star=args.vararg is not None,
        required_kwonly=sum(1 for d in args.kw_defaults if d is None),
    )
