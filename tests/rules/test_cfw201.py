from helpers import findings


def test_module_level_calls_fire_at_exact_positions():
    src = """\
    import random
    import os, secrets, uuid
    random.seed(42)
    x = random.random()
    token = secrets.token_hex(8)
    key = os.urandom(16)
    run_id = uuid.uuid4()
    """
    assert findings(src, "CFW201") == [
        ("CFW201", 3, 1),
        ("CFW201", 4, 5),
        ("CFW201", 5, 9),
        ("CFW201", 6, 7),
        ("CFW201", 7, 10),
    ]


def test_aliases_are_resolved():
    src = """\
    import random as r
    from random import seed as s, choice
    import numpy as np
    s(1)
    choice([1, 2])
    r.shuffle([1])
    np.random.seed(0)
    """
    assert findings(src, "CFW201") == [
        ("CFW201", 4, 1),
        ("CFW201", 5, 1),
        ("CFW201", 6, 1),
        ("CFW201", 7, 1),
    ]


def test_global_scope_includes_class_bodies_defaults_decorators_comprehensions():
    src = """\
    import random, uuid
    class Config:
        salt = random.random()
    def handler(request_id=uuid.uuid4()):
        return request_id
    @cache(key=random.choice("ab"))
    def g():
        pass
    IDS = [uuid.uuid4() for _ in range(3)]
    """
    assert findings(src, "CFW201") == [
        ("CFW201", 3, 12),
        ("CFW201", 4, 24),
        ("CFW201", 6, 12),
        ("CFW201", 9, 8),
    ]


def test_unseeded_generators():
    src = """\
    import random
    import numpy as np
    a = random.Random()
    b = random.Random(None)
    c = np.random.default_rng()
    sysrand = random.SystemRandom()
    d = sysrand.random()
    e = random.SystemRandom().randint(1, 6)
    """
    assert findings(src, "CFW201") == [
        ("CFW201", 3, 5),
        ("CFW201", 4, 5),
        ("CFW201", 5, 5),
        ("CFW201", 7, 5),
        ("CFW201", 8, 5),
    ]


def test_look_alikes_stay_silent():
    src = """\
    import random
    import secrets
    import uuid
    import numpy as np
    from workers import WorkerEntrypoint

    RNG = random.Random(42)
    VALUE = RNG.random()
    NP = np.random.default_rng(7)
    STATE = np.random.RandomState(seed=3)
    SAMPLE = NP.integers(0, 10)
    NAMESPACE = uuid.uuid5(uuid.NAMESPACE_DNS, "example.com")
    SAME = secrets.compare_digest("a", "b")
    pick = random.choice  # referenced, not called
    lazy = lambda: random.random()

    def per_request():
        return random.random(), uuid.uuid4(), secrets.token_hex()

    class Default(WorkerEntrypoint):
        async def fetch(self, request):
            random.seed(1)
            return uuid.uuid4()

    class Thing:
        def method(self):
            return random.random()
    """
    assert findings(src, "CFW201") == []


def test_local_objects_named_like_the_modules_are_not_the_modules():
    src = """\
    class FakeRandom:
        def seed(self, n): ...
    random = FakeRandom()
    random.seed(3)
    def f():
        import random
        random.seed(3)
    """
    assert findings(src, "CFW201") == []


def test_applies_on_every_runtime():
    src = "import random\nrandom.seed(1)\n"
    for date in ("2025-07-01", "2025-11-01", "2026-10-01"):
        assert findings(src, "CFW201", date=date) == [("CFW201", 2, 1)]


def test_seed_arguments_in_source_order_and_import_time_parts_of_functions():
    src = """\
    import random, os, uuid, secrets
    r1 = random.Random(seed=None, *a)
    r2 = random.Random(*a, seed=None)
    class C:
        def m(self, d=os.urandom(3), *, e: uuid.uuid4() = 1) -> secrets.token_hex():
            random.random()
        lam = lambda q=uuid.uuid1(): random.random()
    """
    assert findings(src, "CFW201") == [
        ("CFW201", 2, 6),
        ("CFW201", 5, 19),
        ("CFW201", 5, 40),
        ("CFW201", 5, 61),
        ("CFW201", 7, 20),
    ]
