#!/usr/bin/env python
"""Latency of the language server's re-lint of one 1,000-line Worker file, in-process.

Builds a Worker project (wrangler.toml, pyproject.toml, src/entry.py of ~1,000 lines) in a
temporary directory, opens the file in the server's linting session (`cfw_lint.server.session`,
the code path behind every publishDiagnostics) and measures:

- the first lint (cold: rules imported, project loaded),
- a re-lint after a one-character edit (warm project model), median and max of --runs,
- `engine.lint_python` alone on the same edits, the floor the server adds its work to.

Usage: python scripts/server_latency.py [--runs 20] [--lines 1000]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

HEADER = """\
import json
from urllib.parse import urlparse

from js import Object, fetch
from pyodide.ffi import to_js
from workers import DurableObject, Response, WorkerEntrypoint


def cors(headers):
    out = dict(headers)
    out["access-control-allow-origin"] = "*"
    return out

"""

BLOCK = """
async def load_item_{n}(env, key):
    row = await env.DB.prepare("SELECT * FROM items WHERE id = ?").bind(key).first()
    if row is None:
        return None
    data = row.to_py()
    data["source"] = "d1"
    return data


async def fetch_upstream_{n}(url, token):
    options = to_js({{"method": "GET", "headers": {{"authorization": token}}}}, dict_converter=Object.fromEntries)
    response = await fetch(url, options)
    if response.status != 200:
        return {{"error": response.status}}
    return (await response.json()).to_py()


def render_{n}(item):
    parts = []
    for key, value in sorted(item.items()):
        parts.append(f"{{key}}={{value}}")
    return ";".join(parts)


class Counter{n}(DurableObject):
    async def fetch(self, request):
        count = (await self.ctx.storage.get("count")) or 0
        await self.ctx.storage.put("count", count + 1)
        return Response(json.dumps({{"count": count + 1}}))

"""

FOOTER = """
class Default(WorkerEntrypoint):
    async def fetch(self, request):
        path = urlparse(request.url).path
        item = await load_item_0(self.env, path.strip("/"))
        if item is None:
            return Response("not found", status=404)
        return Response(render_0(item), headers=cors({"content-type": "text/plain"}))
"""


def worker_source(lines: int) -> str:
    out = HEADER
    n = 0
    while out.count("\n") + BLOCK.count("\n") + FOOTER.count("\n") <= lines:
        out += BLOCK.format(n=n)
        n += 1
    return out + FOOTER


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--lines", type=int, default=1000)
    args = parser.parse_args()

    from cfw_lint.server.session import LintSession

    with tempfile.TemporaryDirectory(prefix="cfw-lint-latency-") as tmp:
        root = Path(tmp)
        (root / ".git").mkdir()
        (root / "src").mkdir()
        (root / "wrangler.toml").write_text(
            'name = "latency"\nmain = "src/entry.py"\ncompatibility_date = "2026-03-01"\n'
            'compatibility_flags = ["python_workers"]\n'
        )
        (root / "pyproject.toml").write_text('[project]\nname = "latency"\nversion = "0"\ndependencies = []\n')
        text = worker_source(args.lines)
        entry = root / "src/entry.py"
        entry.write_text(text)
        print(f"file: {text.count(chr(10))} lines")

        session = LintSession(root)
        t0 = time.perf_counter()
        session.open(entry, text)
        first = session.lint(entry)
        cold = time.perf_counter() - t0
        print(f"first lint (cold): {cold * 1000:.0f} ms, {len(first.diagnostics)} diagnostics")

        marker = "    return None\n"
        at = text.index(marker) + len("    return ")
        warm, warm_cpu = [], []
        for i in range(args.runs):
            edited = text[:at] + ("None" if i % 2 else "Nonf") + text[at + 4 :]
            t0, c0 = time.perf_counter(), time.process_time()
            session.update(entry, edited)
            session.lint(entry)
            warm.append(time.perf_counter() - t0)
            warm_cpu.append(time.process_time() - c0)
        print(
            f"re-lint after an edit (warm): median {statistics.median(warm) * 1000:.0f} ms wall "
            f"({statistics.median(warm_cpu) * 1000:.0f} ms CPU), max {max(warm) * 1000:.0f} ms, {args.runs} runs"
        )

        from cfw_lint.engine import lint_python
        from cfw_lint.registry import all_rules, python_rules
        from cfw_lint.runner import Runner, Options

        runner = Runner(Options(paths=[str(entry)], no_cache=True), root)
        context, _ = runner.context_for(entry)
        rules = python_rules(all_rules())
        engine, engine_cpu = [], []
        for i in range(args.runs):
            # the same one-character edits: an unchanged text would skip the parse altogether
            edited = text[:at] + ("None" if i % 2 else "Nonf") + text[at + 4 :]
            t0, c0 = time.perf_counter(), time.process_time()
            lint_python(edited, context, rules)
            engine.append(time.perf_counter() - t0)
            engine_cpu.append(time.process_time() - c0)
        print(
            f"engine.lint_python alone: median {statistics.median(engine) * 1000:.0f} ms wall "
            f"({statistics.median(engine_cpu) * 1000:.0f} ms CPU)"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
