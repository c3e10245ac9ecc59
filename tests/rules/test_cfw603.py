from helpers import IMPLICIT_STEPS, PY313, findings, fix

HEAD = """\
from workers import WorkflowEntrypoint

class Flow(WorkflowEntrypoint):
    async def run(self, event, step):
        @step.do("step_a")
        async def step_a():
            return 1

        @step.do()
        async def step_b():
            return 2

"""


def test_fires_only_under_implicit_dependencies():
    src = (
        HEAD
        + """\
        @step.do("combine", depends=[step_a, step_b], concurrent=True)
        async def combine(result_a, result_b):
            return result_a + result_b

        return await combine()
"""
    )
    assert findings(src, "CFW603", date=IMPLICIT_STEPS) == [("CFW603", 13, 29)]
    assert findings(src, "CFW603", date=PY313) == []
    flag = ("python_workers", "no_python_workflows_implicit_dependencies")
    assert findings(src, "CFW603", date=IMPLICIT_STEPS, flags=flag) == []


def test_fix_drops_depends_and_renames_parameters_and_their_uses():
    src = (
        HEAD
        + """\
        @step.do("combine", depends=[step_a, step_b], concurrent=True)
        async def combine(result_a, ctx, result_b=0):
            total = result_a + result_b
            def inner():
                return result_a * 2
            return {"total": total, "attempt": ctx["attempt"], "twice": inner(), "b": f"{result_b}"}

        return await combine()
"""
    )
    expected = (
        HEAD
        + """\
        @step.do("combine", concurrent=True)
        async def combine(step_a, ctx, step_b=0):
            total = step_a + step_b
            def inner():
                return step_a * 2
            return {"total": total, "attempt": ctx["attempt"], "twice": inner(), "b": f"{step_b}"}

        return await combine()
"""
    )
    assert fix(src, date=IMPLICIT_STEPS, select=["CFW603"]) == expected


def test_fix_keeps_multiline_layout_and_turns_positional_legacy_arguments_into_keywords():
    src = (
        HEAD
        + """\
        @step.do(
            "combine",
            depends=[step_a],  # the first step
            config={"retries": {"limit": 2}},
        )
        async def combine(a):
            return a

        @step.do("positional", [step_b], True)
        async def positional(b):
            return b

        @step.do(depends=[step_a, step_b])
        async def only(x, y):
            return x + y
"""
    )
    expected = (
        HEAD
        + """\
        @step.do(
            "combine",
            config={"retries": {"limit": 2}},
        )
        async def combine(step_a):
            return step_a

        @step.do("positional", concurrent=True)
        async def positional(step_b):
            return step_b

        @step.do()
        async def only(step_a, step_b):
            return step_a + step_b
"""
    )
    assert fix(src, date=IMPLICIT_STEPS, select=["CFW603"]) == expected


def test_no_fix_when_a_rename_collides_or_names_are_unknown():
    src = (
        HEAD
        + """\
        @step.do("collides", depends=[step_a])
        async def collides(value):
            step_a = value + 1
            return step_a

        @step.do("spaced name")
        async def spaced():
            return 3

        @step.do("unnamed", depends=[spaced])
        async def unnamed(value):
            return value

        deps = [step_a]

        @step.do("computed", depends=deps)
        async def computed(value):
            return value

        @step.do("arity", depends=[step_a, step_b])
        async def arity(value):
            return value
"""
    )
    assert findings(src, "CFW603", date=IMPLICIT_STEPS) == [
        ("CFW603", 13, 30),
        ("CFW603", 22, 29),
        ("CFW603", 28, 30),
        ("CFW603", 32, 27),
    ]
    assert fix(src, date=IMPLICIT_STEPS, select=["CFW603"]) == src


def test_crlf_file():
    src = (
        HEAD
        + """\
        @step.do("c", depends=[step_a])
        async def c(v):
            return v
"""
    ).replace("\n", "\r\n")
    expected = (
        HEAD
        + """\
        @step.do("c")
        async def c(step_a):
            return step_a
"""
    ).replace("\n", "\r\n")
    assert fix(src, date=IMPLICIT_STEPS, select=["CFW603"], dedent=False) == expected
