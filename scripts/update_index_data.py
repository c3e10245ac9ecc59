#!/usr/bin/env python3
"""Regenerate cfw_lint/data/pyodide-index-<V>.json.gz from the `pyodide` npm package.

For each Pyodide version pywrangler resolves against (the `package_index` values of
cfw_lint/data/runtime.toml, or the versions given on the command line) this asks the npm
registry for the tarball URL (`npm view pyodide@V dist.tarball`), downloads it, reads
`package/pyodide-lock.json` and keeps only what the dependency rules need:

    {"pyodide": V, "info": {python, abi_version, platform, arch},
     "packages": {normalized name: {"name", "version", "imports", "depends",
                                    "package_type", "pure"}}}

Unvendored test packages (`<package>-tests`) are dropped. See docs/index-data.md.

    python scripts/update_index_data.py            # every index in runtime.toml
    python scripts/update_index_data.py 0.28.3     # one version
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import io
import json
import re
import shutil
import subprocess
import sys
import tarfile
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "cfw_lint" / "data"
LOCK_MEMBER = "package/pyodide-lock.json"


def index_versions() -> list[str]:
    sys.path.insert(0, str(ROOT))
    from cfw_lint.profile import runtime_data

    return sorted({r.package_index for r in runtime_data().releases})


def tarball_url(version: str) -> str:
    npm = shutil.which("npm")
    if npm is None:
        # the registry's documented layout, for machines without npm
        return f"https://registry.npmjs.org/pyodide/-/pyodide-{version}.tgz"
    out = subprocess.run(
        [npm, "view", f"pyodide@{version}", "dist.tarball"], check=True, capture_output=True, text=True
    )
    url = out.stdout.strip()
    if not url.startswith("https://"):
        raise SystemExit(f"npm view pyodide@{version} dist.tarball gave {url!r}")
    return url


def download(url: str) -> bytes:
    with urllib.request.urlopen(url, timeout=120) as response:  # noqa: S310 - https URL from npm
        return response.read()


def read_lock(tarball: bytes) -> dict:
    with tarfile.open(fileobj=io.BytesIO(tarball), mode="r:gz") as archive:
        member = archive.extractfile(LOCK_MEMBER)
        if member is None:
            raise SystemExit(f"{LOCK_MEMBER} is not in the tarball")
        return json.load(member)


def normalize(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def is_pure(file_name: str) -> bool:
    """A wheel any CPython 3 installs: its platform tag is `any`."""
    if not file_name.endswith(".whl"):
        return False
    tags = file_name[: -len(".whl")].split("-")[-3:]
    return len(tags) == 3 and tags[2] == "any"


def reduce(version: str, lock: dict) -> dict:
    info = lock.get("info", {})
    packages = {}
    for key, entry in sorted(lock["packages"].items()):
        name = entry.get("name", key)
        base = normalize(key)[: -len("-tests")] if normalize(key).endswith("-tests") else None
        if base and base in {normalize(k) for k in lock["packages"]}:
            continue  # a package's unvendored tests, not a distribution of its own
        packages[normalize(key)] = {
            "name": name,
            "version": entry["version"],
            "imports": list(entry.get("imports", [])),
            "depends": sorted(normalize(d) for d in entry.get("depends", [])),
            "package_type": entry.get("package_type", "package"),
            "pure": is_pure(str(entry.get("file_name", ""))),
        }
    return {
        "pyodide": version,
        "info": {k: info.get(k) for k in ("python", "abi_version", "platform", "arch")},
        "packages": packages,
    }


def write(version: str, data: dict) -> Path:
    target = DATA / f"pyodide-index-{version}.json.gz"
    raw = json.dumps(data, sort_keys=True, separators=(",", ":")).encode("utf-8")
    # mtime=0 so regenerating unchanged data gives a byte-identical file
    with target.open("wb") as handle, gzip.GzipFile(fileobj=handle, mode="wb", mtime=0, compresslevel=9) as gz:
        gz.write(raw)
    return target


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("versions", nargs="*", help="Pyodide versions (default: runtime.toml's package indexes)")
    args = parser.parse_args(argv)
    for version in args.versions or index_versions():
        url = tarball_url(version)
        tarball = download(url)
        data = reduce(version, read_lock(tarball))
        target = write(version, data)
        print(
            f"{version}: {len(data['packages'])} packages, Python {data['info']['python']} "
            f"(tarball sha256 {hashlib.sha256(tarball).hexdigest()[:16]}) -> {target.relative_to(ROOT)}"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
