from helpers import findings

CODE = "CFW411"


def test_rewriter_with_data_urls_fires_at_each_construction():
    src = """\
    import base64
    import js
    from js import HTMLRewriter as Rewriter


    def inline(png: bytes) -> str:
        return f'<img src="data:image/png;base64,{base64.b64encode(png).decode()}">'


    def rewrite(response):
        first = js.HTMLRewriter.new()
        second = Rewriter.new().on("img", handler)
        return first, second
    """
    assert findings(src, CODE) == [(CODE, 11, 13), (CODE, 12, 14)]


def test_base64_marker_alone_counts():
    src = """\
    from js import HTMLRewriter
    PREFIX = "image/svg+xml;base64,"
    def f():
        return HTMLRewriter.new()
    """
    assert findings(src, CODE) == [(CODE, 4, 12)]


def test_ordinary_rewriter_use_is_silent():
    src = """\
    from js import HTMLRewriter

    def rewrite(response):
        return HTMLRewriter.new().on("a", handler).transform(response)
    """
    assert findings(src, CODE) == []


def test_data_urls_without_rewriter_or_other_rewriters_are_silent():
    src = """\
    from mylib import HTMLRewriter

    SRC = "data:image/png;base64,AAAA"
    data = {"data:": 1}
    r = HTMLRewriter.new()
    """
    assert findings(src, CODE) == []
