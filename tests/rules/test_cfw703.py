from cfw7_helpers import found, fixed, messages, project

LEGACY = """\
from workers import handler


@handler
async def on_fetch(request, env):
    return None
"""


def config(date: str, extra: str = "") -> str:
    return f'main = "src/entry.py"\ncompatibility_date = "{date}"  # pinned\ncompatibility_flags = ["python_workers"{extra}]\n'


def test_class_handler_before_the_switch_fires_at_the_date(tmp_path):
    project(tmp_path, {"wrangler.toml": config("2025-08-13")})
    assert found(tmp_path, "CFW703") == [("CFW703", "wrangler.toml", 2, 1)]
    assert "2025-08-14" in messages(tmp_path, "CFW703")[0]


def test_fix_is_unsafe_and_sets_the_date(tmp_path):
    project(tmp_path, {"wrangler.toml": config("2025-07-01")})
    assert fixed(tmp_path, "CFW703", "wrangler.toml") == config("2025-07-01")  # safe mode: untouched
    assert fixed(tmp_path, "CFW703", "wrangler.toml", unsafe=True) == config("2025-08-14")
    assert found(tmp_path, "CFW703") == []


def test_jsonc_fix_keeps_comments(tmp_path):
    project(
        tmp_path,
        {
            "wrangler.jsonc": """\
        {
          "main": "src/entry.py",
          "compatibility_date": "2025-03-10", // old
          "compatibility_flags": ["python_workers"]
        }
        """
        },
    )
    assert found(tmp_path, "CFW703") == [("CFW703", "wrangler.jsonc", 3, 3)]
    assert '"compatibility_date": "2025-08-14", // old' in fixed(tmp_path, "CFW703", "wrangler.jsonc", unsafe=True)


def test_on_the_switch_date_legacy_handlers_or_no_default_are_silent(tmp_path):
    project(tmp_path / "a", {"wrangler.toml": config("2025-08-14")})
    project(tmp_path / "b", {"wrangler.toml": config("2025-07-01")}, entry=LEGACY)
    # a class called Default that is not a WorkerEntrypoint
    project(tmp_path / "c", {"wrangler.toml": config("2025-07-01")}, entry="class Default:\n    pass\n")
    assert found(tmp_path, "CFW703") == []


def test_subclass_chain_and_module_import_are_resolved(tmp_path):
    entry = "import workers\n\n\nclass Base(workers.WorkerEntrypoint):\n    pass\n\n\nclass Default(Base):\n    pass\n"
    project(tmp_path, {"wrangler.toml": config("2025-07-01")}, entry=entry)
    assert found(tmp_path, "CFW703") == [("CFW703", "wrangler.toml", 2, 1)]


def test_disable_flag_is_reported_at_the_flag_without_a_fix(tmp_path):
    text = config("2025-11-01", ', "disable_python_no_global_handlers"')
    project(tmp_path, {"wrangler.toml": text})
    assert found(tmp_path, "CFW703") == [("CFW703", "wrangler.toml", 3, 42)]
    assert fixed(tmp_path, "CFW703", "wrangler.toml", unsafe=True) == text


def test_environment_overriding_the_date(tmp_path):
    text = config("2025-11-01") + '\n[env.old]\ncompatibility_date = "2025-01-01"\n'
    project(tmp_path, {"wrangler.toml": text})
    assert found(tmp_path, "CFW703") == [("CFW703", "wrangler.toml", 6, 1)]
    assert fixed(tmp_path, "CFW703", "wrangler.toml", unsafe=True) == text.replace("2025-01-01", "2025-08-14")


def test_default_imported_from_the_workers_own_module(tmp_path):
    project(
        tmp_path,
        {
            "wrangler.toml": config("2025-07-01"),
            "src/handlers/__init__.py": "",
            "src/handlers/web.py": "from workers import WorkerEntrypoint as WE\n\n\nclass Default(WE):\n    pass\n",
        },
        entry="from handlers.web import Default\n",
    )
    assert found(tmp_path, "CFW703") == [("CFW703", "wrangler.toml", 2, 1)]


def test_default_imported_from_an_installed_package_is_unknown(tmp_path):
    project(tmp_path, {"wrangler.toml": config("2025-07-01")}, entry="from framework import Default\n")
    assert found(tmp_path, "CFW703") == []


def test_explicit_no_global_handlers_flag_on_an_old_date_is_silent(tmp_path):
    project(tmp_path, {"wrangler.toml": config("2025-07-01", ', "python_no_global_handlers"')})
    assert found(tmp_path, "CFW703") == []


