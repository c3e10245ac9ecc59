from helpers import IMPLICIT_STEPS, PY313, findings

OPT_OUT = ("python_workers", "no_python_workflows_implicit_dependencies")

HEAD = """\
import asyncio
import httpx
from workers import WorkflowEntrypoint, fetch

"""


def test_awaited_io_in_run_fires_at_the_await():
    src = (
        HEAD
        + """\
class Flow(WorkflowEntrypoint):
    async def run(self, event, step):
        data = await fetch("https://example.com")
        value = await self.env.KV.get("key")
        async with httpx.AsyncClient() as client:
            r = await client.get("https://example.com")
        return data
"""
    )
    expected = [
        ("CFW601", 7, 16),
        ("CFW601", 8, 17),
        ("CFW601", 10, 17),
    ]
    assert findings(src, "CFW601", date=PY313) == expected
    assert findings(src, "CFW601", date=IMPLICIT_STEPS) == expected
    assert findings(src, "CFW601", date=IMPLICIT_STEPS, flags=OPT_OUT) == expected


def test_steps_sleeps_and_waits_are_fine_on_both_sides_of_the_date():
    src = (
        HEAD
        + """\
class Flow(WorkflowEntrypoint):
    async def run(self, event, st):
        @st.do("load")
        async def load():
            return await (await fetch("https://example.com")).json()

        @st.do()
        async def other():
            return await self.env.KV.get("key")

        first = await load()
        await st.sleep("pause", "10 seconds")
        await st.sleep_until("later", "2026-01-01T00:00:00Z")
        approval = await st.wait_for_event("approval", "approved", timeout="1 hour")
        a, b = await asyncio.gather(load(), other())
        task = asyncio.create_task(other())
        await task
        pending = other()
        await pending
        return first
"""
    )
    for date in (PY313, IMPLICIT_STEPS):
        assert findings(src, "CFW601", date=date) == []
    assert findings(src, "CFW601", date=IMPLICIT_STEPS, flags=OPT_OUT) == []


def test_gather_reports_the_non_step_argument():
    src = (
        HEAD
        + """\
class Flow(WorkflowEntrypoint):
    async def run(self, event, step):
        @step.do("a")
        async def a():
            return 1

        await asyncio.gather(a(), fetch("https://example.com"))
        await asyncio.wait_for(self.env.KV.get("k"), timeout=5)
"""
    )
    assert findings(src, "CFW601") == [("CFW601", 11, 35), ("CFW601", 12, 9)]


def test_followed_through_a_variable_and_a_local_helper():
    src = (
        HEAD
        + """\
class Flow(WorkflowEntrypoint):
    async def run(self, event, step):
        async def load_config():
            return await self.env.CONFIG.get("cfg")

        pending = fetch("https://example.com")
        await pending
        cfg = await load_config()
"""
    )
    assert findings(src, "CFW601") == [("CFW601", 11, 9), ("CFW601", 12, 15)]


def test_asyncio_sleep_is_a_warning():
    src = (
        HEAD
        + """\
class Flow(WorkflowEntrypoint):
    async def run(self, event, step):
        await asyncio.sleep(60)
"""
    )
    diags = [d for d in __import__("helpers").check(src, select=["CFW601"])]
    assert [(d.start.line, d.start.column, d.severity.value) for d in diags] == [(7, 9, "warning")]


def test_look_alikes_stay_silent():
    src = (
        HEAD
        + """\
class Flow(WorkflowEntrypoint):
    async def run(self, event, step):
        async def await_step(fn):
            return await fn()

        @step.do("a")
        async def a():
            return 1

        await await_step(a)          # a helper handed a step
        await self.phase_two(step)   # a helper handed `step` itself
        for job in self.jobs:
            await job                # cannot follow: silent

        async def phase():
            @step.do("inner")
            async def inner():
                return 2
            return await inner()

        await phase()                # a local function that declares and awaits steps

        s = step
        @s.do("aliased")
        async def aliased():
            return await fetch("https://example.com")

        @durable(step, "wrapped")
        async def wrapped():
            return await fetch("https://example.com")

        await aliased()
        await wrapped()
        await s.sleep("pause", 5)

    async def phase_two(self, step):
        return await fetch("https://example.com")  # not run(): not this rule's business


class NotAWorkflow:
    async def run(self, event, step):
        return await fetch("https://example.com")


async def run(event, step):
    return await fetch("https://example.com")
"""
    )
    assert findings(src, "CFW601") == []


def test_step_parameter_named_otherwise_and_aliases():
    src = """\
import asyncio as aio
from workers import WorkflowEntrypoint as WE, fetch as get

class Base(WE):
    pass

class Flow(Base):
    async def run(self, ev, s):
        @s.do("x")
        async def x():
            return 1
        await aio.gather(x(), get("u"))
"""
    assert findings(src, "CFW601") == [("CFW601", 12, 31)]
