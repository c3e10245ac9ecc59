from helpers import LEGACY_312, PY314, check, findings


def test_open_in_write_modes_outside_tmp():
    src = """\
    import io, codecs
    def handler(name):
        open("out.json", "w")
        open("/data/out.json", mode="a")
        open(f"/var/cache/{name}.json", "wb")
        open("reports/" + name, "x")
        open("log.txt", "r+")
        io.open("state.bin", "wb")
        codecs.open("notes.txt", "w", "utf-8")
    """
    assert findings(src, "CFW306") == [
        ("CFW306", 3, 5),
        ("CFW306", 4, 5),
        ("CFW306", 5, 5),
        ("CFW306", 6, 5),
        ("CFW306", 7, 5),
        ("CFW306", 8, 5),
        ("CFW306", 9, 5),
    ]


def test_pathlib_writes_through_names_and_joins():
    src = """\
    from pathlib import Path
    import pathlib
    CACHE = Path("cache")
    HERE = Path(__file__).parent
    def handler(payload):
        Path("out.txt").write_text(payload)
        (CACHE / "index.json").write_text(payload)
        (HERE / "state.bin").write_bytes(b"")
        pathlib.Path("/srv", "data").mkdir(parents=True)
        with Path("log.txt").open("a") as f:
            f.write(payload)
        target = CACHE / "x"
        target.touch()
    """
    assert findings(src, "CFW306") == [
        ("CFW306", 6, 5),
        ("CFW306", 7, 5),
        ("CFW306", 8, 5),
        ("CFW306", 9, 5),
        ("CFW306", 10, 10),
        ("CFW306", 13, 5),
    ]


def test_os_and_shutil():
    src = """\
    import os, shutil
    from os import makedirs as mk
    def handler():
        os.makedirs("logs", exist_ok=True)
        mk("/var/log/app")
        os.remove("old.txt")
        os.rename("/tmp/a", "archive/a")
        shutil.copy("/tmp/a", dst="backup/a")
        shutil.rmtree("build")
        with open(os.path.join(os.path.dirname(__file__), "state.json"), "w") as f:
            pass
        fd = os.open("lock", os.O_CREAT | os.O_WRONLY)
    """
    assert findings(src, "CFW306") == [
        ("CFW306", 4, 5),
        ("CFW306", 5, 5),
        ("CFW306", 6, 5),
        ("CFW306", 7, 5),
        ("CFW306", 8, 5),
        ("CFW306", 9, 5),
        ("CFW306", 10, 10),
        ("CFW306", 12, 10),
    ]


def test_tmp_dev_reads_and_unknown_paths_are_silent():
    src = """\
    import os, shutil, tempfile
    from pathlib import Path
    def handler(name, user_path, root):
        open("/tmp/out.json", "w")
        open(f"/tmp/{name}", "w")
        open("/tmp", "w")
        open("/dev/null", "w")
        open("config.json")
        open("config.json", "rb")
        open(user_path, "w")
        open(f"{root}/out.json", "w")
        open("/t" + name, "w")
        open(name, mode)
        Path(tempfile.gettempdir(), "x").write_text("")
        (Path("/tmp") / "x.json").write_text("{}")
        os.makedirs(os.path.join(tempfile.mkdtemp(), "sub"))
        shutil.copy("static/logo.png", "/tmp/logo.png")
        Path("static/logo.png").read_bytes()
        with tempfile.NamedTemporaryFile("w") as f:
            f.write("x")
        os.open("data.bin", os.O_RDONLY)
    """
    assert findings(src, "CFW306") == []


def test_normalised_paths_and_look_alike_prefixes():
    src = """\
    from pathlib import Path
    def handler():
        Path("/tmp/../etc/app.conf").write_text("")
        open("/tmpfile", "w")
        open("/tmp/./x/../y", "w")
    """
    assert findings(src, "CFW306") == [("CFW306", 3, 5), ("CFW306", 4, 5)]


def test_look_alikes_stay_silent():
    src = """\
    class Store:
        def open(self, path, mode): ...
        def write_text(self, text): ...
    def open(path, mode):
        return None
    def handler(store, fs):
        store.open("data.json", "w")
        Store().write_text("x")
        open("data.json", "w")  # the module's own open()
        fs.makedirs("logs")
    if __name__ == "__main__":
        import os
        os.makedirs("dist")
    """
    assert findings(src, "CFW306") == []


def test_every_runtime_and_severity():
    src = "def f():\n    open('out.txt', 'w')\n"
    for date in (LEGACY_312, PY314):
        [diag] = check(src, select=["CFW306"], date=date)
        assert (diag.start.line, diag.start.column, diag.severity.value) == (2, 5, "warning")
        assert "`out.txt`, a relative path" in diag.message


def test_log_files():
    src = """\
    import logging
    from logging.handlers import RotatingFileHandler
    logging.basicConfig(filename="app.log", level=logging.INFO)
    handler = logging.FileHandler("logs/worker.log")
    rotating = RotatingFileHandler("/var/log/worker.log", maxBytes=1000)
    fine = logging.FileHandler("/tmp/worker.log")
    stream = logging.StreamHandler()
    logging.basicConfig(level=logging.INFO)
    """
    assert findings(src, "CFW306") == [("CFW306", 3, 1), ("CFW306", 4, 11), ("CFW306", 5, 12)]


def test_builtin_names_do_not_break_resolution():
    src = """\
    def f():
        open(input, "w")
        open(__name__, "w")
    """
    assert findings(src, "CFW306") == []


def test_bindings_count_from_where_they_are_made():
    # a name is known from its binding on (the order the checks read the file in), through
    # walrus and `with ... as`; decorators, defaults and class keywords run their calls too
    src = """\
    from pathlib import Path
    def early():
        LATER.write_text("x")
    LATER = Path("later.txt")
    def f(p=open("def.txt", "w")):
        (t := Path("walrus.txt")).touch()
        t.touch()
        with Path("a.txt") as wp:
            wp.write_text("")
        x = {"a": open("d.txt", "w"), "b": (y := Path("dd"))}
        y.touch()
        LATER.touch()
    if __name__ == "__main__":
        open("main.txt", "w")
    else:
        open("notmain.txt", "w")
    @decorate(open("deco.txt", "w"))
    class C(Base, meta=open("m.txt", "w")):
        v = Path("cls.txt")
        v.touch()
    """
    assert findings(src, "CFW306") == [
        ("CFW306", 5, 9),
        ("CFW306", 7, 5),
        ("CFW306", 10, 15),
        ("CFW306", 11, 5),
        ("CFW306", 12, 5),
        ("CFW306", 16, 5),
        ("CFW306", 17, 11),
        ("CFW306", 18, 20),
        ("CFW306", 20, 5),
    ]
