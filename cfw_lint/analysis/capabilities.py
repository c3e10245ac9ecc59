"""Runtime-capability facts shared by rules on both tiers, and the LibCST helpers LibCST rules use.

* The HTTP-client tables shared by CFW202 (import-time I/O) and CFW301 (sync clients).
* `callee` and `string_value` on LibCST nodes (their `ast` twins, and the binding and literal
  helpers of the `ast` rules, are in astnames.py and astvalues.py).
* `project_module_exists`: a project module of the same name shadows a stdlib/third-party one.
"""

from __future__ import annotations


import libcst as cst

from cfw_lint.analysis.names import dotted_name, qualified_name

# -- HTTP clients ------------------------------------------------------------------------------

_HTTP_VERBS = ("get", "post", "put", "patch", "delete", "head", "options", "request")

# Module-level functions that send a request when called.
REQUEST_FUNCTIONS = frozenset(
    [f"requests.{v}" for v in _HTTP_VERBS]
    + [f"httpx.{v}" for v in (*_HTTP_VERBS, "stream")]
    + ["urllib3.request", "aiohttp.request"]
    + ["urllib.request.urlopen", "urllib.request.urlretrieve"]
    + ["pyodide.http.pyfetch", "pyodide.http.pyxhr.get", "pyodide.http.open_url"]
)

# Client objects, and the methods of each that send a request.
_SESSION_METHODS = frozenset((*_HTTP_VERBS, "send", "stream"))
CLIENT_CLASSES: dict[str, frozenset[str]] = {
    "requests.Session": _SESSION_METHODS,
    "requests.session": _SESSION_METHODS,
    "requests.sessions.Session": _SESSION_METHODS,
    "httpx.Client": _SESSION_METHODS,
    "httpx.AsyncClient": _SESSION_METHODS,
    "aiohttp.ClientSession": _SESSION_METHODS,
    "urllib3.PoolManager": frozenset(("request", "urlopen", "request_encode_url", "request_encode_body")),
    "urllib3.ProxyManager": frozenset(("request", "urlopen", "request_encode_url", "request_encode_body")),
    "urllib3.HTTPConnectionPool": frozenset(("request", "urlopen")),
    "urllib3.HTTPSConnectionPool": frozenset(("request", "urlopen")),
    "urllib3.connection_from_url": frozenset(("request", "urlopen")),
    "http.client.HTTPConnection": frozenset(("request", "connect", "getresponse", "send", "putrequest")),
    "http.client.HTTPSConnection": frozenset(("request", "connect", "getresponse", "send", "putrequest")),
    "urllib.request.build_opener": frozenset(("open",)),
    "urllib.request.OpenerDirector": frozenset(("open",)),
}

# CFW301: what cannot work on a runtime without stack switching (3.12) ...
SYNC_CLIENTS_NEED_JSPI = frozenset(
    [f"requests.{v}" for v in _HTTP_VERBS]
    + ["requests.Session", "requests.session", "requests.sessions.Session"]
    + [f"httpx.{v}" for v in (*_HTTP_VERBS, "stream")]
    + ["httpx.Client"]
    + [
        "urllib3.request",
        "urllib3.PoolManager",
        "urllib3.ProxyManager",
        "urllib3.HTTPConnectionPool",
        "urllib3.HTTPSConnectionPool",
        "urllib3.connection_from_url",
        "urllib3.proxy_from_url",
    ]
)
# ... and what needs raw sockets (the 3.14 runtime's sockets).
SOCKET_CLIENTS = frozenset(
    [
        "urllib.request.urlopen",
        "urllib.request.urlretrieve",
        "urllib.request.build_opener",
        "urllib.request.OpenerDirector",
        "http.client.HTTPConnection",
        "http.client.HTTPSConnection",
    ]
)


def callee(rule: cst.MetadataDependent, func: cst.BaseExpression) -> str | None:
    """The import-derived dotted name of a call's callee when it is a plain `a.b.c` chain.

    LibCST's qualified names step through calls (`js.eval(s)(x)`'s callee is named `js.eval`),
    so anything that is not a pure name chain is refused here.
    """
    if dotted_name(func) is None:
        return None
    return qualified_name(rule, func)


# -- literal values ------------------------------------------------------------------------------


def string_value(node: cst.BaseExpression | None, *, bytes_ok: bool = True) -> str | None:
    """The value of a plain string literal (implicit concatenation included), else None.

    A bytes literal gives its UTF-8 text unless `bytes_ok` is False."""
    if isinstance(node, cst.SimpleString):
        value = node.evaluated_value
        if isinstance(value, bytes):
            if not bytes_ok:
                return None
            try:
                return value.decode()
            except UnicodeDecodeError:
                return None
        return value
    if isinstance(node, cst.ConcatenatedString):
        left = string_value(node.left, bytes_ok=bytes_ok)
        right = string_value(node.right, bytes_ok=bytes_ok)
        if left is not None and right is not None:
            return left + right
    return None


# -- the project's own modules -------------------------------------------------------------------


def project_module_exists(context: object, top: str) -> bool:
    """The project has its own module or package `top` next to the file or above it (up to the
    project root, and the root's `src/`): an absolute import of `top` finds it, not the stdlib
    or a dependency."""
    from pathlib import Path

    abspath: Path = context.abspath  # type: ignore[attr-defined]
    root: Path | None = getattr(context, "project_root", None)
    dirs = []
    current = abspath.parent
    while True:
        dirs.append(current)
        if root is None or current == root or current.parent == current:
            break
        if root not in current.parents:
            break
        current = current.parent
    if root is not None:
        dirs.append(root / "src")
    for folder in dirs:
        try:
            if (folder / f"{top}.py").is_file() or (folder / top / "__init__.py").is_file():
                return True
            package = folder / top
            if package.is_dir() and any(package.glob("*.py")):
                return True
        except OSError:
            continue
    return False
