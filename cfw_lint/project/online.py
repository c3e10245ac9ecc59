"""`--online`: ask the package index which files a project publishes (PEP 691 JSON).

Used only for packages the bundled Pyodide index and the lock files cannot decide. The index is
the one uv/pip would use (`UV_INDEX_URL`, then `PIP_INDEX_URL`, default PyPI). Answers are cached
on disk (under the run's cache directory) for a day; a failed request is never a verdict.
"""

from __future__ import annotations

import hashlib
import json
import os
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from packaging.specifiers import InvalidSpecifier, SpecifierSet
from packaging.utils import (
    InvalidSdistFilename,
    InvalidWheelFilename,
    parse_sdist_filename,
    parse_wheel_filename,
)
from packaging.version import InvalidVersion, Version

from cfw_lint.project.index import normalize

if TYPE_CHECKING:
    from cfw_lint.project.deps import ProjectDeps, Verdict

DEFAULT_INDEX = "https://pypi.org/simple/"
ACCEPT = "application/vnd.pypi.simple.v1+json"
TIMEOUT = 10.0
# PyPI's largest project pages are a few MB; anything far beyond that is not an index answer
MAX_ANSWER_BYTES = 64 * 1024 * 1024
CACHE_SECONDS = 24 * 3600


class IndexError_(Exception):
    """The index could not answer (network, HTTP error other than 404, not PEP 691 JSON)."""


def index_url() -> str:
    for variable in ("UV_INDEX_URL", "PIP_INDEX_URL"):
        value = os.environ.get(variable, "").strip()
        if value:
            return value if value.endswith("/") else value + "/"
    return DEFAULT_INDEX


def project_files(name: str, cache_dir: Path | None, *, base: str | None = None) -> list[dict[str, Any]] | None:
    """The files the index lists for project `name`; None when the index has no such project.
    Raises IndexError_ when the index cannot be asked."""
    url = (base or index_url()) + normalize(name) + "/"
    cache_file = None
    if cache_dir is not None:
        cache_file = cache_dir / "pep691" / (hashlib.sha256(url.encode()).hexdigest()[:32] + ".json")
        try:
            cached = json.loads(cache_file.read_text("utf-8"))
            if time.time() - cached["fetched"] < CACHE_SECONDS and isinstance(cached["files"], list):
                return cached["files"]
        except (OSError, ValueError, KeyError, TypeError):
            pass
    files = _fetch(url)
    if cache_file is not None:
        try:
            cache_file.parent.mkdir(parents=True, exist_ok=True)
            tmp = cache_file.with_suffix(f".{os.getpid()}.tmp")
            tmp.write_text(json.dumps({"url": url, "fetched": time.time(), "files": files}), "utf-8")
            os.replace(tmp, cache_file)
        except OSError:
            pass  # a cache that cannot be written only costs a request next time
    return files


