from helpers import EXTERNAL_SDK, IMPLICIT_STEPS, PY313, findings, fix

STREAMING = """\
import asgi
from fastapi import FastAPI
from fastapi.responses import StreamingResponse
from workers import WorkerEntrypoint

app = FastAPI()


@app.get("/stream")
async def stream():
    return StreamingResponse(events(), media_type="text/event-stream")

"""


def test_fires_and_adds_self_ctx_keeping_layout():
    src = (
        STREAMING
        + """\
class Default(WorkerEntrypoint):
    async def fetch(self, request):
        return await asgi.fetch(app, request, self.env)


class Api(WorkerEntrypoint):
    async def fetch(self, request):
        return await asgi.fetch(
            app,
            request.js_object,
            self.env,
        )


class Named(WorkerEntrypoint):
    async def fetch(me, request):
        return await asgi.fetch(app, request, env=me.env)  # keywords
"""
    )
    assert findings(src, "CFW502", date=PY313) == [("CFW502", 15, 22), ("CFW502", 20, 22), ("CFW502", 29, 22)]
    assert (
        fix(src, select=["CFW502"], date=PY313)
        == STREAMING
        + """\
class Default(WorkerEntrypoint):
    async def fetch(self, request):
        return await asgi.fetch(app, request, self.env, self.ctx)


class Api(WorkerEntrypoint):
    async def fetch(self, request):
        return await asgi.fetch(
            app,
            request.js_object,
            self.env,
            self.ctx,
        )


class Named(WorkerEntrypoint):
    async def fetch(me, request):
        return await asgi.fetch(app, request, env=me.env, ctx=me.ctx)  # keywords
"""
    )


def test_sse_starlette_and_event_stream_media_type_count_as_streaming():
    sse = """\
from sse_starlette.sse import EventSourceResponse
from workers import WorkerEntrypoint, asgi

class Default(WorkerEntrypoint):
    async def fetch(self, request):
        return await asgi.fetch(app, request, self.env)
"""
    assert findings(sse, "CFW502", date=PY313, sdk="1.0.0") == [("CFW502", 6, 22)]
    media = """\
import asgi
from starlette.responses import Response

async def events(request):
    return Response(body(), media_type="text/event-stream")

async def serve(request, env):
    return await asgi.fetch(app, request, env)
"""
    assert findings(media, "CFW502", date=PY313) == [("CFW502", 8, 18)]
    # outside an entrypoint method there is no self.ctx to add
    assert fix(media, select=["CFW502"], date=PY313) == media


def test_silent_without_streaming_or_with_ctx():
    no_stream = """\
import asgi
from fastapi import FastAPI
from workers import WorkerEntrypoint

app = FastAPI()

class Default(WorkerEntrypoint):
    async def fetch(self, request):
        return await asgi.fetch(app, request, self.env)
"""
    assert findings(no_stream, "CFW502", date=PY313) == []
    with_ctx = (
        STREAMING
        + """\
class Default(WorkerEntrypoint):
    async def fetch(self, request):
        await asgi.fetch(app, request, self.env, self.ctx)
        return await asgi.fetch(app, request, self.env, ctx=self.ctx)


class Local:
    async def fetch(self, app, request):
        return await self.asgi.fetch(app, request, None)  # not the asgi module
"""
    )
    assert findings(with_ctx, "CFW502", date=PY313) == []


def test_crlf_file_keeps_its_line_endings():
    src = (
        STREAMING
        + """\
class Default(WorkerEntrypoint):
    async def fetch(self, request):
        return await asgi.fetch(app,
                                request,
                                self.env)  # comment
"""
    ).replace("\n", "\r\n")
    expected = (
        STREAMING
        + """\
class Default(WorkerEntrypoint):
    async def fetch(self, request):
        return await asgi.fetch(app,
                                request,
                                self.env,
                                self.ctx)  # comment
"""
    ).replace("\n", "\r\n")
    assert fix(src, select=["CFW502"], dedent=False, date=PY313) == expected


def test_only_where_the_runtime_asgi_or_an_sdk_before_1_1_1_runs():
    # facts §7: workers-runtime-sdk >= 1.1.1 ignores ctx and streams any response
    src = (
        STREAMING
        + """\
class Default(WorkerEntrypoint):
    async def fetch(self, request):
        return await asgi.fetch(app, request, self.env)
"""
    )
    assert findings(src, "CFW502", date=IMPLICIT_STEPS) == [("CFW502", 15, 22)]
    assert findings(src, "CFW502", date=PY313, sdk="1.1.0") == [("CFW502", 15, 22)]
    assert findings(src, "CFW502", date=PY313, sdk="1.1.1") == []
    assert findings(src, "CFW502", date=EXTERNAL_SDK, sdk="1.6.0") == []
    # the date requires a vendored SDK and the version is unknown: pywrangler vendors a current one
    assert findings(src, "CFW502", date=EXTERNAL_SDK) == []
    assert findings(src, "CFW502", date=EXTERNAL_SDK, sdk="1.0.2") == [("CFW502", 15, 22)]
    # `from workers import asgi` is the vendored SDK: only a known old version is reported
    vendored = src.replace("import asgi\n", "from workers import asgi\n", 1)
    assert findings(vendored, "CFW502", date=PY313) == []
    assert findings(vendored, "CFW502", date=PY313, sdk="1.0.2") == [("CFW502", 15, 22)]


def test_a_stream_that_is_not_sse_does_not_need_ctx():
    # the in-runtime asgi raises only for text/event-stream; ctx changes nothing for other streams
    plain = (
        STREAMING.replace('media_type="text/event-stream"', 'media_type="text/plain"')
        + """\
class Default(WorkerEntrypoint):
    async def fetch(self, request):
        return await asgi.fetch(app, request, self.env)
"""
    )
    assert findings(plain, "CFW502", date=PY313) == []
