from pathlib import Path

from helpers import LEGACY_312, PY313, PY314, check, findings, run_cli, write_project


def test_every_import_form_fires_at_the_module_name():
    src = """\
    import tkinter
    import os, curses
    import tkinter.ttk as ttk
    from dbm import gnu
    from tkinter import messagebox as mb
    import pty
    from tty import setraw
    def f():
        import fcntl
        import resource
    """
    everywhere = [("CFW304", 1, 8), ("CFW304", 2, 12), ("CFW304", 3, 8), ("CFW304", 4, 6), ("CFW304", 5, 6)]
    assert findings(src, "CFW304", date=PY313) == everywhere + [
        ("CFW304", 6, 8),
        ("CFW304", 7, 6),
        ("CFW304", 9, 12),
        ("CFW304", 10, 12),
    ]
    # facts §8: pty, tty and fcntl import on the 3.14 bundle
    assert findings(src, "CFW304", date=PY314) == everywhere + [("CFW304", 10, 12)]


def test_the_whole_list():
    modules = (
        "curses dbm ensurepip fcntl grp idlelib lib2to3 msvcrt pwd readline resource syslog termios "
        "tkinter turtle turtledemo venv winreg winsound pty tty"
    ).split()
    src = "".join(f"import {m}\n" for m in modules)
    assert findings(src, "CFW304", date=PY313) == [("CFW304", i, 8) for i in range(1, len(modules) + 1)]
    on_314 = [i for i, m in enumerate(modules, 1) if m not in ("fcntl", "termios", "pty", "tty")]
    assert findings(src, "CFW304", date=PY314) == [("CFW304", i, 8) for i in on_314]


def test_messages_name_the_real_exception():
    # facts §8: ModuleNotFoundError "No module named 'X'"; the removed-module note only uncaught,
    # and none for lib2to3 on 3.13+ (not in sys.stdlib_module_names)
    [tk] = check("import tkinter\n", select=["CFW304"], date=PY313)
    assert "No module named 'tkinter'" in tk.message and "due to browser limitations" in tk.message
    [l2] = check("import lib2to3\n", select=["CFW304"], date=PY313)
    assert "No module named 'lib2to3'" in l2.message and "browser limitations" not in l2.message


def test_dynamic_imports_with_a_literal_name():
    src = """\
    import importlib
    from importlib import import_module
    importlib.import_module("tkinter.ttk")
    import_module("pwd")
    __import__("grp")
    importlib.import_module(name)
    importlib.import_module("json")
    """
    assert findings(src, "CFW304") == [("CFW304", 3, 1), ("CFW304", 4, 1), ("CFW304", 5, 1)]


def test_guarded_imports_are_fine():
    src = """\
    import sys, os, contextlib
    from typing import TYPE_CHECKING
    try:
        import fcntl
    except ImportError:
        fcntl = None
    try:
        import pwd, grp
    except (OSError, ModuleNotFoundError):
        pwd = grp = None
    try:
        import resource
    except Exception:
        resource = None
    if sys.platform == "win32":
        import msvcrt
        import winreg
    elif os.name == "nt":
        import winsound
    if sys.platform != "emscripten":
        import curses
    if sys.platform.startswith(("linux", "darwin")):
        import termios
    else:
        import platform_helpers
    if is_posix_like():  # not something the linter can evaluate
        import tty
    if TYPE_CHECKING:
        import tkinter
    with contextlib.suppress(ImportError):
        import syslog
    if __name__ == "__main__":
        import turtle
    """
    assert findings(src, "CFW304") == []


def test_unguarded_branches_and_wrong_handlers_still_fire():
    src = """\
    from typing import TYPE_CHECKING
    try:
        import fcntl
    except KeyError:
        pass
    try:
        import json
    except ImportError:
        import pwd
    if TYPE_CHECKING:
        pass
    else:
        import grp
    if DEBUG:
        import curses
    """
    assert findings(src, "CFW304", date=PY313) == [
        ("CFW304", 3, 12),
        ("CFW304", 9, 12),
        ("CFW304", 13, 12),
        ("CFW304", 15, 12),
    ]
    assert findings(src, "CFW304", date=PY314) == [("CFW304", 9, 12), ("CFW304", 13, 12), ("CFW304", 15, 12)]


