import textwrap

from helpers import LEGACY_312, PY313, findings, fix

CODE = "CFW406"


def test_direct_and_through_a_local_fire():
    src = """\
    from workers import Response, WorkerEntrypoint


    class Default(WorkerEntrypoint):
        async def fetch(self, request):
            name = (await request.json()).name
            data = await request.json()
            return Response(f"{data.user.id} {data.get('x')} {data['y']}")
    """
    assert findings(src, CODE) == [(CODE, 6, 16), (CODE, 8, 28)]


def test_fix_subscripts():
    src = """\
    from workers import Response, WorkerEntrypoint


    class Default(WorkerEntrypoint):
        async def fetch(self, request):
            name = (await request.json()).name  # who
            data: dict = await request.json()
            data.total = data.total + 1
            return Response(str(data.user.id))
    """
    assert (
        fix(src, select=[CODE])
        == """\
from workers import Response, WorkerEntrypoint


class Default(WorkerEntrypoint):
    async def fetch(self, request):
        name = (await request.json())["name"]  # who
        data: dict = await request.json()
        data["total"] = data["total"] + 1
        return Response(str(data["user"].id))
"""
    )


def test_fix_inside_f_strings_uses_the_other_quote():
    src = """\
    from workers import Response, WorkerEntrypoint


    class Default(WorkerEntrypoint):
        async def fetch(self, request):
            data = await request.json()
            a = f"{data.first} {f'{data.last}'}"
            b = f'{data.first}'
            return Response(a + b)
    """
    assert (
        fix(src, select=[CODE])
        == """\
from workers import Response, WorkerEntrypoint


class Default(WorkerEntrypoint):
    async def fetch(self, request):
        data = await request.json()
        a = f"{data['first']} {f'{data.last}'}"
        b = f'{data["first"]}'
        return Response(a + b)
"""
    )


def test_annotated_request_parameter_and_legacy_handler_decorator():
    src = """\
    from workers import Request, handler
    import workers

    async def helper(req: Request):
        return (await req.json()).name

    async def helper2(req: workers.Request):
        body = await req.json()
        return body.name

    @handler
    async def on_fetch(request, env):
        return (await request.json()).name
    """
    assert findings(src, CODE, date=LEGACY_312) == [(CODE, 5, 12), (CODE, 9, 12), (CODE, 13, 12)]


def test_durable_object_fetch():
    src = """\
    from workers import DurableObject

    class Counter(DurableObject):
        async def fetch(self, request):
            return (await request.json()).n
    """
    assert findings(src, CODE, date=PY313) == [(CODE, 5, 16)]


def test_called_attribute_is_reported_without_fix():
    src = """\
    from workers import WorkerEntrypoint

    class Default(WorkerEntrypoint):
        async def fetch(self, request):
            return (await request.json()).compute()
    """
    assert findings(src, CODE) == [(CODE, 5, 16)]
    assert fix(src, select=[CODE]) == textwrap.dedent(src)  # no fix offered


def test_look_alikes_stay_silent():
    src = """\
    from types import SimpleNamespace
    from workers import WorkerEntrypoint, fetch

    async def on_fetch(request, env):
        # no @handler: a raw JS Request; its json() gives a JsProxy with attributes
        return (await request.json()).name

    class Other:
        async def fetch(self, request):
            return (await request.json()).name

    class Default(WorkerEntrypoint):
        async def fetch(self, request):
            data = await request.json()
            data = SimpleNamespace(**data)
            a = data.name
            items = (await request.json()).items()
            keys = (await request.json()).keys()
            raw = (await request.js_object.json()).name
            resp = await fetch("https://example.com")
            other = (await resp.json()).name
            return a, items, keys, raw, other

        async def rpc_method(self, request):
            return (await request.json()).name

        async def helper(self, request):
            request = self.other
            return (await request.json()).name
    """
    assert findings(src, CODE) == []


def test_on_fetch_method_of_an_unrelated_class_is_not_a_handler():
    src = """\
    from workers import handler

    class Router:
        @handler
        async def on_fetch(self, request, env):
            return (await request.json()).name
    """
    assert findings(src, CODE, date=LEGACY_312) == []
