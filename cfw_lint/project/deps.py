"""A Worker project's dependencies: what pyproject.toml declares, what the lock files resolved,
and whether each runtime dependency can be installed for the runtime's Pyodide (facts §4).

pywrangler vendors only `[project].dependencies` (and what they pull in). It resolves with
`uv pip compile --no-build` against the profile's Pyodide index plus PyPI, so a package installs
when the index has it, or when a pure-Python or Pyodide/Emscripten wheel exists. The lock files
are evidence of which wheels a release publishes: `pylock.toml` (PEP 751, what pywrangler
resolved) and `uv.lock` (a universal resolution, listing every wheel of each release).
"""

from __future__ import annotations

import os
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote, urlparse

from packaging.markers import InvalidMarker, Marker, UndefinedComparison, UndefinedEnvironmentName
from packaging.requirements import InvalidRequirement, Requirement
from packaging.specifiers import SpecifierSet
from packaging.utils import InvalidWheelFilename, parse_wheel_filename
from packaging.version import InvalidVersion, Version

from cfw_lint.project.index import PackageIndex, load_index, normalize
from cfw_lint.project.wrangler import toml_key_positions
from cfw_lint.tomlcompat import tomllib

if TYPE_CHECKING:
    from cfw_lint.profile import RuntimeProfile
    from cfw_lint.project import Project

# Modules the runtime itself provides (facts §1.1): never dependencies.
RUNTIME_MODULES = frozenset({"js", "pyodide", "pyodide_js", "_pyodide", "workers", "asgi", "cloudflare", "_cloudflare"})

# Import names that differ from the distribution name, for distributions whose import names the
# bundled index does not list (it lists its own packages' `imports`).
IMPORT_TO_DISTRIBUTIONS: dict[str, tuple[str, ...]] = {
    "bs4": ("beautifulsoup4",),
    "yaml": ("pyyaml",),
    "PIL": ("pillow",),
    "dateutil": ("python-dateutil",),
    "dotenv": ("python-dotenv",),
    "jwt": ("pyjwt",),
    "jose": ("python-jose",),
    "multipart": ("python-multipart",),
    "magic": ("python-magic",),
    "slugify": ("python-slugify",),
    "ulid": ("python-ulid",),
    "docx": ("python-docx",),
    "pptx": ("python-pptx",),
    "sklearn": ("scikit-learn",),
    "skimage": ("scikit-image",),
    "cv2": ("opencv-python", "opencv-python-headless", "opencv-contrib-python"),
    "attr": ("attrs",),
    "Crypto": ("pycryptodome",),
    "Cryptodome": ("pycryptodomex",),
    "nacl": ("pynacl",),
    "OpenSSL": ("pyopenssl",),
    "git": ("gitpython",),
    "serial": ("pyserial",),
    "fitz": ("pymupdf",),
    "zmq": ("pyzmq",),
    "socks": ("pysocks",),
    "websocket": ("websocket-client",),
    "google.protobuf": ("protobuf",),
    "pkg_resources": ("setuptools",),
    "_cffi_backend": ("cffi",),
    "psycopg2": ("psycopg2", "psycopg2-binary"),
    "MySQLdb": ("mysqlclient",),
    "jinja2": ("jinja2",),
    "markdown_it": ("markdown-it-py",),
    "dns": ("dnspython",),
    "engineio": ("python-engineio",),
    "socketio": ("python-socketio",),
    "telegram": ("python-telegram-bot",),
    "discord": ("discord-py",),
    "faiss": ("faiss-cpu",),
    "tree_sitter": ("tree-sitter",),
    "workers": ("workers-runtime-sdk",),
}

# backports of the modules Python 3.13 removed (PEP 594)
for _module in (
    "aifc",
    "audioop",
    "chunk",
    "crypt",
    "imghdr",
    "mailcap",
    "nntplib",
    "pipes",
    "sndhdr",
    "sunau",
    "telnetlib",
    "uu",
    "xdrlib",
):
    IMPORT_TO_DISTRIBUTIONS.setdefault(_module, (f"standard-{_module}",))
IMPORT_TO_DISTRIBUTIONS["cgi"] = ("legacy-cgi",)
IMPORT_TO_DISTRIBUTIONS["cgitb"] = ("legacy-cgi",)

TOOLING = frozenset({"workers-py", "pytest", "wrangler"})


def is_tooling(name: str) -> bool:
    """Development tools that must not be vendored into the Worker (facts §4.1)."""
    return name in TOOLING or name.startswith("pytest-")


# -- marker environment ------------------------------------------------------------------------
def marker_environment(profile: RuntimeProfile, index: PackageIndex | None) -> dict[str, str]:
    """PEP 508 environment of the runtime: CPython on Emscripten/wasm32 (pywrangler resolves for
    `cpython-X-emscripten-wasm32-musl`, facts §3.4)."""
    full = index.python if index is not None and index.python else f"{profile.python_version}.0"
    emscripten = ""
    if index is not None and index.platform and index.platform.startswith("emscripten_"):
        emscripten = index.platform[len("emscripten_") :].replace("_", ".")
    return {
        "implementation_name": "cpython",
        "implementation_version": full,
        "os_name": "posix",
        "platform_machine": "wasm32",
        "platform_python_implementation": "CPython",
        "platform_release": emscripten,
        "platform_system": "Emscripten",
        "platform_version": "",
        "python_full_version": full,
        "python_version": ".".join(profile.python_version.split(".")[:2]),
        "sys_platform": "emscripten",
        "extra": "",
    }


def marker_applies(marker: Marker | str | None, env: dict[str, str], extras: tuple[str, ...] = ()) -> bool:
    """Whether a marker holds for the runtime. Unevaluable markers count as true (not a guess
    that hides a dependency)."""
    if marker is None or marker == "":
        return True
    try:
        parsed = marker if isinstance(marker, Marker) else Marker(marker)
    except InvalidMarker:
        return True
    try:
        if not extras:
            return parsed.evaluate(env)
        return any(parsed.evaluate({**env, "extra": e}) for e in ("", *extras))
    except (UndefinedComparison, UndefinedEnvironmentName):
        return True


# -- declared requirements ---------------------------------------------------------------------
@dataclass
class Declared:
    raw: str
    requirement: Requirement | None  # None when the string is not PEP 508
    path: Path
    line: int
    column: int
    where: str  # "project", "group:dev", "optional:test", "requirements.txt"
    index: int = 0  # position in its array

    @property
    def name(self) -> str | None:
        return normalize(self.requirement.name) if self.requirement else None


def _declared_list(values: Any, path: Path, positions: dict, key: tuple, where: str) -> list[Declared]:
    out: list[Declared] = []
    if not isinstance(values, list):
        return out
    fallback = positions.get(key, (1, 1))
    for i, raw in enumerate(values):
        if not isinstance(raw, str):
            continue  # {include-group = "..."} and the like
        try:
            requirement: Requirement | None = Requirement(raw)
        except InvalidRequirement:
            requirement = None
        line, column = positions.get(key + (i,), fallback)
        out.append(Declared(raw, requirement, path, line, column, where, i))
    return out


