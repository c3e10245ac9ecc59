import textwrap

from helpers import PY313, findings, fix

CODE = "CFW405"

REQUEST = """\
from workers import Response, WorkerEntrypoint


class Default(WorkerEntrypoint):
    async def fetch(self, request):
        payload = (await request.json()).to_py()
        data = await request.json()
        items = data["items"].to_py()
        return Response.json(data.to_py())
"""


def test_request_json_fires_on_every_sdk():
    expected = [(CODE, 6, 19), (CODE, 8, 17), (CODE, 9, 30)]
    assert findings(REQUEST, CODE) == expected
    assert findings(REQUEST, CODE, sdk="1.2.0") == expected
    assert findings(REQUEST, CODE, sdk="1.6.0", date=PY313) == expected


def test_request_json_fix():
    assert (
        fix(REQUEST, select=[CODE])
        == """\
from workers import Response, WorkerEntrypoint


class Default(WorkerEntrypoint):
    async def fetch(self, request):
        payload = await request.json()
        data = await request.json()
        items = data["items"]
        return Response.json(data)
"""
    )


BINDINGS = """\
from workers import WorkerEntrypoint


class Default(WorkerEntrypoint):
    async def fetch(self, request):
        result = await self.env.DB.prepare("select * from t where id = ?").bind(1).all()
        rows = result.results.to_py()
        first = (await self.env.DB.prepare("select 1").first()).to_py()
        answer = (await self.env.AI.run("@cf/model", {"prompt": "hi"})).to_py()
        cfg = (await self.env.KV.get("config", "json")).to_py()
        cfg2 = (await self.env.KV.get("config", type="json")).to_py()
        return rows, first, answer, cfg, cfg2
"""


def test_wrapped_binding_results_fire_only_with_sdk_13_or_later():
    expected = [(CODE, 7, 16), (CODE, 8, 17), (CODE, 9, 18), (CODE, 10, 15), (CODE, 11, 16)]
    assert findings(BINDINGS, CODE, sdk="1.3.0") == expected
    assert findings(BINDINGS, CODE, sdk="1.6.15") == expected
    # in-runtime SDK / older vendored SDK: raw JsProxy results, .to_py() is right
    assert findings(BINDINGS, CODE, sdk="1.2.9") == []
    # SDK version unknown (no lock file): silent
    assert findings(BINDINGS, CODE) == []


def test_wrapped_binding_fix():
    src = """\
    from workers import WorkerEntrypoint


    class Default(WorkerEntrypoint):
        async def fetch(self, request):
            result = await self.env.DB.prepare("select 1").all()
            rows = result.results.to_py()  # the rows
            return (await self.env.DB.prepare("select 2").first()).to_py()
    """
    assert (
        fix(src, select=[CODE], sdk="1.5.0")
        == """\
from workers import WorkerEntrypoint


class Default(WorkerEntrypoint):
    async def fetch(self, request):
        result = await self.env.DB.prepare("select 1").all()
        rows = result.results  # the rows
        return await self.env.DB.prepare("select 2").first()
"""
    )


def test_parentheses_stay_where_they_matter():
    src = """\
    from workers import WorkerEntrypoint


    class Default(WorkerEntrypoint):
        async def fetch(self, request):
            size = len((await request.json()).to_py()) + 1
            first = (await request.json()).to_py()[0]
            return -((await request.json()).to_py())
    """
    assert (
        fix(src, select=[CODE])
        == """\
from workers import WorkerEntrypoint


class Default(WorkerEntrypoint):
    async def fetch(self, request):
        size = len(await request.json()) + 1
        first = (await request.json())[0]
        return -((await request.json()))
"""
    )


QUEUE = """\
from workers import WorkerEntrypoint


class Default(WorkerEntrypoint):
    async def queue(self, batch, env, ctx):
        for message in batch.messages:
            body = message.body.to_py()
"""


def test_queue_bodies_fire_with_sdk_14_or_later():
    assert findings(QUEUE, CODE, sdk="1.4.0") == [(CODE, 7, 20)]
    assert findings(QUEUE, CODE, sdk="1.3.0") == []
    assert findings(QUEUE, CODE) == []
    assert fix(QUEUE, select=[CODE], sdk="1.6.0") == QUEUE.replace("message.body.to_py()", "message.body")


def test_look_alikes_stay_silent():
    src = """\
    from workers import WorkerEntrypoint, fetch


    async def on_fetch(request, env):
        return (await request.json()).to_py()  # raw JS request: JsProxy


    class Default(WorkerEntrypoint):
        async def fetch(self, request):
            raw = (await request.js_object.json()).to_py()
            resp = await fetch("https://example.com")
            other = (await resp.json()).to_py()
            kv = (await self.env.KV.get("k")).to_py()
            svc = (await self.env.SERVICE.fetch("https://x")).to_py()
            stored = (await self.ctx.storage.get("k")).to_py()
            data = await request.json()
            data = self.transform(data)
            again = data.to_py()
            return raw, other, kv, svc, stored, again
    """
    assert findings(src, CODE, sdk="1.6.0") == []


def test_crlf():
    src = textwrap.dedent(REQUEST).replace("\n", "\r\n")
    fixed = fix(src, select=[CODE], dedent=False)
    assert fixed == fix(REQUEST, select=[CODE]).replace("\n", "\r\n")


REASSIGNED = """\
from workers import WorkerEntrypoint


class Default(WorkerEntrypoint):
    async def fetch(self, request):
        data = await request.json()
        data = data.to_py()
        for _ in range(2):
            body = await request.json()
            body = body.to_py()
        return data, body
"""


def test_reassignment_idiom_fires_at_the_use():
    # the old docs' `data = await request.json()` then `data = data.to_py()`, moved into a class
    assert findings(REASSIGNED, CODE) == [(CODE, 7, 16), (CODE, 10, 20)]


def test_reassignment_idiom_fix():
    assert fix(REASSIGNED, select=[CODE]) == REASSIGNED.replace(".to_py()", "")


def test_reassigned_names_of_uncertain_origin_stay_silent():
    code = textwrap.dedent(
        """\
        import js
        from workers import WorkerEntrypoint


        class Default(WorkerEntrypoint):
            async def fetch(self, request):
                data = await request.json()
                if request.method == "POST":
                    data = js.JSON.parse(await request.text())
                data = data.to_py()
                other = await request.json()
                other = js.JSON.parse("{}")
                other = other.to_py()
                item = js.JSON.parse("[]")
                for _ in range(2):
                    item = item.to_py()
                    item = await request.json()
                return data, other, item
        """
    )
    assert findings(code, CODE) == []
