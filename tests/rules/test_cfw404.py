import textwrap

from helpers import LEGACY_312, PY313, findings, fix

CODE = "CFW404"

SRC = """\
from workers import WorkerEntrypoint


class Default(WorkerEntrypoint):
    async def fetch(self, request):
        db = self.env.DB
        await db.prepare("insert into t values (?, ?)").bind("a", None).run()
        stmt = self.env.DB.prepare("update t set x = ?")
        await stmt.bind(
            None,
        ).run()
"""


def test_fires_under_raw_bindings_at_the_none():
    assert findings(SRC, CODE, sdk="1.2.0", date=PY313) == [(CODE, 7, 67), (CODE, 10, 13)]


def test_silent_with_wrapping_sdk_or_unknown_sdk():
    assert findings(SRC, CODE, sdk="1.3.0", date=PY313) == []
    assert findings(SRC, CODE, sdk="1.6.15") == []
    assert findings(SRC, CODE, date=PY313) == []


def test_fix_on_313_uses_jsnull():
    assert (
        fix(SRC, select=[CODE], sdk="1.2.0", date=PY313)
        == """\
from workers import WorkerEntrypoint
from pyodide.ffi import jsnull


class Default(WorkerEntrypoint):
    async def fetch(self, request):
        db = self.env.DB
        await db.prepare("insert into t values (?, ?)").bind("a", jsnull).run()
        stmt = self.env.DB.prepare("update t set x = ?")
        await stmt.bind(
            jsnull,
        ).run()
"""
    )


def test_fix_reuses_an_existing_import_alias():
    src = """\
    from pyodide.ffi import to_js, jsnull as NULL

    async def f(db):
        await db.prepare("x").bind(None).run()
    """
    assert (
        fix(src, select=[CODE], sdk="1.0.0", date=PY313)
        == """\
from pyodide.ffi import to_js, jsnull as NULL

async def f(db):
    await db.prepare("x").bind(NULL).run()
"""
    )


def test_on_312_reported_without_fix():
    assert findings(SRC, CODE, sdk="1.2.0", date=LEGACY_312) == [(CODE, 7, 67), (CODE, 10, 13)]
    assert fix(SRC, select=[CODE], sdk="1.2.0", date=LEGACY_312) == SRC


def test_no_fix_when_jsnull_is_another_name():
    src = """\
    jsnull = object()

    async def f(db):
        await db.prepare("x").bind(None).run()
    """
    assert findings(src, CODE, sdk="1.0.0", date=PY313) == [(CODE, 4, 32)]
    assert fix(src, select=[CODE], sdk="1.0.0", date=PY313) == textwrap.dedent(src)


def test_look_alikes_stay_silent():
    src = """\
    import socket
    from pyodide.ffi import jsnull

    async def f(db, s, value=None):
        await db.prepare("x").bind(jsnull).run()
        await db.prepare("x").bind(value).run()
        s.bind(None)
        socket.socket().bind(("", 0))
        db.prepare("x").bind2(None)
        stmt = db.prepare("x")
        stmt = stmt.bind(1)
        stmt.bind(None)
    """
    assert findings(src, CODE, sdk="1.0.0", date=PY313) == []
