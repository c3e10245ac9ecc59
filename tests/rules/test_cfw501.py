from helpers import check, findings, fix


def test_direct_call_on_a_module_level_app_fires_and_is_fixed():
    src = """\
from fastapi import FastAPI
from workers import WorkerEntrypoint

app = FastAPI()


class Default(WorkerEntrypoint):
    async def fetch(self, request):
        return await app(request)
"""
    assert findings(src, "CFW501") == [("CFW501", 9, 22)]
    assert (
        fix(src, select=["CFW501"])
        == """\
from fastapi import FastAPI
from workers import WorkerEntrypoint
import asgi

app = FastAPI()


class Default(WorkerEntrypoint):
    async def fetch(self, request):
        return await asgi.fetch(app, request, self.env)
"""
    )


def test_aliases_middleware_and_existing_asgi_import():
    src = """\
import fastapi as fa
import asgi
from starlette.applications import Starlette as S
from starlette.middleware.cors import CORSMiddleware
from workers import WorkerEntrypoint

api = fa.FastAPI()
api = CORSMiddleware(api, allow_origins=["*"])
site: S = S(routes=[])


class Default(WorkerEntrypoint):
    async def fetch(this, request):
        if request.url.endswith("/site"):
            return await site(
                request.js_object  # the JS request also works
            )
        return await api(request)
"""
    assert findings(src, "CFW501") == [("CFW501", 15, 26), ("CFW501", 18, 22)]
    assert (
        fix(src, select=["CFW501"])
        == """\
import fastapi as fa
import asgi
from starlette.applications import Starlette as S
from starlette.middleware.cors import CORSMiddleware
from workers import WorkerEntrypoint

api = fa.FastAPI()
api = CORSMiddleware(api, allow_origins=["*"])
site: S = S(routes=[])


class Default(WorkerEntrypoint):
    async def fetch(this, request):
        if request.url.endswith("/site"):
            return await asgi.fetch(
                site, request.js_object, this.env  # the JS request also works
            )
        return await asgi.fetch(api, request, this.env)
"""
    )


def test_from_workers_import_asgi_is_reused():
    src = """\
from fastapi import FastAPI
from workers import WorkerEntrypoint, asgi as bridge

app = FastAPI()

class Default(WorkerEntrypoint):
    async def fetch(self, request):
        return await app(request)
"""
    assert fix(src, select=["CFW501"]).endswith("return await bridge.fetch(app, request, self.env)\n")


def test_reported_without_fix_outside_entrypoint_methods():
    src = """\
from fastapi import FastAPI

app = FastAPI()

async def serve(request):
    return await app(request)

class Helper:
    async def handle(self, request):
        return await app(request)
"""
    diags = check(src, select=["CFW501"])
    assert [(d.start.line, d.start.column, d.fix is None) for d in diags] == [(6, 18, True), (10, 22, True)]
    assert fix(src, select=["CFW501"]) == src


def test_look_alikes_stay_silent():
    src = """\
from fastapi import FastAPI
from myproject.web import app as imported_app
from workers import WorkerEntrypoint
import asgi

app = FastAPI()
handler = make_handler()


class Default(WorkerEntrypoint):
    async def fetch(self, request):
        await app(self.scope, self.receive, self.send)  # the real ASGI call
        await handler(request)                          # not an app
        await imported_app(request)                     # cannot tell what it is
        app = build()
        return await app(request)                       # a local of unknown kind


class Other(WorkerEntrypoint):
    async def fetch(self, request):
        return await asgi.fetch(app, request, self.env)


def factory(app):
    return app(1)
"""
    assert findings(src, "CFW501") == []


def test_no_fix_when_asgi_means_something_else_here():
    src = """\
import asgi
from fastapi import FastAPI
from workers import WorkerEntrypoint

app = FastAPI()

class Default(WorkerEntrypoint):
    async def fetch(self, request):
        asgi = self.env.ASGI_HELPER
        return await app(request)
"""
    assert findings(src, "CFW501") == [("CFW501", 10, 22)]
    assert fix(src, select=["CFW501"]) == src