# -- lock files --------------------------------------------------------------------------------
@dataclass
class Locked:
    name: str  # normalised
    version: str | None
    wheels: tuple[str, ...]  # wheel file names
    sdist: bool
    source: str  # registry | directory | editable | virtual | git | path | url | unknown
    path: Path  # the lock file
    line: int
    column: int
    lockfile: str  # "pylock.toml" | "uv.lock"
    marker: str | None = None
    dependencies: list[dict[str, Any]] = field(default_factory=list)
    optional: dict[str, list[dict[str, Any]]] = field(default_factory=dict)


def _file_name(entry: Any) -> str | None:
    if not isinstance(entry, dict):
        return None
    for key in ("name", "filename"):
        value = entry.get(key)
        if isinstance(value, str) and value.endswith(".whl"):
            return value
    for key in ("url", "path"):
        value = entry.get(key)
        if isinstance(value, str):
            tail = unquote(urlparse(value).path.rsplit("/", 1)[-1])
            if tail.endswith(".whl"):
                return tail
    return None


def _source_kind(source: Any) -> str:
    if not isinstance(source, dict) or not source:
        return "unknown"
    for kind in ("registry", "virtual", "editable", "directory", "git", "path", "url"):
        if kind in source:
            return kind
    return "unknown"


def parse_uv_lock(path: Path, text: str) -> list[Locked]:
    data = tomllib.loads(text)
    positions = toml_key_positions(text)
    out = []
    for i, entry in enumerate(data.get("package", []) or []):
        if not isinstance(entry, dict) or not isinstance(entry.get("name"), str):
            continue
        line, column = positions.get(("package", i, "name"), positions.get(("package", i), (1, 1)))
        wheels = tuple(w for w in (_file_name(x) for x in entry.get("wheels", []) or []) if w)
        optional = entry.get("optional-dependencies") or {}
        out.append(
            Locked(
                name=normalize(entry["name"]),
                version=entry.get("version") if isinstance(entry.get("version"), str) else None,
                wheels=wheels,
                sdist=isinstance(entry.get("sdist"), dict),
                source=_source_kind(entry.get("source")),
                path=path,
                line=line,
                column=column,
                lockfile="uv.lock",
                dependencies=[d for d in entry.get("dependencies", []) or [] if isinstance(d, dict)],
                optional={k: [d for d in v if isinstance(d, dict)] for k, v in optional.items() if isinstance(v, list)},
            )
        )
    return out


def parse_pylock(path: Path, text: str) -> list[Locked]:
    data = tomllib.loads(text)
    positions = toml_key_positions(text)
    out = []
    for i, entry in enumerate(data.get("packages", []) or []):
        if not isinstance(entry, dict) or not isinstance(entry.get("name"), str):
            continue
        line, column = positions.get(("packages", i, "name"), positions.get(("packages", i), (1, 1)))
        wheels = tuple(w for w in (_file_name(x) for x in entry.get("wheels", []) or []) if w)
        if "vcs" in entry:
            source = "git"
        elif "directory" in entry:
            source = "directory"
        elif "archive" in entry:
            source = "url"
        else:
            source = "registry"
        out.append(
            Locked(
                name=normalize(entry["name"]),
                version=entry.get("version") if isinstance(entry.get("version"), str) else None,
                wheels=wheels,
                sdist=isinstance(entry.get("sdist"), dict),
                source=source,
                path=path,
                line=line,
                column=column,
                lockfile="pylock.toml",
                marker=entry.get("marker") if isinstance(entry.get("marker"), str) else None,
                dependencies=[d for d in entry.get("dependencies", []) or [] if isinstance(d, dict)],
            )
        )
    return out


# -- wheels ------------------------------------------------------------------------------------
_PYODIDE_PLATFORM = re.compile(r"^(?:pyodide|pyemscripten)_(\d+_\d+)_wasm32$")


def wheel_kind(file_name: str, python: tuple[int, int], index: PackageIndex | None) -> str:
    """'pure', 'pyodide' (a build for this runtime), 'pyodide-other' (Emscripten, but another
    Python or ABI) or 'platform' (a native build for another OS)."""
    try:
        _, _, _, tags = parse_wheel_filename(file_name)
    except (InvalidWheelFilename, InvalidVersion):
        return "platform"
    best = "platform"
    for tag in tags:
        interpreter_ok = _interpreter_ok(tag.interpreter, tag.abi, python)
        if tag.platform == "any":
            if interpreter_ok:
                return "pure"
            continue
        match = _PYODIDE_PLATFORM.match(tag.platform)
        emscripten = tag.platform.startswith("emscripten_") and tag.platform.endswith("_wasm32")
        if match or emscripten:
            abi_ok = True
            if index is not None:
                if match and index.abi_version:
                    abi_ok = match.group(1) == index.abi_version
                elif emscripten and index.platform:
                    abi_ok = tag.platform == f"{index.platform}_wasm32"
            if interpreter_ok and abi_ok:
                return "pyodide"
            best = "pyodide-other"
    return best


def _interpreter_ok(interpreter: str, abi: str, python: tuple[int, int]) -> bool:
    match = re.fullmatch(r"(py|cp)(\d)(\d*)", interpreter)
    if not match:
        return False
    kind, major, minor = match.group(1), int(match.group(2)), match.group(3)
    if major != python[0]:
        return False
    if not minor:
        return kind == "py"
    minor_n = int(minor)
    if kind == "py" or abi in ("none", "abi3"):
        return minor_n <= python[1]
    return minor_n == python[1]


# -- the project's dependency picture ----------------------------------------------------------
@dataclass
class Verdict:
    status: str  # ok | unavailable | version | unverified
    reason: str


