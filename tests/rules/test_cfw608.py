from helpers import IMPLICIT_STEPS, PY313, findings, fix

CODE = "CFW608"

SRC = """\
from workers import WorkflowEntrypoint


class Orders(WorkflowEntrypoint):
    async def run(self, event, step):
        @step.do()
        async def load_order():
            return {"id": 1}

        @step.do(concurrent=True, config={"retries": {"limit": 2}})
        async def charge():
            return "ok"

        @step.do("named")
        async def named():
            return 1

        @step.do(name="also named")
        async def also_named():
            return 2

        await load_order()
        await charge()
        return await named() + await also_named()
"""


def test_unnamed_steps_fire_under_the_legacy_signature():
    assert findings(SRC, CODE, date=PY313) == [(CODE, 6, 10), (CODE, 10, 10)]


def test_silent_under_implicit_dependencies():
    assert findings(SRC, CODE, date=IMPLICIT_STEPS) == []


def test_silent_when_the_opt_out_flag_keeps_the_legacy_signature_named():
    named = SRC.replace("@step.do()", '@step.do("load")').replace(
        "@step.do(concurrent", '@step.do("charge", concurrent'
    )
    assert (
        findings(
            named, CODE, date=IMPLICIT_STEPS, flags=("python_workers", "no_python_workflows_implicit_dependencies")
        )
        == []
    )
    assert findings(
        SRC, CODE, date=IMPLICIT_STEPS, flags=("python_workers", "no_python_workflows_implicit_dependencies")
    ) == [(CODE, 6, 10), (CODE, 10, 10)]


def test_a_step_object_that_is_not_step_is_not_this_rule():
    src = """\
    from workers import WorkflowEntrypoint

    class W(WorkflowEntrypoint):
        async def run(self, event, step):
            job = make_job()

            @job.do()
            async def x():
                return 1
            return 1
    """
    assert findings(src, CODE, date=PY313) == []


def test_fix_names_the_step_after_its_function():
    fixed = fix(SRC, select=[CODE], date=PY313)
    assert '@step.do("load_order")\n' in fixed
    assert '@step.do("charge", concurrent=True, config={"retries": {"limit": 2}})\n' in fixed
    assert fixed.count("@step.do(") == 4