class _SameHostRedirects(urllib.request.HTTPRedirectHandler):
    """Follow a redirect only on the index's own host: cfw-lint talks to the configured index only."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):  # type: ignore[no-untyped-def]
        old, new = urllib.parse.urlsplit(req.full_url), urllib.parse.urlsplit(newurl)
        if (old.scheme, old.netloc) != (new.scheme, new.netloc):
            raise urllib.error.HTTPError(req.full_url, code, f"redirect to another host ({new.netloc})", headers, fp)
        return super().redirect_request(req, fp, code, msg, headers, newurl)


def _fetch(url: str) -> list[dict[str, Any]] | None:
    request = urllib.request.Request(url, headers={"Accept": ACCEPT, "User-Agent": "cfw-lint"})
    opener = urllib.request.build_opener(_SameHostRedirects)
    try:
        with opener.open(request, timeout=TIMEOUT) as response:  # noqa: S310 - the configured index
            content_type = response.headers.get("Content-Type", "")
            body = response.read(MAX_ANSWER_BYTES + 1)
        if len(body) > MAX_ANSWER_BYTES:
            raise IndexError_(f"{url}: the answer is larger than {MAX_ANSWER_BYTES // 2**20} MB")
    except urllib.error.HTTPError as exc:
        if exc.code == 404:
            return None
        raise IndexError_(f"HTTP {exc.code} from {url}") from None
    except (urllib.error.URLError, OSError, ValueError) as exc:
        reason = getattr(exc, "reason", exc)
        raise IndexError_(f"{url}: {reason}") from None
    if "json" not in content_type:
        raise IndexError_(f"{url} did not answer with PEP 691 JSON ({content_type or 'no content type'})")
    try:
        data = json.loads(body)
    except ValueError:
        raise IndexError_(f"{url} sent invalid JSON") from None
    files = data.get("files") if isinstance(data, dict) else None
    if not isinstance(files, list):
        raise IndexError_(f"{url}: no `files` list in the answer")
    out = []
    for f in files:
        if not isinstance(f, dict) or not isinstance(f.get("filename"), str):
            continue
        entry = {k: f.get(k) for k in ("filename", "yanked", "requires-python")}
        # PEP 658/714: the wheel's METADATA is served beside it (for Requires-Dist)
        metadata = f.get("core-metadata", f.get("data-dist-info-metadata"))
        if isinstance(f.get("url"), str) and metadata:
            entry["metadata_url"] = urllib.parse.urljoin(url, f["url"]) + ".metadata"
        out.append(entry)
    return out


def requires_online(deps: ProjectDeps, name: str) -> tuple[str, ...] | None:
    """What the newest installable wheel of `name` requires (PEP 658 metadata, markers evaluated
    for the runtime); None when the index cannot say."""
    from cfw_lint.project.deps import marker_applies, wheel_kind

    # the cache also holds ("requires", name) entries beside the name-keyed file lists
    cache = cast("dict[str | tuple[str, str], Any]", deps._online_cache)
    key = ("requires", normalize(name))
    if key in cache:
        return cache[key]
    cache[key] = None
    try:
        if normalize(name) not in cache:
            cache[normalize(name)] = project_files(normalize(name), deps.project.cache_dir)
        files = cache[normalize(name)]
    except IndexError_:
        return None
    best: tuple[Version, str] | None = None
    for f in files or []:
        version = _version_of(f["filename"])
        if f.get("yanked") or version is None or not f.get("metadata_url") or not f["filename"].endswith(".whl"):
            continue
        if wheel_kind(f["filename"], deps.profile.python, deps.index) not in ("pure", "pyodide"):
            continue
        if best is None or version > best[0]:
            best = (version, f["metadata_url"])
    if best is None:
        return None
    text = _metadata(best[1], deps.project.cache_dir)
    if text is None:
        return None
    from packaging.requirements import InvalidRequirement, Requirement

    names = []
    for line in text.splitlines():
        if not line.lower().startswith("requires-dist:"):
            continue
        try:
            requirement = Requirement(line.split(":", 1)[1].strip())
        except InvalidRequirement:
            continue
        if marker_applies(requirement.marker, deps.env):
            names.append(normalize(requirement.name))
    cache[key] = tuple(names)
    return cache[key]


def _metadata(url: str, cache_dir: Path | None) -> str | None:
    cache_file = None
    if cache_dir is not None:
        cache_file = cache_dir / "pep658" / (hashlib.sha256(url.encode()).hexdigest()[:32] + ".txt")
        try:
            return cache_file.read_text("utf-8")  # a release's metadata never changes
        except OSError:
            pass
    request = urllib.request.Request(url, headers={"Accept": f"{ACCEPT}, */*", "User-Agent": "cfw-lint"})
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT) as response:  # noqa: S310 - index URL
            text = response.read().decode("utf-8", "replace")
    except (urllib.error.URLError, OSError, ValueError):
        return None
    if cache_file is not None:
        try:
            cache_file.parent.mkdir(parents=True, exist_ok=True)
            cache_file.write_text(text, "utf-8")
        except OSError:
            pass
    return text


def _version_of(filename: str) -> Version | None:
    try:
        if filename.endswith(".whl"):
            return parse_wheel_filename(filename)[1]
        return parse_sdist_filename(filename)[1]
    except (InvalidWheelFilename, InvalidSdistFilename, InvalidVersion):
        return None


def check_online(deps: ProjectDeps, name: str, specifier: SpecifierSet | None, pinned: str | None) -> Verdict | None:
    """A verdict from the package index, or None to keep the offline answer."""
    from cfw_lint.project.deps import Verdict, wheel_kind

    cache = deps._online_cache
    key = normalize(name)
    try:
        if key not in cache:
            cache[key] = project_files(key, deps.project.cache_dir)
        files = cache[key]
    except IndexError_ as exc:
        return Verdict("unverified", f"the package index could not be asked ({exc})")
    where = index_url()
    if files is None:
        return Verdict("unavailable", f"the package index {where} has no project named {name}")
    python = deps.profile.python
    try:
        runtime_python = Version(deps.env["python_full_version"])
    except InvalidVersion:
        runtime_python = Version(f"{python[0]}.{python[1]}")
    kinds: set[str] = set()
    matching = 0
    for f in files:
        if f.get("yanked"):
            continue
        version = _version_of(f["filename"])
        if version is None:
            continue
        if pinned is not None and str(version) != pinned:
            continue
        if specifier is not None and not specifier.contains(version, prereleases=True):
            continue
        requires = f.get("requires-python")
        if isinstance(requires, str) and requires.strip():
            try:
                if not SpecifierSet(requires).contains(runtime_python, prereleases=True):
                    continue
            except InvalidSpecifier:
                pass
        matching += 1
        if f["filename"].endswith(".whl"):
            kinds.add(wheel_kind(f["filename"], python, deps.index))
        else:
            kinds.add("sdist")
    if kinds & {"pure", "pyodide"}:
        return Verdict("ok", f"{where} lists a pure-Python or Pyodide wheel")
    wanted = f" matching `{specifier}`" if specifier else (f" {pinned}" if pinned else "")
    if not matching:
        return Verdict("unavailable", f"{where} has no release{wanted} for Python {python[0]}.{python[1]}")
    if kinds == {"sdist"}:
        if deps.allow_build:
            return Verdict(
                "unverified", f"{where} has only sdists{wanted}; whether they build for Pyodide was not checked"
            )
        return Verdict("unavailable", f"{where} has only sdists{wanted}, and pywrangler resolves with --no-build")
    return Verdict(
        "unavailable",
        f"{where} lists only native wheels for other platforms{wanted}: no pure-Python "
        f"(py3-none-any) or Pyodide/Emscripten wheel",
    )
