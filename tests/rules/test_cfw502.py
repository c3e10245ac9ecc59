from helpers import findings, fix

STREAMING = """\
import asgi
from fastapi import FastAPI
from fastapi.responses import StreamingResponse
from workers import WorkerEntrypoint

app = FastAPI()


@app.get("/stream")
async def stream():
    return StreamingResponse(numbers(), media_type="text/plain")

"""


def test_fires_and_adds_self_ctx_keeping_layout():
    src = STREAMING + """\
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
    assert findings(src, "CFW502") == [("CFW502", 15, 22), ("CFW502", 20, 22), ("CFW502", 29, 22)]
    assert fix(src, select=["CFW502"]) == STREAMING + """\
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


def test_sse_starlette_and_event_stream_media_type_count_as_streaming():
    sse = """\
from sse_starlette.sse import EventSourceResponse
from workers import WorkerEntrypoint, asgi

class Default(WorkerEntrypoint):
    async def fetch(self, request):
        return await asgi.fetch(app, request, self.env)
"""
    assert findings(sse, "CFW502") == [("CFW502", 6, 22)]
    media = """\
import asgi
from starlette.responses import Response

async def events(request):
    return Response(body(), media_type="text/event-stream")

async def serve(request, env):
    return await asgi.fetch(app, request, env)
"""
    assert findings(media, "CFW502") == [("CFW502", 8, 18)]
    # outside an entrypoint method there is no self.ctx to add
    assert fix(media, select=["CFW502"]) == media


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
    assert findings(no_stream, "CFW502") == []
    with_ctx = STREAMING + """\
class Default(WorkerEntrypoint):
    async def fetch(self, request):
        await asgi.fetch(app, request, self.env, self.ctx)
        return await asgi.fetch(app, request, self.env, ctx=self.ctx)


class Local:
    async def fetch(self, app, request):
        return await self.asgi.fetch(app, request, None)  # not the asgi module
"""
    assert findings(with_ctx, "CFW502") == []


def test_crlf_file_keeps_its_line_endings():
    src = (STREAMING + """\
class Default(WorkerEntrypoint):
    async def fetch(self, request):
        return await asgi.fetch(app,
                                request,
                                self.env)  # comment
""").replace("\n", "\r\n")
    expected = (STREAMING + """\
class Default(WorkerEntrypoint):
    async def fetch(self, request):
        return await asgi.fetch(app,
                                request,
                                self.env,
                                self.ctx)  # comment
""").replace("\n", "\r\n")
    assert fix(src, select=["CFW502"], dedent=False) == expected
