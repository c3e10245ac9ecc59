from helpers import IMPLICIT_STEPS, PY313, check, findings

SRC = """\
from workers import WorkflowEntrypoint

class Flow(WorkflowEntrypoint):
    async def run(self, event, step):
        @step.do("a")
        async def a():
            return 1

        @step.do("b")
        async def b():
            return 2

        @step.do("too_few", depends=[a, b])
        async def too_few(x, ctx):
            return x

        @step.do("none_given")
        async def none_given(x):
            return x

        @step.do("positional", [a])
        async def positional(x, y, *rest):
            return x

        @step.do("matching", depends=[a, b], concurrent=True)
        async def matching(x, ctx, y):
            return x + y

        @step.do("ctx_only")
        async def ctx_only(ctx):
            return ctx["attempt"]

        @step.do("explicit_none", depends=None)
        async def explicit_none():
            return 0

        deps = [a]

        @step.do("unknown", depends=deps)
        async def unknown(x, y):
            return x

        @step.do(*spec)
        async def opaque(x):
            return x
"""


def test_fires_under_legacy_dates_at_the_step_do_call():
    assert findings(SRC, "CFW605", date=PY313) == [
        ("CFW605", 13, 10),
        ("CFW605", 17, 10),
        ("CFW605", 21, 10),
    ]


def test_messages_quote_the_runtime_errors():
    messages = [d.message for d in check(SRC, date=PY313, select=["CFW605"])]
    assert "Step declares 1 non-ctx parameter(s) but 'depends' has 2 item(s)" in messages[0]
    assert "Step has 1 non-ctx parameter(s) but no 'depends' list provided" in messages[1]
    assert "Step declares 3 non-ctx parameter(s) but 'depends' has 1 item(s)" in messages[2]


def test_silent_under_implicit_dependencies_unless_opted_out():
    assert findings(SRC, "CFW605", date=IMPLICIT_STEPS) == []
    flag = ("python_workers", "no_python_workflows_implicit_dependencies")
    assert len(findings(SRC, "CFW605", date=IMPLICIT_STEPS, flags=flag)) == 3


def test_entries_that_are_not_steps_with_sdk_1_8_6():
    # facts §2: workers-runtime-sdk >= 1.8.6 checks each depends entry
    src = """\
from workers import WorkflowEntrypoint

def helper():
    return 1

class Flow(WorkflowEntrypoint):
    async def run(self, event, step):
        @step.do("a")
        async def a():
            return 1

        @step.do("b", depends=[a, helper])
        async def b(x, y):
            return x + y

        @step.do("c", depends=["a"])
        async def c(x):
            return x

        return await c()
"""
    assert findings(src, "CFW605", date=PY313, sdk="1.8.6") == [("CFW605", 12, 35), ("CFW605", 16, 32)]
    [first, _] = check(src, select=["CFW605"], date=PY313, sdk="1.9.5")
    assert "'depends' entry for parameter 'y' is not a function decorated with step.do" in first.message
    assert findings(src, "CFW605", date=PY313, sdk="1.8.5") == []
    assert findings(src, "CFW605", date=PY313) == []
