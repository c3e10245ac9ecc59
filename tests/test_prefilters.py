"""The `ast` summary's pre-filter facts and the rules' `could_fire` conditions.

This module runs in CHECK_PREFILTERS mode (tests/conftest.py): every rule runs on every snippet,
and a report from a rule whose pre-filter ruled the file out fails. So the `findings` below
prove the pre-filters let unusual spellings through; the `could_fire(...) is False` cases prove
they keep look-alikes (the stdlib's `env` dicts, other libraries' `Response`) away from LibCST.
"""

from __future__ import annotations

import textwrap

import pytest
from helpers import CLASS_312, IMPLICIT_STEPS, LEGACY_312, PY313, findings

from cfw_lint.registry import all_rules
from cfw_lint.summary import ModuleSummary, summarize


def summary_of(code: str) -> ModuleSummary:
    found = summarize(textwrap.dedent(code))
    assert found is not None
    return found


def could_fire(code: str, rule: str) -> bool:
    text = textwrap.dedent(code)
    summary = summarize(text)
    assert summary is not None
    return all_rules()[rule].could_fire(summary, text)  # type: ignore[attr-defined]


# -- the summary -------------------------------------------------------------------------------


def test_chains_resolve_through_aliases_at_any_depth_with_every_prefix():
    s = summary_of(
        """
        import numpy as np

        def f():
            from js import fetch as js_fetch
            np.random.seed(1)
            return js_fetch
        """
    )
    assert {"numpy", "numpy.random", "numpy.random.seed", "js.fetch"} <= s.resolved_names()
    assert s.refers_to(["js.fetch"])
    assert not s.refers_to(["js.Response"])
    assert s.refers_under(("js.",))


def test_a_name_rebound_by_another_import_keeps_both_origins():
    s = summary_of(
        """
        from workers import WorkerEntrypoint as Base
        if True:
            from other import Base
        class Default(Base):
            async def fetch(self, request):
                pass
        """
    )
    assert s.resolved_names() >= {"workers.WorkerEntrypoint", "other.Base"}
    assert s.entrypoint_kinds() == {"WorkerEntrypoint"}


def test_a_star_import_may_supply_any_name_not_imported_otherwise():
    s = summary_of(
        """
        from js import *
        import json

        async def f(url):
            return await fetch(url)
        """
    )
    assert "js.fetch" in s.resolved_names()
    assert "js.json" not in s.resolved_names()  # `json` is bound by its own import


def test_entrypoint_classes_follow_local_chains_in_any_order():
    s = summary_of(
        """
        from workers import DurableObject, WorkflowEntrypoint

        class Late(Early):
            def go(self):
                pass

        class Early(DurableObject):
            def alarm(self):
                pass

        class Flow(WorkflowEntrypoint):
            async def run(self, event, step):
                pass

        class Plain:
            def run(self):
                pass
        """
    )
    assert s.entrypoint_classes() == {
        "Late": {"DurableObject"},
        "Early": {"DurableObject"},
        "Flow": {"WorkflowEntrypoint"},
    }
    assert s.entrypoint_methods("DurableObject") == {"go", "alarm"}
    assert s.entrypoint_methods("WorkflowEntrypoint") == {"run"}
    assert s.entrypoint_methods("WorkerEntrypoint") == set()


def test_only_a_chain_through_env_that_goes_on_reaches_a_binding():
    stdlib_like = summary_of(
        """
        import os, subprocess
        def run(cmd, env=None):
            env = dict(os.environ) if env is None else env
            if env.get("X"):
                env.setdefault("Y", "1")
            return subprocess.run(cmd, env=env)
        """
    )
    assert not stdlib_like.may_reach_binding()
    passed_on = summary_of("async def f(self, request):\n    return await handle(request, self.env, self.env.X)\n")
    assert not passed_on.may_reach_binding()
    for code in (
        "async def f(env): return await env.DB.prepare('x').all()",
        "def f(env):\n    kv = env.KV\n    return kv",
        "def f(self):\n    e = self.env\n    return e",
        "def f(request):\n    return request.scope['env']",
    ):
        assert summary_of(code).may_reach_binding(), code


