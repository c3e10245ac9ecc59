from helpers import EXTERNAL_SDK, LEGACY_312, PY313, PY314, findings, fix

CODE = "CFW401"


def test_js_calls_fire():
    src = """\
    import js
    from js import fetch as js_fetch, Response
    from pyodide.ffi import to_js as convert
    import pyodide.ffi

    async def f(url, rows):
        await js.fetch(url, convert({"method": "POST"}))
        await js_fetch(url, convert(dict(method="GET")))
        r = Response.new("x", convert({"status": 201}))
        js.JSON.stringify(pyodide.ffi.to_js([{"a": 1}, {"b": 2}]))
        js.postMessage(convert([{"id": r} for r in rows]))
        payload = {"k": 1}
        js.JSON.stringify(convert(payload))
        js.JSON.stringify(convert({k: v for k, v in rows}))
    """
    assert findings(src, CODE, date=LEGACY_312) == [
        (CODE, 7, 25),
        (CODE, 8, 25),
        (CODE, 9, 27),
        (CODE, 10, 23),
        (CODE, 11, 20),
        (CODE, 13, 23),
        (CODE, 14, 23),
    ]
    # 3.13: a LiteralMap reads like an object and JSON-serialises; 3.14: a plain Object
    assert findings(src, CODE, date=PY313) == []
    assert findings(src, CODE, date=PY314) == []


def test_value_assigned_then_passed_to_js():
    src = """\
    import js
    from pyodide.ffi import to_js

    async def f(url):
        options = to_js({"method": "POST"})
        return await js.fetch(url, options)
    """
    assert findings(src, CODE, date=LEGACY_312) == [(CODE, 5, 15)]
    assert findings(src, CODE, date=PY313) == []


def test_raw_bindings_depend_on_the_sdk():
    src = """\
    from pyodide.ffi import to_js
    from workers import WorkerEntrypoint

    class Default(WorkerEntrypoint):
        async def fetch(self, request):
            await self.env.QUEUE.send(to_js({"hello": "world"}))
            await self.env.KV.put("k", "v", to_js({"expirationTtl": 60}))
            await self.env.DB.prepare("insert into t values (?)").bind(to_js({"a": 1})).run()
            await self.env.SERVICE.fetch("https://x", to_js({"a": 1}))
            await self.env.COUNTER.get(oid).increment(to_js({"by": 1}))
    """
    raw = [(CODE, 6, 35), (CODE, 7, 41), (CODE, 8, 68)]
    # 3.12: a Map reaches KV/Queue/D1 whatever the SDK: a wrapper passes a JsProxy on as it is
    assert findings(src, CODE, sdk="1.2.0", date=LEGACY_312) == raw
    assert findings(src, CODE, sdk="1.3.0", date=LEGACY_312) == raw
    assert findings(src, CODE, date=LEGACY_312) == raw
    # 3.13: JSON paths work; the Durable Object RPC call structured-clones the LiteralMap
    assert findings(src, CODE, sdk="1.2.0", date=PY313) == [(CODE, 10, 51)]
    assert findings(src, CODE, sdk="1.3.0", date=EXTERNAL_SDK) == [(CODE, 10, 51)]
    assert findings(src, CODE, date=PY314) == []


def test_structured_clone_destinations_on_313():
    src = """\
    import js
    from pyodide.ffi import to_js
    from workers import DurableObject

    class Counter(DurableObject):
        async def save(self, state):
            await self.ctx.storage.put("state", to_js({"n": 1}))
            await self.env.AUTH.check(to_js({"user": state}))
            await self.env.ROOM.getByName("lobby").join(to_js({"id": 1}))
            copy = js.structuredClone(to_js({"a": 1}))
            await self.env.AUTH.fetch("https://x", to_js({"method": "POST"}))
            await self.env.QUEUE.send(to_js({"n": 1}))
    """
    assert findings(src, CODE, date=PY313) == [(CODE, 7, 45), (CODE, 8, 35), (CODE, 9, 53), (CODE, 10, 35)]
    assert "DataCloneError: [object Map] could not be cloned." in str(
        [d.message for d in __import__("helpers").check(src, select=[CODE], date=PY313)]
    )
    # 3.12: a plain Map clones; only the raw Queue binding (JSON) loses the data
    assert findings(src, CODE, date=LEGACY_312) == [(CODE, 12, 35)]
    assert findings(src, CODE, date=PY314) == []


def test_fix_adds_converter_and_import():
    src = """\
    import js
    from pyodide.ffi import to_js

    async def f(url):
        await js.fetch(url, to_js({"method": "POST"}))
        await js.fetch(
            url,
            to_js(
                {"method": "PUT"},
            ),
        )
        await js.fetch(url, to_js(
            {"method": "GET"}  # comment
        ))
        await js.fetch(url, to_js({"a": 1},))
    """
    assert (
        fix(src, select=[CODE], date=LEGACY_312)
        == """\
import js
from pyodide.ffi import to_js
from js import Object

async def f(url):
    await js.fetch(url, to_js({"method": "POST"}, dict_converter=Object.fromEntries))
    await js.fetch(
        url,
        to_js(
            {"method": "PUT"},
            dict_converter=Object.fromEntries,
        ),
    )
    await js.fetch(url, to_js(
        {"method": "GET"}, dict_converter=Object.fromEntries  # comment
    ))
    await js.fetch(url, to_js({"a": 1}, dict_converter=Object.fromEntries,))
"""
    )


