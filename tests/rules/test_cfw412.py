import textwrap

from helpers import EXTERNAL_SDK, PY313, check, findings, fix

CODE = "CFW412"

FETCH_USES = """\
import json

import js
from workers import WorkerEntrypoint


class Default(WorkerEntrypoint):
    async def fetch(self, request):
        resp = await js.fetch("https://api.example.com/v1")
        data = await resp.json()
        a = data.get("choices")
        b = data["content"]
        c = dict(data)
        d = json.dumps(data)
        e = "error" in data
        f = {**data}
        g = make(**data)
        h = list(data.items())
        return a, b, c, d, e, f, g, h
"""


def test_every_use_of_a_fetched_object_fires():
    assert findings(FETCH_USES, CODE) == [
        (CODE, 11, 13),
        (CODE, 12, 13),
        (CODE, 13, 18),
        (CODE, 14, 24),
        (CODE, 15, 24),
        (CODE, 16, 16),
        (CODE, 17, 20),
        (CODE, 18, 18),
    ]


def test_message_names_the_source_and_the_error():
    (diagnostic,) = check(
        """\
        import js


        async def get(url):
            data = await (await js.fetch(url)).json()
            return data.get("x")
        """,
        select=[CODE],
    )
    assert "`data` is a JavaScript object (a JsProxy; the `.json()` of `js.fetch(...)`)" in diagnostic.message
    assert "AttributeError: get" in diagnostic.message
    assert "`.to_py()`" in diagnostic.message


def test_sources_reached_through_js():
    src = """\
    import js
    from js import JSON, Object, fetch


    async def handler(request, text):
        first = (await (await fetch("https://a")).json())["id"]
        parsed = JSON.parse(text)
        parsed.get("a")
        merged = js.Object.assign(Object.new(), parsed)
        merged.keys()
        body = await request.js_object.json()
        body["name"]
        resp = js.Response.new("{}")
        (await resp.json()).items()
        pending = js.fetch("https://b")
        (await (await pending).json()).values()
    """
    assert findings(src, CODE) == [
        (CODE, 6, 14),
        (CODE, 8, 5),
        (CODE, 10, 5),
        (CODE, 12, 5),
        (CODE, 14, 6),
        (CODE, 16, 6),
    ]


D1 = """\
import json

from workers import Response, WorkerEntrypoint


class Default(WorkerEntrypoint):
    async def fetch(self, request):
        result = await self.env.DB.prepare("select * from users where id = ?").bind(1).all()
        for row in result.results:
            print(row["name"], row.email)
        rows = list(result.results)
        names = [r["name"] for r in rows]
        user = await self.env.DB.prepare("select * from users").first()
        user.get("name")
        cfg = await self.env.KV.get("config", type="json")
        cfg["flag"]
        answer = await self.env.AI.run("@cf/meta/llama", {"prompt": "hi"})
        answer["response"]
        matches = await self.env.VECTORS.query([0.1, 0.2], {"topK": 3})
        matches["matches"]
        results = await self.env.DB.batch([])
        results[0].results[0]["id"]
        return Response.json({"rows": result.results, "names": names})
"""


def test_raw_binding_results_fire_with_the_in_runtime_sdk():
    expected = [
        (CODE, 10, 19),
        (CODE, 12, 18),
        (CODE, 14, 9),
        (CODE, 16, 9),
        (CODE, 18, 9),
        (CODE, 20, 9),
        (CODE, 22, 9),
        (CODE, 23, 39),
    ]
    assert findings(D1, CODE, sdk="1.2.0") == expected
    assert findings(D1, CODE, sdk="1.2.0", date=PY313) == expected


def test_wrapped_or_unknown_bindings_stay_silent():
    # workers-runtime-sdk >= 1.3 returns dict-like values; unknown SDK: not certain
    assert findings(D1, CODE, sdk="1.3.0") == []
    assert findings(D1, CODE, sdk="1.6.15", date=EXTERNAL_SDK) == []
    assert findings(D1, CODE) == []


