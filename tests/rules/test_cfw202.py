from helpers import LEGACY_312, PY313, PY314, check, findings


def test_fetch_and_http_calls_at_module_level():
    src = """\
    import js
    import requests
    import httpx
    import urllib.request
    from workers import fetch as wfetch
    from js import fetch
    js.fetch("https://example.com")
    fetch("https://example.com")
    wfetch("https://example.com")
    r = requests.get("https://example.com")
    h = httpx.post("https://example.com", json={})
    page = urllib.request.urlopen("https://example.com")
    """
    assert findings(src, "CFW202") == [
        ("CFW202", 7, 1),
        ("CFW202", 8, 1),
        ("CFW202", 9, 1),
        ("CFW202", 10, 5),
        ("CFW202", 11, 5),
        ("CFW202", 12, 8),
    ]


def test_aliases_and_multiline_calls():
    src = """\
    import requests as rq
    from urllib import request as ur
    import aiohttp
    resp = (
        rq.post(
            "https://example.com",
            data={},
        )
    )
    ur.urlretrieve("https://example.com/x", "/tmp/x")
    aiohttp.request("GET", "https://example.com")
    """
    assert findings(src, "CFW202") == [("CFW202", 5, 5), ("CFW202", 10, 1), ("CFW202", 11, 1)]


def test_client_objects_used_at_import_time():
    src = """\
    import requests, httpx, urllib3
    session = requests.Session()
    CONFIG = session.get("https://example.com/config").json()
    with httpx.Client() as client:
        DATA = client.get("https://example.com")
    pool = urllib3.PoolManager()
    pool.request("GET", "https://example.com")
    requests.Session().post("https://example.com")
    """
    assert findings(src, "CFW202") == [
        ("CFW202", 3, 10),
        ("CFW202", 5, 12),
        ("CFW202", 7, 1),
        ("CFW202", 8, 1),
    ]


def test_timers_with_a_delay():
    src = """\
    from js import setTimeout, setInterval
    import js
    from pyodide.ffi import create_proxy
    DELAY = 250
    setTimeout(create_proxy(tick), 1000)
    js.setTimeout(create_proxy(tick), DELAY)
    setInterval(create_proxy(tick), 60_000)
    """
    assert findings(src, "CFW202") == [("CFW202", 5, 1), ("CFW202", 6, 1), ("CFW202", 7, 1)]


def test_zero_delay_and_unknown_delay_are_silent():
    src = """\
    from js import setTimeout
    from pyodide.ffi import create_proxy
    setTimeout(create_proxy(tick), 0)
    setTimeout(create_proxy(tick))
    setTimeout(create_proxy(tick), 0.0)
    setTimeout(create_proxy(tick), compute_delay())
    """
    assert findings(src, "CFW202") == []


def test_binding_calls_through_every_env_spelling():
    src = """\
    from workers import env, import_from_javascript
    import workers
    FLAGS = env.FLAGS.get("flags")
    ROWS = env.DB.prepare("SELECT 1").bind(1).all()
    workers.env.QUEUE.send({"boot": True})
    cf = import_from_javascript("cloudflare:workers")
    cf.env.BUCKET.put("k", "v")
    bindings = import_from_javascript("cloudflare:workers").env
    bindings.AI.run("@cf/model", {})
    import_from_javascript("cloudflare:workers").env.KV.get_with_metadata("x")
    """
    assert findings(src, "CFW202") == [
        ("CFW202", 3, 9),
        ("CFW202", 4, 8),
        ("CFW202", 5, 1),
        ("CFW202", 7, 1),
        ("CFW202", 9, 1),
        ("CFW202", 10, 1),
    ]


def test_reading_env_and_building_objects_is_allowed():
    src = """\
    from workers import env, import_from_javascript
    API_URL = env.API_URL.rstrip("/")
    NAME = env.NAME
    STATEMENT = env.DB.prepare("SELECT * FROM users WHERE id = ?")
    OBJ_ID = env.COUNTER.idFromName("global")
    vectorize = import_from_javascript("cloudflare:vectorize")
    """
    assert findings(src, "CFW202") == []


def test_sockets_at_import_time():
    src = """\
    import socket
    from workers import import_from_javascript
    sockets = import_from_javascript("cloudflare:sockets")
    conn = sockets.connect("example.com:443")
    raw = socket.create_connection(("example.com", 80))
    """
    assert findings(src, "CFW202") == [("CFW202", 4, 8), ("CFW202", 5, 7)]


def test_global_scope_means_import_time():
    src = """\
    import js, requests
    class Settings:
        REMOTE = requests.get("https://example.com").json()
    def handler(timeout=js.fetch("https://example.com")):
        pass
    @register(js.fetch("https://example.com"))
    def g():
        pass
    PAGES = [requests.get(u) for u in ("a", "b")]
    """
    assert findings(src, "CFW202") == [
        ("CFW202", 3, 14),
        ("CFW202", 4, 21),
        ("CFW202", 6, 11),
        ("CFW202", 9, 10),
    ]


