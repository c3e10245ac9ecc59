"""CFW201: entropy used while the module is imported (the deploy snapshot forbids it). Facts §5."""

from __future__ import annotations

import libcst as cst

from cfw_lint.analysis.names import NAME_METADATA, qualified_name, runs_at_import_time
from cfw_lint.diagnostics import Severity
from cfw_lint.rule import PythonRule

_ALLOWED_RANDOM = {"random.Random", "random.SystemRandom"}
_SEEDED_NUMPY = {"numpy.random.default_rng", "numpy.random.RandomState", "numpy.random.mtrand.RandomState"}
_UUID = {"uuid.uuid1", "uuid.uuid4"}
# secrets.compare_digest is hmac.compare_digest: no randomness involved
_SECRETS_SAFE = {"secrets.compare_digest"}


def _has_seed(call: cst.Call) -> bool:
    """A seed argument that is not literally None."""
    for arg in call.args:
        if arg.star:
            return True  # *args/**kwargs: cannot tell, assume the caller passes a seed
        if arg.keyword is None or arg.keyword.value in ("seed", "x"):
            return not (isinstance(arg.value, cst.Name) and arg.value.value == "None")
    return False


class GlobalScopeEntropy(PythonRule):
    code = "CFW201"
    name = "global-scope-entropy"
    severity = Severity.ERROR
    summary = "Random numbers, uuid4, secrets or os.urandom at global scope break the deploy snapshot."
    METADATA_DEPENDENCIES = NAME_METADATA
    triggers = ("random", "urandom", "secrets", "uuid")

    def __init__(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        # module-level names bound to an unseeded generator: `rng = random.SystemRandom()`
        self._entropy_objects: dict[str, str] = {}

    def visit_Assign(self, node: cst.Assign) -> None:
        value = node.value
        if not isinstance(value, cst.Call) or not runs_at_import_time(self, node):
            return
        origin = qualified_name(self, value.func)
        if origin == "random.SystemRandom" or (origin in ("random.Random", *_SEEDED_NUMPY) and not _has_seed(value)):
            for target in node.targets:
                if isinstance(target.target, cst.Name):
                    self._entropy_objects[target.target.value] = origin

    def visit_Call(self, node: cst.Call) -> None:
        if not runs_at_import_time(self, node):
            return
        problem = self._problem(node)
        if problem:
            self.report(node, problem)

    def _problem(self, node: cst.Call) -> str | None:
        func = node.func
        origin = qualified_name(self, func)
        if origin is not None:
            return self._problem_for(origin, node)
        # a method called on an unseeded generator made at import time
        if isinstance(func, cst.Attribute):
            receiver = func.value
            if isinstance(receiver, cst.Call):
                maker = qualified_name(self, receiver.func)
                if maker == "random.SystemRandom":
                    return self._message(f"random.SystemRandom().{func.attr.value}()", "OSError")
            elif isinstance(receiver, cst.Name) and receiver.value in self._entropy_objects:
                maker = self._entropy_objects[receiver.value]
                if maker == "random.SystemRandom":
                    return self._message(f"{receiver.value}.{func.attr.value}()", "OSError")
        return None

    def _problem_for(self, origin: str, node: cst.Call) -> str | None:
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
