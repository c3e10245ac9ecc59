from helpers import findings, fix

CODE = "CFW408"


def test_keywords_fire_at_the_keyword():
    src = """\
    from workers import Response
    import workers
    from workers import Response as R

    def f(ws):
        a = Response("hi", status=404, statusText="Not Found")
        b = workers.Response(None, status=101, webSocket=ws)
        c = R.json({"a": 1}, statusText="OK")
        d = Response(
            "x",
            statusText="Gone",
        )
    """
    assert findings(src, CODE) == [(CODE, 6, 36), (CODE, 7, 44), (CODE, 8, 26), (CODE, 11, 9)]


def test_fix_renames_and_keeps_formatting():
    src = """\
    from workers import Response

    def f(ws):
        a = Response("hi", status=404, statusText="Not Found")  # note
        b = Response(None, status=101, webSocket=ws)
        d = Response(
            "x",
            statusText = "Gone",  # why
        )
    """
    assert (
        fix(src, select=[CODE])
        == """\
from workers import Response

def f(ws):
    a = Response("hi", status=404, status_text="Not Found")  # note
    b = Response(None, status=101, web_socket=ws)
    d = Response(
        "x",
        status_text = "Gone",  # why
    )
"""
    )


def test_crlf_file():
    src = 'from workers import Response\r\nr = Response("x", statusText="y")\r\n'
    assert (
        fix(src, select=[CODE], dedent=False)
        == 'from workers import Response\r\nr = Response("x", status_text="y")\r\n'
    )


def test_no_fix_when_both_spellings_or_web_socket_on_json():
    src = """\
    from workers import Response
    a = Response("x", status_text="a", statusText="b")
    b = Response.json({}, webSocket=None)
    """
    assert findings(src, CODE) == [(CODE, 2, 36), (CODE, 3, 23)]
    assert fix(src, select=[CODE]) == src.replace("    ", "")


def test_look_alikes_stay_silent():
    src = """\
    import js
    from js import Response as JsResponse
    from mylib import Response

    def f(ws):
        a = js.Response.new("x", statusText="ok")
        b = JsResponse.new("x", webSocket=ws)
        c = Response("x", statusText="ok")
        d = dict(statusText="ok")
    """
    assert findings(src, CODE) == []


def test_local_class_named_response_is_not_the_sdk():
    src = """\
    class Response:
        def __init__(self, body, statusText=""):
            pass
    r = Response("x", statusText="ok")
    """
    assert findings(src, CODE) == []