class ProjectDeps:
    """Everything the CFW8xx rules read, computed once per project (Project.memo)."""

    def __init__(self, project: Project) -> None:
        self.project = project
        self.root = project.root
        self._closure_of: dict[str, set[str]] = {}  # one distribution's closure, asked per module
        self.profile = project.profile()
        self.index = load_index(self.profile.package_index)
        self.env = marker_environment(self.profile, self.index)
        self.pyproject_path = self.root / "pyproject.toml"
        self.pyproject_text = self._text(self.pyproject_path)
        self.pyproject: dict[str, Any] | None = None
        if self.pyproject_text is not None:
            try:
                self.pyproject = tomllib.loads(self.pyproject_text)
            except tomllib.TOMLDecodeError:
                self.pyproject = None
        self.positions = toml_key_positions(self.pyproject_text or "") if self.pyproject else {}
        project_table = self.pyproject.get("project") if self.pyproject else None
        self.project_table: dict[str, Any] | None = project_table if isinstance(project_table, dict) else None
        table = self.project_table or {}
        self.runtime = _declared_list(
            table.get("dependencies"), self.pyproject_path, self.positions, ("project", "dependencies"), "project"
        )
        self.groups: dict[str, list[Declared]] = {}
        groups = (self.pyproject or {}).get("dependency-groups")
        if isinstance(groups, dict):
            for group, values in groups.items():
                self.groups[group] = _declared_list(
                    values, self.pyproject_path, self.positions, ("dependency-groups", group), f"group:{group}"
                )
        # uv's legacy spelling of the dev group
        uv_dev = ((self.pyproject or {}).get("tool") or {}).get("uv", {}) if self.pyproject else {}
        self.uv_dev: list[Declared] = []
        if isinstance(uv_dev, dict) and isinstance(uv_dev.get("dev-dependencies"), list):
            self.uv_dev = _declared_list(
                uv_dev["dev-dependencies"],
                self.pyproject_path,
                self.positions,
                ("tool", "uv", "dev-dependencies"),
                "group:dev",
            )
        self.optional: dict[str, list[Declared]] = {}
        optional = table.get("optional-dependencies")
        if isinstance(optional, dict):
            for extra, values in optional.items():
                self.optional[extra] = _declared_list(
                    values,
                    self.pyproject_path,
                    self.positions,
                    ("project", "optional-dependencies", extra),
                    f"optional:{extra}",
                )
        pywrangler = ((self.pyproject or {}).get("tool") or {}).get("pywrangler") if self.pyproject else None
        self.allow_build = bool(isinstance(pywrangler, dict) and pywrangler.get("allow-build"))
        self.locks: dict[str, list[Locked]] = {}
        for name, parser in (("pylock.toml", parse_pylock), ("uv.lock", parse_uv_lock)):
            text = self._text(self.root / name)
            if text is None:
                continue
            try:
                self.locks[name] = parser(self.root / name, text)
            except tomllib.TOMLDecodeError:
                continue  # CFW003 reports it
        self._online_cache: dict[str, Any] = {}

    def _text(self, path: Path) -> str | None:
        if not (path.is_file() or path in self.project.overrides):
            return None
        return self.project.read_text(path)

    # -- runtime requirements ------------------------------------------------------------------
    def active_runtime(self) -> list[Declared]:
        """[project].dependencies whose markers hold on the runtime."""
        return [d for d in self.runtime if d.requirement is not None and marker_applies(d.requirement.marker, self.env)]

    def lock_entries(self, name: str) -> list[Locked]:
        return [e for entries in self.locks.values() for e in entries if e.name == name]

    def uv_root(self) -> Locked | None:
        entries = self.locks.get("uv.lock") or []
        own = normalize(str((self.project_table or {}).get("name", ""))) if self.project_table else ""
        for e in entries:
            if e.source in ("virtual", "editable") and (not own or e.name == own):
                return e
        for e in entries:
            if own and e.name == own:
                return e
        return None

    def transitive(self) -> dict[str, tuple[Locked, str]]:
        """Packages the runtime dependencies pull in per the locks: name -> (entry, required by)."""
        return self.project.memo("cfw8:transitive", self._transitive)

    def _transitive(self) -> dict[str, tuple[Locked, str]]:
        direct = {d.name for d in self.active_runtime() if d.name}
        out: dict[str, tuple[Locked, str]] = {}
        entry: Locked | None  # reused below for a lookup that may find nothing
        for entry in self.locks.get("pylock.toml", []):
            if entry.name not in direct and marker_applies(entry.marker, self.env):
                out.setdefault(entry.name, (entry, "pylock.toml"))
        uv = self.locks.get("uv.lock") or []
        if uv:
            by_name: dict[str, list[Locked]] = {}
            for e in uv:
                by_name.setdefault(e.name, []).append(e)
            root = self.uv_root()
            # start from pyproject.toml, not the lock's root entry: a stale lock may still list a
            # package that has since moved to a dependency group
            stack: list[tuple[str, tuple[str, ...], str, str | None]] = [
                (d.name or "", tuple(sorted(d.requirement.extras)) if d.requirement else (), "pyproject.toml", None)
                for d in self.active_runtime()
            ]
            seen: set[tuple[str, tuple[str, ...]]] = set()
            while stack:
                name, extras, parent, version = stack.pop()
                if (name, extras) in seen:
                    continue
                seen.add((name, extras))
                candidates = by_name.get(name) or []
                entry = next(
                    (c for c in candidates if version and c.version == version), candidates[0] if candidates else None
                )
                if entry is None:
                    continue
                if name not in direct and (root is None or name != root.name):
                    out.setdefault(name, (entry, parent))
                deps = list(entry.dependencies)
                for extra in extras:
                    deps.extend(entry.optional.get(extra, []))
                for dep in deps:
                    if isinstance(dep.get("name"), str) and marker_applies(dep.get("marker"), self.env):
                        stack.append((normalize(dep["name"]), tuple(dep.get("extra") or ()), name, dep.get("version")))
        return out

    def closure_complete(self, declared: list[Declared] | None = None) -> bool:
        """Whether every runtime dependency's own dependencies are known (an index or a lock)."""
        for d in self.active_runtime() if declared is None else declared:
            name = d.name or ""
            if self.depends_of(name) is not None or self.lock_entries(name):
                continue
            return False
        return True

    def depends_of(self, name: str) -> tuple[str, ...] | None:
        """What distribution `name` depends on, per the profile's Pyodide index, else per another
        bundled index (what a package depends on changes little between its releases: fastapi
        pulls in pydantic on every one). None when no bundled index lists it."""
        from cfw_lint.project.index import available_versions

        key = normalize(name)
        for index in [self.index] + [load_index(v) for v in reversed(available_versions())]:
            package = index.packages.get(key) if index is not None else None
            if package is not None:
                return package.depends
        if self.project.online and not self.lock_entries(key):
            from cfw_lint.project.online import requires_online

            return requires_online(self, key)
        return None

    def closure(self, names: list[str]) -> set[str]:
        """The given distributions and everything they depend on, per the bundled indexes."""
        seen: set[str] = set()
        stack = [normalize(n) for n in names]
        while stack:
            key = stack.pop()
            if key not in seen:
                seen.add(key)
                stack.extend(self._locked_depends(key) or self.depends_of(key) or ())
        return seen

    def closure_of(self, name: str) -> set[str]:
        """`closure([name])`, computed once per distribution."""
        if name not in self._closure_of:
            self._closure_of[name] = self.closure([name])
        return self._closure_of[name]

    def _locked_depends(self, key: str) -> list[str] | None:
        """What uv.lock says `key` depends on (a lock is evidence about this very release;
        pylock.toml lists everything flat, so `transitive` already covers it)."""
        entries = [e for e in self.locks.get("uv.lock", []) if e.name == key]
        if not entries:
            return None
        return [normalize(d["name"]) for e in entries for d in e.dependencies if isinstance(d.get("name"), str)]

    # -- availability --------------------------------------------------------------------------
    def availability(self, name: str, specifier: SpecifierSet | None, *, pinned: str | None = None) -> Verdict:
        verdict = self._offline(name, specifier)
        if verdict.status == "unverified" and self.project.online:
            from cfw_lint.project.online import check_online

            return check_online(self, name, specifier, pinned) or verdict
        return verdict

    def _offline(self, name: str, specifier: SpecifierSet | None) -> Verdict:
        python = self.profile.python
        indexed = self.index.get(name) if self.index is not None else None
        evidence = self._wheel_evidence(name, specifier)
        where = f"the Pyodide {self.profile.package_index} index (Python {self.profile.python_version})"
        if indexed is not None and indexed.package_type in ("package", "cpython_module"):
            if specifier is None or _contains(specifier, indexed.version):
                return Verdict("ok", f"{indexed.name} {indexed.version} is in {where}")
            if evidence == "ok":
                return Verdict("ok", "the lock file lists a wheel for it")
            if indexed.pure:
                return Verdict(
                    "unverified",
                    f"{where} has {indexed.name} {indexed.version}, which `{specifier}` excludes; other "
                    "versions come from PyPI, and which files they publish (and what they depend on) "
                    "was not checked",
                )
            return Verdict(
                "version",
                f"{where} has only {indexed.name} {indexed.version} (a Pyodide build of a package "
                f"with native code), which `{specifier}` excludes",
            )
        if evidence == "ok":
            return Verdict("ok", "the lock file lists a pure-Python or Pyodide wheel")
        if evidence in ("platform", "other-abi", "sdist"):
            detail = {
                "sdist": "its lock entry has only an sdist, and pywrangler resolves with --no-build "
                "(`[tool.pywrangler] allow-build = true` builds it, if it is pure Python)",
                "platform": "its lock entry lists only native wheels for other platforms",
                "other-abi": "its lock entry's Emscripten wheels are built for another Python or Pyodide ABI",
            }[evidence]
            return Verdict(
                "unavailable",
                f"it is not in {where}, and {detail}: no pure-Python (py3-none-any) or "
                f"Pyodide/Emscripten wheel exists for Python {python[0]}.{python[1]}",
            )
        return Verdict(
            "unverified",
            f"it is not in {where} and no lock file lists its wheels; run `pywrangler sync` to "
            "resolve it, or `cfw-lint --online` to ask the package index",
        )

    def _wheel_evidence(self, name: str, specifier: SpecifierSet | None) -> str:
        """'ok', 'platform', 'other-abi', 'sdist' or 'unknown', from the lock files' entries."""
        entries = [
            e
            for e in self.lock_entries(name)
            if specifier is None or e.version is None or _contains(specifier, e.version)
        ]
        if not entries:
            return "unknown"
        kinds = set()
        for e in entries:
            if e.source not in ("registry", "url"):
                return "unknown"  # a path, git or workspace package: its contents are not known
            for wheel in e.wheels:
                kinds.add(wheel_kind(wheel, self.profile.python, self.index))
            if not e.wheels:
                kinds.add("sdist" if e.sdist else "none")
        if kinds & {"pure", "pyodide"}:
            return "ok"
        if "none" in kinds:
            return "unknown"
        if kinds <= {"sdist"}:
            return "unknown" if self.allow_build else "sdist"
        return "other-abi" if "pyodide-other" in kinds else "platform"

    # -- import names --------------------------------------------------------------------------
    def modules_of(self, name: str) -> set[str]:
        """Top-level (and dotted, for namespace packages) import names a distribution provides."""
        out: set[str] = set()
        indexed = self.index.get(name) if self.index is not None else None
        if indexed is not None:
            out.update(indexed.imports)
        for module, dists in IMPORT_TO_DISTRIBUTIONS.items():
            if name in dists:
                out.add(module)
        out.update(self.installed_modules().get(name, ()))
        out.add(name.replace("-", "_"))
        if "-" in name:
            out.add(name.replace("-", "."))  # namespace packages: google-cloud-storage
        for prefix in ("python-", "py-"):
            if name.startswith(prefix):
                out.add(name[len(prefix) :].replace("-", "_"))
        if name.endswith("-python"):
            out.add(name[: -len("-python")].replace("-", "_"))
        return out

    def installed_modules(self) -> dict[str, set[str]]:
        """Distribution -> top-level modules, from python_modules/*.dist-info (pywrangler's install)."""
        return self.project.memo("cfw8:installed_modules", self._installed_modules)

    def _installed_modules(self) -> dict[str, set[str]]:
        out: dict[str, set[str]] = {}
        vendored = self.root / "python_modules"
        if not vendored.is_dir():
            return out
        for info in vendored.glob("*.dist-info"):
            dist = normalize(info.name[: -len(".dist-info")].rsplit("-", 1)[0])
            modules: set[str] = set()
            top_level = info / "top_level.txt"
            record = info / "RECORD"
            try:
                if top_level.is_file():
                    modules.update(x.strip() for x in top_level.read_text("utf-8").splitlines() if x.strip())
                elif record.is_file():
                    for line in record.read_text("utf-8").splitlines():
                        first = line.split(",", 1)[0].split("/", 1)[0]
                        if first.endswith(".py"):
                            modules.add(first[:-3])
                        elif first and not first.endswith((".dist-info", ".data")) and "." not in first:
                            modules.add(first)
            except OSError:
                continue
            out[dist] = modules
        return out

    def providers(self, declared: list[Declared]) -> dict[str, set[str]]:
        """Import name -> distributions among `declared` and their index dependencies."""
        names = sorted(self.closure([d.name for d in declared if d.name]))
        out: dict[str, set[str]] = {}
        for name in names:
            for module in self.modules_of(name):
                out.setdefault(module, set()).add(name)
        return out

    def runtime_providers(self) -> dict[str, set[str]]:
        out = self.providers(self.active_runtime())
        for name in self.transitive():
            for module in self.modules_of(name):
                out.setdefault(module, set()).add(name)
        # what the transitive packages pull in, per the indexes
        for name in self.closure(list(self.transitive())):
            for module in self.modules_of(name):
                out.setdefault(module, set()).add(name)
        return out

    def own_modules(self) -> set[str]:
        """Top-level modules and packages uploaded with the Worker (the main module's directory)."""
        out: set[str] = set()
        # only the uploaded directory is on sys.path: `import src.x` fails in the Worker
        base = self.project.source_root()
        try:
            entries = list(os.scandir(base))
        except OSError:
            entries = []
        for entry in entries:
            if entry.name.endswith(".py") and entry.is_file():
                out.add(entry.name[:-3])
            elif entry.is_dir() and entry.name.isidentifier():
                out.add(entry.name)
        return out