def test_a_local_function_called_at_import_time():
    src = """\
    import requests
    def load_config():
        response = requests.get("https://example.com/config")
        return response.json()
    CONFIG = load_config()
    """
    assert findings(src, "CFW202") == [("CFW202", 5, 10)]
    [diag] = check(src, select=["CFW202"])
    assert "load_config()" in diag.message and "requests.get()" in diag.message


def test_handlers_functions_lambdas_and_main_guards_are_silent():
    src = """\
    import js, requests
    from workers import WorkerEntrypoint, env, fetch

    session = requests.Session()  # building a client makes no request

    async def get_remote():
        return await fetch("https://example.com")

    coroutine = get_remote()  # an async def called: nothing runs yet
    later = lambda: js.fetch("https://example.com")

    def helper():
        return session.get("https://example.com")

    class Default(WorkerEntrypoint):
        async def fetch(self, request):
            await self.env.KV.get("k")
            return await fetch("https://example.com")

    if __name__ == "__main__":
        helper()
        requests.get("https://example.com")
    """
    assert findings(src, "CFW202") == []


def test_look_alikes_are_not_the_modules():
    src = """\
    class Client:
        def get(self, url): ...
    requests = Client()
    requests.get("https://example.com")
    def fetch(url): ...
    fetch("https://example.com")
    env = {"KV": {}}
    env.KV.get("k")
    session = Client()
    session.get("x")
    import js
    js.fetch  # referenced, not called
    """
    assert findings(src, "CFW202") == []


def test_rebound_names_are_not_traced():
    src = """\
    import requests
    session = requests.Session()
    session = make_session()
    session.get("https://example.com")
    """
    assert findings(src, "CFW202") == []


def test_applies_on_every_runtime():
    src = "import js\njs.fetch('https://example.com')\n"
    for date in (LEGACY_312, PY313, PY314):
        assert findings(src, "CFW202", date=date) == [("CFW202", 2, 1)]


def test_chained_calls_are_reported_once_at_the_request():
    src = """\
    import js, requests
    PROMISE = js.fetch("https://example.com").then(print)
    DATA = requests.get("https://example.com").json()
    """
    assert findings(src, "CFW202") == [("CFW202", 2, 11), ("CFW202", 3, 8)]


def test_bindings_and_statements_bound_to_names():
    src = """\
    from workers import env
    KV = env.KV
    SETTINGS = KV.get("settings")
    STATEMENT = env.DB.prepare("SELECT 1")
    ROWS = STATEMENT.all()
    """
    assert findings(src, "CFW202") == [("CFW202", 3, 12), ("CFW202", 5, 8)]


def test_self_referential_names_terminate():
    src = """\
    x = x
    x.KV.get("k")
    y = y.prepare("q")
    y.all()
    """
    assert findings(src, "CFW202") == []


def test_async_apis_are_reported_with_what_happens_to_them():
    src = """\
    from workers import fetch
    import js, httpx
    pending = fetch("https://example.com")
    started = js.fetch("https://example.com")
    client = httpx.AsyncClient()
    later = client.get("https://example.com")
    """
    diags = check(src, select=["CFW202"])
    assert [(d.start.line, d.start.column) for d in diags] == [(3, 11), (4, 11), (6, 9)]
    assert "cannot be awaited" in diags[0].message and "cannot be awaited" in diags[2].message
    assert "cannot be awaited" not in diags[1].message  # a JS promise starts its I/O at once


def test_builtin_names_do_not_break_resolution():
    src = """\
    print("loading")
    len([]).bit_length()
    setattr(object, "x", 1)
    """
    assert findings(src, "CFW202") == []


def test_a_local_function_reports_the_problem_its_body_walk_meets_first():
    # the body is walked from its last statement and last argument backwards, as on LibCST
    src = """\
    import js
    import requests
    def load():
        s = requests.Session()
        return {"a": s.get("x"), requests.head("k"): requests.post("y")}
    def load2():
        x = requests.get("z") if a else requests.put("w")
    def load3():
        f(a=js.fetch("1"), *[requests.get("2")])
    load()
    load2()
    load3()
    """
    messages = [d.message for d in check(src, select=["CFW202"])]
    assert [m.split(" performs")[0] for m in messages] == [
        "`load()` does I/O in its body (`requests.post()`",
        "`load2()` does I/O in its body (`requests.put()`",
        "`load3()` does I/O in its body (`requests.get()`",
    ]


def test_import_from_javascript_by_keyword_and_names_bound_in_functions():
    src = """\
    import requests
    from workers import import_from_javascript
    sockets = import_from_javascript(module="cloudflare:sockets")
    sockets.connect("h")
    def g():
        global s3
        s3 = requests.Session()
    s3.get("late")
    """
    assert findings(src, "CFW202") == [("CFW202", 4, 1), ("CFW202", 8, 1)]
