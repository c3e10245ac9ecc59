from helpers import CLASS_312, LEGACY_312, PY313, check, findings, fix

from cfw_lint.diagnostics import Applicability, Severity


def test_module_level_handlers_fire_at_the_name():
    src = """\
    from workers import handler, Response


    @handler
    async def on_fetch(request, env):
        return Response("hi")


    def on_scheduled(event, env, ctx):
        pass


    async def on_queue(batch, env, ctx): ...
    async def on_trace(events, env, ctx): ...
    async def on_alarm(info, env, ctx): ...
    async def on_pubsub(msg, env, ctx): ...
    """
    assert findings(src, "CFW101") == [
        ("CFW101", 5, 11),
        ("CFW101", 9, 5),
        ("CFW101", 13, 11),
        ("CFW101", 14, 11),
        ("CFW101", 15, 11),
        ("CFW101", 16, 11),
    ]


def test_other_bindings_of_handler_names_are_reported_without_fix():
    src = """\
    from .app import on_fetch
    from .jobs import run as on_scheduled
    on_queue = make_queue_handler()
    try:
        from fast import on_trace
    except ImportError:
        def on_trace(events, env, ctx): ...
    """
    diags = check(src, select=["CFW101"])
    assert [(d.start.line, d.start.column) for d in diags] == [(1, 18), (2, 26), (3, 1), (5, 22), (7, 9)]
    assert all(d.fix is None for d in diags)


def test_severity_and_applicability_follow_the_date():
    src = "async def on_fetch(request, env):\n    return env.X\n"
    [new] = check(src, select=["CFW101"], date=CLASS_312)
    assert new.severity is Severity.ERROR
    assert new.fix is not None and new.fix.applicability is Applicability.SAFE
    assert "Handler does not export a fetch() function." in new.message
    [old] = check(src, select=["CFW101"], date=LEGACY_312)
    assert old.severity is Severity.WARNING
    assert old.fix is not None and old.fix.applicability is Applicability.UNSAFE
    assert "CFW703" in old.message
    # the disable flag keeps module-level handlers alive after 2025-08-14
    [flagged] = check(src, select=["CFW101"], date=PY313, flags=("python_workers", "disable_python_no_global_handlers"))
    assert flagged.severity is Severity.WARNING
    # legacy dates: only --unsafe-fixes applies it
    assert fix(src, select=["CFW101"], date=LEGACY_312) == src
    assert fix(src, select=["CFW101"], date=LEGACY_312, unsafe=True).startswith("from workers import")


def test_look_alikes_stay_silent():
    src = """\
    from workers import WorkerEntrypoint, Response


    class Router:
        def on_fetch(self, request, env):
            return request


    class Default(WorkerEntrypoint):
        async def fetch(self, request):
            on_fetch = lambda r: r
            return Response("ok")


    def build():
        def on_scheduled(event, env, ctx):
            pass
        return on_scheduled


    def test():  # an ordinary helper, no legacy handlers beside it
        return 1


    on_fetch_count = 0
    """
    assert findings(src, "CFW101") == []


def test_not_the_main_module_is_silent():
    src = "async def on_fetch(request, env):\n    return env.X\n"
    assert findings(src, "CFW101", main=False) == []
    assert findings(src, "CFW101", main=None) == [("CFW101", 1, 11)]


def test_test_handler_counts_with_handler_decorator_or_beside_on_handlers():
    src = """\
    from workers import handler

    @handler
    async def test(ctrl, env, ctx):
        assert env.KV
    """
    assert findings(src, "CFW101") == [("CFW101", 4, 11)]
    assert fix(src, select=["CFW101"]) == (
        "from workers import WorkerEntrypoint\n"
        "\n"
        "\n"
        "class Default(WorkerEntrypoint):\n"
        "    async def test(self, ctrl):\n"
        "        assert self.env.KV\n"
    )
    src2 = """\
    def on_fetch(request):
        return request
    def test():
        pass
    """
    assert findings(src2, "CFW101") == [("CFW101", 1, 5), ("CFW101", 3, 5)]