def provided(module: str, providers: dict[str, set[str]]) -> set[str]:
    """Distributions providing `module` (a dotted name): the longest matching prefix wins."""
    parts = module.split(".")
    for i in range(len(parts), 0, -1):
        found = providers.get(".".join(parts[:i]))
        if found:
            return found
    # `from google.cloud import storage`: a namespace package some distribution fills
    prefix = module + "."
    return {d for key, dists in providers.items() if key.startswith(prefix) for d in dists}


# Top-level stdlib modules by the version that removed them (PEP 594, PEP 632, ...) or added them,
# so the host Python running cfw-lint does not decide what the runtime's Python has.
_STDLIB_REMOVED = {
    (3, 12): {"asynchat", "asyncore", "distutils", "imp", "smtpd"},
    (3, 13): {
        "aifc",
        "audioop",
        "cgi",
        "cgitb",
        "chunk",
        "crypt",
        "imghdr",
        "mailcap",
        "msilib",
        "nis",
        "nntplib",
        "ossaudiodev",
        "pipes",
        "sndhdr",
        "spwd",
        "sunau",
        "telnetlib",
        "uu",
        "xdrlib",
        "lib2to3",
    },
}
_STDLIB_ADDED = {(3, 11): {"tomllib"}, (3, 14): {"annotationlib", "compression"}}


