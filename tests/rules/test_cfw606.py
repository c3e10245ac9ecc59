from helpers import IMPLICIT_STEPS, PY313, findings

HEAD = """\
import asyncio
from workers import WorkflowEntrypoint

class Flow(WorkflowEntrypoint):
    async def run(self, event, step):
        @step.do("fetch_data")
        async def fetch_data():
            return {"n": 1}

"""


def test_step_called_without_await_fires_on_both_sides_of_the_date():
    src = (
        HEAD
        + """\
        fetch_data()
        result = fetch_data()
        total = result["n"]
        unused = fetch_data()
        print(f"{fetch_data()}")
        if fetch_data():
            pass
        for item in fetch_data():
            pass
        return fetch_data()
"""
    )
    expected = [
        ("CFW606", 10, 9),
        ("CFW606", 11, 18),
        ("CFW606", 13, 18),
        ("CFW606", 14, 18),
        ("CFW606", 15, 12),
        ("CFW606", 17, 21),
        ("CFW606", 19, 16),
    ]
    for date in (PY313, IMPLICIT_STEPS):
        assert findings(src, "CFW606", date=date) == expected
    opt_out = ("python_workers", "no_python_workflows_implicit_dependencies")
    assert findings(src, "CFW606", date=IMPLICIT_STEPS, flags=opt_out) == expected


def test_awaited_gathered_or_handed_on_is_fine():
    src = (
        HEAD
        + """\
        first = await fetch_data()
        pending = fetch_data()
        second = await pending
        a, b = await asyncio.gather(fetch_data(), fetch_data())
        tasks = [fetch_data(), fetch_data()]
        results = await asyncio.gather(*tasks)
        task = asyncio.create_task(fetch_data())
        await task

        async def helper():
            return await fetch_data()

        def shadowing(fetch_data):
            return fetch_data()

        not_called = fetch_data
        maybe = fetch_data() if event else None
        await maybe
        return await helper()
"""
    )
    assert findings(src, "CFW606") == []


def test_inside_nested_functions_too():
    src = (
        HEAD
        + """\
        async def helper():
            fetch_data()
            return 1
        return await helper()
"""
    )
    assert findings(src, "CFW606") == [("CFW606", 11, 13)]


def test_bare_decorator_fires():
    src = """\
from workers import WorkflowEntrypoint

class Flow(WorkflowEntrypoint):
    async def run(self, event, step):
        @step.do
        async def load():
            return 1

        @step.do()
        async def fine():
            return 2

        return await fine()
"""
    for date in (PY313, IMPLICIT_STEPS):
        assert findings(src, "CFW606", date=date) == [("CFW606", 5, 9)]


def test_sync_step_functions_are_not_reported():
    # the runtime calls the step function and awaits the result only if it is a coroutine
    src = """\
from workers import WorkflowEntrypoint

class Flow(WorkflowEntrypoint):
    async def run(self, event, step):
        @step.do("compute")
        def compute():
            return 42

        return await compute()
"""
    assert findings(src, "CFW606") == []


def test_not_a_workflow():
    src = """\
class Flow:
    async def run(self, event, step):
        @step.do("x")
        async def x():
            return 1
        x()
"""
    assert findings(src, "CFW606") == []


def test_plain_def_steps_are_fine_for_every_workflow_rule_in_both_modes():
    # facts §2: _do_call awaits the callback's result only if it is a coroutine (both SDKs)
    legacy = """\
from workers import WorkflowEntrypoint

class Flow(WorkflowEntrypoint):
    async def run(self, event, step):
        @step.do("load")
        def load():
            return {"n": 1}

        @step.do("total", depends=[load])
        def total(data):
            return data["n"] + 1

        return await total()
"""
    implicit = """\
from workers import WorkflowEntrypoint

class Flow(WorkflowEntrypoint):
    async def run(self, event, step):
        @step.do()
        def load():
            return {"n": 1}

        @step.do()
        def total(load):
            return load["n"] + 1

        return await total()
"""
    assert findings(legacy, select=["CFW6"], date=PY313) == []
    assert findings(implicit, select=["CFW6"], date=IMPLICIT_STEPS) == []
