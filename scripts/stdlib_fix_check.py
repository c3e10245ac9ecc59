"""Real code at scale: `cfw-lint --fix --unsafe-fixes` over a copy of this interpreter's standard library.

Checks that cfw-lint does not crash (exit 0 or 1, no traceback, no internal error), that every
file that parsed before still parses after the fixes, and that a second pass changes nothing.

    python scripts/stdlib_fix_check.py              # a deterministic subset (what CI runs)
    python scripts/stdlib_fix_check.py --files 200
    CFW_LINT_STDLIB_FULL=1 python scripts/stdlib_fix_check.py   # the whole standard library

The copy lives in a temporary directory; the installed standard library is never touched.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import shutil
import subprocess
import sys
import sysconfig
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_FILES = 24


def stdlib_files() -> list[Path]:
    base = Path(sysconfig.get_paths()["stdlib"])
    skip = {"site-packages", "dist-packages", "__pycache__"}
    return sorted(p for p in base.rglob("*.py") if not skip.intersection(p.relative_to(base).parts) and p.is_file())


def pick(files: list[Path], count: int | None) -> list[Path]:
    """Every k-th file: spread over the whole tree (packages, tests, bad-syntax samples), same every run."""
    if count is None or count >= len(files):
        return files
    step = len(files) / count
    return [files[int(i * step)] for i in range(count)]


def parses(path: Path) -> bool:
    from cfw_lint.diagnostics import Diagnostic
    from cfw_lint.engine import parse
    from cfw_lint.source import DecodeError, decode_python

    try:
        text = decode_python(path.read_bytes()).text
    except (DecodeError, OSError):
        return False
    return not isinstance(parse(text, path.name), Diagnostic)


def digest(root: Path) -> dict[str, str]:
    return {str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(root.rglob("*.py"))}


def run_cfw_lint(root: Path, jobs: int | None) -> tuple[subprocess.CompletedProcess, float]:
    command = [
        sys.executable,
        "-m",
        "cfw_lint",
        "--fix",
        "--unsafe-fixes",
        "--no-cache",
        "--quiet",
        "--output-format",
        "concise",
        root.name,
    ]
    if jobs:
        command += ["--jobs", str(jobs)]
    # `-m` puts the working directory on sys.path: run from the copy's parent, or the copied
    # `encodings`, `random`, ... would shadow the real ones
    paths = [str(ROOT)] + [p for p in os.environ.get("PYTHONPATH", "").split(os.pathsep) if p]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(paths)}
    started = time.monotonic()
    proc = subprocess.run(command, cwd=root.parent, capture_output=True, text=True, env=env)
    return proc, time.monotonic() - started


def check(count: int | None, jobs: int | None = None, keep: bool = False) -> list[str]:
    """Problems found (empty when all is well); prints timings."""
    sys.path.insert(0, str(ROOT))
    base = Path(sysconfig.get_paths()["stdlib"])
    chosen = pick(stdlib_files(), count)
    problems: list[str] = []
    tmp = Path(tempfile.mkdtemp(prefix="cfw-lint-stdlib-"))
    try:
        for source in chosen:
            target = tmp / "lib" / source.relative_to(base)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, target)
        lib = tmp / "lib"
        parsed_before = {str(p.relative_to(lib)) for p in lib.rglob("*.py") if parses(p)}
        first, first_time = run_cfw_lint(lib, jobs)
        after_first = digest(lib)
        second, second_time = run_cfw_lint(lib, jobs)
        changed = [name for name, h in digest(lib).items() if after_first.get(name) != h]
        for label, proc in (("first", first), ("second", second)):
            if proc.returncode not in (0, 1):
                problems.append(f"{label} pass exited {proc.returncode}: {proc.stderr.strip()[-2000:]}")
            if "Traceback" in proc.stderr or "internal error" in proc.stderr + proc.stdout:
                problems.append(f"{label} pass reported a crash: {proc.stderr.strip()[-2000:]}")
        for name in sorted(parsed_before):
            if not parses(lib / name):
                problems.append(f"{name}: parsed before the fixes, does not parse after")
        problems.extend(f"{name}: changed again by the second pass" for name in changed)
        fixed = sum(1 for name, h in after_first.items() if h != hashlib.sha256((base / name).read_bytes()).hexdigest())
        findings = len([line for line in first.stdout.splitlines() if line.strip()])
        print(
            f"{len(chosen)} files ({len(parsed_before)} parse), {fixed} changed by --fix, "
            f"{findings} findings left; first pass {first_time:.1f} s, second pass {second_time:.1f} s"
        )
    finally:
        if keep:
            print(f"copy kept in {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)
    return problems


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--files",
        type=int,
        default=None,
        help=f"how many files (default {DEFAULT_FILES}; all with CFW_LINT_STDLIB_FULL=1)",
    )
    parser.add_argument("--jobs", type=int, default=None)
    parser.add_argument("--keep", action="store_true", help="keep the fixed copy for inspection")
    args = parser.parse_args()
    count = args.files
    if count is None and not os.environ.get("CFW_LINT_STDLIB_FULL"):
        count = DEFAULT_FILES
    problems = check(count, args.jobs, args.keep)
    for problem in problems:
        print(f"FAIL {problem}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
