from helpers import LEGACY_312, PY313, PY314, findings

CODE = "CFW403"


def test_imports_fire_on_312_at_the_alias():
    src = """\
    from pyodide.ffi import to_js, jsnull
    from pyodide.ffi import JsNull as Null
    from pyodide.ffi import (
        create_proxy,
        jsnull as NULL,
    )
    """
    assert findings(src, CODE, date=LEGACY_312) == [
        (CODE, 1, 32),
        (CODE, 2, 25),
        (CODE, 5, 5),
    ]


def test_attribute_access_through_the_module_fires_on_312():
    src = """\
    import pyodide.ffi
    from pyodide import ffi

    def f():
        a = pyodide.ffi.jsnull
        return ffi.JsNull
    """
    assert findings(src, CODE, date=LEGACY_312) == [(CODE, 5, 9), (CODE, 6, 12)]


def test_nested_import_in_a_function_fires():
    src = """\
    async def handler(db):
        from pyodide.ffi import jsnull
        await db.prepare("x").bind(jsnull).run()
    """
    assert findings(src, CODE, date=LEGACY_312) == [(CODE, 2, 29)]


def test_silent_on_313_and_314():
    src = "from pyodide.ffi import jsnull, JsNull\n"
    assert findings(src, CODE, date=PY313) == []
    assert findings(src, CODE, date=PY314) == []
    assert findings(src, CODE) == []


def test_guarded_imports_are_fine():
    src = """\
    import sys
    try:
        from pyodide.ffi import jsnull
    except ImportError:
        jsnull = None
    try:
        from pyodide.ffi import JsNull
    except (ModuleNotFoundError, ImportError):
        JsNull = type(None)
    if sys.version_info >= (3, 13):
        from pyodide.ffi import jsnull as null2
    """
    assert findings(src, CODE, date=LEGACY_312) == []


def test_look_alikes_stay_silent():
    src = """\
    from mylib.ffi import jsnull
    from pyodide.ffi import to_js
    jsnull = object()
    class X:
        jsnull = None
    x = X().jsnull
    try:
        from pyodide.ffi import jsnull as other
    except ValueError:
        pass
    """
    # the last import is not guarded against ImportError: it fires
    assert findings(src, CODE, date=LEGACY_312) == [(CODE, 8, 29)]
