#!/usr/bin/env python
"""Speed of cfw-lint as ratios against ruff, flake8 and Fixit run in the same benchmark.

These machines are noisy, so absolute seconds mean little; the ratios between tools run
back to back on the same corpus do. Usage:

    python scripts/benchmark.py                 # corpus: the standard library, like the anchors
    python scripts/benchmark.py --corpus DIR    # any directory of Python files
    python scripts/benchmark.py --runs 5 --tools cfw-lint,ruff,flake8

Reference tools are looked up on PATH (and as `python -m`); install them in any environment
(`pip install ruff flake8 fixit`), for example a separate venv put first on PATH. Missing tools
are reported and skipped.
"""

from __future__ import annotations

import argparse
import ast
import os
import shutil
import statistics
import subprocess
import sys
import sysconfig
import tempfile
import time
from pathlib import Path

SKIP = {"test", "tests", "idle_test", "site-packages", "__pycache__"}


def build_stdlib_corpus(target: Path) -> int:
    """The pure-Python standard library without tests, only files both parsers accept."""
    import libcst

    src = Path(sysconfig.get_paths()["stdlib"])
    count = 0
    for root, dirs, names in os.walk(src):
        dirs[:] = [d for d in dirs if d not in SKIP]
        for name in names:
            if not name.endswith(".py"):
                continue
            path = Path(root) / name
            data = path.read_bytes()
            try:
                ast.parse(data)
                libcst.parse_module(data)
            except Exception:  # noqa: BLE001
                continue
            out = target / path.relative_to(src)
            out.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, out)
            count += 1
    return count


def commands(corpus: Path, one_file: Path) -> dict[str, tuple[list[str], list[str]]]:
    """tool -> (whole-corpus command, one-file command)."""
    cfw = [sys.executable, "-m", "cfw_lint"]
    return {
        "cfw-lint": (
            cfw + ["--no-cache", "--exit-zero", "--output-format", "concise", str(corpus)],
            cfw + ["--no-cache", "--exit-zero", str(one_file)],
        ),
        "ruff": (
            ["ruff", "check", "--no-cache", "--exit-zero", "--output-format", "concise", str(corpus)],
            ["ruff", "check", "--no-cache", "--exit-zero", str(one_file)],
        ),
        "flake8": (["flake8", "--exit-zero", str(corpus)], ["flake8", "--exit-zero", str(one_file)]),
        "fixit": (["fixit", "lint", str(corpus)], ["fixit", "lint", str(one_file)]),
    }


def available(cmd: list[str]) -> bool:
    return cmd[0] == sys.executable or shutil.which(cmd[0]) is not None


def timed(cmd: list[str], runs: int) -> tuple[float, float, float]:
    subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # warm-up
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        samples.append(time.perf_counter() - start)
    return statistics.median(samples), min(samples), max(samples)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpus", type=Path, help="directory of Python files (default: a stdlib copy)")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--tools", default="cfw-lint,ruff,flake8,fixit")
    parser.add_argument("--one-file", type=Path, help="file for the start-up/one-file latency row")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        corpus = args.corpus
        if corpus is None:
            corpus = Path(tmp) / "corpus"
            n = build_stdlib_corpus(corpus)
            print(f"corpus: standard library copy, {n} files")
        else:
            n = sum(1 for _ in corpus.rglob("*.py"))
            print(f"corpus: {corpus}, {n} files")
        one_file = args.one_file or next((p for p in sorted(corpus.rglob("argparse.py"))), None) or next(corpus.rglob("*.py"))
        wanted = [t.strip() for t in args.tools.split(",") if t.strip()]
        table = []
        for tool, (whole, single) in commands(corpus, one_file).items():
            if tool not in wanted:
                continue
            if not available(whole):
                print(f"{tool}: not installed, skipped")
                continue
            table.append((tool, timed(whole, args.runs), timed(single, args.runs)))
        base = next((row for row in table if row[0] == "cfw-lint"), None)
        print(f"\n{'tool':<10} {'corpus s (median, min-max)':>28} {'x cfw-lint':>10} {'one file s':>11} {'x cfw-lint':>10}")
        for tool, (med, lo, hi), (one, _, _) in table:
            ratio = med / base[1][0] if base else float("nan")
            one_ratio = one / base[2][0] if base else float("nan")
            print(f"{tool:<10} {med:>10.2f} ({lo:.2f}-{hi:.2f}){'':>6} {ratio:>10.2f} {one:>11.3f} {one_ratio:>10.2f}")
        print("\nratios > 1: the tool is slower than cfw-lint; < 1: faster")
    return 0


if __name__ == "__main__":
    sys.exit(main())
