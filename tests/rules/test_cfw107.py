from helpers import LEGACY_312, PY313, PY314, findings, fix


def test_legacy_paths_fire_on_313_and_later():
    src = """\
    from cloudflare.workers import Response, handler
    import cloudflare.workers as cw
    from cloudflare import workers


    def f():
        from cloudflare.workers import fetch
        return fetch
    """
    expected = [("CFW107", 1, 1), ("CFW107", 2, 1), ("CFW107", 3, 1), ("CFW107", 7, 5)]
    assert findings(src, "CFW107", date=PY313) == expected
    assert findings(src, "CFW107", date=PY314) == expected
    assert findings(src, "CFW107") == expected


def test_silent_on_312_where_the_path_exists():
    src = "from cloudflare.workers import Response\nimport cloudflare.workers\n"
    assert findings(src, "CFW107", date=LEGACY_312) == []


def test_look_alikes_stay_silent():
    src = """\
    from workers import Response
    import workers
    import cloudflare
    from cloudflare.types.workers import Script
    from cloudflare import Cloudflare
    from .cloudflare.workers import local_thing
    client = cloudflare.Cloudflare()
    client.workers.scripts.list()
    """
    assert findings(src, "CFW107", date=PY313) == []


def test_fix_from_import_keeps_names_and_formatting():
    src = """\
    from cloudflare.workers import (  # the SDK
        Response,
        handler as h,
    )
    """
    assert fix(src, date=PY313, select=["CFW107"]) == (
        "from workers import (  # the SDK\n    Response,\n    handler as h,\n)\n"
    )


def test_fix_aliased_and_package_imports():
    src = "import cloudflare.workers as cw\nfrom cloudflare import workers as w\nfrom cloudflare import workers\n"
    assert fix(src, date=PY313, select=["CFW107"]) == "import workers as cw\nimport workers as w\nimport workers\n"


def test_fix_bare_import_rewrites_every_use():
    src = """\
    import cloudflare.workers


    async def go(url):
        resp = await cloudflare.workers.fetch(url)
        return cloudflare.workers.Response(await resp.text())
    """
    assert fix(src, date=PY313, select=["CFW107"]) == (
        "import workers\n\n\n"
        "async def go(url):\n"
        "    resp = await workers.fetch(url)\n"
        "    return workers.Response(await resp.text())\n"
    )


def test_bare_import_not_fixed_when_cloudflare_means_more():
    # `cloudflare.Cloudflare` is the API client: the name must keep meaning the package
    src = "import cloudflare\nimport cloudflare.workers\nclient = cloudflare.Cloudflare()\nR = cloudflare.workers.Response\n"
    assert findings(src, "CFW107", date=PY313) == [("CFW107", 2, 1)]
    assert fix(src, date=PY313, select=["CFW107"]) == src
    # a module-level `workers` would be shadowed by the new import
    src2 = "import cloudflare.workers\nworkers = []\nR = cloudflare.workers.Response\n"
    assert fix(src2, date=PY313, select=["CFW107"]) == src2


def test_package_import_with_other_names_is_reported_without_fix():
    src = "from cloudflare import workers, Cloudflare\n"
    assert findings(src, "CFW107", date=PY313) == [("CFW107", 1, 1)]
    assert fix(src, date=PY313, select=["CFW107"]) == src


def test_crlf():
    src = "from cloudflare.workers import Response\r\nx = 1\r\n"
    assert fix(src, date=PY313, select=["CFW107"], dedent=False) == "from workers import Response\r\nx = 1\r\n"


def test_import_error_fallbacks_stay_silent():
    src = """\
    try:
        from cloudflare.workers import Response
    except ImportError:
        from workers import Response

    try:
        from workers import fetch
    except (ModuleNotFoundError, AttributeError):
        import cloudflare.workers as cw
        fetch = cw.fetch

    try:
        from cloudflare.workers import handler
    finally:
        pass

    try:
        from cloudflare.workers import env
    except KeyError:
        pass
    """
    assert findings(src, "CFW107", date=PY313) == [("CFW107", 13, 5), ("CFW107", 18, 5)]
