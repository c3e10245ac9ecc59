from helpers import IMPLICIT_STEPS, PY313, findings

SRC = """\
from workers import WorkflowEntrypoint

class Flow(WorkflowEntrypoint):
    async def run(self, event, step):
        @step.do()
        async def fetch_data():
            return 1

        @step.do("named_step")
        async def other():
            return 2

        @step.do("spaced name")
        async def spaced():
            return 3

        @step.do(name="final")
        async def final(fetch_data, named_step, ctx, spaced, result_b=0):
            return fetch_data

        return await final()
"""


def test_unknown_parameters_fire_under_implicit_dependencies():
    # `spaced` is the function's name, but the step is called "spaced name"
    assert findings(SRC, "CFW604", date=IMPLICIT_STEPS) == [("CFW604", 18, 54), ("CFW604", 18, 62)]


def test_silent_under_legacy_dates_and_with_the_opt_out_flag():
    assert findings(SRC, "CFW604", date=PY313) == []
    flag = ("python_workers", "no_python_workflows_implicit_dependencies")
    assert findings(SRC, "CFW604", date=IMPLICIT_STEPS, flags=flag) == []


def test_silent_when_steps_may_be_declared_elsewhere_or_have_computed_names():
    src = """\
from workers import WorkflowEntrypoint

class Flow(WorkflowEntrypoint):
    async def run(self, event, step):
        register_common_steps(step)

        @step.do()
        async def uses(common):
            return common
        return await uses()

class Other(WorkflowEntrypoint):
    async def run(self, event, step):
        for region in ("eu", "us"):
            @step.do(f"load_{region}")
            async def load():
                return region

        @step.do()
        async def uses(load_eu):
            return load_eu
        return await uses()
"""
    assert findings(src, "CFW604", date=IMPLICIT_STEPS) == []


def test_depends_steps_are_left_to_cfw603():
    src = """\
from workers import WorkflowEntrypoint

class Flow(WorkflowEntrypoint):
    async def run(self, event, step):
        @step.do()
        async def a():
            return 1

        @step.do("b", depends=[a])
        async def b(result_a):
            return result_a
"""
    assert findings(src, "CFW604", date=IMPLICIT_STEPS) == []