def test_fix_full_migration_with_handler_decorator_and_comments():
    src = """\
    import json

    from workers import Response, handler

    KEY = "counter"


    # Serve the counter.
    @handler
    async def on_fetch(req, env, ctx):
        # read it
        value = await env.KV.get(KEY)  # raw JS call
        ctx.waitUntil(log(req, env))
        return Response(json.dumps({"value": value, "url": req.url}))


    async def log(request, env):
        print(request.url)


    # Every hour.
    @handler
    async def on_scheduled(event, env, ctx):
        await env.KV.put(KEY, str(event.scheduledTime))
    """
    assert fix(src, select=["CFW101"]) == (
        "import json\n"
        "\n"
        "from workers import Response, WorkerEntrypoint\n"
        "\n"
        'KEY = "counter"\n'
        "\n"
        "\n"
        "async def log(request, env):\n"
        "    print(request.url)\n"
        "\n"
        "\n"
        "class Default(WorkerEntrypoint):\n"
        "    # Serve the counter.\n"
        "    async def fetch(self, request):\n"
        "        # read it\n"
        "        value = await self.env.KV.get(KEY)  # raw JS call\n"
        "        self.ctx.waitUntil(log(request, self.env))\n"
        '        return Response(json.dumps({"value": value, "url": request.url}))\n'
        "\n"
        "    # Every hour.\n"
        "    async def scheduled(self, controller, env, ctx):\n"
        "        await self.env.KV.put(KEY, str(controller.scheduledTime))\n"
    )


def test_fix_exact_signatures_whatever_the_original_parameters():
    src = """\
    from workers import WorkerEntrypoint

    def on_scheduled(event):
        return event.cron

    async def on_queue(b, e, c=None):
        for message in b.messages:
            await e.OUT.send(message.body)

    async def on_fetch():
        return None

    async def on_trace(traces, environment, context):
        await environment.LOGS.send(traces)
    """
    assert fix(src, select=["CFW101"], date=PY313) == (
        "from workers import WorkerEntrypoint\n"
        "\n"
        "\n"
        "class Default(WorkerEntrypoint):\n"
        "    def scheduled(self, controller, env, ctx):\n"
        "        return controller.cron\n"
        "\n"
        "    async def queue(self, batch, env, ctx):\n"
        "        for message in batch.messages:\n"
        "            await self.env.OUT.send(message.body)\n"
        "\n"
        "    async def fetch(self, request):\n"
        "        return None\n"
        "\n"
        "    async def tail(self, events, env, ctx):\n"
        "        await self.env.LOGS.send(events)\n"
    )


def test_fix_keeps_the_request_annotation_and_parenthesised_imports():
    src = """\
    from workers import (
        Request,
        Response,
        handler,
    )


    @handler
    async def on_fetch(request: Request, env) -> Response:
        return await handle(
            request,
            env,
        )
    """
    assert fix(src, select=["CFW101"]) == (
        "from workers import (\n"
        "    Request,\n"
        "    Response,\n"
        "    WorkerEntrypoint,\n"
        ")\n"
        "\n"
        "\n"
        "class Default(WorkerEntrypoint):\n"
        "    async def fetch(self, request: Request) -> Response:\n"
        "        return await handle(\n"
        "            request,\n"
        "            self.env,\n"
        "        )\n"
    )


def test_fix_adds_workers_import_to_an_existing_one_or_after_the_imports():
    src = """\
    from workers import Response
    import os


    async def on_fetch(request):
        return Response(os.name)
    """
    assert fix(src, select=["CFW101"]) == (
        "from workers import Response, WorkerEntrypoint\n"
        "import os\n"
        "\n"
        "\n"
        "class Default(WorkerEntrypoint):\n"
        "    async def fetch(self, request):\n"
        "        return Response(os.name)\n"
    )
    src2 = '''\
    """My worker."""
    from js import Response


    async def on_fetch(request):
        return Response.new("hi")
    '''
    assert fix(src2, select=["CFW101"]) == (
        '"""My worker."""\n'
        "from js import Response\n"
        "from workers import WorkerEntrypoint\n"
        "\n"
        "\n"
        "class Default(WorkerEntrypoint):\n"
        "    async def fetch(self, request):\n"
        '        return Response.new("hi")\n'
    )