def test_env_forms_and_a_binding_held_in_a_local():
    src = """\
    from workers import env


    async def by_id(id):
        row = await env.DB.prepare("select 1").first()
        return row["id"]


    async def legacy(request, env):
        db = env.DB
        res = await db.prepare("select 1").run()
        return res["results"]


    async def route(request):
        res = await request.scope["env"].DB.prepare("select 1").all()
        return res.results[0]["x"]
    """
    assert findings(src, CODE, sdk="1.2.0") == [(CODE, 6, 12), (CODE, 12, 12), (CODE, 17, 12)]


def test_a_statement_built_in_steps_and_a_local_env():
    src = """\
    from workers import WorkerEntrypoint


    class Default(WorkerEntrypoint):
        async def rows(self, sql, *args):
            env = self.env
            stmt = env.DB.prepare(sql)
            if args:
                stmt = stmt.bind(*args)
            result = await stmt.all()
            return [row["id"] for row in result.results]

        async def one(self, request):
            env = request.scope["env"]
            stmt = env.DB.prepare("select 1").bind(1)
            return (await stmt.first())["x"]

        async def unknown(self, stmt, other):
            stmt = other.prepare("select 1")
            return (await stmt.first())["x"]
    """
    assert findings(src, CODE, sdk="1.2.0") == [(CODE, 11, 17), (CODE, 16, 17)]


QUEUE = """\
from workers import WorkerEntrypoint


class Default(WorkerEntrypoint):
    async def queue(self, batch, env, ctx):
        for message in batch.messages:
            kind = message.body["kind"]
            other = message.body.kind
"""


def test_queue_bodies_depend_on_the_sdk():
    assert findings(QUEUE, CODE, sdk="1.2.0") == [(CODE, 7, 20)]
    assert findings(QUEUE, CODE, sdk="1.3.9") == [(CODE, 7, 20)]
    assert findings(QUEUE, CODE, sdk="1.4.0") == []
    assert findings(QUEUE, CODE) == []


def test_helper_return_values_are_followed():
    src = """\
    import js
    from workers import WorkerEntrypoint


    async def get_json(url):
        response = await js.fetch(url)
        if response.status != 200:
            return None
        return await response.json()


    def parse(text):
        return js.JSON.parse(text)


    class Default(WorkerEntrypoint):
        async def fetch(self, request):
            data = await get_json("https://a")
            cfg = parse("{}")
            rows = await self.load()
            return data["x"], cfg.get("y"), rows[0]["z"]

        async def load(self):
            res = await self.env.DB.prepare("select 1").all()
            return res.results
    """
    assert findings(src, CODE, sdk="1.2.0") == [(CODE, 21, 16), (CODE, 21, 27), (CODE, 21, 41)]


def test_fastapi_route_pydantic_and_sdk_response():
    src = """\
    import js
    from fastapi import FastAPI
    from fastapi.responses import JSONResponse
    from pydantic import BaseModel
    from workers import Response

    app = FastAPI()


    class Reply(BaseModel):
        payload: dict


    @app.get("/proxy")
    async def proxy():
        data = await (await js.fetch("https://a")).json()
        return data


    @app.get("/wrapped")
    async def wrapped():
        data = await (await js.fetch("https://a")).json()
        return {"data": data}


    @app.get("/model")
    async def model():
        data = await (await js.fetch("https://a")).json()
        Reply.model_validate(data)
        JSONResponse(data)
        Response.json({"data": data})
        return Reply(payload=data)
    """
    assert findings(src, CODE) == [
        (CODE, 17, 12),
        (CODE, 23, 21),
        (CODE, 29, 26),
        (CODE, 30, 18),
        (CODE, 31, 28),
        (CODE, 32, 26),
    ]


