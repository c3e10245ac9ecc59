from helpers import CLASS_312, EXTERNAL_SDK, PY313, PY314, check, findings, fix

CODE = "CFW413"

OPTIONS = """\
import js
from js import Request, Response, fetch


async def call(url, body):
    opts = {"method": "POST", "body": body}
    a = await js.fetch(url, opts)
    b = await fetch(url, {"method": "PUT", "headers": {"x-api-key": "k"}})
    c = Request.new(url, dict(method="POST", headers={"a": "b"}))
    d = Response.new("ok", {"status": 201})
    e = js.Object.assign(js.Object.new(), {"a": 1})
    return a, b, c, d, e
"""


def test_every_options_dict_fires_on_the_312_runtime():
    assert findings(OPTIONS, CODE, date=CLASS_312) == [
        (CODE, 7, 29),
        (CODE, 8, 26),
        (CODE, 9, 26),
        (CODE, 10, 28),
        (CODE, 11, 43),
    ]


def test_313_and_later_read_top_level_keys_but_not_nested_headers():
    # Pyodide 0.28 (PR #5674): property reads on a dict PyProxy fall back to its items, so flat
    # options work; a nested headers dict is still a PyProxy and the init conversion throws
    expected = [(CODE, 8, 26), (CODE, 9, 26)]
    assert findings(OPTIONS, CODE, date=PY313) == expected
    assert findings(OPTIONS, CODE, date=PY314) == expected
    assert findings(OPTIONS, CODE) == expected


def test_headers_and_search_params_from_a_dict_fail_everywhere():
    src = """\
    import js
    from js import Headers, URLSearchParams


    def build(token):
        headers = Headers.new({"authorization": token})
        query = js.URLSearchParams.new({"q": "x"})
        return headers, query
    """
    expected = [(CODE, 6, 27), (CODE, 7, 36)]
    assert findings(src, CODE, date=CLASS_312) == expected
    assert findings(src, CODE, date=PY313) == expected
    assert findings(src, CODE, date=PY314) == expected


def test_a_headers_dict_given_as_a_keyword_fails_everywhere():
    src = """\
    import js


    async def call(url):
        return await js.fetch(url, method="POST", headers={"a": "b"}, body="{}")
    """
    for date in (CLASS_312, PY313, PY314):
        assert findings(src, CODE, date=date) == [(CODE, 5, 55)]
    assert (
        fix(src, select=[CODE], date=PY313)
        == """\
import js
from js import Object
from pyodide.ffi import to_js


async def call(url):
    return await js.fetch(url, method="POST", headers=to_js({"a": "b"}, dict_converter=Object.fromEntries), body="{}")
"""
    )


def test_message():
    (diagnostic,) = check(
        """\
        import js


        async def post(url):
            return await js.fetch(url, {"method": "POST"})
        """,
        select=[CODE],
        date=CLASS_312,
    )
    assert "PyProxy" in diagnostic.message
    assert "Pyodide 0.26.0a2 (Python 3.12)" in diagnostic.message
    assert "dict_converter=Object.fromEntries" in diagnostic.message
    assert 'js.fetch(url, method="POST")' in diagnostic.message


RAW_BINDINGS = """\
from workers import WorkerEntrypoint


class Default(WorkerEntrypoint):
    async def fetch(self, request):
        await self.env.KV.put("k", "v", {"expirationTtl": 60})
        value = await self.env.KV.get("k", {"type": "json"})
        await self.env.QUEUE.send("hello", {"delaySeconds": 5})
        await self.env.BUCKET.list({"prefix": "a/"})
        await self.env.KV.put("k", "v", expirationTtl=60)
        return value
"""