def is_stdlib(top: str, python: tuple[int, int] | None = None) -> bool:
    """Whether `top` is a standard-library module of Python `python` (default: the host's)."""
    if python is not None:
        for version, names in _STDLIB_REMOVED.items():
            if top in names:
                return python < version
        for version, names in _STDLIB_ADDED.items():
            if top in names:
                return python >= version
    return top in sys.stdlib_module_names or top == "__future__"


def _contains(specifier: SpecifierSet, version: str) -> bool:
    try:
        return specifier.contains(Version(version), prereleases=True)
    except InvalidVersion:
        return True  # not comparable: do not claim it is excluded


def deps_of(project: Project) -> ProjectDeps:
    return project.memo("cfw8:deps", lambda: ProjectDeps(project))


# Distributions known to publish a pure-Python wheel that pywrangler always installs (§1.1).
KNOWN_PURE = frozenset({"workers-runtime-sdk"})


@dataclass
class Finding:
    code: str  # CFW801 | CFW802 | CFW808
    path: Path
    line: int
    column: int
    message: str


def availability_findings(deps: ProjectDeps) -> list[Finding]:
    """CFW801/802/808 for the runtime dependencies and, from the locks, what they pull in."""
    return deps.project.memo("cfw8:availability", lambda: _availability_findings(deps))


RESOLUTION_ERROR = (
    'pywrangler\'s resolution fails (uv: "No solution found when resolving dependencies"; '
    'pywrangler: "Installation failed because the packages you requested are not supported by '
    'Python Workers.")'
)
_CODE_OF = {"unavailable": "CFW801", "version": "CFW802", "unverified": "CFW808"}


def python_unknown(profile: RuntimeProfile) -> bool:
    """No usable compatibility date (missing, or a template such as "%COMPAT_DATE", which CFW709
    reports) and no flag naming a runtime release: which Python, so which package index, the
    Worker gets is unknown."""
    from cfw_lint.profile import runtime_data

    releases = {r.flag for r in runtime_data().releases} - {"python_workers"}
    return "compatibility_date" in profile.unknown and not (profile.explicit_flags & releases)


def _availability_findings(deps: ProjectDeps) -> list[Finding]:
    out: list[Finding] = []
    if python_unknown(deps.profile):
        return out  # every verdict below depends on the package index of that Python
    runtime = f"Python {deps.profile.python_version} (Pyodide index {deps.profile.package_index})"
    for d in deps.active_runtime():
        requirement = d.requirement
        assert requirement is not None and d.name is not None
        if is_tooling(d.name) or d.name in KNOWN_PURE:
            continue  # CFW805 reports tooling; the SDK is pure Python
        if requirement.url:
            verdict = _url_verdict(deps, requirement.url)
        else:
            verdict = deps.availability(d.name, requirement.specifier or None)
        if verdict.status == "ok":
            continue
        out.append(
            Finding(
                _CODE_OF[verdict.status],
                d.path,
                d.line,
                d.column,
                f"`{d.raw}` cannot be installed for {runtime}: {verdict.reason}. {RESOLUTION_ERROR}"
                if verdict.status != "unverified"
                else f"`{d.raw}`: availability for {runtime} not verified: {verdict.reason}",
            )
        )
    for name, (entry, parent) in sorted(deps.transitive().items()):
        if is_tooling(name) or name in KNOWN_PURE:
            continue
        verdict = deps.availability(name, None, pinned=entry.version)
        if verdict.status in ("ok", "version"):
            continue
        what = f"{name} {entry.version or ''}".strip()
        via = f"required by {parent}, per {entry.lockfile}" if parent != entry.lockfile else f"in {entry.lockfile}"
        out.append(
            Finding(
                _CODE_OF[verdict.status],
                entry.path,
                entry.line,
                entry.column,
                f"{what} ({via}) cannot be installed for {runtime}: {verdict.reason}. {RESOLUTION_ERROR}"
                if verdict.status != "unverified"
                else f"{what} ({via}): availability for {runtime} not verified: {verdict.reason}",
            )
        )
    return out


def _url_verdict(deps: ProjectDeps, url: str) -> Verdict:
    tail = unquote(urlparse(url).path.rsplit("/", 1)[-1])
    if tail.endswith(".whl"):
        kind = wheel_kind(tail, deps.profile.python, deps.index)
        if kind in ("pure", "pyodide"):
            return Verdict("ok", "a compatible wheel")
        return Verdict(
            "unavailable",
            f"the wheel {tail} is a native build for another platform"
            if kind == "platform"
            else f"the wheel {tail} is built for another Pyodide ABI or Python version",
        )
    return Verdict("unverified", "a direct URL that is not a wheel; what it builds to was not checked")


# -- imports in Worker source ------------------------------------------------------------------
@dataclass
class ImportSite:
    module: str  # absolute dotted module, as imported
    line: int
    column: int


def import_sites(text: str) -> list[ImportSite]:
    """Absolute imports that must succeed at run time, with positions. Imports guarded by
    `try: ... except ImportError` and `if TYPE_CHECKING:` blocks are left out."""
    import libcst as cst
    from libcst.metadata import MetadataWrapper, PositionProvider

    try:
        module = cst.parse_module(text)
    except cst.ParserSyntaxError:
        return []
    wrapper = MetadataWrapper(module, unsafe_skip_copy=True)
    positions = wrapper.resolve(PositionProvider)
    sites: list[ImportSite] = []

    class Visitor(cst.CSTVisitor):
        def __init__(self) -> None:
            self.guarded = 0

        def visit_Try(self, node: cst.Try) -> None:
            if any(_catches_import_error(h) for h in node.handlers):
                self.guarded += 1

        def leave_Try(self, node: cst.Try) -> None:
            if any(_catches_import_error(h) for h in node.handlers):
                self.guarded -= 1

        def visit_If(self, node: cst.If) -> bool | None:
            if _is_type_checking(node.test):
                # only the body is skipped; an `else:` branch runs
                if node.orelse is not None:
                    node.orelse.visit(self)
                return False
            return None

        def visit_Import(self, node: cst.Import) -> None:
            if self.guarded:
                return
            for alias in node.names:
                name = cst.helpers.get_full_name_for_node(alias.name)
                if name:
                    pos = positions[alias.name].start
                    sites.append(ImportSite(name, pos.line, pos.column + 1))

        def visit_ImportFrom(self, node: cst.ImportFrom) -> None:
            if self.guarded or node.relative or node.module is None:
                return
            name = cst.helpers.get_full_name_for_node(node.module)
            if name:
                pos = positions[node.module].start
                sites.append(ImportSite(name, pos.line, pos.column + 1))

    module.visit(Visitor())
    return sites


