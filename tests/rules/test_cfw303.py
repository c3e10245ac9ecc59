import textwrap

from helpers import LEGACY_312, PY313, check, findings, fix


def test_fires_in_async_functions_only():
    src = """\
    import time
    from time import sleep
    import time as t
    async def handler():
        time.sleep(1)
        sleep(2)
        t.sleep(3)
    def sync_helper():
        time.sleep(1)
    async def outer():
        def inner():
            time.sleep(1)
        later = lambda: time.sleep(1)
        return inner, later
    time.sleep(0)
    """
    assert findings(src, "CFW303") == [("CFW303", 5, 5), ("CFW303", 6, 5), ("CFW303", 7, 5)]


def test_handler_methods_and_nested_async_defs():
    src = """\
    import time
    from workers import WorkerEntrypoint
    class Default(WorkerEntrypoint):
        async def fetch(self, request):
            async def retry():
                time.sleep(0.1)
            time.sleep(0.2)
    """
    assert findings(src, "CFW303") == [("CFW303", 6, 13), ("CFW303", 7, 9)]


def test_look_alikes_stay_silent():
    src = """\
    import asyncio
    from mylib import time
    async def a():
        time.sleep(1)  # mylib.time, not the stdlib module
        await asyncio.sleep(1)
    async def b(clock):
        clock.sleep(1)
    async def c():
        import time
        return time.sleep  # referenced, not called
    class Timer:
        def sleep(self, n): ...
    async def d():
        Timer().sleep(1)
    """
    assert findings(src, "CFW303") == []


def test_fix_replaces_the_import_when_this_was_its_only_use():
    src = """\
    import time


    async def handler():
        time.sleep(1)
    """
    assert (
        fix(src, select=["CFW303"])
        == """\
import asyncio


async def handler():
    await asyncio.sleep(1)
"""
    )


def test_fix_keeps_an_import_still_in_use_and_adds_asyncio_to_the_block():
    src = """\
    import json
    import time

    from workers import Response, WorkerEntrypoint


    class Default(WorkerEntrypoint):
        async def fetch(self, request):
            started = time.time()
            time.sleep(0.5)  # back off
            return Response(json.dumps(time.time() - started))
    """
    assert (
        fix(src, select=["CFW303"])
        == """\
import json
import time

from workers import Response, WorkerEntrypoint
import asyncio


class Default(WorkerEntrypoint):
    async def fetch(self, request):
        started = time.time()
        await asyncio.sleep(0.5)  # back off
        return Response(json.dumps(time.time() - started))
"""
    )


def test_fix_keeps_arguments_comments_and_layout():
    src = """\
    import asyncio
    from time import sleep as nap, monotonic
    async def f(delay):
        nap(
            delay * 2,  # doubled
        )
        return monotonic()
    """
    assert (
        fix(src, select=["CFW303"])
        == """\
import asyncio
from time import monotonic
async def f(delay):
    await asyncio.sleep(
        delay * 2,  # doubled
    )
    return monotonic()
"""
    )


def test_fix_uses_an_existing_asyncio_alias_and_fixes_every_call():
    src = """\
    import asyncio as aio
    import time
    async def f():
        time.sleep(1)
        time.sleep(2)
    """
    # both calls are fixed in one pass; neither was the import's only use, so it stays
    assert (
        fix(src, select=["CFW303"])
        == """\
import asyncio as aio
import time
async def f():
    await aio.sleep(1)
    await aio.sleep(2)
"""
    )


def test_fix_parenthesises_where_await_would_bind_differently():
    src = """\
    import time
    async def f():
        kind = time.sleep(1).__class__
        values = [time.sleep(i) for i in range(2)]
        total = time.sleep(1) or 0
    """
    assert (
        fix(src, select=["CFW303"])
        == """\
import time
import asyncio
async def f():
    kind = (await asyncio.sleep(1)).__class__
    values = [await asyncio.sleep(i) for i in range(2)]
    total = await asyncio.sleep(1) or 0
"""
    )


def test_no_fix_inside_a_generator_expression_or_when_asyncio_is_shadowed():
    src = """\
    import time
    async def f(items):
        return any(time.sleep(i) for i in items)
    async def g(asyncio):
        time.sleep(1)
    """
    assert findings(src, "CFW303") == [("CFW303", 3, 16), ("CFW303", 5, 5)]
    assert all(d.fix is None for d in check(src, select=["CFW303"]))
    assert fix(src, select=["CFW303"]) == textwrap.dedent(src)


def test_fix_on_crlf_files_and_semicolon_statements():
    src = "import time; import os\r\nasync def f():\r\n    time.sleep(1)\r\n"
    assert fix(src, select=["CFW303"], dedent=False) == (
        "import os\r\nimport asyncio\r\nasync def f():\r\n    await asyncio.sleep(1)\r\n"
    )


def test_import_with_other_names_keeps_them():
    src = "import os, time\nasync def f():\n    time.sleep(1)\n    return os.sep\n"
    assert fix(src, select=["CFW303"], dedent=False) == (
        "import os\nimport asyncio\nasync def f():\n    await asyncio.sleep(1)\n    return os.sep\n"
    )


def test_message_follows_the_runtime():
    src = "import time\nasync def f():\n    time.sleep(1)\n"
    [old] = check(src, select=["CFW303"], date=LEGACY_312)
    [new] = check(src, select=["CFW303"], date=PY313)
    assert "blocking C sleep" in old.message and "3.12" in old.message
    assert "stack switching" in new.message and "blocking C sleep" not in new.message
    assert old.severity.value == new.severity.value == "warning"


def test_the_asyncio_import_takes_the_place_of_the_removed_one():
    src = "import time\r\n\r\nfrom workers import Response\r\n\r\nasync def f():\r\n    time.sleep(1)\r\n"
    assert fix(src, select=["CFW303"], dedent=False) == (
        "import asyncio\r\n\r\nfrom workers import Response\r\n\r\nasync def f():\r\n    await asyncio.sleep(1)\r\n"
    )


def test_no_fix_where_await_is_not_allowed():
    src = """\
    import time
    async def f():
        class Local:
            time.sleep(1)
        return Local
    """
    assert findings(src, "CFW303") == [("CFW303", 4, 9)]
    assert fix(src, select=["CFW303"]) == textwrap.dedent(src)
