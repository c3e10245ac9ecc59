import os
import subprocess
from js import Response, Headers, JSON

CACHE_DIR = os.path.join(os.path.dirname(__file__), "cache")
os.makedirs(CACHE_DIR, exist_ok=True)


async def on_fetch(request, env):
    headers = Headers.new({"content-type": "application/json"}.items())
    payload = JSON.stringify({"ok": True, "pid": os.getpid()})
    return Response.new(payload, headers=headers)


async def on_scheduled(controller, env, ctx):
    subprocess.run(["echo", "tick"])
    with open(os.path.join(CACHE_DIR, "tick"), "w") as handle:
        handle.write("1")
