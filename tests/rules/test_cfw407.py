import textwrap

from helpers import findings, fix

CODE = "CFW407"


def test_literal_and_to_js_bodies_fire():
    src = """\
    from pyodide.ffi import to_js as js_convert
    from js import Object
    from workers import Response
    import workers

    def f(rows):
        a = Response({"ok": True})
        b = workers.Response([1, 2, 3], status=201)
        c = Response(js_convert({"ok": True}, dict_converter=Object.fromEntries))
        d = Response(body={k: 1 for k in rows})
        payload = {"rows": rows}
        e = Response(payload)
        g = Response(to_js_list := [r for r in rows])
        return a, b, c, d, e, g
    """
    assert findings(src, CODE) == [
        (CODE, 7, 9),
        (CODE, 8, 9),
        (CODE, 9, 9),
        (CODE, 10, 9),
        (CODE, 12, 9),
        (CODE, 13, 9),
    ]


def test_fix_becomes_response_json_and_keeps_options():
    src = """\
    from pyodide.ffi import to_js
    from workers import Response

    def f(rows, h):
        a = Response({"ok": True}, status=201, headers=h)  # created
        b = Response(to_js(rows_list := list(rows)))
        c = Response(
            to_js({"rows": rows}),
            status=200,
        )
        d = Response(body=[1, 2], status=404)
        return a, b, c, d
    """
    assert (
        fix(src, select=[CODE])
        == """\
from pyodide.ffi import to_js
from workers import Response

def f(rows, h):
    a = Response.json({"ok": True}, status=201, headers=h)  # created
    b = Response.json(rows_list := list(rows))
    c = Response.json(
        {"rows": rows},
        status=200,
    )
    d = Response.json([1, 2], status=404)
    return a, b, c, d
"""
    )


def test_no_fix_with_web_socket_or_star_args():
    src = """\
    from workers import Response

    def f(ws, opts):
        a = Response({"x": 1}, web_socket=ws)
        b = Response({"x": 1}, **opts)
        return a, b
    """
    assert findings(src, CODE) == [(CODE, 4, 9), (CODE, 5, 9)]
    assert fix(src, select=[CODE]) == textwrap.dedent(src)


def test_look_alikes_stay_silent():
    src = """\
    import json
    import js
    from js import Response as JsResponse
    from pyodide.ffi import to_js
    from workers import Response

    def f(data: bytes, text):
        a = js.Response.new(to_js({"a": 1}))
        b = JsResponse.new("x")
        c = Response(json.dumps({"a": 1}))
        d = Response(to_js(data))  # bytes -> Uint8Array: a body type
        e = Response(text)
        g = Response.json({"a": 1})
        h = Response("ok", headers={"content-type": "text/plain"})
        data2 = {"a": 1}
        data2 = json.dumps(data2)
        i = Response(data2)
        return a, b, c, d, e, g, h, i
    """
    assert findings(src, CODE) == []


def test_local_response_class_is_not_the_sdk():
    src = """\
    class Response:
        def __init__(self, body): ...
    r = Response({"a": 1})
    """
    assert findings(src, CODE) == []


def test_crlf_multi_line():
    src = 'from workers import Response\r\n\r\ndef f():\r\n    return Response(\r\n        {"a": 1},\r\n        status=201,\r\n    )\r\n'
    assert fix(src, select=[CODE], dedent=False) == src.replace("Response(\r\n", "Response.json(\r\n")