def test_look_alikes_stay_silent():
    src = """\
    import json

    import httpx
    import js
    from pyodide.http import pyfetch
    from pyodide.ffi import to_js
    from workers import Response, WorkerEntrypoint, fetch


    def to_python(value):
        return value.to_py()


    class Default(WorkerEntrypoint):
        async def fetch(self, request):
            payload = await request.json()
            payload.get("a")
            sdk = await (await fetch("https://a")).json()
            sdk["b"]
            py = await (await pyfetch("https://a")).json()
            py["c"]
            async with httpx.AsyncClient() as client:
                other = (await client.get("https://a")).json()
            other["d"]
            raw = await (await js.fetch("https://a")).json()
            raw.name
            raw.items_count
            converted = raw.to_py()
            converted["e"]
            mapped = raw.as_object_map()
            mapped["f"]
            py_json = raw.as_py_json()
            py_json.get("g")
            mine = to_python(raw)
            mine["h"]
            resp = await js.fetch("https://a")
            resp.headers.get("content-type")
            rows = raw.items
            rows[0]
            1 in rows
            text = await resp.text()
            json.dumps({"a": text})
            Response.json(raw)
            js.console.log(raw)
            return Response(json.dumps(to_js(raw)))
    """
    assert findings(src, CODE) == []


def test_test_files_are_skipped():
    src = """\
    import js


    async def test_parse():
        data = js.JSON.parse("{}")
        assert data["a"] == 1
    """
    assert findings(src, CODE) == [(CODE, 6, 12)]
    assert findings(src, CODE, path="tests/test_worker.py") == []
    assert findings(src, CODE, path="src/conftest.py") == []


def test_a_name_reassigned_is_not_followed():
    src = """\
    import js


    async def get(url, fallback):
        data = await (await js.fetch(url)).json()
        if not data:
            data = fallback
        return data["x"]
    """
    assert findings(src, CODE) == []


def test_fix_appends_to_py_where_the_value_is_created():
    src = """\
    import js
    from js import JSON


    async def get(url, text):
        data = await (await js.fetch(url)).json()
        parsed = JSON.parse(text)
        first = (await (await js.fetch(url)).json())["id"]
        return data.get("a"), parsed["b"], first
    """
    assert (
        fix(src, select=[CODE], unsafe=True)
        == """\
import js
from js import JSON


async def get(url, text):
    data = (await (await js.fetch(url)).json()).to_py()
    parsed = JSON.parse(text).to_py()
    first = (await (await js.fetch(url)).json()).to_py()["id"]
    return data.get("a"), parsed["b"], first
"""
    )
    # the fix is unsafe: not applied without --unsafe-fixes
    assert fix(src, select=[CODE]) == textwrap.dedent(src)


def test_no_fix_when_other_uses_need_the_js_object():
    src = """\
    import js


    async def get(url):
        data = await (await js.fetch(url)).json()
        print(data.name)
        js.console.log(data)
        for row in (await (await js.fetch(url)).json()).items:
            row["x"]
        return data["x"]
    """
    assert fix(src, select=[CODE], unsafe=True) == textwrap.dedent(src)
    assert findings(src, CODE) == [(CODE, 9, 9), (CODE, 10, 12)]


def test_fix_of_a_d1_result():
    src = """\
    from workers import WorkerEntrypoint


    class Default(WorkerEntrypoint):
        async def fetch(self, request):
            user = await self.env.DB.prepare("select * from users").first()
            return user["name"]
    """
    assert (
        fix(src, select=[CODE], unsafe=True, sdk="1.2.0")
        == """\
from workers import WorkerEntrypoint


class Default(WorkerEntrypoint):
    async def fetch(self, request):
        user = (await self.env.DB.prepare("select * from users").first()).to_py()
        return user["name"]
"""
    )