LEGACY_NAMED_METHODS = """\
from workers import Response, WorkerEntrypoint


class Default(WorkerEntrypoint):
    async def on_fetch(self, request, env):
        return Response("hi")
"""


def test_default_with_legacy_named_methods_works_before_the_switch(tmp_path):
    # legacy mode looks the class's fetch up as on_fetch: this spelling is what it calls, and
    # scheduled/queue/tail are looked up by their own names
    with_cron = LEGACY_NAMED_METHODS + "\n    async def scheduled(self, controller, env, ctx):\n        pass\n"
    project(tmp_path / "old", {"wrangler.toml": config("2025-03-01")}, entry=with_cron)
    assert found(tmp_path / "old", "CFW703") == []
    # `connect` without `on_connect` is looked up as on_connect, and missed
    with_connect = LEGACY_NAMED_METHODS + "\n    async def connect(self, socket):\n        pass\n"
    project(tmp_path / "connect", {"wrangler.toml": config("2025-03-01")}, entry=with_connect)
    assert found(tmp_path / "connect", "CFW703") == [("CFW703", "wrangler.toml", 2, 1)]


REQUESTS_ENTRY = """\
import requests
from workers import Response, WorkerEntrypoint


class Default(WorkerEntrypoint):
    async def fetch(self, request):
        return Response(requests.get("https://example.com").text)
"""

JINJA_ENTRY = """\
import jinja2
from workers import Response, WorkerEntrypoint


class Default(WorkerEntrypoint):
    async def fetch(self, request):
        return Response(jinja2.Template("x").render())
"""


def test_date_picked_for_the_python_the_code_needs(tmp_path):
    # a blocking HTTP client in a handler fails on Python 3.12 (CFW301) and works on 3.13:
    # the date moves to the first one with 3.13, not to the switch date
    project(
        tmp_path,
        {
            "wrangler.toml": config("2025-07-01"),
            "pyproject.toml": '[project]\nname = "w"\nversion = "0"\ndependencies = ["requests"]\n',
        },
        entry=REQUESTS_ENTRY,
    )
    message = messages(tmp_path, "CFW703")[0]
    assert (
        "Set compatibility_date to 2025-09-29 or later; 2025-09-29 rather than 2025-08-14: it selects Python 3.13"
        in message
    )
    assert fixed(tmp_path, "CFW703", "wrangler.toml", unsafe=True) == config("2025-09-29")


def test_no_date_when_vendored_packages_cannot_be_moved(tmp_path):
    project(tmp_path, {"wrangler.toml": config("2025-07-01"), "src/vendor/jinja2/__init__.py": ""}, entry=JINJA_ENTRY)
    message = messages(tmp_path, "CFW703")[0]
    assert "No automatic fix: no date keeps this Worker working" in message
    assert "(jinja2) are no longer found (CFW711)" in message
    assert fixed(tmp_path, "CFW703", "wrangler.toml", unsafe=True) == config("2025-07-01")


def test_date_move_and_vendor_txt_move_in_one_fix(tmp_path):
    from helpers import run_cli

    project(tmp_path, {"wrangler.toml": config("2025-07-01"), "vendor.txt": "jinja2==3.1.4\n"}, entry=JINJA_ENTRY)
    assert "moving vendor.txt into [project].dependencies (CFW711)" in messages(tmp_path, "CFW703")[0]
    run_cli(["--fix", "--unsafe-fixes", "--no-cache", "--select", "CFW703,CFW711", "."], cwd=tmp_path)
    assert (tmp_path / "wrangler.toml").read_text() == config("2025-08-14")
    assert not (tmp_path / "vendor.txt").exists()
    assert '"jinja2==3.1.4",' in (tmp_path / "pyproject.toml").read_text()


def test_durable_object_spelled_for_class_mode_on_a_legacy_date(tmp_path):
    entry = (
        "from workers import DurableObject, Response\n\n\n"
        "class Counter(DurableObject):\n"
        "    async def fetch(self, request):\n"
        '        return Response("n")\n'
    )
    project(tmp_path, {"wrangler.toml": config("2025-07-01")}, entry=entry)
    assert found(tmp_path, "CFW703") == [("CFW703", "wrangler.toml", 2, 1)]
    assert "class Counter(DurableObject)" in messages(tmp_path, "CFW703")[0]
    legacy = entry.replace("def fetch", "def on_fetch")
    project(tmp_path / "legacy", {"wrangler.toml": config("2025-07-01")}, entry=legacy)
    assert found(tmp_path / "legacy", "CFW703") == []
