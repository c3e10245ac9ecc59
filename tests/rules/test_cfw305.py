from helpers import LEGACY_312, PY313, check, findings

BEFORE_STARTUP_EVAL = "2025-05-01"


def _severities(src, **kw):
    return [(d.start.line, d.start.column, d.severity.value) for d in check(src, select=["CFW305"], **kw)]


def test_every_spelling_in_handlers_is_an_error():
    src = """\
    import js
    from js import eval as js_eval, Function
    from pyodide.code import run_js
    from workers import WorkerEntrypoint
    class Default(WorkerEntrypoint):
        async def fetch(self, request):
            js.eval("1 + 1")
            js_eval("2")
            add = Function.new("a", "b", "return a + b")
            js.Function("return 1")
            js.globalThis.eval("3")
            run_js("4")
    """
    assert _severities(src) == [
        (7, 9, "error"),
        (8, 9, "error"),
        (9, 15, "error"),
        (10, 9, "error"),
        (11, 9, "error"),
        (12, 9, "error"),
    ]


def test_helper_functions_are_request_time_too():
    src = """\
    import js
    def compile_filter(expr):
        return js.Function.new("row", f"return {expr}")
    """
    assert _severities(src) == [(3, 12, "error")]


def test_global_scope_is_a_warning_from_2025_06_01():
    src = """\
    import js
    HELPER = js.Function.new("a", "return a * 2")
    class Config:
        VALUE = js.eval("40 + 2")
    def f(x=js.eval("1")):
        return x
    """
    assert _severities(src, date=PY313) == [(2, 10, "warning"), (4, 13, "warning"), (5, 9, "warning")]
    assert _severities(src, date=LEGACY_312) == [(2, 10, "warning"), (4, 13, "warning"), (5, 9, "warning")]


def test_global_scope_is_an_error_before_2025_06_01_or_when_disallowed():
    src = "import js\nHELPER = js.eval('1')\n"
    assert _severities(src, date=BEFORE_STARTUP_EVAL) == [(2, 10, "error")]
    flags = ("python_workers", "disallow_eval_during_startup")
    assert _severities(src, date=PY313, flags=flags) == [(2, 10, "error")]
    [diag] = check(src, select=["CFW305"], date=BEFORE_STARTUP_EVAL)
    assert "2025-06-01" in diag.message


def test_python_eval_and_look_alikes_stay_silent():
    src = """\
    import js
    from mylib import Function
    def handler(expr, engine):
        eval(expr)
        Function.new("x")
        engine.eval("1")
        js.JSON.parse("{}")
        js.Object.new()
        f = js.eval  # referenced, not called
    class Template:
        def eval(self, code): ...
    Template().eval("x")
    if __name__ == "__main__":
        js.eval("1")
    """
    assert findings(src, "CFW305") == []


def test_a_local_js_module_is_not_javascript():
    src = """\
    def handler(js):
        js.eval("1")
    """
    assert findings(src, "CFW305") == []


def test_calling_the_result_is_reported_once_at_the_eval():
    src = """\
    import js
    def score(formula, html):
        return js.eval(formula)(len(html))
    """
    assert findings(src, "CFW305") == [("CFW305", 3, 12)]


def test_aliases_defaults_lambdas_and_main_guard_branches():
    src = """\
    import js
    from js import eval as jeval
    x = [js.eval(s) for s in y]
    class K:
        def m(self):
            return jeval("2")
    def f(a=js.eval("d"), b=lambda: js.eval("l")):
        js.eval("1")("y")
    if __name__ == "__main__":
        js.eval("main")
    else:
        js.eval("else")
    """
    found = [(d.start.line, d.start.column, d.severity.value) for d in check(src, select=["CFW305"], date=PY313)]
    assert found == [
        (3, 6, "warning"),
        (6, 16, "error"),
        (7, 9, "warning"),
        (7, 33, "error"),
        (8, 5, "error"),
        (12, 5, "warning"),
    ]
