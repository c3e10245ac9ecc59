import textwrap

from helpers import check, findings, fix

CODE = "CFW410"


def test_unsupported_returns_fire_at_the_value():
    src = """\
    from dataclasses import dataclass
    from typing import NamedTuple

    from workers import DurableObject, WorkerEntrypoint


    @dataclass
    class Point:
        x: int


    class Pair(NamedTuple):
        a: int
        b: int


    class Default(WorkerEntrypoint):
        async def pair(self):
            return 1, 2

        async def buffer(self, n):
            return bytearray(n)

        def numbers(self):
            return range(10)

        def imag(self):
            return 1 + 2j

        async def point(self):
            return Point(1)

        async def named(self):
            return Pair(1, 2)

        async def nested(self):
            return {"items": [(1, 2)], "ok": True}

        async def via_local(self):
            result = (1, 2)
            return result


    class Room(DurableObject):
        async def members(self):
            return tuple(["a"])
    """
    assert findings(src, CODE) == [
        (CODE, 19, 16),
        (CODE, 22, 16),
        (CODE, 25, 16),
        (CODE, 28, 16),
        (CODE, 31, 16),
        (CODE, 34, 16),
        (CODE, 37, 28),
        (CODE, 41, 16),
        (CODE, 46, 16),
    ]


def test_special_private_static_and_nested_returns_are_silent():
    src = """\
    from workers import DurableObject, Response, WorkerEntrypoint, WorkflowEntrypoint


    class Thing:
        pass


    class Default(WorkerEntrypoint):
        async def fetch(self, request):
            return Response("ok")

        async def scheduled(self, controller, env, ctx):
            return 1, 2

        async def _helper(self):
            return 1, 2

        @staticmethod
        def pair():
            return 1, 2

        @classmethod
        def make(cls):
            return cls, 1

        @property
        def info(self):
            return (1, 2)

        async def ok(self):
            def inner():
                return 1, 2
            key = lambda: (1, 2)
            return [inner(), key()]

        async def values(self):
            return {"a": [1, 2], "b": None, "c": "x", "n": 1.5}

        async def error(self):
            return ValueError("x")


    class Room(DurableObject):
        async def alarm(self, info):
            return 1, 2

        async def webSocketMessage(self, ws, message):
            return 1, 2


    class Flow(WorkflowEntrypoint):
        async def run(self, event, step):
            return 1, 2


    class NotAnEntrypoint:
        def pair(self):
            return 1, 2
    """
    assert findings(src, CODE) == []


def test_unknown_and_shadowed_classes_are_silent():
    src = """\
    from enum import Enum
    from pydantic import BaseModel

    from workers import WorkerEntrypoint


    class Color(Enum):
        RED = 1


    class Model(BaseModel):
        x: int


    class MyError(Exception):
        pass


    class Default(WorkerEntrypoint):
        async def a(self):
            return Color.RED

        async def b(self):
            return Model(x=1)

        async def c(self):
            return MyError("bad")

        async def d(self, range):
            return range(3)
    """
    assert findings(src, CODE) == []


def test_subclass_chain_of_entrypoints():
    src = """\
    from workers import WorkerEntrypoint

    class Base(WorkerEntrypoint):
        pass

    class Api(Base):
        async def coords(self):
            return (0, 0)
    """
    assert findings(src, CODE) == [(CODE, 8, 17)]  # inside the parentheses, as the engine positions nodes


def test_tuple_literals_become_lists_with_unsafe_fix():
    src = """\
    from workers import WorkerEntrypoint


    class Default(WorkerEntrypoint):
        async def stats(self):
            return 1, "two"

        async def pair(self):
            return ((1, 2), [3, (4,)])
    """
    assert findings(src, "CFW410") == [("CFW410", 6, 16), ("CFW410", 9, 17)]
    assert fix(src, select=["CFW410"]) == textwrap.dedent(src)  # unsafe only
    assert fix(src, select=["CFW410"], unsafe=True) == (
        "from workers import WorkerEntrypoint\n"
        "\n"
        "\n"
        "class Default(WorkerEntrypoint):\n"
        "    async def stats(self):\n"
        '        return [1, "two"]\n'
        "\n"
        "    async def pair(self):\n"
        "        return [[1, 2], [3, [4]]]\n"
    )
    # a name bound to a tuple is reported without a fix (its other uses may need the tuple)
    named = "from workers import WorkerEntrypoint\nclass D(WorkerEntrypoint):\n    async def m(self):\n        t = (1, 2)\n        return t\n"
    [diag] = check(named, select=["CFW410"], dedent=False)
    assert diag.fix is None


def test_helper_the_class_calls_on_itself_is_not_an_rpc_method():
    src = """\
    from workers import Response, WorkerEntrypoint


    class Default(WorkerEntrypoint):
        def parse(self, text):
            return text.split(":", 1)[0], len(text)

        async def fetch(self, request):
            key, size = self.parse(await request.text())
            return Response(key)
    """
    assert findings(src, "CFW410") == []
    assert findings(src.replace("self.parse(", "parse_it("), "CFW410") == [("CFW410", 6, 16)]