def _catches_import_error(handler: Any) -> bool:
    import libcst as cst

    kind = handler.type
    if kind is None:
        return True
    names = kind.elements if isinstance(kind, cst.Tuple) else [kind]
    for element in names:
        value = element.value if isinstance(element, cst.Element) else element
        full = cst.helpers.get_full_name_for_node(value) or ""
        if full.rsplit(".", 1)[-1] in ("ImportError", "ModuleNotFoundError", "Exception", "BaseException"):
            return True
    return False


def _is_type_checking(test: Any) -> bool:
    import libcst as cst

    full = cst.helpers.get_full_name_for_node(test) if isinstance(test, (cst.Name, cst.Attribute)) else None
    return full is not None and bool(full) and full.rsplit(".", 1)[-1] == "TYPE_CHECKING"


def reached_sources(project: Any) -> set[Path] | None:
    """The Worker's source files that its main module imports (`Project.worker_modules`). A file
    nothing imports is uploaded but never runs, so its imports cannot fail the Worker."""
    return project.worker_modules()


def worker_imports(deps: ProjectDeps, wanted: Any) -> list[tuple[Path, ImportSite]]:
    """Import sites in the Worker's sources whose module satisfies `wanted(module)`; files are
    parsed for positions only when their facts name such a module. Files the main module never
    imports are left out (see `reached_sources`)."""
    out = []
    reached = reached_sources(deps.project)
    for path in deps.project.source_files():
        if reached is not None and path not in reached:
            continue
        facts = deps.project.facts_for(path)
        if not facts or not any(wanted(m) for m in facts.get("imports", [])):
            continue
        text = deps.project.read_text(path)
        if text is None:
            continue
        for site in import_sites(text):
            if wanted(site.module):
                out.append((path, site))
    return out


# -- provenance: where each imported module comes from -------------------------------------------
# kinds, in the order they are tried; the last three are problems
PROVENANCE_KINDS = (
    "stdlib",
    "runtime",
    "own",
    "project",
    "transitive",
    "vendored",
    "path",
    "requirements.txt",
    "possible",
    "group",
    "removed-stdlib",
    "unknown",
)


@dataclass(frozen=True)
class Origin:
    kind: str  # one of PROVENANCE_KINDS
    detail: str  # what provides it, for messages and `cfw-lint deps`
    distributions: tuple[str, ...] = ()


def origin_of(deps: ProjectDeps, module: str) -> Origin:
    """Where `module` (dotted, as imported) comes from when the Worker runs. Memoised per
    project: every dependency rule and `cfw-lint deps` read this one model."""
    table = deps.project.memo("cfw8:origins", dict)
    if module not in table:
        table[module] = _origin(deps, module)
    return table[module]


def _origin(deps: ProjectDeps, module: str) -> Origin:
    top = module.split(".")[0]
    python = deps.profile.python
    if is_stdlib(top, python):
        return Origin("stdlib", f"the standard library of Python {deps.profile.python_version}")
    if top in RUNTIME_MODULES:
        return Origin("runtime", "the Workers runtime (Pyodide and the Python SDK)")
    sources = _sources(deps)
    if top in sources["own"]:
        return Origin("own", f"the Worker's own module ({sources['own'][top]})")
    direct = provided(module, sources["project"])
    if direct:
        return Origin("project", "[project].dependencies: " + ", ".join(sorted(direct)), tuple(sorted(direct)))
    pulled = provided(module, sources["transitive"])
    if pulled:
        parents = sorted({sources["parents"].get(d, "a runtime dependency") for d in pulled})
        return Origin(
            "transitive", f"{', '.join(sorted(pulled))}, pulled in by {', '.join(parents)}", tuple(sorted(pulled))
        )
    for kind in ("vendored", "path"):
        where = provided(module, sources[kind])
        if where:
            return Origin(kind, ", ".join(sorted(where)))
    txt = provided(module, sources["requirements.txt"])
    if txt:
        listed = sorted(txt & sources["txt_names"])
        if listed:
            detail = "requirements.txt: " + ", ".join(listed)
        else:
            parents = sorted({_index_parent(deps, d, sorted(sources["txt_names"])) for d in txt})
            detail = f"{', '.join(sorted(txt))}, pulled in by {', '.join(parents)} from requirements.txt"
        return Origin("requirements.txt", detail, tuple(sorted(txt)))
    if is_stdlib(top):
        return Origin("removed-stdlib", f"not in the standard library of Python {deps.profile.python_version}")
    for where, table in sources["groups"].items():
        dists = provided(module, table)
        if dists:
            return Origin("group", f"{', '.join(sorted(dists))}, listed only in {where}", tuple(sorted(dists)))
    if sources["open"]:
        return Origin(
            "possible",
            f"perhaps {', '.join(sources['open'])}, whose own dependencies no bundled index or lock file lists",
        )
    if top in sources["beside"]:
        return Origin(
            "possible",
            f"a package beside the uploaded directory ({sources['beside'][top]}), which wrangler does not upload",
        )
    return Origin("unknown", "nothing the Worker is deployed with")


def _sources(deps: ProjectDeps) -> dict[str, Any]:
    return deps.project.memo("cfw8:sources", lambda: _collect_sources(deps))


