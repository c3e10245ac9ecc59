from helpers import CLASS_312, LEGACY_312, PY313, PY314, check, findings

HANDLER_CODE = """\
import requests
import httpx
import urllib3
from workers import Response, WorkerEntrypoint


class Default(WorkerEntrypoint):
    async def fetch(self, request):
        a = requests.get("https://example.com")
        with httpx.Client() as client:
            b = client.get("https://example.com")
        c = urllib3.request("GET", "https://example.com")
        s = requests.Session()
        return Response(f"{a} {b} {c} {s}")
"""


def test_sync_clients_fire_on_the_312_runtime():
    expected = [("CFW301", 9, 13), ("CFW301", 10, 14), ("CFW301", 12, 13), ("CFW301", 13, 13)]
    assert findings(HANDLER_CODE, "CFW301", date=LEGACY_312) == expected
    assert findings(HANDLER_CODE, "CFW301", date=CLASS_312) == expected


def test_sync_clients_work_in_handlers_from_313_on():
    assert findings(HANDLER_CODE, "CFW301", date=PY313) == []
    assert findings(HANDLER_CODE, "CFW301", date=PY314) == []
    # the 3.13 bundle selected by flag before its implied date
    flags = ("python_workers", "python_workers_20250116")
    assert findings(HANDLER_CODE, "CFW301", date=LEGACY_312, flags=flags) == []


def test_opting_out_of_313_keeps_312():
    flags = ("python_workers", "no_python_workers_20250116")
    assert findings(HANDLER_CODE, "CFW301", date=PY313, flags=flags) != []


def test_aliases_and_every_sync_entry_point_on_312():
    src = """\
    import requests as rq
    from httpx import Client, stream
    from urllib3 import PoolManager as PM
    def helper():
        rq.request("GET", "https://example.com")
        Client(timeout=5)
        with stream("GET", "https://example.com") as r:
            pass
        PM()
        rq.session()
    """
    assert findings(src, "CFW301", date=LEGACY_312) == [
        ("CFW301", 5, 5),
        ("CFW301", 6, 5),
        ("CFW301", 7, 10),
        ("CFW301", 9, 5),
        ("CFW301", 10, 5),
    ]


def test_async_clients_and_non_request_helpers_are_silent_on_312():
    src = """\
    import httpx, aiohttp, requests
    from workers import fetch
    async def helper():
        async with httpx.AsyncClient() as client:
            await client.get("https://example.com")
        async with aiohttp.ClientSession() as session:
            await session.get("https://example.com")
        await fetch("https://example.com")
        timeout = httpx.Timeout(5.0)
        url = httpx.URL("https://example.com")
        prepared = requests.Request("GET", "https://example.com")
        raise requests.HTTPError("boom")
    """
    assert findings(src, "CFW301", date=LEGACY_312) == []


def test_stdlib_socket_clients_before_314():
    src = """\
    import urllib.request
    import http.client
    from urllib.request import urlopen as open_url
    from http import client
    def helper():
        urllib.request.urlopen("https://example.com")
        open_url("https://example.com")
        http.client.HTTPSConnection("example.com")
        client.HTTPConnection("example.com")
        opener = urllib.request.build_opener()
        req = urllib.request.Request("https://example.com")
    """
    expected = [("CFW301", 6, 5), ("CFW301", 7, 5), ("CFW301", 8, 5), ("CFW301", 9, 5), ("CFW301", 10, 14)]
    assert findings(src, "CFW301", date=LEGACY_312) == expected
    assert findings(src, "CFW301", date=PY313) == expected
    assert findings(src, "CFW301", date=PY314) == []
    assert findings(src, "CFW301", date=PY313, flags=("python_workers", "python_workers_20260610")) == []


def test_messages_follow_the_runtime():
    src = "import urllib.request\ndef f():\n    urllib.request.urlopen('https://example.com')\n"
    [old] = check(src, select=["CFW301"], date=LEGACY_312)
    [new] = check(src, select=["CFW301"], date=PY313)
    assert "3.12" in old.message and "requests` inside a handler" not in old.message
    assert "3.13" in new.message and "requests` inside a handler" in new.message


def test_import_time_requests_belong_to_cfw202():
    src = """\
    import requests
    import urllib.request
    CONFIG = requests.get("https://example.com").json()
    PAGE = urllib.request.urlopen("https://example.com")
    SESSION = requests.Session()
    """
    # the requests themselves: CFW202 only; building a client nobody can use on 3.12: CFW301
    assert findings(src, "CFW301", date=LEGACY_312) == [("CFW301", 5, 11)]
    assert findings(src, "CFW202", date=LEGACY_312) == [("CFW202", 3, 10), ("CFW202", 4, 8)]
    assert findings(src, "CFW301", date=PY313) == []


def test_look_alikes_are_silent():
    src = """\
    class requests:
        @staticmethod
        def get(url): ...
    def f():
        requests.get("https://example.com")
        import httpx as requests_like
        client = make_client()
        client.get("https://example.com")
    if __name__ == "__main__":
        import urllib.request
        urllib.request.urlopen("https://example.com")
    """
    assert findings(src, "CFW301", date=LEGACY_312) == []


def test_import_time_requests_lambdas_and_main_guards():
    src = """\
    import requests as rq
    from urllib.request import urlopen as uo
    rq.get("x")
    class K:
        rq.put("a")
    def handler():
        (lambda: rq.post("z"))()
        uo("u")
    if __name__ == "__main__":
        def f():
            uo("g")
    """
    # import-time requests are CFW202's; the main guard's body never runs in a Worker
    assert findings(src, "CFW301", date=LEGACY_312) == [("CFW301", 7, 14), ("CFW301", 8, 5)]
