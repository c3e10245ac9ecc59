import json
from pathlib import Path

from helpers import LEGACY_312, PY313, check, findings, run_cli, write_project


def test_third_party_imports_in_handlers():
    src = """\
    from workers import WorkerEntrypoint, DurableObject
    class Default(WorkerEntrypoint):
        async def fetch(self, request):
            import numpy as np
            from pydantic import BaseModel
            import os, httpx
            return np
        async def scheduled(self, controller, env, ctx):
            if controller.cron:
                from bs4 import BeautifulSoup
        async def compute(self, n):  # an RPC method
            import pandas
    class Counter(DurableObject):
        async def alarm(self, info):
            import jinja2.sandbox
    """
    assert findings(src, "CFW203") == [
        ("CFW203", 4, 9),
        ("CFW203", 5, 9),
        ("CFW203", 6, 9),
        ("CFW203", 10, 13),
        ("CFW203", 12, 9),
        ("CFW203", 15, 9),
    ]
    [*_, diag] = check(src, select=["CFW203"])
    assert diag.severity.value == "info" and "`jinja2.sandbox`" in diag.message


def test_nested_functions_inside_handlers_and_legacy_handlers():
    src = """\
    from workers import handler
    @handler
    async def on_fetch(request, env):
        def render():
            import jinja2
            return jinja2
        return render()
    """
    assert findings(src, "CFW203", date=LEGACY_312) == [("CFW203", 5, 9)]
    # a module that is not the Worker's main module has no legacy handlers
    assert findings(src, "CFW203", date=LEGACY_312, main=False) == []


def test_stdlib_runtime_relative_and_already_loaded_modules_are_fine():
    src = """\
    import numpy
    import jinja2
    from pydantic import BaseModel
    from workers import WorkerEntrypoint
    try:
        import orjson
    except ImportError:
        orjson = None
    class Default(WorkerEntrypoint):
        async def fetch(self, request):
            import json, asyncio, tomllib
            from urllib.parse import urlparse
            import js
            from pyodide.ffi import to_js
            from workers import Response
            import asgi
            from cloudflare.workers import Response as LegacyResponse
            from . import helpers
            from .models import User
            import numpy.linalg
            from numpy import array
            from jinja2 import Template
            import pydantic
            import orjson
            return Response("ok")
    """
    assert findings(src, "CFW203") == []


def test_functions_that_are_not_handlers_are_silent():
    src = """\
    from workers import WorkerEntrypoint
    def helper():
        import numpy
    class NotAnEntrypoint:
        async def fetch(self, request):
            import numpy
    async def on_fetch(request):
        import numpy
    class Default(WorkerEntrypoint):
        async def fetch(self, request):
            return helper()
    """
    # a module-level on_fetch runs only under legacy dates, and only in the main module
    assert findings(src, "CFW203", date=PY313) == []
    assert findings(src, "CFW203", date=LEGACY_312) == [("CFW203", 8, 5)]
    assert findings(src, "CFW203", date=LEGACY_312, main=False) == []


def test_project_modules_are_not_third_party(tmp_path: Path):
    write_project(
        tmp_path,
        {
            "wrangler.toml": """\
                name = "w"
                main = "src/entry.py"
                compatibility_date = "2025-11-01"
                compatibility_flags = ["python_workers"]
                """,
            "src/entry.py": (
                "from workers import WorkerEntrypoint\n"
                "class Default(WorkerEntrypoint):\n"
                "    async def fetch(self, request):\n"
                "        import utils\n"
                "        from models.user import User\n"
                "        import markdown\n"
            ),
            "src/utils.py": "X = 1\n",
            "src/models/__init__.py": "",
            "src/models/user.py": "class User: ...\n",
        },
    )
    result = run_cli(["--output-format", "json", "--no-cache", "--select", "CFW203", "."], cwd=tmp_path)
    found = [(d["code"], d["location"]["row"]) for d in json.loads(result.stdout)]
    assert found == [("CFW203", 6)]


def test_the_cloudflare_api_client_is_third_party():
    src = """\
    from workers import WorkerEntrypoint
    class Default(WorkerEntrypoint):
        async def fetch(self, request):
            from cloudflare import Cloudflare
            import cloudflare.workers
    """
    assert findings(src, "CFW203") == [("CFW203", 4, 9)]


def test_imports_in_every_kind_of_block_and_the_last_method_of_a_name():
    src = """\
    from workers import WorkerEntrypoint as WE
    class Base(WE):
        async def fetch(self, request):
            import shadowed_by_the_next_fetch
        async def fetch(self, request):
            try:
                import orjson
            except ImportError:
                import ujson
            finally:
                import yaml
            match request:
                case 1:
                    import toml
            class Inner:
                import attrs
            import pandas; x = 1
    class Child(Base):
        def other(self):
            import boto3
    """
    assert findings(src, "CFW203") == [
        ("CFW203", 7, 13),
        ("CFW203", 9, 13),
        ("CFW203", 11, 13),
        ("CFW203", 14, 17),
        ("CFW203", 16, 13),
        ("CFW203", 17, 9),
        ("CFW203", 20, 9),
    ]
