from helpers import CLASS_312, LEGACY_312, PY313, check, findings


def test_main_module_without_default_fires():
    src = """\
    from workers import Response


    async def fetch(request):
        return Response("hi")
    """
    assert findings(src, "CFW106") == [("CFW106", 1, 1)]
    [d] = check(src, select=["CFW106"])
    assert "Handler does not export a fetch() function." in d.message


def test_only_when_a_config_names_this_module_as_main():
    src = "x = 1\n"
    assert findings(src, "CFW106", main=True) == [("CFW106", 1, 1)]
    assert findings(src, "CFW106", main=None) == []
    assert findings(src, "CFW106", main=False) == []


def test_legacy_handlers_count_only_under_legacy_dates():
    src = """\
    from workers import handler

    @handler
    async def on_fetch(request, env):
        return None
    """
    assert findings(src, "CFW106", date=LEGACY_312) == []
    # under class-handler dates the module-level handler is CFW101's finding (with the fix that
    # creates Default); CFW106 does not report the same root cause again
    assert findings(src, "CFW106", date=CLASS_312) == []
    assert findings(src, "CFW101", date=CLASS_312) == [("CFW101", 4, 11)]
    assert findings(src, "CFW106", date=PY313, flags=("python_workers", "disable_python_no_global_handlers")) == []


def test_default_forms_that_are_fine():
    cases = [
        "from workers import WorkerEntrypoint\nclass Default(WorkerEntrypoint):\n    pass\n",
        "import workers\nclass Default(workers.WorkerEntrypoint):\n    pass\n",
        "from workers import WorkerEntrypoint as WE\nclass Base(WE):\n    pass\nclass Default(Base):\n    pass\n",
        "from .app import Default\n",
        "from app.entry import Default as Default\n",
        "from .base import Base\nclass Default(Base):\n    pass\n",  # cannot see into Base: trusted
        "from .handlers import *\n",
        "from workers import WorkerEntrypoint\nclass Default(WorkerEntrypoint):\n    pass\n__all__ = ['Default', 'Counter']\n",
        "from .app import App\nDefault = App\n",
        # a Worker that only hosts Durable Objects / Workflows for other Workers
        "from workers import DurableObject\nclass Counter(DurableObject):\n    pass\n",
        "from workers import WorkflowEntrypoint\nclass Flow(WorkflowEntrypoint):\n    pass\n",
        # __all__ computed or extended later: cannot tell
        "from workers import WorkerEntrypoint\nclass Default(WorkerEntrypoint):\n    pass\n__all__ = []\n__all__.append('Default')\n",
        "from workers import WorkerEntrypoint\nclass Default(WorkerEntrypoint):\n    pass\n__all__ = []\n__all__ += ['Default']\n",
        "from workers import WorkerEntrypoint\nclass Default(WorkerEntrypoint):\n    pass\n__all__ = NAMES + ['x']\n",
    ]
    for src in cases:
        assert findings(src, "CFW106", dedent=False) == [], src


def test_default_left_out_of_all_fires_at_all():
    src = """\
    from workers import DurableObject, WorkerEntrypoint


    class Default(WorkerEntrypoint):
        pass


    class Counter(DurableObject):
        pass


    __all__ = ["Counter"]
    """
    assert findings(src, "CFW106") == [("CFW106", 12, 1)]
    src2 = "from .app import Default\n__all__ = ('Other',)\n"
    assert findings(src2, "CFW106", dedent=False) == [("CFW106", 2, 1)]


def test_default_that_is_not_a_worker_entrypoint():
    src = """\
    from workers import DurableObject


    class Default:
        async def fetch(self, request):
            pass


    class Helper:
        pass
    """
    assert findings(src, "CFW106") == [("CFW106", 4, 7)]
    src2 = "from workers import DurableObject\nclass Default(DurableObject):\n    pass\n"
    [d] = check(src2, select=["CFW106"], dedent=False)
    assert (d.start.line, d.start.column) == (2, 7)
    assert "DurableObject, not a WorkerEntrypoint" in d.message


def test_misnamed_worker_entrypoint_fires_at_its_name():
    src = """\
    from workers import WorkerEntrypoint


    class Worker(WorkerEntrypoint):
        async def fetch(self, request):
            pass
    """
    assert findings(src, "CFW106") == [("CFW106", 4, 7)]
    [d] = check(src, select=["CFW106"])
    assert "`Worker` is a named entrypoint" in d.message


def test_default_built_by_the_sdk_entrypoint_helpers_is_fine():
    # facts §1.2: asgi.entrypoint(app) (workers-runtime-sdk >= 1.7.0) and wsgi.entrypoint(app)
    # (>= 1.8.0) return a class whose __name__ is Default; no `class Default` statement needed
    asgi_app = """\
    from fastapi import FastAPI
    from workers import asgi

    app = FastAPI()

    Default = asgi.entrypoint(app)
    """
    wsgi_app = """\
    from flask import Flask
    from workers import wsgi

    app = Flask(__name__)
    Default = wsgi.entrypoint(app)
    """
    for src in (asgi_app, wsgi_app):
        for date in (PY313, None):
            assert findings(src, "CFW106", date=date) == []
    # still reported when __all__ leaves it out
    hidden = asgi_app + '__all__ = ["app"]\n'
    assert findings(hidden, "CFW106") == [("CFW106", 7, 1)]
