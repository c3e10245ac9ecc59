import textwrap

from helpers import findings, fix

CODE = "CFW409"


def test_positional_options_fire_at_the_second_argument():
    src = """\
    from workers import fetch
    import workers
    from workers import fetch as wfetch

    async def f(url, opts):
        a = await fetch(url, {"method": "POST"})
        b = await workers.fetch(url, opts)
        c = await wfetch(
            url,
            {"method": "GET"},
        )
        return a, b, c
    """
    assert findings(src, CODE) == [(CODE, 6, 26), (CODE, 7, 34), (CODE, 10, 9)]


def test_fix_literal_dict_becomes_keywords():
    src = """\
    from workers import fetch

    async def f(url, h, body):
        a = await fetch(url, {"method": "POST", "headers": h, "body": body})
        b = await fetch(url, {"method": "POST", **extra}, cf={"cacheTtl": 5})
        return a, b
    """
    assert (
        fix(src, select=[CODE])
        == """\
from workers import fetch

async def f(url, h, body):
    a = await fetch(url, method="POST", headers=h, body=body)
    b = await fetch(url, method="POST", **extra, cf={"cacheTtl": 5})
    return a, b
"""
    )


def test_fix_multi_line_dict_keeps_layout_and_comments():
    src = """\
    from workers import fetch

    async def f(url, body):
        return await fetch(url, {
            "method": "POST",  # create
            "body": body,
        })
    """
    assert (
        fix(src, select=[CODE])
        == """\
from workers import fetch

async def f(url, body):
    return await fetch(url,
        method="POST",  # create
        body=body,
    )
"""
    )


def test_fix_dict_on_its_own_lines():
    src = """\
    from workers import fetch

    async def f(url, body):
        a = await fetch(
            url,
            {
                "method": "POST",
                "body": body,
            },
        )
        b = await fetch(
            url,
            {
                "method": "POST",
                # a comment before the closing brace
            },
        )
        return a, b
    """
    assert (
        fix(src, select=[CODE])
        == """\
from workers import fetch

async def f(url, body):
    a = await fetch(
        url,
            method="POST",
            body=body,
    )
    b = await fetch(
        url,
        **{
            "method": "POST",
            # a comment before the closing brace
        },
    )
    return a, b
"""
    )


def test_fix_non_identifier_keys_and_local_dicts_use_double_star():
    src = """\
    from pyodide.ffi import to_js
    from workers import fetch

    async def f(url):
        opts = {"method": "GET"}
        a = await fetch(url, {"method": "GET", "x-y": 1})
        b = await fetch(url, opts)
        c = await fetch(url, to_js({"method": "PUT"}))
        return a, b, c
    """
    assert (
        fix(src, select=[CODE])
        == """\
from pyodide.ffi import to_js
from workers import fetch

async def f(url):
    opts = {"method": "GET"}
    a = await fetch(url, **{"method": "GET", "x-y": 1})
    b = await fetch(url, **opts)
    c = await fetch(url, method="PUT")
    return a, b, c
"""
    )


def test_no_fix_for_unknown_values_or_conflicts():
    src = """\
    from workers import fetch

    async def f(url, opts, h):
        a = await fetch(url, opts)
        b = await fetch(url, {"method": "GET"}, method="POST")
        c = await fetch(url, {"method": "GET"}, h)
        return a, b, c
    """
    assert findings(src, CODE) == [(CODE, 4, 26), (CODE, 5, 26), (CODE, 6, 26)]
    # b: "method" twice would be a SyntaxError; the mapping form keeps the runtime's complaint
    assert fix(src, select=[CODE]) == textwrap.dedent(src).replace(
        'fetch(url, {"method": "GET"}, method="POST")', 'fetch(url, **{"method": "GET"}, method="POST")'
    )


def test_look_alikes_stay_silent():
    src = """\
    import js
    from js import fetch as js_fetch
    from pyodide.ffi import to_js
    from js import Object
    from mylib import fetch
    import httpx

    async def f(url, args):
        a = await js.fetch(url, to_js({"method": "POST"}, dict_converter=Object.fromEntries))
        b = await js_fetch(url, to_js({"method": "POST"}))
        c = await fetch(url, {"method": "POST"})
        d = await self_fetch(url, {"a": 1})
        return a, b, c, d

    class Default:
        async def handle(self, url):
            from js import fetch
            e = await fetch(url, to_js({"method": "GET"}, dict_converter=Object.fromEntries))
            f = await self.env.SERVICE.fetch(url, {"method": "GET"})
            return e, f
    """
    assert findings(src, CODE) == []


def test_star_args_and_keywords_only_are_silent():
    src = """\
    from workers import fetch

    async def f(url, args, opts):
        a = await fetch(*args)
        b = await fetch(url, **opts)
        c = await fetch(url, method="POST")
        return a, b, c
    """
    assert findings(src, CODE) == []


def test_crlf_multi_line():
    src = (
        "from workers import fetch\r\n\r\nasync def f(url, body):\r\n    a = await fetch(url, {\r\n"
        '        "method": "POST",  # c\r\n        "body": body,\r\n    })\r\n'
    )
    assert fix(src, select=[CODE], dedent=False) == (
        "from workers import fetch\r\n\r\nasync def f(url, body):\r\n    a = await fetch(url,\r\n"
        '        method="POST",  # c\r\n        body=body,\r\n    )\r\n'
    )