def test_raw_binding_options_depend_on_sdk_and_runtime():
    expected = [(CODE, 6, 41), (CODE, 7, 44), (CODE, 8, 44), (CODE, 9, 36)]
    assert findings(RAW_BINDINGS, CODE, date=CLASS_312, sdk="1.2.0") == expected
    # wrapped bindings convert dicts; unknown SDK: not certain
    assert findings(RAW_BINDINGS, CODE, date=CLASS_312, sdk="1.3.0") == []
    assert findings(RAW_BINDINGS, CODE, date=CLASS_312) == []
    # 3.13+: flat options are read through the PyProxy item fallback
    assert findings(RAW_BINDINGS, CODE, date=PY313, sdk="1.2.0") == []


def test_look_alikes_stay_silent():
    src = """\
    import js
    from js import Object
    from pyodide.ffi import to_js
    from workers import Response, fetch


    async def call(url, payload):
        await js.fetch(url, method="POST", headers=to_js({"a": "b"}, dict_converter=Object.fromEntries))
        await js.fetch(url, to_js({"method": "POST"}, dict_converter=Object.fromEntries))
        await js.fetch(url, to_js({"method": "POST"}))
        await js.fetch(url, payload)
        await js.fetch(url, *payload)
        await fetch(url, method="POST", headers={"a": "b"})
        await js.fetch(url, method="POST", body="x")
        js.Headers.new([["a", "b"]])
        js.Headers.new(to_js({"a": "b"}))
        js.console.log({"a": 1})
        js.fetch(url, **{"method": "POST"})
        return Response("ok", headers={"a": "b"})
    """
    for date in (CLASS_312, PY313, EXTERNAL_SDK):
        assert findings(src, CODE, date=date, sdk="1.2.0") == []


def test_a_local_named_js_is_not_the_module():
    src = """\
    def call(js, url):
        return js.fetch(url, {"method": "POST"})
    """
    assert findings(src, CODE, date=CLASS_312) == []


def test_fix_converts_with_from_entries_and_adds_imports():
    src = """\
    import js


    async def call(url, token):
        opts = {"method": "POST", "headers": {"authorization": token}}
        resp = await js.fetch(url, opts)
        headers = js.Headers.new({
            "a": "b",
        })
        return resp, headers
    """
    assert (
        fix(src, select=[CODE], date=CLASS_312)
        == """\
import js
from js import Object
from pyodide.ffi import to_js


async def call(url, token):
    opts = {"method": "POST", "headers": {"authorization": token}}
    resp = await js.fetch(url, to_js(opts, dict_converter=Object.fromEntries))
    headers = js.Headers.new(to_js({
        "a": "b",
    }, dict_converter=Object.fromEntries))
    return resp, headers
"""
    )


def test_fix_uses_existing_imports_and_avoids_taken_names():
    src = """\
    import js
    from js import Object as JsObject, fetch
    from pyodide.ffi import to_js as convert


    async def call(url):
        return await fetch(url, {"method": "POST"})
    """
    assert (
        fix(src, select=[CODE], date=CLASS_312)
        == """\
import js
from js import Object as JsObject, fetch
from pyodide.ffi import to_js as convert


async def call(url):
    return await fetch(url, convert({"method": "POST"}, dict_converter=JsObject.fromEntries))
"""
    )
    taken = """\
    import js

    Object = dict


    async def call(url):
        return await js.fetch(url, {"method": "POST"})
    """
    assert (
        fix(taken, select=[CODE], date=CLASS_312)
        == """\
import js
from pyodide.ffi import to_js

Object = dict


async def call(url):
    return await js.fetch(url, to_js({"method": "POST"}, dict_converter=js.Object.fromEntries))
"""
    )
    # `to_js` bound to something else: reported, no fix
    shadowed = """\
    import js


    def to_js(x):
        return x


    async def call(url):
        return await js.fetch(url, {"method": "POST"})
    """
    assert findings(shadowed, CODE, date=CLASS_312) == [(CODE, 9, 32)]
    assert fix(shadowed, select=[CODE], date=CLASS_312).startswith("import js\n\n\ndef to_js")
    assert '{"method": "POST"})' in fix(shadowed, select=[CODE], date=CLASS_312)