def test_fix_replaces_a_legacy_path_handler_import():
    src = """\
    from cloudflare.workers import handler
    # the handler


    @handler
    async def on_fetch(request):
        return request
    """
    assert fix(src, select=["CFW101"], date=LEGACY_312, unsafe=True) == (
        "from workers import WorkerEntrypoint\n"
        "# the handler\n"
        "\n"
        "\n"
        "class Default(WorkerEntrypoint):\n"
        "    async def fetch(self, request):\n"
        "        return request\n"
    )


def test_handler_import_kept_while_still_used():
    src = """\
    from workers import handler

    @handler
    async def on_fetch(request):
        return request

    wrapped = handler(lambda r: r)
    """
    assert fix(src, select=["CFW101"]) == (
        "from workers import handler, WorkerEntrypoint\n"
        "\n"
        "\n"
        "class Default(WorkerEntrypoint):\n"
        "    async def fetch(self, request):\n"
        "        return request\n"
        "\n"
        "wrapped = handler(lambda r: r)\n"
    )


def test_existing_default_gets_only_the_missing_methods():
    src = """\
    import workers
    from workers import handler


    class Default(workers.WorkerEntrypoint):
        async def fetch(self, request):
            return workers.Response("class")


    @handler
    async def on_fetch(request, env):
        return workers.Response("legacy")


    @handler
    async def on_scheduled(event, env, ctx):
        await run(event, env)
    """
    diags = check(src, select=["CFW101"])
    assert [(d.start.line, d.severity) for d in diags] == [(11, Severity.WARNING), (16, Severity.ERROR)]
    assert diags[0].fix is None and diags[1].fix is not None
    assert "never called" in diags[0].message
    assert fix(src, select=["CFW101"]) == (
        "import workers\n"
        "from workers import handler\n"
        "\n"
        "\n"
        "class Default(workers.WorkerEntrypoint):\n"
        "    async def fetch(self, request):\n"
        '        return workers.Response("class")\n'
        "\n"
        "    async def scheduled(self, controller, env, ctx):\n"
        "        await run(controller, self.env)\n"
        "\n"
        "\n"
        "@handler\n"
        "async def on_fetch(request, env):\n"
        '    return workers.Response("legacy")\n'
    )


def test_empty_default_body_is_replaced():
    src = """\
    from workers import WorkerEntrypoint

    class Default(WorkerEntrypoint):
        pass

    async def on_fetch(request):
        return request
    """
    assert fix(src, select=["CFW101"], date=PY313) == (
        "from workers import WorkerEntrypoint\n"
        "\n"
        "class Default(WorkerEntrypoint):\n"
        "    async def fetch(self, request):\n"
        "        request = request.js_object  # the raw JS Request, as the handler received it before\n"
        "        return request\n"
    )


def test_no_fix_when_a_rename_would_change_meaning():
    cases = [
        # env reassigned
        "async def on_fetch(request, env):\n    env = wrap(env)\n    return env\n",
        # locals() sees parameter names
        "async def on_fetch(request, env):\n    return locals()\n",
        # a nested function's own `self` would capture self.env
        "async def on_fetch(request, env):\n    def inner(self):\n        return env\n    return inner\n",
        # `request` already means the module-level name
        "from flask import request\nasync def on_fetch(req):\n    return request.args, req\n",
        # the new `env` parameter would shadow the imported env
        "from workers import env\nasync def on_scheduled(event):\n    return env.KV\n",
        # another decorator might not bind as a method
        "import functools\n@functools.lru_cache\ndef on_fetch(request):\n    return request\n",
        # the name is used elsewhere
        "async def on_fetch(request):\n    return request\nHANDLERS = [on_fetch]\n",
        # *args cannot be mapped
        "async def on_fetch(*args):\n    return args[0]\n",
        # __all__ would need Default too
        "__all__ = ['on_fetch']\nasync def on_fetch(request):\n    return request\n",
        # Default is something else
        "from .entry import Default\nasync def on_fetch(request):\n    return request\n",
        # a comment inside the parameter list would be lost
        "async def on_fetch(request,  # the request\n    env):\n    return env\n",
        # a global declaration
        "async def on_fetch(request, env):\n    global env\n    return env\n",
    ]
    for src in cases:
        diags = check(src, select=["CFW101"], dedent=False)
        assert diags, src
        assert all(d.fix is None for d in diags), src


