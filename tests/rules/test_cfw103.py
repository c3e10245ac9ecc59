from helpers import LEGACY_312, PY313, findings, fix


def test_short_signatures_fire_at_the_method_name():
    src = """\
    from workers import WorkerEntrypoint


    class Default(WorkerEntrypoint):
        async def scheduled(self, controller):
            pass

        async def queue(self, batch):
            pass

        async def tail(self):
            pass

        async def fetch(self, request):
            pass
    """
    assert findings(src, "CFW103") == [("CFW103", 5, 15), ("CFW103", 8, 15), ("CFW103", 11, 15)]


def test_message_has_the_typeerror():
    from helpers import check

    [d] = check(
        "from workers import WorkerEntrypoint\nclass Default(WorkerEntrypoint):\n"
        "    async def scheduled(self, controller):\n        pass\n",
        select=["CFW103"],
    )
    assert "TypeError: Default.scheduled() takes 2 positional arguments but 4 were given" in d.message


def test_accepting_signatures_and_look_alikes_stay_silent():
    src = """\
    import workers
    from workers import DurableObject, WorkerEntrypoint, WorkflowEntrypoint


    class Default(workers.WorkerEntrypoint):
        async def scheduled(self, controller, env, ctx):
            pass

        async def queue(self, *args):
            pass

        async def tail(self, events, env=None, ctx=None, extra=1):
            pass


    class Api(WorkerEntrypoint):
        async def queue(self, batch, /, env, ctx, *, retries=3):
            pass

        @staticmethod
        def scheduled(controller):
            pass


    class Room(DurableObject):
        async def queue(self, batch):  # an RPC method on a Durable Object
            pass


    class Flow(WorkflowEntrypoint):
        async def scheduled(self, x):
            pass


    class NotAnEntrypoint:
        async def scheduled(self, controller):
            pass


    async def scheduled(controller):
        pass
    """
    assert findings(src, "CFW103") == []


def test_local_subclass_chain_and_alias():
    src = """\
    from workers import WorkerEntrypoint as WE


    class Base(WE):
        pass


    class Default(Base):
        def scheduled(self, event):
            pass
    """
    assert findings(src, "CFW103") == [("CFW103", 9, 9)]


def test_applies_on_every_date():
    src = "from workers import WorkerEntrypoint\nclass Default(WorkerEntrypoint):\n    async def queue(self, batch):\n        pass\n"
    for date in (LEGACY_312, PY313, None):
        assert findings(src, "CFW103", date=date) == [("CFW103", 3, 15)]


def test_fix_adds_missing_parameters():
    src = """\
    from workers import WorkerEntrypoint


    class Default(WorkerEntrypoint):
        async def scheduled(self, controller):
            print(controller.cron)

        async def queue(self):
            pass
    """
    assert fix(src, select=["CFW103"]) == (
        "from workers import WorkerEntrypoint\n"
        "\n"
        "\n"
        "class Default(WorkerEntrypoint):\n"
        "    async def scheduled(self, controller, env, ctx):\n"
        "        print(controller.cron)\n"
        "\n"
        "    async def queue(self, batch, env, ctx):\n"
        "        pass\n"
    )


def test_fix_multiline_and_keyword_only_and_defaults():
    src = """\
    from workers import WorkerEntrypoint


    class Default(WorkerEntrypoint):
        async def scheduled(
            self,
            controller,  # the cron controller
        ):
            pass

        async def queue(self, batch, *, retries=3):
            pass

        async def tail(self, events=None):
            pass
    """
    assert fix(src, select=["CFW103"]) == (
        "from workers import WorkerEntrypoint\n"
        "\n"
        "\n"
        "class Default(WorkerEntrypoint):\n"
        "    async def scheduled(\n"
        "        self,\n"
        "        controller,  # the cron controller\n"
        "        env,\n"
        "        ctx,\n"
        "    ):\n"
        "        pass\n"
        "\n"
        "    async def queue(self, batch, env, ctx, *, retries=3):\n"
        "        pass\n"
        "\n"
        "    async def tail(self, events=None, env=None, ctx=None):\n"
        "        pass\n"
    )


def test_fix_does_not_shadow_names_the_body_reads():
    src = """\
    from workers import WorkerEntrypoint, env


    class Default(WorkerEntrypoint):
        async def scheduled(self, controller):
            await env.KV.put("last", controller.cron)
    """
    assert fix(src, select=["CFW103"]) == (
        "from workers import WorkerEntrypoint, env\n"
        "\n"
        "\n"
        "class Default(WorkerEntrypoint):\n"
        "    async def scheduled(self, controller, _env, ctx):\n"
        '        await env.KV.put("last", controller.cron)\n'
    )


def test_required_extra_parameters_are_reported_without_fix():
    src = """\
    from workers import WorkerEntrypoint


    class Default(WorkerEntrypoint):
        async def queue(self, batch, env, ctx, extra):
            pass

        async def tail(self, events, env, ctx, *, mode):
            pass
    """
    assert findings(src, "CFW103") == [("CFW103", 5, 15), ("CFW103", 8, 15)]
    assert fix(src, select=["CFW103"]) == __import__("textwrap").dedent(src)


def test_crlf():
    src = (
        "from workers import WorkerEntrypoint\r\n"
        "class Default(WorkerEntrypoint):\r\n"
        "    async def scheduled(self, controller):\r\n"
        "        pass\r\n"
    )
    assert fix(src, select=["CFW103"], dedent=False) == src.replace("controller)", "controller, env, ctx)")