def test_several_uses_of_one_value_share_one_fix():
    src = """\
    import json

    import js


    async def get(url):
        data = await (await js.fetch(url)).json()
        if "error" in data:
            return json.dumps(data)
        return data.get("items", []), json.dumps(await (await js.fetch(url)).json())
    """
    assert findings(src, CODE) == [(CODE, 8, 19), (CODE, 9, 27), (CODE, 10, 12), (CODE, 10, 46)]
    assert (
        fix(src, select=[CODE], unsafe=True)
        == """\
import json

import js


async def get(url):
    data = (await (await js.fetch(url)).json()).to_py()
    if "error" in data:
        return json.dumps(data)
    return data.get("items", []), json.dumps((await (await js.fetch(url)).json()).to_py())
"""
    )


def test_crlf_and_multiline_source():
    src = (
        "import js\r\n\r\n\r\nasync def get(url):\r\n"
        "    data = await (\r\n        await js.fetch(url)\r\n    ).json()\r\n"
        '    return data["x"]\r\n'
    )
    assert findings(src, CODE, dedent=False) == [(CODE, 8, 12)]
    assert fix(src, select=[CODE], unsafe=True, dedent=False) == (
        "import js\r\n\r\n\r\nasync def get(url):\r\n"
        "    data = (await (\r\n        await js.fetch(url)\r\n    ).json()).to_py()\r\n"
        '    return data["x"]\r\n'
    )


DURABLE_OBJECT_SQL = """\
from workers import DurableObject


class Journal(DurableObject):
    def __init__(self, ctx, env):
        super().__init__(ctx, env)
        self.sql = ctx.storage.sql
        row = self.sql.exec("select value from kv where key = ?", "a").one()
        self.value = row["value"] if row else ""

    async def entries(self):
        cursor = self.ctx.storage.sql.exec("select * from entries")
        names = [row["name"] for row in cursor]
        everything = self.sql.exec("select * from entries").toArray()
        return names, everything[0].get("id"), [row.to_py() for row in cursor], row_ok(cursor)
"""


def _in_runtime_sdk_findings(code: str, date: str):
    """Lint with a pylock.toml that has no workers-runtime-sdk: the runtime's own SDK is in use."""
    import datetime as dt

    from helpers import _context, _rules

    from cfw_lint.engine import lint_python
    from cfw_lint.profile import build_profile

    prof = build_profile(dt.date.fromisoformat(date), frozenset({"python_workers"}), source="test")
    prof = prof.with_sdk(None, "pylock.toml")
    result = lint_python(textwrap.dedent(code), _context("src/entry.py", prof, True), _rules([CODE]))
    return [(d.code, d.start.line, d.start.column) for d in result.diagnostics]


def test_durable_object_sql_rows_with_the_in_runtime_sdk():
    expected = [(CODE, 9, 22), (CODE, 13, 18), (CODE, 15, 23)]
    assert _in_runtime_sdk_findings(DURABLE_OBJECT_SQL, PY313) == expected
    # a vendored workers-runtime-sdk (any version) wraps the context; unknown: silent
    assert findings(DURABLE_OBJECT_SQL, CODE, sdk="1.2.0") == []
    assert findings(DURABLE_OBJECT_SQL, CODE) == []


LEGACY_REQUEST = """\
from workers import Response, handler


async def on_fetch(request, env):
    payload = await request.json()
    return Response(payload["code"])
"""


def test_the_raw_request_of_a_legacy_on_fetch():
    from helpers import CLASS_312, LEGACY_312

    assert findings(LEGACY_REQUEST, CODE, date=LEGACY_312) == [(CODE, 6, 21)]
    # with @handler the request is a workers.Request (json() gives a dict)
    decorated = LEGACY_REQUEST.replace("async def on_fetch", "@handler\nasync def on_fetch")
    assert findings(decorated, CODE, date=LEGACY_312) == []
    # class handlers: the module-level function is never called (CFW101 reports it)
    assert findings(LEGACY_REQUEST, CODE, date=CLASS_312) == []