def test_facts_are_unchanged_by_the_new_fields():
    s = summary_of(
        """
        import js
        from workers import WorkerEntrypoint as W
        __all__ = ["Default"]
        class Default(W):
            pass
        def helper():
            import json
        """
    )
    assert s.facts() == {
        "imports": ["js", "json", "workers"],
        "relative_imports": [],
        "classes": [{"name": "Default", "bases": ["workers.WorkerEntrypoint"]}],
        "functions": ["helper"],
        "all": ["Default"],
        "aliases": {"js": "js", "W": "workers.WorkerEntrypoint"},
    }


# -- rules fire on unusual spellings (CHECK_PREFILTERS mode fails the test if not let through) --


def test_sdk_fetch_through_a_function_level_module_alias():
    code = """
    from workers import WorkerEntrypoint

    class Default(WorkerEntrypoint):
        async def fetch(self, request):
            import workers as w
            return await w.fetch("https://example.com", {"method": "POST"})
    """
    assert findings(code, "CFW409") == [("CFW409", 7, 53)]


def test_legacy_handler_bound_by_an_import():
    assert findings("from handlers import on_fetch\n", "CFW101") == [("CFW101", 1, 22)]


def test_to_py_through_a_module_alias():
    code = """
    import pyodide.ffi as ffi

    def convert(x):
        return ffi.to_py(x)
    """
    assert findings(code, "CFW402") == [("CFW402", 5, 12)]


def test_jsnull_import_on_312():
    assert findings("from pyodide.ffi import jsnull\n", "CFW403", date=LEGACY_312) == [("CFW403", 1, 25)]


def test_binding_reached_through_self_env_held_in_a_local():
    code = """
    from workers import WorkerEntrypoint

    class Default(WorkerEntrypoint):
        async def fetch(self, request):
            e = self.env
            row = await e.DB.prepare("select 1").first()
            return row.get("x")
    """
    assert findings(code, "CFW412", sdk="1.2.0") == [("CFW412", 8, 16)]


def test_workflow_through_a_local_base_class():
    code = """
    from workers import WorkflowEntrypoint

    class Base(WorkflowEntrypoint):
        pass

    class Flow(Base):
        async def run(self, event, step):
            @step.do("a", depends=[])
            async def a():
                return 1

            await a()
    """
    assert findings(code, "CFW603", date=IMPLICIT_STEPS) == [("CFW603", 9, 23)]


def test_js_fetch_through_a_function_level_module_alias():
    code = """
    async def get(url):
        import js as j
        return await j.fetch(url, {"method": "GET"})
    """
    assert findings(code, "CFW413", date=CLASS_312) == [("CFW413", 4, 31)]


def test_to_py_on_the_sdk_request_json():
    code = """
    from workers import WorkerEntrypoint

    class Default(WorkerEntrypoint):
        async def fetch(self, request):
            body = await request.json()
            return body.to_py()
    """
    assert findings(code, "CFW405") == [("CFW405", 7, 16)]


# -- look-alikes stay away from LibCST --------------------------------------------------------

STDLIB_ENV = """
import os, subprocess

def run(cmd, env=None):
    env = dict(os.environ) if env is None else env
    if env.get("PATH"):
        env.setdefault("LANG", "C")
    return subprocess.run(cmd, env=env, check=False)
"""


