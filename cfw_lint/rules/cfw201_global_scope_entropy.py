"""CFW201: entropy used while the module is imported (the deploy snapshot forbids it). Facts §5."""

from __future__ import annotations

import ast

from cfw_lint.analysis.astmodel import OrderedVisitor, outside_bodies
from cfw_lint.astrule import AstRule
from cfw_lint.diagnostics import Severity

_ALLOWED_RANDOM = {"random.Random", "random.SystemRandom"}
_SEEDED_NUMPY = {"numpy.random.default_rng", "numpy.random.RandomState", "numpy.random.mtrand.RandomState"}
_UUID = {"uuid.uuid1", "uuid.uuid4"}
# secrets.compare_digest is hmac.compare_digest: no randomness involved
_SECRETS_SAFE = {"secrets.compare_digest"}


def _has_seed(call: ast.Call) -> bool:
    """A seed argument that is not literally None."""
    arguments: list[ast.expr | ast.keyword] = [*call.args, *call.keywords]
    if call.args and call.keywords:
        arguments.sort(key=lambda a: (a.lineno, a.col_offset))  # source order: `f(seed=1, *rest)`
    for arg in arguments:
        if isinstance(arg, ast.Starred) or (isinstance(arg, ast.keyword) and arg.arg is None):
            return True  # *args/**kwargs: cannot tell, assume the caller passes a seed
        if isinstance(arg, ast.keyword):
            if arg.arg not in ("seed", "x"):
                continue
            arg = arg.value
        # `None` is a Constant to `ast`, a Name to LibCST
        return not (isinstance(arg, ast.Constant) and arg.value is None)
    return False


class GlobalScopeEntropy(OrderedVisitor, AstRule):
    code = "CFW201"
    name = "global-scope-entropy"
    severity = Severity.ERROR
    summary = "Random numbers, uuid4, secrets or os.urandom at global scope break the deploy snapshot."
    triggers = ("random", "urandom", "secrets", "uuid")
    # every origin the rule reports (random.*, numpy.random.*, os.urandom, uuid.*, secrets.*)
    # resolves through an import of one of these
    modules = ("random", "numpy", "os", "uuid", "secrets")

    def check(self) -> None:
        # module-level names bound to an unseeded generator: `rng = random.SystemRandom()`
        self._entropy_objects: dict[str, str] = {}
        self.walk(self.tree)

    def guarded_blocks(self, node: ast.If) -> tuple[bool, bool]:
        return False, False  # a main guard changes nothing here

    # function and lambda bodies never run at import time
    def visit_FunctionDef(self, node: ast.FunctionDef) -> list[ast.AST]:
        return outside_bodies(node)

    visit_AsyncFunctionDef = visit_FunctionDef
    visit_Lambda = visit_FunctionDef

    def visit_Assign(self, node: ast.Assign) -> None:
        value = node.value
        if not isinstance(value, ast.Call) or not self.names.runs_at_import_time(node):
            return
        origin = self.names.qualified_name(value.func)
        if origin == "random.SystemRandom" or (origin in ("random.Random", *_SEEDED_NUMPY) and not _has_seed(value)):
            for target in node.targets:
                if isinstance(target, ast.Name):
                    self._entropy_objects[target.id] = origin  # type: ignore[assignment]

    def visit_Call(self, node: ast.Call) -> None:
        if not self.names.runs_at_import_time(node):
            return
        problem = self._problem(node)
        if problem:
            self.report(node, problem)

    def _problem(self, node: ast.Call) -> str | None:
        func = node.func
        origin = self.names.qualified_name(func)
        if origin is not None:
            return self._problem_for(origin, node)
        # a method called on an unseeded generator made at import time
        if isinstance(func, ast.Attribute):
            receiver = func.value
            if isinstance(receiver, ast.Call):
                maker = self.names.qualified_name(receiver.func)
                if maker == "random.SystemRandom":
                    return self._message(f"random.SystemRandom().{func.attr}()", "OSError")
            elif isinstance(receiver, ast.Name) and receiver.id in self._entropy_objects:
                maker = self._entropy_objects[receiver.id]
                if maker == "random.SystemRandom":
                    return self._message(f"{receiver.id}.{func.attr}()", "OSError")
        return None

    def _problem_for(self, origin: str, node: ast.Call) -> str | None:
        if origin.startswith("random."):
            if origin == "random.Random" and not _has_seed(node):
                return (
                    "`random.Random()` without a seed at global scope needs entropy: "
                    "`OSError: [Errno 29] Cannot get entropy outside of request context`; "
                    "pass a seed or create it inside the handler"
                )
            if origin in _ALLOWED_RANDOM:
                return None
            name = origin.split(".", 1)[1]
            return (
                f"`{origin}()` at global scope fails at deploy and in `wrangler dev`: "
                f"`RuntimeError: Cannot use random.{name}() outside of request context`; "
                "call it inside a handler, or use a seeded `random.Random(seed)`"
            )
        if origin.startswith("numpy.random."):
            if origin in _SEEDED_NUMPY and _has_seed(node):
                return None
            name = origin.rsplit(".", 1)[1]
            if origin in _SEEDED_NUMPY:
                return (
                    f"`{origin}()` without a seed at global scope needs entropy, which is not "
                    "available outside a request; pass a seed or create it inside the handler"
                )
            return (
                f"`{origin}()` at global scope fails: `RuntimeError: Cannot use "
                f"numpy.random.{name}() outside of request context`; call it inside a handler, "
                "or use `numpy.random.default_rng(seed)`"
            )
        if origin == "os.urandom" or origin in _UUID or (origin.startswith("secrets.") and origin not in _SECRETS_SAFE):
            return self._message(f"{origin}()", "OSError")
        return None

    @staticmethod
    def _message(what: str, _kind: str) -> str:
        return (
            f"`{what}` at global scope needs entropy, which the runtime refuses before the first "
            "request: `OSError: [Errno 29] Cannot get entropy outside of request context`; "
            "move it into a handler"
        )
