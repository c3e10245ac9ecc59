from helpers import LEGACY_312, check, findings, fix


def test_missing_super_call_fires_at_init():
    src = """\
    from workers import DurableObject, WorkerEntrypoint, WorkflowEntrypoint


    class Default(WorkerEntrypoint):
        def __init__(self, ctx, env):
            self.cache = {}


    class Counter(DurableObject):
        def __init__(self, state, env):
            self.state = state
            self.env = env


    class Flow(WorkflowEntrypoint):
        def __init__(self, ctx, env):
            def later():
                super().__init__(ctx, env)  # in a nested function: not the constructor's call
            self.later = later
    """
    assert findings(src, "CFW105") == [("CFW105", 5, 9), ("CFW105", 10, 9), ("CFW105", 16, 9)]
    messages = [d.message for d in check(src, select=["CFW105"])]
    assert "object has no attribute 'env'" in messages[0]


def test_swapped_or_missing_arguments_fire_at_the_call():
    src = """\
    import workers
    from workers import DurableObject


    class Default(workers.WorkerEntrypoint):
        def __init__(self, ctx, env):
            super().__init__(env, ctx)


    class Room(DurableObject):
        def __init__(self, state, env):
            super().__init__()


    class Other(DurableObject):
        def __init__(self, state, env):
            DurableObject.__init__(self, env, state)


    class Kw(workers.WorkerEntrypoint):
        def __init__(self, ctx, env):
            super().__init__(ctx=env, env=ctx)


    class Half(workers.WorkerEntrypoint):
        def __init__(self, ctx, env):
            super(Half, self).__init__(ctx)
    """
    assert findings(src, "CFW105") == [
        ("CFW105", 7, 9),
        ("CFW105", 12, 9),
        ("CFW105", 17, 9),
        ("CFW105", 22, 9),
        ("CFW105", 27, 9),
    ]
    messages = [d.message for d in check(src, select=["CFW105"])]
    assert "swapped" in messages[0]
    assert "without ctx and env" in messages[1]
    assert "without env" in messages[4]


def test_parameters_named_the_wrong_way_round():
    # values pass through correctly, but `env` holds the ctx: reading `env.KV` would fail
    src = """\
    from workers import WorkerEntrypoint


    class Default(WorkerEntrypoint):
        def __init__(self, env, ctx):
            super().__init__(env, ctx)
            self.kv = env.KV
    """
    assert findings(src, "CFW105") == [("CFW105", 5, 24)]
    # only passed through: confusing names, working code
    assert findings(src.replace("            self.kv = env.KV\n", ""), "CFW105") == []
    # and passing them "by name" swaps the values: reported once, at the call
    src2 = src.replace("super().__init__(env, ctx)", "super().__init__(ctx, env)")
    assert findings(src2, "CFW105") == [("CFW105", 6, 9)]


def test_init_that_cannot_take_ctx_and_env():
    src = """\
    from workers import WorkerEntrypoint


    class Default(WorkerEntrypoint):
        def __init__(self):
            super().__init__()
    """
    assert findings(src, "CFW105") == [("CFW105", 5, 9)]


def test_correct_forms_and_look_alikes_stay_silent():
    src = """\
    from workers import DurableObject, WorkerEntrypoint, WorkflowEntrypoint


    class Default(WorkerEntrypoint):
        def __init__(self, ctx, env):
            super().__init__(ctx, env)
            self.cache = {}


    class Counter(DurableObject):
        def __init__(self, state, env):
            super().__init__(state, env)


    class Flow(WorkflowEntrypoint):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)


    class Kw(WorkerEntrypoint):
        def __init__(self, ctx, env, *, extra=None):
            super().__init__(ctx=ctx, env=env)


    class Base(WorkerEntrypoint):
        def __init__(self, ctx, env):
            WorkerEntrypoint.__init__(self, ctx, env)


    class Child(Base):
        def __init__(self, ctx, env):
            if True:
                Base.__init__(self, ctx, env)


    class Wrapped(WorkerEntrypoint):
        def __init__(self, ctx, env):
            super().__init__(ctx, wrap(env))


    class NoInit(WorkerEntrypoint):
        async def fetch(self, request):
            pass


    class Plain:
        def __init__(self, ctx, env):
            self.ctx = ctx
    """
    assert findings(src, "CFW105") == []


def test_every_date():
    src = (
        "from workers import WorkerEntrypoint\nclass Default(WorkerEntrypoint):\n"
        "    def __init__(self, ctx, env):\n        pass\n"
    )
    for date in (LEGACY_312, None):
        assert findings(src, "CFW105", date=date) == [("CFW105", 3, 9)]


def test_fix_adds_the_base_constructor_call_first():
    src = '''\
    from workers import DurableObject


    class Counter(DurableObject):
        def __init__(self, state, env):
            """Keep state."""
            # the storage
            self.storage = state.storage

        async def fetch(self, request):
            return self.env.X
    '''
    assert fix(src, select=["CFW105"]) == (
        "from workers import DurableObject\n"
        "\n"
        "\n"
        "class Counter(DurableObject):\n"
        "    def __init__(self, state, env):\n"
        '        """Keep state."""\n'
        "        super().__init__(state, env)\n"
        "        # the storage\n"
        "        self.storage = state.storage\n"
        "\n"
        "    async def fetch(self, request):\n"
        "        return self.env.X\n"
    )
    no_docstring = src.replace('            """Keep state."""\n', "")
    assert fix(no_docstring, select=["CFW105"]) == (
        "from workers import DurableObject\n"
        "\n"
        "\n"
        "class Counter(DurableObject):\n"
        "    def __init__(self, state, env):\n"
        "        super().__init__(state, env)\n"
        "        # the storage\n"
        "        self.storage = state.storage\n"
        "\n"
        "    async def fetch(self, request):\n"
        "        return self.env.X\n"
    )
    # an __init__ that cannot take (ctx, env) gets no fix: the signature is the author's call
    [diag] = check(
        "from workers import WorkerEntrypoint\nclass D(WorkerEntrypoint):\n    def __init__(self):\n        pass\n",
        select=["CFW105"],
        dedent=False,
    )
    assert diag.fix is None


def test_constructor_that_sets_env_and_ctx_itself_is_silent_unless_waituntil_needs_the_patch():
    src = """\
    from workers import WorkerEntrypoint


    class Default(WorkerEntrypoint):
        def __init__(self, ctx, env):
            self.env = env
            self.ctx = ctx

        async def fetch(self, request):
            return await self.env.KV.get("k")
    """
    assert findings(src, "CFW105") == []
    # only one of them: still reported
    assert findings(src.replace("            self.ctx = ctx\n", ""), "CFW105") == [("CFW105", 5, 9)]
    # waitUntil with a Python coroutine needs the base constructor's patch (facts 1.4)
    patched = src.replace('return await self.env.KV.get("k")', "self.ctx.waitUntil(self.log())")
    assert findings(patched, "CFW105") == [("CFW105", 5, 9)]
