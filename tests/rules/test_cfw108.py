"""CFW108 legacy-handler-method: `on_fetch`/`on_alarm`/`on_run` methods the runtime no longer calls."""

from helpers import LEGACY_312, check, findings, fix

from cfw_lint.diagnostics import Applicability, Severity

CODE = "CFW108"

SRC = """\
import workers
from workers import DurableObject, Response, WorkflowEntrypoint


class Counter(DurableObject):
    async def on_fetch(self, request):
        return Response("n")

    async def on_alarm(self, alarm_info):
        pass


class Flow(WorkflowEntrypoint):
    async def on_run(self, event, step):
        return None


class Default(workers.WorkerEntrypoint):
    async def on_scheduled(self, controller, env, ctx):
        pass

    async def on_queue(self, batch, env, ctx):
        pass
"""


def test_fires_at_the_method_name_in_class_mode():
    assert findings(SRC, CODE) == [
        (CODE, 6, 15),
        (CODE, 9, 15),
        (CODE, 14, 15),
        (CODE, 19, 15),
        (CODE, 22, 15),
    ]


def test_legacy_dates_keep_only_the_names_legacy_mode_prefixes():
    # legacy mode asks for on_fetch/on_connect (and a Durable Object's on_alarm); scheduled,
    # queue, tail and a Workflow's run were always looked up by their own names: errors. The
    # names legacy mode asks for work today and break when the date moves: warnings, like
    # CFW101's on legacy dates, whose fix is unsafe (the date has to move with the rename)
    expected = [(CODE, 6, 15), (CODE, 9, 15), (CODE, 14, 15), (CODE, 19, 15), (CODE, 22, 15)]
    assert findings(SRC, CODE, date=LEGACY_312) == expected
    assert findings(SRC, CODE, flags=("python_workers", "disable_python_no_global_handlers")) == expected
    diags = check(SRC, select=[CODE], date=LEGACY_312)
    assert [(d.start.line, d.severity, d.fix.applicability) for d in diags] == [
        (6, Severity.WARNING, Applicability.UNSAFE),
        (9, Severity.WARNING, Applicability.UNSAFE),
        (14, Severity.ERROR, Applicability.SAFE),
        (19, Severity.ERROR, Applicability.SAFE),
        (22, Severity.ERROR, Applicability.SAFE),
    ]
    assert "move compatibility_date to 2025-08-14 or later (CFW703 moves it)" in diags[0].message
    flagged = check(SRC, select=[CODE], flags=("python_workers", "disable_python_no_global_handlers"))
    assert "remove disable_python_no_global_handlers" in flagged[0].message
    # the safe fix leaves the legacy spellings alone; the unsafe one renames them too
    assert "async def on_fetch(self, request):" in fix(SRC, select=[CODE], date=LEGACY_312)
    assert "async def fetch(self, request):" in fix(SRC, select=[CODE], date=LEGACY_312, unsafe=True)


def test_legacy_class_renamed_and_date_moved_in_one_fix(tmp_path):
    from helpers import run_cli, write_project

    entry = (
        "from workers import Response, WorkerEntrypoint\n\n\n"
        "class Default(WorkerEntrypoint):\n"
        "    async def on_fetch(self, request):\n"
        '        return Response("hi")\n'
    )
    config = 'main = "src/entry.py"\ncompatibility_date = "2025-06-01"\ncompatibility_flags = ["python_workers"]\n'
    write_project(tmp_path, {"wrangler.toml": config, "src/entry.py": entry})
    run_cli(["--fix", "--unsafe-fixes", "--no-cache", "."], cwd=tmp_path)
    assert (tmp_path / "src/entry.py").read_text() == entry.replace("def on_fetch", "def fetch")
    assert (tmp_path / "wrangler.toml").read_text() == config.replace("2025-06-01", "2025-08-14")
    # safe fixes only: nothing changes, the warning stays
    write_project(tmp_path / "safe", {"wrangler.toml": config, "src/entry.py": entry})
    run_cli(["--fix", "--no-cache", "."], cwd=tmp_path / "safe")
    assert (tmp_path / "safe/src/entry.py").read_text() == entry


def test_fix_renames_each_method():
    assert fix(SRC, select=[CODE]) == SRC.replace("def on_", "def ")


LOOK_ALIKES = """\
from workers import WorkerEntrypoint, DurableObject
from framework import Mixin


class Base(WorkerEntrypoint):
    async def fetch(self, request):
        return await self.on_fetch(request)


class Api(Base):
    async def on_fetch(self, request):
        return None


class Both(WorkerEntrypoint):
    async def fetch(self, request):
        return await self.on_fetch(request)

    async def on_fetch(self, request):
        return None


class Mixed(DurableObject, Mixin):
    async def on_fetch(self, request):
        return None


class Plain:
    async def on_fetch(self, request):
        return None


class Other(WorkerEntrypoint):
    async def on_message(self, data):
        return None


async def on_fetch(request, env):
    return None
"""


def test_look_alikes_stay_silent():
    assert findings(LOOK_ALIKES, CODE) == []


def test_no_fix_when_the_old_name_is_used_elsewhere():
    src = """\
from workers import WorkerEntrypoint


class Default(WorkerEntrypoint):
    async def on_fetch(self, request):
        return None

    async def ping(self):
        return getattr(self, "on_fetch")
"""
    assert findings(src, CODE) == [(CODE, 5, 15)]
    assert fix(src, select=[CODE]) == src


def test_crlf_and_comments_kept():
    src = (
        "from workers import WorkerEntrypoint\r\n\r\n\r\n"
        "class Default(WorkerEntrypoint):\r\n"
        "    # entry\r\n"
        "    async def on_fetch(self, request):  # legacy name\r\n"
        "        return None\r\n"
    )
    assert fix(src, select=[CODE], dedent=False) == src.replace("def on_fetch", "def fetch")
