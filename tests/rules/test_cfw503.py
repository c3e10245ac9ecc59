from helpers import check, findings


def test_servers_and_event_loops_fire():
    src = """\
import asyncio
import uvicorn
from flask import Flask
from fastapi import FastAPI
from workers import WorkerEntrypoint

app = FastAPI()
web = Flask(__name__)


class Default(WorkerEntrypoint):
    async def fetch(self, request):
        return asyncio.run(self.work())


uvicorn.run(app, host="0.0.0.0", port=8000)
web.run(debug=True)
app.run()
"""
    assert findings(src, "CFW503") == [("CFW503", 13, 16), ("CFW503", 16, 1), ("CFW503", 17, 1), ("CFW503", 18, 1)]
    messages = [d.message for d in check(src, select=["CFW503"])]
    assert "asyncio.run() cannot be called from a running event loop" in messages[0]
    assert "`web.run()` starts the `Flask` development server" in messages[2]


def test_aliases():
    src = """\
from uvicorn import run as serve
import asyncio as aio
from aiohttp import web

serve("main:app")
aio.run(main())
web.run_app(application)
"""
    assert findings(src, "CFW503") == [("CFW503", 5, 1), ("CFW503", 6, 1), ("CFW503", 7, 1)]


def test_main_guard_and_functions_only_used_there_are_silent():
    src = """\
import asyncio
import uvicorn
from fastapi import FastAPI

app = FastAPI()


def serve():
    uvicorn.run(app, port=8787)


def main():
    serve()


if __name__ == "__main__":
    main()
    uvicorn.run(app)
    asyncio.run(check())

if "__main__" == __name__: app.run()

if __name__ != "__main__":
    pass
else:
    asyncio.run(check())
"""
    assert findings(src, "CFW503") == []


def test_function_also_used_outside_the_guard_fires():
    src = """\
import uvicorn

def serve():
    uvicorn.run("main:app")

serve()

if __name__ == "__main__":
    serve()
"""
    assert findings(src, "CFW503") == [("CFW503", 4, 5)]


def test_look_alikes_stay_silent():
    src = """\
import subprocess


class Job:
    def run(self):
        return 1


job = Job()
job.run()
subprocess.run  # not called; and not this rule


def run(app):
    return app.run()   # `app` is a parameter: unknown


async def handler(loop):
    await loop.run_in_executor(None, print)
"""
    assert findings(src, "CFW503") == []


def test_event_loops_driven_by_hand():
    src = """\
import asyncio

loop = asyncio.new_event_loop()
loop.run_until_complete(main())
asyncio.get_event_loop().run_forever()


async def handler(other):
    other.run_until_complete(x())   # unknown object
"""
    assert findings(src, "CFW503") == [("CFW503", 4, 1), ("CFW503", 5, 1)]


def test_guard_spellings_elif_and_functions_rebound_or_redefined():
    src = """\
import asyncio
import uvicorn

def serve():
    uvicorn.run("a")

def serve2():
    uvicorn.run("b")
serve2 = 1

if __name__ != "__main__":
    pass
elif True:
    asyncio.run(z())
if __name__ == "__ma" "in__":
    asyncio.run(y())
if __name__ != "__main__":
    pass
else:
    serve()
    serve2()
"""
    # `elif` after `!=` and a concatenated "__main__" are not main guards; the functions are
    # used only in the `else:` of a `!=` guard (a rebinding to a non-function changes nothing)
    assert findings(src, "CFW503") == [("CFW503", 14, 5), ("CFW503", 16, 5)]


def test_only_the_event_loop_bound_in_every_binding_counts():
    src = """\
import asyncio

loop = asyncio.new_event_loop()
loop = asyncio.new_event_loop()
loop.run_forever()
other = asyncio.get_event_loop()
other = make()
other.run_until_complete(job())
"""
    assert findings(src, "CFW503") == [("CFW503", 5, 1)]