def test_nested_uses_are_rewritten_where_they_mean_the_parameter():
    src = """\
    async def on_fetch(request, env):
        keys = [k for k in env.KEYS]
        async def helper(env=env):
            return env
        class Box:
            value = env
        return lambda: (env, keys, helper, Box)
    """
    assert fix(src, select=["CFW101"], date=PY313) == (
        "from workers import WorkerEntrypoint\n"
        "\n"
        "\n"
        "class Default(WorkerEntrypoint):\n"
        "    async def fetch(self, request):\n"
        "        keys = [k for k in self.env.KEYS]\n"
        "        async def helper(env=self.env):\n"
        "            return env\n"
        "        class Box:\n"
        "            value = self.env\n"
        "        return lambda: (self.env, keys, helper, Box)\n"
    )


def test_crlf_file():
    src = (
        "from workers import handler\r\n"
        "\r\n"
        "\r\n"
        "@handler\r\n"
        "async def on_fetch(request, env):\r\n"
        "    # assets\r\n"
        "    return await env.ASSETS.fetch(request)\r\n"
    )
    assert fix(src, select=["CFW101"], dedent=False) == (
        "from workers import WorkerEntrypoint\r\n"
        "\r\n"
        "\r\n"
        "class Default(WorkerEntrypoint):\r\n"
        "    async def fetch(self, request):\r\n"
        "        # assets\r\n"
        "        return await self.env.ASSETS.fetch(request)\r\n"
    )


def test_unrelated_code_is_byte_identical():
    src = """\
    from workers import handler  # keep me
    X = {  'odd':   1 }   # spacing kept


    def   helper( a ,b ):
        return a+b


    @handler
    async def on_fetch(request):
        return helper(1,2)


    Y = [1,
         2]
    """
    fixed = fix(src, select=["CFW101"])
    assert "X = {  'odd':   1 }   # spacing kept\n" in fixed
    assert "def   helper( a ,b ):\n    return a+b\n" in fixed
    assert fixed.endswith("Y = [1,\n     2]\n")
    assert "from workers import WorkerEntrypoint  # keep me\n" in fixed


def test_alarm_and_pubsub_are_reported_but_not_moved():
    src = "async def on_alarm(info, env, ctx):\n    pass\nasync def on_pubsub(msg, env, ctx):\n    pass\n"
    diags = check(src, select=["CFW101"])
    assert [d.start.line for d in diags] == [1, 3]
    assert all(d.fix is None for d in diags)


def test_section_comments_stay_in_place():
    src = """\
    X = 1


    # ---- handlers ----

    # fetch comment
    async def on_fetch(request):
        return request


    def helper():
        pass


    async def on_queue(batch, env, ctx):
        pass


    # trailing notes

    """
    assert fix(src, select=["CFW101"], date=PY313) == (
        "X = 1\n"
        "\n"
        "\n"
        "# ---- handlers ----\n"
        "\n"
        "\n"
        "def helper():\n"
        "    pass\n"
        "\n"
        "\n"
        "class Default(WorkerEntrypoint):\n"
        "    # fetch comment\n"
        "    async def fetch(self, request):\n"
        "        request = request.js_object  # the raw JS Request, as the handler received it before\n"
        "        return request\n"
        "\n"
        "    async def queue(self, batch, env, ctx):\n"
        "        pass\n"
        "\n"
        "\n"
        "# trailing notes\n"
        "\n"
    ).replace("X = 1\n", "from workers import WorkerEntrypoint\nX = 1\n", 1)


