import textwrap

from helpers import findings, fix

CODE = "CFW402"


def test_import_fires_at_the_alias():
    src = """\
    from pyodide.ffi import to_py
    from pyodide.ffi import to_js, to_py as convert
    from pyodide.ffi import (
        create_proxy,
        to_py,
    )
    """
    assert findings(src, CODE) == [(CODE, 1, 25), (CODE, 2, 32), (CODE, 5, 5)]


def test_fix_removes_a_lone_import_and_rewrites_calls():
    src = """\
    from pyodide.ffi import to_py
    from workers import WorkerEntrypoint


    class Default(WorkerEntrypoint):
        async def fetch(self, request):
            rows = to_py(await self.env.DB.prepare("select 1").all())
            total = to_py(a + b)
            item = to_py(rows[0], depth=1)
            return to_py(self.env.X)
    """
    assert (
        fix(src, select=[CODE])
        == """\
from workers import WorkerEntrypoint


class Default(WorkerEntrypoint):
    async def fetch(self, request):
        rows = (await self.env.DB.prepare("select 1").all()).to_py()
        total = (a + b).to_py()
        item = rows[0].to_py(depth=1)
        return self.env.X.to_py()
"""
    )


def test_fix_in_a_multi_name_import_with_alias_and_nested_calls():
    src = """\
    from pyodide.ffi import to_js, to_py as tp, create_proxy

    def f(x, y):
        a = tp(tp(x)[0])
        b = tp(
            y.method(
                1,
            ),
        )
        return to_js(a), b
    """
    assert (
        fix(src, select=[CODE])
        == """\
from pyodide.ffi import to_js, create_proxy

def f(x, y):
    a = x.to_py()[0].to_py()
    b = y.method(
            1,
        ).to_py()
    return to_js(a), b
"""
    )


def test_no_fix_when_a_call_holds_a_comment():
    src = """\
    from pyodide.ffi import to_py

    def f(y):
        return to_py(
            y,  # the proxy
        )
    """
    assert findings(src, CODE) == [(CODE, 1, 25)]
    assert fix(src, select=[CODE]) == textwrap.dedent(src)


def test_fix_in_parenthesised_import_keeps_style():
    src = """\
    from pyodide.ffi import (
        to_js,
        to_py,
    )
    value = to_py(await_me)
    """
    assert (
        fix(src, select=[CODE])
        == """\
from pyodide.ffi import (
    to_js,
)
value = await_me.to_py()
"""
    )


def test_no_fix_when_a_use_is_not_a_simple_call():
    src = """\
    from pyodide.ffi import to_py
    rows = list(map(to_py, items))
    """
    assert findings(src, CODE) == [(CODE, 1, 25)]
    assert fix(src, select=[CODE]) == "from pyodide.ffi import to_py\nrows = list(map(to_py, items))\n"


def test_no_fix_for_two_positional_arguments_or_star_args():
    for call in ("to_py(a, b)", "to_py(*xs)", "to_py()"):
        src = f"from pyodide.ffi import to_py\nv = {call}\n"
        assert fix(src, select=[CODE]) == src


def test_function_local_import():
    src = """\
    def f(proxy):
        from pyodide.ffi import to_py
        return to_py(proxy)

    def g(proxy):
        from pyodide.ffi import to_py
    """
    assert findings(src, CODE) == [(CODE, 2, 29), (CODE, 6, 29)]
    # g's import is alone in its body: removing it would leave an empty block
    assert (
        fix(src, select=[CODE])
        == """\
def f(proxy):
    return proxy.to_py()

def g(proxy):
    from pyodide.ffi import to_py
"""
    )


def test_module_attribute_call():
    src = """\
    import pyodide.ffi
    from pyodide import ffi
    a = pyodide.ffi.to_py(x)
    b = ffi.to_py(x + 1, depth=2)
    """
    assert findings(src, CODE) == [(CODE, 3, 5), (CODE, 4, 5)]
    assert (
        fix(src, select=[CODE])
        == """\
import pyodide.ffi
from pyodide import ffi
a = x.to_py()
b = (x + 1).to_py(depth=2)
"""
    )


def test_module_attribute_reference_without_call_has_no_fix():
    src = """\
    import pyodide.ffi
    rows = list(map(pyodide.ffi.to_py, items))
    """
    assert findings(src, CODE) == [(CODE, 2, 17)]
    assert fix(src, select=[CODE]) == textwrap.dedent(src)


def test_crlf():
    src = "from pyodide.ffi import to_js, to_py\r\nv = to_py(p)\r\n"
    assert fix(src, select=[CODE], dedent=False) == "from pyodide.ffi import to_js\r\nv = p.to_py()\r\n"


def test_look_alikes_stay_silent():
    src = """\
    from mylib.ffi import to_py
    from .helpers import to_py as helper_to_py
    from pyodide.ffi import to_js
    try:
        from pyodide.ffi import to_py as maybe
    except ImportError:
        maybe = None

    class Proxy:
        def to_py(self):
            return 1

    def f(p):
        return p.to_py(), Proxy().to_py(), to_py(p)
    """
    assert findings(src, CODE) == []
