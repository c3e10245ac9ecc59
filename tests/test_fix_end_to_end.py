"""End to end: `--fix --unsafe-fixes` on a legacy Worker whose handler sits above its imports and
which vendors a package the old way. The result must import (every name of the main module
resolves, checked with `ast`, never executed), the config must agree with the code, and a
second `--fix` must change nothing."""

from __future__ import annotations

import ast
import json

from helpers import run_cli, write_project

from cfw_lint.fixes import unresolved_names

CONFIG = """\
name = "legacy"
main = "src/entry.py"
compatibility_date = "2025-06-01"
compatibility_flags = ["python_workers"]
"""

ENTRY = """\
async def on_fetch(request, env):
    # on_fetch renders the greeting
    data = await request.json()
    template = jinja2.Template(env.GREETING)
    return Response.new(template.render(name=getattr(data, "name")))


import jinja2
from js import Response
"""

FIXED_ENTRY = """\
import jinja2
from js import Response
from workers import WorkerEntrypoint


class Default(WorkerEntrypoint):
    async def fetch(self, request):
        request = request.js_object  # the raw JS Request, as the handler received it before
        # fetch renders the greeting
        data = await request.json()
        template = jinja2.Template(self.env.GREETING)
        return Response.new(template.render(name=getattr(data, "name")))
"""


def _snapshot(root):
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and ".cfw-lint-cache" not in p.parts
    }


def test_legacy_vendored_worker_fixed_in_one_run(tmp_path):
    write_project(
        tmp_path,
        {
            "wrangler.toml": CONFIG,
            "vendor.txt": "jinja2==3.1.4\n",
            "src/vendor/jinja2/__init__.py": "class Template:\n    pass\n",
            "src/entry.py": ENTRY,
        },
    )
    result = run_cli(["--fix", "--unsafe-fixes", "--no-cache", "."], cwd=tmp_path)
    entry = (tmp_path / "src/entry.py").read_text()
    assert entry == FIXED_ENTRY
    # it imports: parses, and every name resolves in statement order
    ast.parse(entry)
    compile(entry, "src/entry.py", "exec")
    assert unresolved_names(entry) == set()
    # the config agrees with the code: class handlers need 2025-08-14, which drops src/vendor
    # from sys.path, so the vendored package moved into [project].dependencies in the same run
    assert (tmp_path / "wrangler.toml").read_text() == CONFIG.replace("2025-06-01", "2025-08-14")
    assert not (tmp_path / "vendor.txt").exists()
    assert (tmp_path / "pyproject.toml").read_text() == (
        '[project]\nname = "legacy"\nversion = "0.1.0"\ndependencies = [\n    "jinja2==3.1.4",\n]\n'
    )
    assert result.exit_code in (0, 1)
    # a second --fix changes nothing, and lints clean of the rules this run fixed
    before = _snapshot(tmp_path)
    again = run_cli(["--fix", "--unsafe-fixes", "--no-cache", "--output-format", "json", "."], cwd=tmp_path)
    assert _snapshot(tmp_path) == before
    remaining = {(d["code"], d["severity"] if "severity" in d else None) for d in json.loads(again.stdout)}
    assert {code for code, _ in remaining}.isdisjoint({"CFW001", "CFW101", "CFW108", "CFW703", "CFW711", "CFW806"})
