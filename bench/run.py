#!/usr/bin/env python3
"""cfw-lint's benchmark: the same files through cfw-lint, ruff, flake8 and Fixit, side by side.

Run on demand, never in the tests:  python bench/run.py [--quick] [--rounds N] [--only NAMES]
Prints one `bench` line per measurement (medians over rounds, tools alternating within a round),
then the ratios the speed goals are stated in. See bench/README.md.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import resource
import shutil
import statistics
import subprocess
import sys
import sysconfig
import tempfile
import time
from pathlib import Path
from typing import Callable

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
# cfw-lint from this checkout, whatever is installed
ENV = {**os.environ, "PYTHONPATH": str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", "")}
# measure as installed: with compiled bytecode, not recompiling every module on every start
ENV.pop("PYTHONDONTWRITEBYTECODE", None)
CFW = [PYTHON, "-m", "cfw_lint"]

# The stdlib's tests and what is installed into it (the corpus of performance-notes.md).
_STDLIB_SKIP = {"test", "tests", "idle_test", "site-packages", "dist-packages", "__pycache__"}


# -- corpora ------------------------------------------------------------------------------------
def copy_stdlib(dest: Path, limit: int | None = None) -> int:
    """The running interpreter's stdlib without tests, as plain files (no config, no git)."""
    src = Path(sysconfig.get_paths()["stdlib"])
    count = 0
    for path in sorted(src.rglob("*.py")):
        rel = path.relative_to(src)
        if any(part in _STDLIB_SKIP for part in rel.parts[:-1]):
            continue
        target = dest / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, target)
        count += 1
        if limit is not None and count >= limit:
            break
    return count


def copy_fixtures(dest: Path) -> int:
    shutil.copytree(ROOT / "fixtures", dest)
    return sum(1 for _ in dest.rglob("*.py"))


_WRANGLER = """name = "svc-{n}"
main = "src/entry.py"
compatibility_date = "2026-06-01"
compatibility_flags = ["python_workers"]
"""

_ENTRY = '''"""Service {n}: HTTP, cron and a queue consumer."""

import json
from urllib.parse import urlparse

from workers import Response, WorkerEntrypoint, fetch

from handlers_{n} import route
from models_{n} import Record, load


class Default(WorkerEntrypoint):
    async def fetch(self, request):
        path = urlparse(request.url).path
        if path == "/health":
            return Response("ok")
        body = await route(self.env, path, request)
        return Response.json(body)

    async def scheduled(self, controller, env, ctx):
        rows = await env.DB.prepare("SELECT id FROM jobs").all()
        for row in rows.results:
            await env.QUEUE.send(json.dumps({{"id": row.id}}))

    async def queue(self, batch, env, ctx):
        for message in batch.messages:
            record = Record.from_json(message.body)
            await load(env, record)
            message.ack()
'''

_HANDLERS = '''"""Routes of service {n}."""

from workers import fetch


async def route(env, path, request):
    if path.startswith("/items/"):
        return await item(env, path.removeprefix("/items/"))
    if path == "/upstream":
        response = await fetch("https://example.com/api", method="GET")
        return await response.json()
    return {{"path": path}}


async def item(env, key):
    value = await env.KV.get(key)
    return {{"key": key, "value": value}}
'''

_MODELS_HEAD = '''"""Data model of service {n}."""

from dataclasses import dataclass


@dataclass
class Record:
    id: int
    name: str

    @classmethod
    def from_json(cls, data):
        return cls(int(data["id"]), str(data["name"]))


async def load(env, record):
    await env.DB.prepare("INSERT INTO records VALUES (?, ?)").bind(record.id, record.name).run()
'''

_HELPER = """

def helper_{n}_{i}(values, scale={i}):
    total = 0
    for index, value in enumerate(values):
        if value is None:
            continue
        total += (value * scale) % (index + 1)
    return {{"total": total, "count": len(values), "name": "helper_{i}"}}
"""