def test_decorator_forms_and_comments_between_decorator_and_def():
    src = """\
    import workers


    @workers.handler
    async def on_fetch(request, env):
        return workers.Response(env.NAME)
    """
    assert fix(src, select=["CFW101"]) == (
        "import workers\n"
        "from workers import WorkerEntrypoint\n"
        "\n"
        "\n"
        "class Default(WorkerEntrypoint):\n"
        "    async def fetch(self, request):\n"
        "        return workers.Response(self.env.NAME)\n"
    )
    src2 = """\
    from workers import handler as h, Response  # sdk


    @h
    # between
    async def on_fetch(request):
        return Response("x")
    """
    assert fix(src2, select=["CFW101"]) == (
        "from workers import WorkerEntrypoint, Response  # sdk\n"
        "\n"
        "\n"
        "class Default(WorkerEntrypoint):\n"
        "    # between\n"
        "    async def fetch(self, request):\n"
        '        return Response("x")\n'
    )


def test_one_line_function_body():
    src = "from workers import handler\n@handler\nasync def on_fetch(request, env): return env.X\n"
    assert fix(src, select=["CFW101"]) == (
        "from workers import WorkerEntrypoint\n"
        "\n"
        "\n"
        "class Default(WorkerEntrypoint):\n"
        "    async def fetch(self, request): return self.env.X\n"
    )


def test_fixed_code_passes_the_other_handler_rules():
    src = """\
    from workers import handler

    @handler
    async def on_scheduled(event, env, ctx):
        ctx.waitUntil(env.KV.put("k", event.cron))
    """
    fixed = fix(src, select=["CFW101"])
    assert findings(fixed, None, select=["CFW1"], dedent=False) == []


def test_crlf_and_tab_indentation_with_a_new_import():
    src = (
        "import json\r\n\r\n\r\n# handler\r\nasync def on_fetch(request, env):\r\n\treturn json.dumps(env.X)\r\n"
        "\r\n\r\ndef on_queue(batch, env, ctx):\r\n\tif batch:\r\n\t\treturn env\r\n"
    )
    assert fix(src, select=["CFW101"], date=PY313, dedent=False) == (
        "import json\r\nfrom workers import WorkerEntrypoint\r\n\r\n\r\nclass Default(WorkerEntrypoint):\r\n"
        "\t# handler\r\n\tasync def fetch(self, request):\r\n\t\treturn json.dumps(self.env.X)\r\n\r\n"
        "\tdef queue(self, batch, env, ctx):\r\n\t\tif batch:\r\n\t\t\treturn self.env\r\n"
    )


def test_annotated_handler_not_moved_up_into_an_earlier_default():
    src = """\
    from workers import WorkerEntrypoint


    class Default(WorkerEntrypoint):
        async def fetch(self, request):
            return None


    from .types import Batch


    async def on_queue(batch: Batch, env, ctx) -> None:
        pass
    """
    [d] = check(src, select=["CFW101"])
    assert d.fix is None
    # with postponed annotations nothing is evaluated early
    src2 = "from __future__ import annotations\n" + __import__("textwrap").dedent(src)
    [d2] = check(src2, select=["CFW101"], dedent=False)
    assert d2.fix is not None


# -- the fix as a code-mod that leaves a Worker that starts (issue: fixes that leave a real Worker working)


def test_handler_above_the_imports_goes_below_them():
    # early FastAPI examples put the handler first; the class must follow the imports
    src = """\
    async def on_fetch(request, env):
        import asgi
        return await asgi.fetch(app, request, env)

    from fastapi import FastAPI
    from workers import Response

    app = FastAPI()
    """
    fixed = fix(src, select=["CFW101"], date=PY313)
    assert fixed == (
        "from fastapi import FastAPI\n"
        "from workers import Response, WorkerEntrypoint\n"
        "\n"
        "\n"
        "class Default(WorkerEntrypoint):\n"
        "    async def fetch(self, request):\n"
        "        request = request.js_object  # the raw JS Request, as the handler received it before\n"
        "        import asgi\n"
        "        return await asgi.fetch(app, request, self.env)\n"
        "\n"
        "app = FastAPI()\n"
    )
    from cfw_lint.fixes import unresolved_names

    assert unresolved_names(fixed) == set()


