from helpers import LEGACY_312, PY313, check, findings, fix


def test_reads_of_env_and_ctx_parameters_fire_at_each_read():
    src = """\
    from workers import Response, WorkerEntrypoint


    class Default(WorkerEntrypoint):
        async def fetch(self, request, env):
            value = await env.KV.get("k")
            return Response(value)

        async def scheduled(self, controller, env, ctx):
            ctx.waitUntil(run(env))

        async def queue(self, batch, e, c):
            await e.Q.send(batch)

        async def tail(self, events, env, ctx):
            print(env)
    """
    assert findings(src, "CFW104") == [
        ("CFW104", 6, 23),
        ("CFW104", 10, 9),
        ("CFW104", 10, 27),
        ("CFW104", 13, 15),
        ("CFW104", 16, 15),
    ]
    [first] = check(src, select=["CFW104"])[:1]
    assert "passes as `None`" in first.message and "self.env" in first.message


def test_look_alikes_stay_silent():
    src = """\
    from workers import DurableObject, WorkerEntrypoint, env as global_env


    class Default(WorkerEntrypoint):
        async def fetch(self, request):
            return await self.env.KV.get(request.url)

        async def scheduled(self, controller, env, ctx):
            await self.env.KV.put("k", "v")  # parameters unused: fine

        async def lookup(self, key, env):  # an RPC method gets real arguments
            return env[key]

        async def queue(self, batch, env, ctx):
            env = env or self.env  # reassigned: handled by the author
            await env.Q.send(batch)


    class Room(DurableObject):
        async def fetch(self, request, env):
            return env


    class Helper:
        async def fetch(self, request, env):
            return env.KV


    async def fetch(request, env):
        return env
    """
    assert findings(src, "CFW104") == []


def test_fix_rewrites_reads_to_self():
    src = """\
    from workers import WorkerEntrypoint


    class Default(WorkerEntrypoint):
        async def fetch(self, request, env, ctx):
            ctx.waitUntil(log(request, env))
            return await handle(request, (env), env.DB)
    """
    assert fix(src, select=["CFW104"]) == (
        "from workers import WorkerEntrypoint\n"
        "\n"
        "\n"
        "class Default(WorkerEntrypoint):\n"
        "    async def fetch(self, request, env, ctx):\n"
        "        self.ctx.waitUntil(log(request, self.env))\n"
        "        return await handle(request, (self.env), self.env.DB)\n"
    )


def test_fix_uses_the_methods_own_first_parameter_name():
    src = """\
    import workers


    class Default(workers.WorkerEntrypoint):
        async def queue(this, batch, env, ctx):
            await env.Q.send(batch)
    """
    assert fix(src, select=["CFW104"]) == (
        "import workers\n"
        "\n"
        "\n"
        "class Default(workers.WorkerEntrypoint):\n"
        "    async def queue(this, batch, env, ctx):\n"
        "        await this.env.Q.send(batch)\n"
    )


def test_no_fix_where_self_means_something_else():
    src = """\
    from workers import WorkerEntrypoint


    class Default(WorkerEntrypoint):
        async def fetch(self, request, env):
            class Inner:
                def get(self):
                    return env.KV
            return Inner().get()
    """
    diags = check(src, select=["CFW104"])
    assert [(d.start.line, d.start.column) for d in diags] == [(8, 24)]
    assert diags[0].fix is None


def test_every_date():
    src = (
        "from workers import WorkerEntrypoint\nclass Default(WorkerEntrypoint):\n"
        "    async def fetch(self, request, env):\n        return env.X\n"
    )
    for date in (LEGACY_312, PY313, None):
        assert findings(src, "CFW104", date=date) == [("CFW104", 4, 16)]


def test_crlf():
    src = (
        "from workers import WorkerEntrypoint\r\n"
        "class Default(WorkerEntrypoint):\r\n"
        "    async def fetch(self, request, env):\r\n"
        "        return env.X\r\n"
    )
    assert fix(src, select=["CFW104"], dedent=False) == src.replace("return env.X", "return self.env.X")


def test_none_handling_idioms_stay_silent_and_are_not_rewritten():
    # `env or self.env` handles the None the runtime passes; so do None tests
    src = """\
    from workers import Response, WorkerEntrypoint


    class Default(WorkerEntrypoint):
        async def fetch(self, request, env=None):
            bindings = env or self.env
            if not env:
                bindings = self.env
            label = "given" if env is not None else "own"
            return Response(await bindings.KV.get(label))
    """
    assert findings(src, "CFW104") == []
    # a use as an object beside the idiom is still reported, and only that read is fixed
    src2 = src.replace("await bindings.KV.get(label)", "await env.KV.get(label)")
    assert findings(src2, "CFW104") == [("CFW104", 10, 31)]
    assert fix(src2, select=["CFW104"]) == (
        "from workers import Response, WorkerEntrypoint\n"
        "\n"
        "\n"
        "class Default(WorkerEntrypoint):\n"
        "    async def fetch(self, request, env=None):\n"
        "        bindings = env or self.env\n"
        "        if not env:\n"
        "            bindings = self.env\n"
        '        label = "given" if env is not None else "own"\n'
        "        return Response(await self.env.KV.get(label))\n"
    )
    # `env or {}` still yields something without bindings: reported
    src3 = src.replace("env or self.env", "env or {}")
    assert findings(src3, "CFW104") == [("CFW104", 6, 20)]