def _collect_sources(deps: ProjectDeps) -> dict[str, Any]:
    project = deps.project
    base = project.source_root()
    own = {
        m: _rel(project, base / (m + ".py") if (base / (m + ".py")).is_file() else base / m) for m in deps.own_modules()
    }
    for d in project.vendored_dirs():
        own.pop(d.name, None)  # `vendor/` is a directory of packages, not a module
    direct_names = [d.name for d in deps.active_runtime() if d.name]
    direct: dict[str, set[str]] = {}
    for name in direct_names:
        for module in deps.modules_of(name):
            direct.setdefault(module, set()).add(name)
    transitive: dict[str, set[str]] = {}
    parents: dict[str, str] = {}
    for name, (entry, parent) in deps.transitive().items():
        parents[name] = f"{parent} (per {entry.lockfile})" if parent != entry.lockfile else entry.lockfile
    for name in deps.closure(direct_names + list(deps.transitive())):
        if name in direct_names:
            continue
        parents.setdefault(name, _index_parent(deps, name, direct_names))
        for module in deps.modules_of(name):
            transitive.setdefault(module, set()).add(name)
    txt = requirements_txt_declared(deps)
    groups = {f"[dependency-groups].{n}": deps.providers(items) for n, items in deps.groups.items()}
    groups.update({f"[project.optional-dependencies].{n}": deps.providers(i) for n, i in deps.optional.items()})
    if deps.uv_dev:
        groups["[tool.uv].dev-dependencies"] = deps.providers(deps.uv_dev)
    open_ = sorted(
        d.name
        for d in [*deps.active_runtime(), *txt]
        if d.name and deps.depends_of(d.name) is None and not deps.lock_entries(d.name)
    )
    return {
        "own": own,
        "project": direct,
        "transitive": transitive,
        "parents": parents,
        "vendored": _vendored_modules(deps),
        "path": _path_modules(deps),
        "requirements.txt": deps.providers(txt),
        "txt_names": {d.name for d in txt if d.name},
        "groups": groups,
        "open": open_,
        "beside": _beside_modules(deps),
    }


def _index_parent(deps: ProjectDeps, name: str, direct: list[str]) -> str:
    for parent in direct:
        if name in deps.closure_of(parent):
            # requires_online answers are cached under ("requires", name)
            online = ("requires", normalize(parent)) in deps._online_cache
            return f"{parent} (per {'its metadata on the package index' if online else 'the Pyodide index'})"
    return "a runtime dependency (per the Pyodide index)"


def _rel(project: Any, path: Path) -> str:
    try:
        return path.relative_to(project.root).as_posix()
    except ValueError:
        return str(path)


def _package_names(directory: Path) -> set[str]:
    """Top-level modules and packages directly inside `directory`."""
    out: set[str] = set()
    try:
        entries = list(os.scandir(directory))
    except OSError:
        return out
    for entry in entries:
        if entry.name.endswith(".py") and entry.is_file():
            out.add(entry.name[:-3])
        elif entry.is_dir() and entry.name.isidentifier() and entry.name != "__pycache__":
            out.add(entry.name)
    return out


def _vendored_modules(deps: ProjectDeps) -> dict[str, set[str]]:
    """Module -> where it is vendored: the directories `Project.vendored_dirs` names, the
    distributions `vendor.txt` lists, and python_modules/*.dist-info."""
    project = deps.project
    out: dict[str, set[str]] = {}
    for directory in project.vendored_dirs():
        for module in _package_names(directory):
            out.setdefault(module, set()).add(_rel(project, directory) + "/")
    for dist, modules in deps.installed_modules().items():
        for module in modules:
            out.setdefault(module, set()).add(f"python_modules/ ({dist})")
    for candidate in (project.source_root() / "vendor.txt", project.root / "vendor.txt"):
        text = deps._text(candidate)
        if text is None:
            continue
        for line in read_requirements_txt(text):
            if line.requirement is None:
                continue
            name = normalize(line.requirement.name)
            for module in deps.modules_of(name):
                out.setdefault(module, set()).add(f"{_rel(project, candidate)} ({name})")
    return out


def _path_modules(deps: ProjectDeps) -> dict[str, set[str]]:
    """Module -> the path or workspace dependency providing it ([tool.uv.sources],
    [tool.uv.workspace] members): pywrangler hands pyproject.toml to uv, so these install."""
    project = deps.project
    uv = ((deps.pyproject or {}).get("tool") or {}).get("uv") or {}
    out: dict[str, set[str]] = {}
    if not isinstance(uv, dict):
        return out
    directories: list[tuple[str, Path | None]] = []
    sources = uv.get("sources") or {}
    if isinstance(sources, dict):
        for name, spec in sources.items():
            specs = spec if isinstance(spec, list) else [spec]
            for one in specs:
                if not isinstance(one, dict):
                    continue
                if isinstance(one.get("path"), str):
                    directories.append((name, project.root / one["path"]))
                elif one.get("workspace"):
                    directories.append((name, _workspace_member(project.root, name)))
                elif one.get("git") or one.get("url"):
                    directories.append((name, None))
    directory: Path | None  # a glob match below, then each entry of `directories`
    workspace = uv.get("workspace") or {}
    members = workspace.get("members") if isinstance(workspace, dict) else None
    for pattern in members if isinstance(members, list) else []:
        if isinstance(pattern, str):
            for directory in sorted(project.root.glob(pattern)):
                if directory.is_dir():
                    directories.append((_pyproject_name(directory) or directory.name, directory))
    for name, directory in directories:
        label = f"{name} ([tool.uv.sources])" if directory is None else f"{name} ({_rel(project, directory)})"
        modules = set(deps.modules_of(normalize(name)))
        if directory is not None:
            if (directory / "src").is_dir():
                modules |= _package_names(directory / "src")
            modules |= {m for m in _package_names(directory) if m not in ("src", "tests", "test", "docs")}
        for module in modules:
            out.setdefault(module, set()).add(label)
    return out


def _workspace_member(start: Path, name: str) -> Path | None:
    """The directory of workspace member `name`: the members of the nearest pyproject.toml at or
    above `start` with a [tool.uv.workspace] table (the Worker may itself be a member)."""
    for directory in [start, *start.parents]:
        try:
            data = tomllib.loads((directory / "pyproject.toml").read_text("utf-8"))
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
            continue
        workspace = ((data.get("tool") or {}).get("uv") or {}).get("workspace")
        if not isinstance(workspace, dict):
            continue
        for pattern in workspace.get("members") or []:
            if not isinstance(pattern, str):
                continue
            for member in sorted(directory.glob(pattern)):
                if member.is_dir() and normalize(_pyproject_name(member) or "") == normalize(name):
                    return member
        return None
    return None