def test_look_alikes_stay_silent():
    src = """\
    import tkinterweb
    import resources
    from .resource import Thing
    from . import pwd
    from mypkg import resource
    import pyodide.ffi
    import mypkg.curses
    import shelve
    """
    assert findings(src, "CFW304") == []


def test_applies_on_every_runtime():
    src = "import tkinter\n"
    for date in (LEGACY_312, PY313, PY314):
        assert findings(src, "CFW304", date=date) == [("CFW304", 1, 8)]
    [diag] = check(src, select=["CFW304"])
    assert "removed from the Python standard library in the Pyodide distribution" in diag.message


def test_a_project_module_of_the_same_name_shadows_the_stdlib(tmp_path: Path):
    write_project(
        tmp_path,
        {
            "wrangler.toml": """\
                name = "w"
                main = "src/entry.py"
                compatibility_date = "2025-11-01"
                compatibility_flags = ["python_workers"]
                """,
            "src/entry.py": "import resource\nimport pwd\n",
            "src/resource.py": "LIMIT = 1\n",
        },
    )
    result = run_cli(["--output-format", "json", "--no-cache", "--select", "CFW304", "."], cwd=tmp_path)
    import json

    found = [(d["code"], d["location"]["row"]) for d in json.loads(result.stdout)]
    assert found == [("CFW304", 2)]


def test_platform_branches_that_run_on_pyodide_still_fire():
    # Pyodide: sys.platform == "emscripten", os.name == "posix", platform.system() == "Emscripten"
    src = """\
    import os, sys, platform
    if os.name == "posix":
        import pwd
    else:
        import msvcrt
    if sys.platform == "win32":
        import winreg
    else:
        import fcntl
    if sys.platform in ("linux", "darwin") or os.name == "nt":
        import termios
    elif platform.system() == "Emscripten":
        import resource
    if not sys.platform.startswith("win"):
        import grp
    """
    assert findings(src, "CFW304", date=PY313) == [
        ("CFW304", 3, 12),
        ("CFW304", 9, 12),
        ("CFW304", 13, 12),
        ("CFW304", 15, 12),
    ]


def test_openssl_hashes_on_314_are_a_warning():
    # facts §8 [UNCERTAIN: observed in npm pyodide 314.0.4]: pbkdf2_hmac and scrypt are absent
    src = """\
    import hashlib
    from hashlib import scrypt, sha256

    def derive(password, salt):
        sha256(password).hexdigest()
        return hashlib.pbkdf2_hmac("sha256", password, salt, 100_000)
    try:
        from hashlib import pbkdf2_hmac
    except ImportError:
        pbkdf2_hmac = None
    """
    assert findings(src, "CFW304", date=PY314) == [("CFW304", 2, 21), ("CFW304", 6, 12)]
    assert {d.severity.value for d in check(src, select=["CFW304"], date=PY314)} == {"warning"}
    assert findings(src, "CFW304", date=PY313) == []
    assert findings(src, "CFW304", date=LEGACY_312) == []


def test_module_name_positions_in_unusual_layouts():
    # `ast` gives no position for these names; they must match LibCST's (the names' own span)
    src = (
        "import  tkinter . ttk as t\n"
        "import os, \\\n"
        "    curses\n"
        "from   dbm.gnu   import x\n"
        "from dbm \\\n"
        "   . gnu import y\n"
        "from \\\n"
        "  pwd import z\n"
        'x = "é"; import pwd; é = 1; from grp import a\n'
        "from hashlib import (sha1,\n"
        "    scrypt)\n"
    )
    spans = [
        (d.start.line, d.start.column, d.end.line, d.end.column)
        for d in check(src, select=["CFW304"], date=PY314, dedent=False)
    ]
    assert spans == [
        (1, 9, 1, 22),
        (3, 5, 3, 11),
        (4, 8, 4, 15),
        (5, 6, 6, 9),
        (8, 3, 8, 6),
        (9, 17, 9, 20),
        (9, 34, 9, 37),
        (11, 5, 11, 11),
    ]


def test_guards_that_need_name_resolution():
    src = """\
    from contextlib import suppress as quiet
    from sys import platform as plat
    import importlib as il
    with quiet(ModuleNotFoundError):
        import pwd
    if plat.startswith("win"):
        import winreg
    if plat == "emscripten":
        import grp
    il.import_module(name="termios")
    def __import__(name):
        return name
    __import__("curses")
    """
    assert findings(src, "CFW304", date=PY313) == [("CFW304", 9, 12), ("CFW304", 10, 1)]
