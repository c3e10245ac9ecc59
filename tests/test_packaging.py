"""The release artefacts: `python -m build` makes an sdist and a wheel (built from the sdist),
`twine check --strict` accepts their metadata, and the wheel installed into a new virtualenv
lints the bundled example and prints rule pages. About 30 s; deselect with `-m "not packaging"`."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import venv
from pathlib import Path

import pytest

from cfw_lint import __version__

ROOT = Path(__file__).resolve().parent.parent

pytestmark = pytest.mark.packaging


def _tracked_copy(dest: Path) -> Path:
    """The files git tracks (what a tag's checkout holds), so the build never writes into the
    working tree and never sees untracked files."""
    try:
        listed = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True).stdout
        files = [f for f in listed.decode().split("\0") if f]
    except (OSError, subprocess.CalledProcessError):
        pytest.skip("not a git checkout")
    for rel in files:
        source = ROOT / rel
        if source.is_file():
            target = dest / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target)
    return dest


def test_build_check_install_and_lint(tmp_path: Path) -> None:
    pytest.importorskip("build", reason="the test extra installs build")
    pytest.importorskip("twine", reason="the test extra installs twine")
    src = _tracked_copy(tmp_path / "src")
    dist = tmp_path / "dist"
    built = subprocess.run(
        [sys.executable, "-m", "build", "--outdir", str(dist), str(src)], capture_output=True, text=True, timeout=300
    )
    assert built.returncode == 0, built.stdout[-3000:] + built.stderr[-3000:]
    wheel = dist / f"cfw_lint-{__version__}-py3-none-any.whl"
    sdist = dist / f"cfw_lint-{__version__}.tar.gz"
    assert wheel.is_file() and sdist.is_file(), sorted(p.name for p in dist.iterdir())
    assert "deprecated" not in built.stderr.lower() + built.stdout.lower(), "the build warns about deprecated metadata"

    checked = subprocess.run(
        [sys.executable, "-m", "twine", "check", "--strict", str(wheel), str(sdist)], capture_output=True, text=True
    )
    assert checked.returncode == 0, checked.stdout + checked.stderr

    # a fresh virtualenv; the dependencies (libcst, click, ...) come from this interpreter's
    # site-packages, so nothing is downloaded; the wheel itself is installed from the file
    env_dir = tmp_path / "venv"
    venv.EnvBuilder(system_site_packages=True, with_pip=True, symlinks=os.name != "nt").create(env_dir)
    bindir = env_dir / ("Scripts" if os.name == "nt" else "bin")
    python = bindir / "python"
    clean_env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "FORCE_COLOR")}
    # --force-reinstall: the editable install of this checkout is visible through the system
    # site-packages, and pip would otherwise call the wheel already installed
    installed = subprocess.run(
        [
            str(python),
            "-m",
            "pip",
            "install",
            "--no-index",
            "--no-deps",
            "--force-reinstall",
            "--disable-pip-version-check",
            str(wheel),
        ],
        capture_output=True,
        text=True,
        env=clean_env,
    )
    assert installed.returncode == 0, installed.stdout + installed.stderr

    work = tmp_path / "work"
    shutil.copytree(ROOT / "fixtures" / "example", work / "example")
    where = subprocess.run(
        [str(python), "-c", "import cfw_lint; print(cfw_lint.__file__)"],
        cwd=work,
        capture_output=True,
        text=True,
        env=clean_env,
    )
    assert Path(where.stdout.strip()).is_relative_to(env_dir), f"imported {where.stdout.strip()}, not the wheel"

    exe = bindir / "cfw-lint"
    version = subprocess.run([str(exe), "--version"], capture_output=True, text=True, env=clean_env, cwd=work)
    assert version.stdout.strip() == f"cfw-lint {__version__}"
    linted = subprocess.run(
        [str(exe), "--no-cache", "--output-format", "json", "example"],
        capture_output=True,
        text=True,
        env=clean_env,
        cwd=work,
    )
    assert linted.returncode == 1, linted.stderr
    found = sorted({d["code"] for d in json.loads(linted.stdout)})
    expected = sorted(
        {
            line.split("expect: ")[1].split()[0]
            for p in (work / "example").rglob("*")
            if p.is_file()
            for line in p.read_text().splitlines()
            if "expect: " in line
        }
    )
    assert found == expected
    page = subprocess.run([str(exe), "rule", "CFW201"], capture_output=True, text=True, env=clean_env, cwd=work)
    assert page.stdout.startswith("# CFW201: global-scope-entropy\n"), "the rule pages ship with the wheel"