@pytest.mark.parametrize(
    ("rule", "code"),
    [
        ("CFW412", STDLIB_ENV),
        ("CFW413", STDLIB_ENV),
        ("CFW405", STDLIB_ENV + "\ndef g(x):\n    return x.to_py()\n"),
        ("CFW407", "from starlette.responses import Response\nResponse({'a': 1})\n"),
        ("CFW409", "from httpx import fetch\nfetch('u', {})\n"),
        (
            "CFW406",
            "from workers import Response, WorkerEntrypoint\nclass Default(WorkerEntrypoint):\n"
            "    async def fetch(self, request):\n        return Response.json({})\n",
        ),
        ("CFW104", "class Handler:\n    async def fetch(self, request, env):\n        return env\n"),
        (
            "CFW103",
            "from workers import WorkerEntrypoint\nclass Default(WorkerEntrypoint):\n"
            "    async def fetch(self, request):\n        pass\n",
        ),
        (
            "CFW410",
            "from workers import WorkerEntrypoint\nclass Default(WorkerEntrypoint):\n"
            "    async def fetch(self, request):\n        pass\n    async def _helper(self):\n        return (1, 2)\n",
        ),
        ("CFW601", "class Job:\n    async def run(self, event, step):\n        pass\n"),
        (
            "CFW108",
            "from workers import WorkerEntrypoint\nclass Default(WorkerEntrypoint):\n"
            "    async def fetch(self, request):\n        pass\ndef on_fetch(request):\n    pass\n",
        ),
        ("CFW101", "class Server:\n    def handler(self):\n        pass\n"),
        ("CFW107", "import cloudflare\nclient = cloudflare.Cloudflare()\n"),
        ("CFW401", "from mylib import to_js\nto_js({'a': 1})\n"),
        ("CFW411", "from js import HTMLRewriter\nrewriter = HTMLRewriter.new()\n"),
        ("CFW501", "from flask import Flask\napp = Flask(__name__)\napp(request)\n"),
        ("CFW502", "import asgi\nasync def f(app, request, env):\n    return await asgi.fetch(app, request, env)\n"),
    ],
)
def test_look_alikes_are_ruled_out(rule: str, code: str):
    assert could_fire(code, rule) is False


@pytest.mark.parametrize(
    ("rule", "code"),
    [
        # the model does not see an import inside `try`, but a pre-filter must not guess that
        (
            "CFW104",
            "try:\n    from workers import WorkerEntrypoint as B\nexcept ImportError:\n    B = object\n"
            "class Default(B):\n    async def fetch(self, request, env):\n        return env\n",
        ),
        (
            "CFW410",
            "from workers import WorkerEntrypoint\nclass Default(WorkerEntrypoint):\n"
            "    async def add(self, a, b):\n        return (a, b)\n",
        ),
        ("CFW412", "async def f(request):\n    env = request.scope['env']\n    return env\n"),
        (
            "CFW502",
            "import asgi\nasync def f(app, request, env):\n    return await asgi.fetch(app, request, env)\n"
            "CONTENT_TYPE = 'text/event-stream'\n",
        ),
    ],
)
def test_possible_reports_are_let_through(rule: str, code: str):
    assert could_fire(code, rule) is True


def test_sse_response_imported_but_not_used_still_marks_the_app_as_streaming():
    code = """
    import asgi
    from fastapi.sse import EventSourceResponse
    from workers import WorkerEntrypoint

    from app import app

    class Default(WorkerEntrypoint):
        async def fetch(self, request):
            return await asgi.fetch(app, request, self.env)
    """
    assert findings(code, "CFW502", date=PY313) == [("CFW502", 10, 22)]


HANDLERS_OK = """
from workers import WorkerEntrypoint

class Default(WorkerEntrypoint):
    async def fetch(self, request):
        return request

    async def scheduled(self, controller, env=None, ctx=None, *rest):
        pass
"""


def test_handler_signatures_decide_the_handler_rules():
    # fetch(self, request) has no env parameter to misuse; scheduled takes (event, env, ctx)
    assert could_fire(HANDLERS_OK, "CFW103") is False
    assert could_fire(
        HANDLERS_OK.replace("async def fetch(self, request)", "async def fetch(self, request, env)"), "CFW104"
    )
    assert could_fire(HANDLERS_OK, "CFW104") is True  # scheduled's env parameter
    assert could_fire(HANDLERS_OK.replace(", env=None, ctx=None, *rest", ""), "CFW104") is False
    narrow = HANDLERS_OK.replace(", env=None, ctx=None, *rest", "")
    assert findings(narrow, "CFW103") == [("CFW103", 8, 15)]
    required_kwonly = HANDLERS_OK.replace("*rest", "*, strict")
    assert findings(required_kwonly, "CFW103") == [("CFW103", 8, 15)]


def test_signature_follows_accepts_positional():
    s = summary_of(
        """
        class A:
            def a(self, x, /, y, z=1, *args, k, m=2): pass
        """
    )
    (sig,) = s.method_signatures[("A", "a")]
    assert sig == (4, 3, True, 1)
    assert not sig.accepts_positional(3)  # `k` is required by keyword
