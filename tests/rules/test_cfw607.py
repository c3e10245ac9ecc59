from helpers import IMPLICIT_STEPS, PY313, check, findings

SRC = """\
import time, uuid, random
import datetime as dt
from datetime import datetime
from workers import WorkflowEntrypoint

class Flow(WorkflowEntrypoint):
    async def run(self, event, step):
        @step.do(f"fetch-{time.time()}")
        async def a():
            return 1

        name = str(uuid.uuid4())

        @step.do(name)
        async def b():
            return 2

        await step.sleep(f"wait-{datetime.now().isoformat()}", "1 minute")
        await step.wait_for_event("evt-" + str(random.randint(1, 9)), "approval")
        await step.sleep_until(name=f"until-{dt.date.today()}", timestamp="2030-01-01")

        @step.do(name=f"c-{event['payload']['id']}")
        async def c():
            return 3

        await step.sleep("wait", "1 minute")
        for i in range(3):
            await step.sleep(f"w-{i}", 5)
        when = datetime.now()  # used as a value, not in a name
        return when.isoformat()
"""


def test_fires_at_the_name_argument_on_both_sides_of_the_date():
    expected = [
        ("CFW607", 8, 18),
        ("CFW607", 14, 18),
        ("CFW607", 18, 26),
        ("CFW607", 19, 35),
        ("CFW607", 20, 37),
    ]
    for date in (PY313, IMPLICIT_STEPS):
        assert findings(SRC, "CFW607", date=date) == expected


def test_is_a_warning_naming_the_source():
    diags = check(SRC, select=["CFW607"])
    assert {d.severity.value for d in diags} == {"warning"}
    assert "time.time()" in diags[0].message and "uuid.uuid4()" in diags[1].message


def test_local_names_that_shadow_modules_are_not_them():
    src = """\
from workers import WorkflowEntrypoint

class Flow(WorkflowEntrypoint):
    async def run(self, event, step):
        time = event["payload"]["time"]
        @step.do(f"at-{time}")
        async def a():
            return 1
        uuid = event["payload"]
        await step.sleep(f"s-{uuid.get('id')}", 1)
"""
    assert findings(src, "CFW607") == []