def _pyproject_name(directory: Path) -> str | None:
    try:
        data = tomllib.loads((directory / "pyproject.toml").read_text("utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return None
    name = (data.get("project") or {}).get("name")
    return name if isinstance(name, str) else None


def _beside_modules(deps: ProjectDeps) -> dict[str, str]:
    """Packages in the project root beside the uploaded directory (`mylib/` next to `src/`)."""
    project = deps.project
    base = project.source_root()
    if base == project.root:
        return {}
    skip = {"tests", "test", "docs", "scripts", "src", "python_modules", "node_modules", "vendor"}
    out = {}
    for module in _package_names(project.root):
        if module not in skip and (project.root / module) != base:
            out[module] = _rel(project, project.root / module)
    return out


def provenance(deps: ProjectDeps) -> list[tuple[str, Origin, list[tuple[Path, ImportSite]]]]:
    """Every module the Worker's code imports (files the main module reaches), with its origin
    and import sites, sorted by module: the table `cfw-lint deps` prints."""
    by_module: dict[str, list[tuple[Path, ImportSite]]] = {}
    for path, site in worker_imports(deps, lambda m: True):
        by_module.setdefault(site.module, []).append((path, site))
    return [(m, origin_of(deps, m), sites) for m, sites in sorted(by_module.items())]


@dataclass
class ImportProblem:
    code: str  # CFW804 | CFW806
    message: str
    severity: str = "error"  # "info" when a declared package may provide it
    distribution: str | None = None  # what CFW806's fix adds to [project].dependencies
    certain: bool = False  # the profile's index names exactly that distribution


def import_problems(deps: ProjectDeps) -> list[tuple[Path, ImportSite, ImportProblem]]:
    """CFW804/CFW806 for the Worker's imports (memoised: both rules read it)."""
    return deps.project.memo("cfw8:imports", lambda: _import_problems(deps))


def _import_problems(deps: ProjectDeps) -> list[tuple[Path, ImportSite, ImportProblem]]:
    # a pyproject that does not parse is CFW003's
    if deps.pyproject_text is not None and deps.pyproject is None:
        return []
    cache: dict[str, ImportProblem | None] = {}

    def classify(module: str) -> ImportProblem | None:
        if module not in cache:
            cache[module] = _problem(deps, module, origin_of(deps, module))
        return cache[module]

    out = []
    for path, site in worker_imports(deps, lambda m: classify(m) is not None):
        problem = classify(site.module)
        assert problem is not None
        out.append((path, site, problem))
    return out


def _problem(deps: ProjectDeps, module: str, origin: Origin) -> ImportProblem | None:
    top = module.split(".")[0]
    error = f"ModuleNotFoundError: No module named '{top}'"
    if origin.kind == "removed-stdlib":
        if python_unknown(deps.profile):
            return None  # which Python runs is unknown (no usable date): it may still have it
        return ImportProblem(
            "CFW806",
            f"`{module}` is no longer in the standard library of Python "
            f"{deps.profile.python_version}, which this Worker runs on; the Worker fails with "
            f"{error}. Use a replacement or declare a backport in [project].dependencies",
        )
    if origin.kind == "group":
        if _sources(deps)["open"]:
            return None  # a runtime dependency whose dependencies are unknown may provide it too
        return ImportProblem(
            "CFW804",
            f"`{module}` comes from {origin.detail}; pywrangler vendors only "
            f"[project].dependencies, so the Worker fails with {error}. Move it to [project].dependencies",
        )
    if origin.kind == "possible":
        return ImportProblem(
            "CFW806",
            f"`{module}` is not provided by the standard library, the runtime, the Worker's own "
            f"modules or a declared dependency that cfw-lint can confirm: {origin.detail}. "
            f"If nothing provides it, the Worker fails with {error}"
            + ("" if deps.project.online else "; `cfw-lint --online` asks the package index what they require"),
            severity="info",
        )
    if origin.kind != "unknown":
        return None
    hint, certain = _suggest_with_certainty(deps, module)
    return ImportProblem(
        "CFW806",
        f"`{module}` is not provided by the standard library, the runtime, the Worker's own "
        f"modules, vendored packages or [project].dependencies; the Worker fails with {error}. "
        + (
            f"Add `{hint}` to [project].dependencies"
            if hint
            else "Declare the distribution that provides it in [project].dependencies"
        ),
        distribution=hint,
        certain=certain,
    )


def _suggest_with_certainty(deps: ProjectDeps, module: str) -> tuple[str | None, bool]:
    """The distribution to declare, and whether the profile's Pyodide index names exactly it."""
    parts = module.split(".")
    for i in range(len(parts), 0, -1):
        name = ".".join(parts[:i])
        if deps.index is not None and name in deps.index.import_providers:
            keys = deps.index.import_providers[name]
            return deps.index.packages[keys[0]].name, len(keys) == 1
        if name in IMPORT_TO_DISTRIBUTIONS:
            return IMPORT_TO_DISTRIBUTIONS[name][0], False
    # another runtime's index knows the name (fastapi is only in the 3.14 one): a hint, unsafe
    from cfw_lint.project.index import available_versions

    for version in reversed(available_versions()):
        other = load_index(version)
        found = other.import_providers.get(parts[0]) if other is not None else None
        if found and other is not None:
            return other.packages[found[0]].name, False
    return None, False


def _suggest(deps: ProjectDeps, module: str) -> str | None:
    """The distribution to declare for `module`, when the index or the bundled map says."""
    parts = module.split(".")
    for i in range(len(parts), 0, -1):
        name = ".".join(parts[:i])
        if deps.index is not None and name in deps.index.import_providers:
            key = deps.index.import_providers[name][0]
            return deps.index.packages[key].name
        if name in IMPORT_TO_DISTRIBUTIONS:
            return IMPORT_TO_DISTRIBUTIONS[name][0]
    return None


# -- requirements.txt --------------------------------------------------------------------------
@dataclass
class TxtLine:
    line: int  # 1-based
    text: str  # the logical line without comment
    requirement: Requirement | None
    problem: str | None  # why it cannot be carried into pyproject.toml
    comment: str | None = None  # a trailing `# ...` comment, carried along by the fix


def requirements_txt_path(project: Project) -> Path:
    return project.root / "requirements.txt"


def read_requirements_txt(text: str) -> list[TxtLine]:
    """Logical lines of a pip requirements file (continuations joined, comments dropped)."""
    out: list[TxtLine] = []
    physical = text.splitlines()
    i = 0
    while i < len(physical):
        start = i
        logical = physical[i]
        while logical.endswith("\\") and i + 1 < len(physical):
            i += 1
            logical = logical[:-1].rstrip() + " " + physical[i].strip()
        i += 1
        # pip: a comment starts at `#` at line start or after whitespace
        parts = re.split(r"(?:^|\s)#", logical, maxsplit=1)
        content = parts[0].strip()
        comment = parts[1].strip() if len(parts) > 1 and parts[1].strip() else None
        if not content:
            continue
        if content.startswith("-"):
            out.append(
                TxtLine(start + 1, content, None, f"the option line `{content}` has no pyproject.toml equivalent")
            )
            continue
        if "--" in content or re.search(r"\s-[a-zA-Z]\b", content):
            out.append(TxtLine(start + 1, content, None, f"`{content}` carries per-requirement options (hashes)"))
            continue
        if "${" in content:
            out.append(TxtLine(start + 1, content, None, f"`{content}` uses an environment variable"))
            continue
        try:
            requirement = Requirement(content)
        except InvalidRequirement:
            out.append(
                TxtLine(start + 1, content, None, f"`{content}` is not a PEP 508 requirement (a path or bare URL)")
            )
            continue
        out.append(TxtLine(start + 1, content, requirement, None, comment))
    return out


def requirements_txt_declared(deps: ProjectDeps) -> list[Declared]:
    path = requirements_txt_path(deps.project)
    text = deps._text(path)
    if text is None:
        return []
    return [
        Declared(t.text, t.requirement, path, t.line, 1, "requirements.txt")
        for t in read_requirements_txt(text)
        if t.requirement is not None and marker_applies(t.requirement.marker, deps.env)
    ]