def test_class_follows_the_names_its_annotations_need():
    # annotations are evaluated when the method is defined (no `from __future__ import annotations`)
    src = """\
    async def on_fetch(request: Request, env) -> Response:
        return Response(env.GREETING)

    LIMIT = 10
    from workers import Request, Response
    """
    fixed = fix(src, select=["CFW101"], date=PY313)
    assert fixed == (
        "LIMIT = 10\n"
        "from workers import Request, Response, WorkerEntrypoint\n"
        "\n"
        "\n"
        "class Default(WorkerEntrypoint):\n"
        "    async def fetch(self, request: Request) -> Response:\n"
        "        return Response(self.env.GREETING)\n"
    )
    from cfw_lint.fixes import unresolved_names

    assert unresolved_names(fixed) == set()


def test_raw_request_semantics_kept_without_handler_decorator():
    src = '''\
    from js import Response


    async def on_fetch(request, env):
        """Create an item."""
        data = await request.json()
        return Response.new(getattr(data, "title"))
    '''
    assert fix(src, select=["CFW101"], date=PY313) == (
        "from js import Response\n"
        "from workers import WorkerEntrypoint\n"
        "\n"
        "\n"
        "class Default(WorkerEntrypoint):\n"
        "    async def fetch(self, request):\n"
        '        """Create an item."""\n'
        "        request = request.js_object  # the raw JS Request, as the handler received it before\n"
        "        data = await request.json()\n"
        '        return Response.new(getattr(data, "title"))\n'
    )
    # with @handler the function already received a workers.Request: nothing to keep
    decorated = (
        "from workers import handler\n\n\n@handler\nasync def on_fetch(request):\n    return await request.json()\n"
    )
    assert "js_object" not in fix(decorated, select=["CFW101"], date=PY313)


def test_comments_naming_the_old_handler_are_updated():
    src = """\
    from workers import Response


    # on_fetch answers every request
    async def on_fetch(request):
        # on_fetch_count is not the handler; on_fetch is
        return Response("x")  # noqa: on_fetch stays in a noqa comment

    # async def on_fetch(request, env):  (commented-out code stays as written)
    """
    assert fix(src, select=["CFW101"], date=PY313) == (
        "from workers import Response, WorkerEntrypoint\n"
        "\n"
        "\n"
        "class Default(WorkerEntrypoint):\n"
        "    # fetch answers every request\n"
        "    async def fetch(self, request):\n"
        "        # on_fetch_count is not the handler; fetch is\n"
        '        return Response("x")  # noqa: on_fetch stays in a noqa comment\n'
        "\n"
        "# async def on_fetch(request, env):  (commented-out code stays as written)\n"
    )


def test_wrapped_bindings_make_the_move_unsafe_and_say_why():
    src = "async def on_fetch(request, env):\n    return await env.KV.get('k')\n"
    [diag] = check(src, select=["CFW101"], date="2026-05-01", dedent=False)
    assert diag.fix is not None and diag.fix.applicability is Applicability.UNSAFE
    assert diag.fix.message == (
        "unsafe: `self.env` bindings are wrapped by workers-runtime-sdk (>= 1.3: KV/R2/D1/Queue "
        "results arrive as Python values, not JS objects)"
    )
    # the runtime's own SDK (before 2026-04-21) wraps only service, DO and Workflow bindings
    [old_sdk] = check(src, select=["CFW101"], date=PY313, dedent=False)
    assert old_sdk.fix is not None and old_sdk.fix.applicability is Applicability.SAFE
    # with @handler, env was wrapped before the move too
    decorated = "from workers import handler\n@handler\n" + src
    [same] = check(decorated, select=["CFW101"], date="2026-05-01", dedent=False)
    assert same.fix is not None and same.fix.applicability is Applicability.SAFE


def test_comments_of_the_statements_the_class_moves_past_stay():
    src = """\
    async def on_fetch(request, env):
        return await handle(request, env)


    # Set up the app

    from workers import Response
    """
    assert fix(src, select=["CFW101"], date=PY313) == (
        "# Set up the app\n"
        "\n"
        "from workers import Response, WorkerEntrypoint\n"
        "\n"
        "\n"
        "class Default(WorkerEntrypoint):\n"
        "    async def fetch(self, request):\n"
        "        request = request.js_object  # the raw JS Request, as the handler received it before\n"
        "        return await handle(request, self.env)\n"
    )
