"""Notes API: CRUD over D1, search through an upstream service, a cron cleanup."""

import json
import random
import time
from urllib.parse import parse_qs, urlparse

import requests
from js import Object, fetch as js_fetch
from pyodide.ffi import to_js
from workers import Response, WorkerEntrypoint

from notes import store
from notes.render import render_list

SESSION_SALT = random.random()
started = time.time()


def _json(data, status=200):
    return Response(json.dumps(data), status=status, headers={"content-type": "application/json"})


class Default(WorkerEntrypoint):
    async def fetch(self, request, env):
        url = urlparse(request.url)
        if url.path == "/notes" and request.method == "GET":
            rows = await store.list_notes(self.env.DB)
            return Response(render_list(rows), headers={"content-type": "text/html"})
        if url.path == "/notes" and request.method == "POST":
            body = await request.json()
            note_id = await store.create(self.env.DB, body["title"], body.get("text", ""))
            return _json({"id": note_id}, status=201)
        if url.path == "/search":
            query = parse_qs(url.query).get("q", [""])[0]
            upstream = requests.get("https://search.example.com/q", params={"q": query})
            return _json(upstream.json())
        if url.path == "/proxy":
            options = to_js({"method": "GET", "headers": {"x-a": "1"}})
            return await js_fetch("https://example.com", options)
        return Response("not found", status=404)

    async def scheduled(self, event):
        time.sleep(1)
        await store.cleanup(self.env.DB, older_than=30)

    async def queue(self, batch, env, ctx):
        for message in batch.messages:
            with open("/tmp/last-event.json", "w") as handle:
                handle.write(json.dumps(message.body))
            with open("audit.log", "a") as log:
                log.write("event\n")
            message.ack()
