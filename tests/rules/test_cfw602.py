from helpers import EXTERNAL_SDK, IMPLICIT_STEPS, PY313, check, findings, fix

HEAD = """\
import datetime as dt
from dataclasses import dataclass
from datetime import date, datetime
from workers import Response, WorkflowEntrypoint

@dataclass
class Order:
    id: int

class Payload(dict):
    pass

class Flow(WorkflowEntrypoint):
    async def run(self, event, step):
"""


def _severities(src: str, **kw):
    return [(d.start.line, d.start.column, d.severity.value) for d in check(src, select=["CFW602"], **kw)]


def test_errors_and_warnings_at_exact_positions():
    src = (
        HEAD
        + """\
        @step.do("a")
        async def a():
            return {"when": datetime.now(), "day": date.today(), "n": 1}

        @step.do("b")
        async def b():
            tags = {"x", "y"}
            return tags

        @step.do("c")
        async def c():
            return Order(1)

        @step.do("d")
        async def d():
            return Response("hi")

        @step.do("e")
        async def e():
            return [b"raw", set([1]), (x for x in range(3))]

        @step.do("f")
        async def f():
            return dt.datetime.now(dt.timezone.utc).replace(microsecond=0)

        @step.do("g")
        async def g():
            for i in range(3):
                yield i

        await a()
"""
    )
    assert _severities(src, date=IMPLICIT_STEPS) == [
        (17, 29, "error"),
        (17, 52, "error"),
        (22, 20, "warning"),
        (26, 20, "error"),
        (30, 20, "error"),
        (34, 21, "warning"),
        (34, 29, "warning"),
        (34, 40, "error"),
        (38, 20, "error"),
        (43, 17, "error"),
    ]
    # the same on both sides of the implicit-dependencies date
    assert findings(src, "CFW602", date=PY313) == findings(src, "CFW602", date=IMPLICIT_STEPS)


def test_plain_data_and_look_alikes_stay_silent():
    src = (
        HEAD
        + """\
        @step.do("ok")
        async def ok():
            now = datetime.now()
            later = now + dt.timedelta(days=1)
            return {"when": now.isoformat(), "tags": sorted({"a", "b"}), "ok": True, "later": later.isoformat()}

        @step.do("plain")
        async def plain():
            return Payload(a=1)

        @step.do("text")
        async def text():
            return b"abc".decode()

        def helper():
            return datetime.now()  # not a step

        class Local:
            pass

        @step.do("shadow")
        async def shadow():
            Order = dict
            return Order(id=1)

        return datetime.now()  # run's own result is not a step result
"""
    )
    for date in (PY313, IMPLICIT_STEPS, EXTERNAL_SDK):
        assert findings(src, "CFW602", date=date) == []


def test_unsafe_fix_isoformat_and_list():
    src = (
        HEAD
        + """\
        @step.do("a")
        async def a():
            stamp = datetime.now()
            return {"when": stamp, "day": date.today(), "ids": {1, 2}}

        @step.do("b")
        async def b():
            return set(event["payload"]["ids"])

        return await a()
"""
    )
    expected = (
        HEAD
        + """\
        @step.do("a")
        async def a():
            stamp = datetime.now()
            return {"when": stamp.isoformat(), "day": date.today().isoformat(), "ids": list({1, 2})}

        @step.do("b")
        async def b():
            return list(set(event["payload"]["ids"]))

        return await a()
"""
    )
    assert fix(src, unsafe=True, select=["CFW602"], date=IMPLICIT_STEPS) == expected
    assert fix(src, unsafe=True, select=["CFW602"], date=EXTERNAL_SDK) == expected
    # not a safe fix
    assert fix(src, select=["CFW602"], date=IMPLICIT_STEPS) == src


def test_class_instance_message_names_the_class():
    src = (
        HEAD
        + """\
        @step.do("c")
        async def c():
            return [Order(1)]
"""
    )
    (diag,) = check(src, select=["CFW602"])
    assert "Order" in diag.message and diag.severity.value == "error"


def test_parts_of_a_returned_variable_are_reported_where_they_are_built():
    src = (
        HEAD
        + """\
        @step.do("a")
        async def a():
            result = {"when": datetime.now(), "n": 1}
            return result
"""
    )
    assert findings(src, "CFW602") == [("CFW602", 17, 31)]


def test_external_sdk_converts_datetimes_but_refuses_tuples_and_bytearrays():
    src = (
        HEAD
        + """\
        @step.do("a")
        async def a():
            return {"when": datetime.now(), "day": date.today()}

        @step.do("b")
        async def b():
            return event["payload"]["id"], (1, 2)

        @step.do("c")
        async def c():
            return {"raw": bytearray(b"x"), "t": tuple([1])}
"""
    )
    # the in-runtime SDK (to_js): datetimes fail, tuples become arrays, bytearray is binary data
    assert _severities(src, date=IMPLICIT_STEPS) == [
        (17, 29, "error"),
        (17, 52, "error"),
        (25, 28, "warning"),
    ]
    # workers-runtime-sdk (python_to_rpc): datetime -> Date (naive on replay), date still fails,
    # tuple and bytearray raise TypeError
    assert _severities(src, date=EXTERNAL_SDK) == [
        (17, 29, "warning"),
        (17, 52, "error"),
        (21, 20, "error"),
        (21, 45, "error"),  # LibCST positions a parenthesised tuple inside its parentheses
        (25, 28, "error"),
        (25, 50, "error"),
    ]
    messages = [d.message for d in check(src, select=["CFW602"], date=EXTERNAL_SDK)]
    assert "TypeError: <class 'tuple'> cannot be sent over RPC." in messages[2]
    assert "older SDKs pass to `to_js`" in messages[0]


def test_the_sdk_version_in_the_lock_decides_the_conversion():
    # facts §2: python_to_rpc from workers-runtime-sdk 1.8.6, to_js up to 1.8.5; a vendored SDK
    # runs at any date
    src = (
        HEAD
        + """\
        @step.do("a")
        async def a():
            return {"when": datetime.now(), "day": date.today()}

        @step.do("b")
        async def b():
            return event["payload"]["id"], (1, 2)

        @step.do("c")
        async def c():
            return {"raw": bytearray(b"x"), "t": tuple([1])}
"""
    )
    to_js = [(17, 29, "error"), (17, 52, "error"), (25, 28, "warning")]
    rpc = [(17, 52, "error"), (21, 20, "error"), (21, 45, "error"), (25, 28, "error"), (25, 50, "error")]
    assert _severities(src, date=EXTERNAL_SDK, sdk="1.8.5") == to_js
    assert _severities(src, date=EXTERNAL_SDK, sdk="1.8.6") == rpc
    assert _severities(src, date=IMPLICIT_STEPS, sdk="1.9.5") == rpc
    assert _severities(src, date=IMPLICIT_STEPS, sdk="1.6.15") == to_js


def test_a_fetch_response_instead_of_its_body():
    src = """\
import js
from workers import WorkflowEntrypoint, fetch

class Flow(WorkflowEntrypoint):
    async def run(self, event, step):
        @step.do("a")
        async def a():
            return await fetch("https://example.com")

        @step.do("b")
        async def b():
            response = await js.fetch("https://example.com")
            return response

        @step.do("ok")
        async def ok():
            response = await fetch("https://example.com")
            return await response.json()
"""
    assert findings(src, "CFW602") == [("CFW602", 8, 20), ("CFW602", 13, 20)]