def worker_file(lines: int, n: int = 0) -> str:
    """A Worker module of about `lines` lines (the language-server re-lint case)."""
    text = _ENTRY.format(n=n) + _MODELS_HEAD.format(n=n)
    i = 0
    while text.count("\n") < lines:
        text += _HELPER.format(n=n, i=i)
        i += 1
    return text


def generate_workers(dest: Path, workers: int, helpers: int = 30) -> int:
    """`workers` small Worker projects, each with a config, an entry module and helpers."""
    count = 0
    for n in range(workers):
        src = dest / f"svc-{n}" / "src"
        src.mkdir(parents=True)
        (src.parent / "wrangler.toml").write_text(_WRANGLER.format(n=n))
        (src / "entry.py").write_text(_ENTRY.format(n=n))
        (src / f"handlers_{n}.py").write_text(_HANDLERS.format(n=n))
        models = _MODELS_HEAD.format(n=n) + "".join(_HELPER.format(n=n, i=i) for i in range(helpers))
        (src / f"models_{n}.py").write_text(models)
        count += 3
    return count


# -- measuring ----------------------------------------------------------------------------------
class Sample:
    def __init__(self) -> None:
        self.wall: list[float] = []
        self.cpu: list[float] = []


def timed(cmd: list[str], cwd: Path, stdin: bytes | None = None) -> tuple[float, float]:
    """(wall, CPU of the child) seconds; the exit status is ignored (linters exit 1 on findings)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(
        cmd, cwd=cwd, env=ENV, input=stdin, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False
    )
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def run_rounds(cases: dict[str, Callable[[], tuple[float, float]]], rounds: int) -> dict[str, Sample]:
    samples = {name: Sample() for name in cases}
    names = list(cases)
    for r in range(rounds):
        # alternate the order so load changes on a shared machine spread over every tool
        order = names if r % 2 == 0 else names[::-1]
        for name in order:
            wall, cpu = cases[name]()
            samples[name].wall.append(wall)
            samples[name].cpu.append(cpu)
            print(f"  round {r + 1}/{rounds} {name}: {wall:.3f}s", file=sys.stderr, flush=True)
    return samples


def lint_cmds(corpus: Path) -> dict[str, list[str]]:
    return {
        "cfw-lint-cold": [*CFW, "check", "--no-cache", "--exit-zero", "-q", "."],
        "cfw-lint-warm": [*CFW, "check", "--exit-zero", "-q", "."],
        "ruff": ["ruff", "check", "--select", "E,F", "--no-cache", "--exit-zero", "-q", "--isolated", "."],
        "flake8": ["flake8", "--exit-zero", "-q", "--isolated", "."],
        "fixit": ["fixit", "lint", "."],
    }


def bench_corpus(label: str, corpus: Path, rounds: int, tools: list[str]) -> dict[str, Sample]:
    cmds = {k: v for k, v in lint_cmds(corpus).items() if k in tools}
    missing = [k for k, v in cmds.items() if shutil.which(v[0]) is None and v[0] != PYTHON]
    for k in missing:
        print(f"  {k}: not installed, skipped (pip install ruff flake8 fixit)", file=sys.stderr)
        del cmds[k]
    if "cfw-lint-warm" in cmds:
        timed(cmds["cfw-lint-warm"], corpus)  # fill the cache once
    cases = {name: (lambda c=cmd: timed(c, corpus)) for name, cmd in cmds.items()}
    return run_rounds(cases, rounds)


def bench_fix(stdlib: Path, work: Path, rounds: int) -> Sample:
    sample = Sample()
    for _ in range(rounds):
        target = work / "fix-copy"
        if target.exists():
            shutil.rmtree(target)
        shutil.copytree(stdlib, target)
        wall, cpu = timed([*CFW, "check", "--no-cache", "--fix", "--unsafe-fixes", "--exit-zero", "-q", "."], target)
        sample.wall.append(wall)
        sample.cpu.append(cpu)
        print(f"  fix: {wall:.3f}s", file=sys.stderr, flush=True)
    return sample


def bench_relint(lines: int, repeats: int) -> Sample:
    """Re-lint one Worker file inside one warm process, as a language server would."""
    sys.path.insert(0, str(ROOT))
    from cfw_lint.engine import lint_python
    from cfw_lint.registry import all_rules, python_rules
    from cfw_lint.rule import FileContext

    text = worker_file(lines)
    profile = _worker_profile()
    context = FileContext(path="src/entry.py", abspath=Path("/x/src/entry.py"), profile=profile, is_main=True)
    rules = python_rules(all_rules())
    lint_python(text, context, rules)  # warm: imports, tables
    sample = Sample()
    for i in range(repeats):
        edited = text.replace("helper_0_0", f"helper_0_0_{i}")  # a keystroke's worth of change
        c0, w0 = time.process_time(), time.perf_counter()
        lint_python(edited, context, rules)
        sample.wall.append(time.perf_counter() - w0)
        sample.cpu.append(time.process_time() - c0)
    return sample


def _worker_profile():  # type: ignore[no-untyped-def]
    from cfw_lint.project import ProfileOverrides, ProjectIndex

    tmp = Path(tempfile.mkdtemp(prefix="cfw-bench-profile-"))
    (tmp / "wrangler.toml").write_text(_WRANGLER.format(n=0))
    (tmp / "src").mkdir()
    return ProjectIndex({}).project_of(tmp / "src" / "entry.py").profile(ProfileOverrides())


# -- report -------------------------------------------------------------------------------------
def med(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="small corpora, 1 round, no Fixit/--fix on the stdlib")
    parser.add_argument("--rounds", type=int, default=None, help="rounds per measurement (default 3; quick 1)")
    parser.add_argument(
        "--only",
        default="",
        help="comma-separated sections: startup,stdin,fixtures,stdlib,generated,fix,relint (default: all)",
    )
    parser.add_argument("--tools", default="cfw-lint-cold,cfw-lint-warm,ruff,flake8,fixit")
    parser.add_argument("--stdlib-files", type=int, default=None, help="only the first N stdlib files")
    parser.add_argument("--workers", type=int, default=None, help="generated Worker projects (default 100)")
    parser.add_argument("--json", type=Path, default=None, help="also write the medians as JSON here")
    args = parser.parse_args()
    rounds = args.rounds or (1 if args.quick else 3)
    only = set(filter(None, args.only.split(","))) or {
        "startup",
        "stdin",
        "fixtures",
        "stdlib",
        "generated",
        "fix",
        "relint",
    }
    tools = args.tools.split(",")
    stdlib_limit = args.stdlib_files or (80 if args.quick else None)
    workers = args.workers or (10 if args.quick else 100)
    if args.quick:
        only.discard("fix")

    results: dict[str, dict[str, float]] = {}

    def record(key: str, sample: Sample) -> None:
        results[key] = {"wall": med(sample.wall), "cpu": med(sample.cpu), "rounds": len(sample.wall)}

    work = Path(tempfile.mkdtemp(prefix="cfw-bench-"))
    try:
        print(
            f"# cfw-lint bench  python {platform.python_version()}  cpus {os.cpu_count()}  rounds {rounds}"
            f"{'  quick' if args.quick else ''}",
            flush=True,
        )
        empty = work / "empty"
        empty.mkdir()
        if "startup" in only:
            for warm in ([*CFW, "--version"], [*CFW, "rules"], [*CFW, "check", "--no-cache", "--exit-zero", "-q", "."]):
                timed(warm, empty)  # bytecode written, files cached
            samples = run_rounds(
                {
                    "python-pass": lambda: timed([PYTHON, "-c", "pass"], empty),
                    "version": lambda: timed([*CFW, "--version"], empty),
                    "rules": lambda: timed([*CFW, "rules"], empty),
                },
                max(rounds, 3),
            )
            for name, s in samples.items():
                record(f"startup/{name}", s)
        if "stdin" in only:
            text = worker_file(300).encode()
            s = run_rounds(
                {
                    "stdin": lambda: timed(
                        [*CFW, "check", "-", "--stdin-filename", "src/entry.py", "--exit-zero", "-q"], empty, stdin=text
                    )
                },
                max(rounds, 3),
            )
            record("stdin/cfw-lint", s["stdin"])
        corpora: dict[str, Path] = {}
        if "fixtures" in only:
            corpora["fixtures"] = work / "fixtures"
            n = copy_fixtures(corpora["fixtures"])
            print(f"# corpus fixtures: {n} Python files", flush=True)
        if "stdlib" in only or "fix" in only:
            corpora["stdlib"] = work / "stdlib"
            n = copy_stdlib(corpora["stdlib"], stdlib_limit)
            lines = sum(p.read_bytes().count(b"\n") for p in corpora["stdlib"].rglob("*.py"))
            print(f"# corpus stdlib: {n} files, {lines} lines", flush=True)
        if "generated" in only:
            corpora["generated"] = work / "generated"
            n = generate_workers(corpora["generated"], workers)
            print(f"# corpus generated: {workers} Workers, {n} Python files", flush=True)
        for label, path in corpora.items():
            if label == "stdlib" and "stdlib" not in only:
                continue
            corpus_tools = [t for t in tools if not (args.quick and t == "fixit" and label == "stdlib")]
            for name, s in bench_corpus(label, path, rounds, corpus_tools).items():
                record(f"{label}/{name}", s)
        if "fix" in only:
            record("stdlib/cfw-lint-fix-unsafe", bench_fix(corpora["stdlib"], work, max(1, rounds // 2)))
        if "relint" in only:
            record("relint/1000-lines", bench_relint(1000, 20 if args.quick else 50))
    finally:
        shutil.rmtree(work, ignore_errors=True)

    for key in sorted(results):
        r = results[key]
        print(f"bench {key:<34} wall {r['wall']:9.3f}s  cpu {r['cpu']:9.3f}s  n={r['rounds']}")

    def ratio(name: str, a: str, b: str, goal: str) -> None:
        if a in results and b in results:
            value = results[a]["wall"] / results[b]["wall"]
            print(f"ratio {name:<34} {value:9.3f}   goal {goal}")

    def absolute(name: str, key: str, goal: str, ms: bool = True) -> None:
        if key in results:
            value = results[key]["wall"] * (1000 if ms else 1)
            print(f"abs   {name:<34} {value:9.1f}{'ms' if ms else 's '}  goal {goal}")

    ratio("stdlib cold / flake8", "stdlib/cfw-lint-cold", "stdlib/flake8", "<= 0.5")
    ratio("stdlib cold / fixit", "stdlib/cfw-lint-cold", "stdlib/fixit", "<= 0.1")
    ratio("stdlib warm / ruff", "stdlib/cfw-lint-warm", "stdlib/ruff", "<= 2")
    ratio("stdlib fix-unsafe / cold", "stdlib/cfw-lint-fix-unsafe", "stdlib/cfw-lint-cold", "<= 3")
    ratio("generated cold / flake8", "generated/cfw-lint-cold", "generated/flake8", "-")
    ratio("generated warm / ruff", "generated/cfw-lint-warm", "generated/ruff", "-")
    ratio("fixtures cold / flake8", "fixtures/cfw-lint-cold", "fixtures/flake8", "-")
    absolute("--version", "startup/version", "<= 150ms")
    absolute("rules", "startup/rules", "<= 300ms")
    absolute("python -c pass", "startup/python-pass", "-")
    absolute("stdin (300 lines)", "stdin/cfw-lint", "-")
    absolute("fixtures end to end (cold)", "fixtures/cfw-lint-cold", "<= 500ms")
    absolute("re-lint 1,000 lines in-process", "relint/1000-lines", "< 100ms")
    if args.json is not None:
        args.json.write_text(json.dumps(results, indent=1, sort_keys=True) + "\n")
    return 0


if __name__ == "__main__":
    random.seed(0)
    sys.exit(main())