def test_fix_uses_an_existing_import_or_alias():
    src = """\
    from js import fetch, Object as JSObject
    from pyodide.ffi import to_js

    async def f(url):
        return await fetch(url, to_js({"method": "POST"}))
    """
    assert (
        fix(src, select=[CODE], date=LEGACY_312)
        == """\
from js import fetch, Object as JSObject
from pyodide.ffi import to_js

async def f(url):
    return await fetch(url, to_js({"method": "POST"}, dict_converter=JSObject.fromEntries))
"""
    )


def test_fix_adds_to_an_existing_js_import():
    src = """\
    from js import fetch
    from pyodide.ffi import to_js

    async def f(url):
        return await fetch(url, to_js({"method": "POST"}))
    """
    assert (
        fix(src, select=[CODE], date=LEGACY_312)
        == """\
from js import fetch, Object
from pyodide.ffi import to_js

async def f(url):
    return await fetch(url, to_js({"method": "POST"}, dict_converter=Object.fromEntries))
"""
    )


def test_fix_when_object_is_another_name():
    src = """\
    import js
    from pyodide.ffi import to_js
    from mymodels import Object

    async def f(url):
        return await js.fetch(url, to_js({"method": "POST"}))
    """
    assert (
        fix(src, select=[CODE], date=LEGACY_312)
        == """\
import js
from pyodide.ffi import to_js
from mymodels import Object

async def f(url):
    return await js.fetch(url, to_js({"method": "POST"}, dict_converter=js.Object.fromEntries))
"""
    )
    src2 = """\
    from js import fetch
    from pyodide.ffi import to_js

    class Object:
        pass

    async def f(url):
        return await fetch(url, to_js({"method": "POST"}))
    """
    assert (
        fix(src2, select=[CODE], date=LEGACY_312)
        == """\
from js import fetch
from pyodide.ffi import to_js
from js import Object as JsObject

class Object:
    pass

async def f(url):
    return await fetch(url, to_js({"method": "POST"}, dict_converter=JsObject.fromEntries))
"""
    )


def test_crlf():
    src = 'import js\r\nfrom pyodide.ffi import to_js\r\njs.fetch("u", to_js({"a": 1}))\r\n'
    assert fix(src, select=[CODE], dedent=False, date=LEGACY_312) == (
        "import js\r\nfrom pyodide.ffi import to_js\r\nfrom js import Object\r\n"
        'js.fetch("u", to_js({"a": 1}, dict_converter=Object.fromEntries))\r\n'
    )


def test_look_alikes_stay_silent():
    src = """\
    import js
    from js import Object
    from pyodide.ffi import to_js
    from .helpers import to_js as my_to_js
    from workers import Response, fetch

    async def f(url, data: bytes, opts):
        await js.fetch(url, to_js({"method": "POST"}, dict_converter=Object.fromEntries))
        await js.fetch(url, my_to_js({"method": "POST"}))
        await js.fetch(url, to_js(["a", "b"]))
        await js.fetch(url, to_js(data))
        await js.fetch(url, to_js(opts))
        await js.fetch(url, to_js({"a": 1}, **opts))
        m = to_js({"a": 1})  # a Map may be what is wanted; not sent anywhere known
        lookup = js.Map.new(to_js({"a": 1}))
        headers = js.Headers.new(to_js({"content-type": "text/plain"}))
        query = js.URLSearchParams.new(to_js({"q": "x"}))
        obj = js.Object.fromEntries(to_js({"a": 1}))
        js.console.log(to_js({"debug": True}))
        await fetch(url, method="POST")
        Response.json(to_js({"a": 1}))
        payload = {"a": 1}
        if url:
            payload = [1]
        js.JSON.stringify(to_js(payload))

    def to_js_local(x):
        return x

    def g():
        to_js = lambda v: v
        js.console.log(to_js({"a": 1}))
    """
    assert findings(src, CODE, sdk="1.0.0", date=LEGACY_312) == []
    assert findings(src, CODE, sdk="1.0.0", date=PY313) == []


def test_local_variable_named_js_is_not_the_module():
    src = """\
    from pyodide.ffi import to_js

    class FakeJs:
        def fetch(self, url, init):
            return init

    def f(url):
        js = FakeJs()
        return js.fetch(url, to_js({"method": "POST"}))
    """
    assert findings(src, CODE, date=LEGACY_312) == []


def test_a_name_rebound_in_straight_line_code_is_followed():
    # `payload = [payload]` right before the call: the value is a list holding the dict
    src = """\
    import js
    from pyodide.ffi import to_js

    def f():
        payload = {"a": 1}
        payload = [payload]
        js.JSON.stringify(to_js(payload))
    """
    assert findings(src, CODE, sdk="1.0.0", date=LEGACY_312) == [(CODE, 7, 23)]
