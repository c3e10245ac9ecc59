"""`cfw-lint server` driven as an editor drives it: a subprocess speaking LSP over stdio
(Content-Length framed JSON-RPC), and headless Neovim as a real client."""

from __future__ import annotations

import json
import os
import queue
import shutil
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import pytest

from helpers import write_project

ROOT = Path(__file__).resolve().parent.parent
TIMEOUT = 20  # seconds; every wait is bounded

BAD_ENTRY = """\
from workers import Response


async def on_fetch(request, env):
    return Response("hello")
"""

CONFIG = """\
name = "demo"
main = "src/entry.py"
compatibility_date = "2025-11-01"
compatibility_flags = ["python_workers"]
"""


def server_env() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT), env.get("PYTHONPATH", "")])
    return env


class LspClient:
    """A minimal LSP client: framing, requests with ids, notifications, server requests."""

    def __init__(self, cwd: Path) -> None:
        self.stderr = open(cwd / "server.log", "w+b")  # noqa: SIM115 - closed in close()
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "cfw_lint", "server"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self.stderr,
            cwd=cwd,
            env=server_env(),
        )
        self.inbox: queue.Queue[dict | None] = queue.Queue()
        self.notifications: list[dict] = []
        self.server_requests: list[dict] = []
        self.responses: dict[int, dict] = {}
        self.next_id = 0
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        stream = self.proc.stdout
        assert stream is not None
        while True:
            headers = {}
            while True:
                line = stream.readline()
                if not line:
                    self.inbox.put(None)
                    return
                line = line.strip()
                if not line:
                    break
                name, _, value = line.decode("ascii").partition(":")
                headers[name.strip().lower()] = value.strip()
            body = stream.read(int(headers["content-length"]))
            self.inbox.put(json.loads(body))

    def send(self, message: dict) -> None:
        body = json.dumps({"jsonrpc": "2.0", **message}).encode("utf-8")
        assert self.proc.stdin is not None
        self.proc.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        self.proc.stdin.flush()

    def _pump(self, deadline: float) -> None:
        try:
            message = self.inbox.get(timeout=max(0.01, deadline - time.monotonic()))
        except queue.Empty:
            return
        if message is None:
            raise AssertionError(f"the server exited: {self.log()}")
        if "id" in message and "method" in message:  # a request from the server
            self.server_requests.append(message)
            result = (
                [None] * len(message["params"]["items"]) if message["method"] == "workspace/configuration" else None
            )
            self.send({"id": message["id"], "result": result})
        elif "id" in message:
            self.responses[message["id"]] = message
        else:
            self.notifications.append(message)

    def request(self, method: str, params: dict | None, *, error_ok: bool = False) -> object:
        self.next_id += 1
        ident = self.next_id
        self.send({"id": ident, "method": method, "params": params})
        deadline = time.monotonic() + TIMEOUT
        while ident not in self.responses:
            if time.monotonic() > deadline:
                raise AssertionError(f"no answer to {method}: {self.log()}")
            self._pump(deadline)
        response = self.responses.pop(ident)
        if error_ok:
            return response
        assert "error" not in response, response
        return response["result"]

    def notify(self, method: str, params: dict) -> None:
        self.send({"method": method, "params": params})

    def wait(self, method: str, predicate=lambda params: True) -> dict:
        """The first unseen notification `method` whose params satisfy `predicate`."""
        deadline = time.monotonic() + TIMEOUT
        while True:
            for i, message in enumerate(self.notifications):
                if message["method"] == method and predicate(message["params"]):
                    del self.notifications[: i + 1]
                    return message["params"]
            if time.monotonic() > deadline:
                raise AssertionError(f"no {method} matching; got {self.notifications}; {self.log()}")
            self._pump(deadline)

    def diagnostics(self, uri: str, version: int | None = None) -> list[dict]:
        params = self.wait(
            "textDocument/publishDiagnostics",
            lambda p: p["uri"] == uri and (version is None or p.get("version") == version),
        )
        return params["diagnostics"]

    def log(self) -> str:
        self.stderr.flush()
        self.stderr.seek(0)
        return self.stderr.read().decode("utf-8", "replace")[-3000:]

    def close(self) -> int:
        try:
            if self.proc.poll() is None:
                assert self.request("shutdown", None) is None
                self.notify("exit", {})
            return self.proc.wait(timeout=TIMEOUT)
        finally:
            if self.proc.poll() is None:
                self.proc.kill()
                self.proc.wait()
            self.stderr.close()


def apply_text_edits(text: str, edits: list[dict]) -> str:
    """Apply LSP TextEdits (ASCII text: UTF-16 units are characters)."""
    lines = text.splitlines(keepends=True) or [""]
    starts = [0]
    for line in lines:
        starts.append(starts[-1] + len(line))

    def offset(pos: dict) -> int:
        if pos["line"] >= len(lines):
            return len(text)
        return starts[pos["line"]] + pos["character"]

    for e in sorted(edits, key=lambda e: offset(e["range"]["start"]), reverse=True):
        text = text[: offset(e["range"]["start"])] + e["newText"] + text[offset(e["range"]["end"]) :]
    return text


def edits_for(action: dict, uri: str) -> list[dict]:
    edit = action["edit"]
    if edit.get("changes"):
        assert set(edit["changes"]) == {uri}
        return edit["changes"][uri]
    (change,) = edit["documentChanges"]
    assert change["textDocument"]["uri"] == uri
    return change["edits"]


def project(tmp_path: Path, entry: str = BAD_ENTRY, config: str = CONFIG) -> Path:
    (tmp_path / ".git").mkdir(parents=True)  # bound the repository (other Workers are looked for in it)
    return write_project(tmp_path, {"wrangler.toml": config, "src/entry.py": entry})


def start(root: Path, options: dict | None = None) -> LspClient:
    client = LspClient(root)
    result = client.request(
        "initialize",
        {
            "processId": os.getpid(),
            "rootUri": root.as_uri(),
            "capabilities": {"workspace": {"workspaceEdit": {"documentChanges": True}}},
            "initializationOptions": {"debounceMs": 20, **(options or {})},
        },
    )
    caps = result["capabilities"]
    assert result["serverInfo"]["name"] == "cfw-lint"
    assert FIX_ALL in caps["codeActionProvider"]["codeActionKinds"]
    assert caps["hoverProvider"]
    client.notify("initialized", {})
    return client


FIX_ALL = "source.fixAll.cfw-lint"


def open_doc(client: LspClient, path: Path, text: str | None = None, version: int = 1) -> str:
    uri = path.as_uri()
    language = "python" if path.suffix == ".py" else "toml"
    client.notify(
        "textDocument/didOpen",
        {
            "textDocument": {
                "uri": uri,
                "languageId": language,
                "version": version,
                "text": path.read_text() if text is None else text,
            }
        },
    )
    return uri


def change(client: LspClient, uri: str, text: str, version: int) -> None:
    client.notify(
        "textDocument/didChange",
        {
            "textDocument": {"uri": uri, "version": version},
            "contentChanges": [{"text": text}],
        },
    )


def actions(
    client: LspClient, uri: str, rng: dict, diagnostics: list[dict], only: list[str] | None = None
) -> list[dict]:
    context: dict = {"diagnostics": diagnostics}
    if only is not None:
        context["only"] = only
    result = client.request("textDocument/codeAction", {"textDocument": {"uri": uri}, "range": rng, "context": context})
    assert isinstance(result, list)
    return result


def cli_fix(root: Path, path: Path, text: str) -> str:
    """What `cfw-lint --fix --stdin-filename PATH -` prints for `text`."""
    done = subprocess.run(
        [sys.executable, "-m", "cfw_lint", "--fix", "--no-cache", "-q", "--stdin-filename", str(path), "-"],
        input=text.encode(),
        capture_output=True,
        cwd=root,
        env=server_env(),
        timeout=TIMEOUT,
    )
    return done.stdout.decode()


def test_diagnostics_quick_fix_and_cleared_after_change(tmp_path):
    root = project(tmp_path / "my worker+1")  # the URIs have %-escapes: answers must keep them
    client = start(root)
    try:
        entry = root / "src/entry.py"
        uri = open_doc(client, entry)
        (diag,) = client.diagnostics(uri, version=1)
        assert diag["code"] == "CFW101"
        assert diag["source"] == "cfw-lint"
        assert diag["severity"] == 1
        assert diag["range"] == {"start": {"line": 3, "character": 10}, "end": {"line": 3, "character": 18}}
        href = diag["codeDescription"]["href"]
        from cfw_lint.registry import rule_url

        assert href == rule_url("CFW101")  # the same page the JSON output links
        assert "%20" in uri and "%2B" in uri

        found = actions(client, uri, diag["range"], [diag], only=["quickfix"])
        titles = [a["title"] for a in found]
        assert titles[0].startswith("Fix CFW101") and "(unsafe)" not in titles[0]
        assert "Disable CFW101 for this line" in titles
        assert all(a["kind"] == "quickfix" for a in found)
        fix = found[0]
        assert fix["isPreferred"] is True and fix["diagnostics"][0]["code"] == "CFW101"
        fixed = apply_text_edits(BAD_ENTRY, edits_for(fix, uri))
        assert "class Default(WorkerEntrypoint):" in fixed
        assert "from workers import Response, WorkerEntrypoint" in fixed
        compile(fixed, "entry.py", "exec")

        change(client, uri, fixed, 2)
        assert client.diagnostics(uri, version=2) == []
        # the buffer is what was linted: the file on disk still has the legacy handler
        assert "on_fetch" in entry.read_text()
        assert client.close() == 0
    finally:
        if client.proc.poll() is None:
            client.proc.kill()


def test_noqa_action_adds_and_extends_comments(tmp_path):
    entry_text = BAD_ENTRY.replace(
        "async def on_fetch(request, env):", "async def on_fetch(request, env):  # noqa: E501"
    )
    root = project(tmp_path, entry=entry_text)
    client = start(root)
    try:
        uri = open_doc(client, root / "src/entry.py")
        (diag,) = client.diagnostics(uri, version=1)
        (noqa,) = [a for a in actions(client, uri, diag["range"], [diag]) if a["title"].startswith("Disable")]
        text = apply_text_edits(entry_text, edits_for(noqa, uri))
        assert "async def on_fetch(request, env):  # noqa: E501, CFW101\n" in text
        change(client, uri, text, 2)
        assert client.diagnostics(uri, version=2) == []

        # no comment on the line yet: one is added
        change(client, uri, BAD_ENTRY, 3)
        (diag,) = client.diagnostics(uri, version=3)
        (noqa,) = [a for a in actions(client, uri, diag["range"], [diag]) if a["title"].startswith("Disable")]
        text = apply_text_edits(BAD_ENTRY, edits_for(noqa, uri))
        assert text.splitlines()[3] == "async def on_fetch(request, env):  # noqa: CFW101"
        change(client, uri, text, 4)
        assert client.diagnostics(uri, version=4) == []
        assert client.close() == 0
    finally:
        if client.proc.poll() is None:
            client.proc.kill()


def test_fix_all_matches_the_command_line(tmp_path):
    entry_text = textwrap.dedent("""\
        import time

        from workers import Response


        async def on_fetch(request, env):
            time.sleep(1)
            return Response("hello")
        """)
    root = project(tmp_path, entry=entry_text)
    client = start(root)
    try:
        entry = root / "src/entry.py"
        uri = open_doc(client, entry)
        diagnostics = client.diagnostics(uri, version=1)
        assert {d["code"] for d in diagnostics} >= {"CFW101", "CFW303"}
        whole = {"start": {"line": 0, "character": 0}, "end": {"line": 8, "character": 0}}
        (fix_all,) = actions(client, uri, whole, [], only=[FIX_ALL])
        assert fix_all["kind"] == FIX_ALL
        fixed = apply_text_edits(entry_text, edits_for(fix_all, uri))
        assert fixed == cli_fix(root, entry, entry_text)
        assert fixed != entry_text
        # "source" asks for every source action; quick fixes are not among them
        assert [a["kind"] for a in actions(client, uri, whole, [], only=["source"])] == [FIX_ALL]
        change(client, uri, fixed, 2)
        remaining = client.diagnostics(uri, version=2)
        assert all(d["code"] not in ("CFW101",) for d in remaining)
        # nothing left that fix-all would change: no action offered
        assert actions(client, uri, whole, [], only=[FIX_ALL]) == []
        assert client.close() == 0
    finally:
        if client.proc.poll() is None:
            client.proc.kill()


def test_config_buffer_and_client_settings_refresh_open_files(tmp_path):
    root = project(tmp_path)
    client = start(root)
    try:
        entry_uri = open_doc(client, root / "src/entry.py")
        (diag,) = client.diagnostics(entry_uri, version=1)
        assert (diag["code"], diag["severity"]) == ("CFW101", 1)
        config_uri = open_doc(client, root / "wrangler.toml")
        assert client.diagnostics(config_uri, version=1) == []

        # an unsaved edit of the Worker config: a legacy date, where module-level handlers still
        # run, makes CFW101 a warning in the (unchanged) Python buffer
        change(client, config_uri, CONFIG.replace("2025-11-01", "2025-07-01"), 2)
        (diag,) = client.diagnostics(entry_uri)
        assert (diag["code"], diag["severity"]) == ("CFW101", 2)
        # ...and under that date the fix is unsafe: offered, labelled, not preferred
        (fix,) = [a for a in actions(client, entry_uri, diag["range"], [diag]) if a["title"].startswith("Fix")]
        assert fix["title"].endswith("(unsafe)") and fix["isPreferred"] is False
        # fix-all applies safe fixes only unless the client enables unsafe fixes
        whole = {"start": {"line": 0, "character": 0}, "end": {"line": 5, "character": 0}}
        assert actions(client, entry_uri, whole, [], only=[FIX_ALL]) == []

        client.notify("workspace/didChangeConfiguration", {"settings": {"cfw-lint": {"unsafeFixes": True}}})
        client.diagnostics(entry_uri)
        (fix_all,) = actions(client, entry_uri, whole, [], only=[FIX_ALL])
        assert "class Default(WorkerEntrypoint)" in apply_text_edits(BAD_ENTRY, edits_for(fix_all, entry_uri))

        client.notify("workspace/didChangeConfiguration", {"settings": {"cfw-lint": {"ignore": ["CFW1"]}}})
        assert client.diagnostics(entry_uri) == []
        client.notify("workspace/didChangeConfiguration", {"settings": {"cfw-lint": {"select": ["CFW101"]}}})
        assert [d["code"] for d in client.diagnostics(entry_uri)] == ["CFW101"]

        # a bad setting is reported to the user, not fatal
        client.notify("workspace/didChangeConfiguration", {"settings": {"cfw-lint": {"ignore": ["NOPE1"]}}})
        shown = client.wait("window/showMessage")
        assert "NOPE1" in shown["message"]
        assert [d["code"] for d in client.diagnostics(entry_uri)] == ["CFW101"]
        assert client.close() == 0
    finally:
        if client.proc.poll() is None:
            client.proc.kill()


def test_tool_settings_from_pyproject_and_watched_files(tmp_path):
    root = project(tmp_path, config=CONFIG.replace("2025-11-01", "2025-07-01"))
    pyproject = root / "pyproject.toml"
    pyproject.write_text('[project]\nname = "demo"\nversion = "0"\n\n[tool.cfw-lint]\nignore = ["CFW101"]\n')
    client = LspClient(root)
    client.request(
        "initialize",
        {
            "processId": None,
            "rootUri": root.as_uri(),
            "initializationOptions": {"debounceMs": 20},
            "capabilities": {"workspace": {"didChangeWatchedFiles": {"dynamicRegistration": True}}},
        },
    )
    client.notify("initialized", {})
    try:
        uri = open_doc(client, root / "src/entry.py")
        assert [d["code"] for d in client.diagnostics(uri, version=1)] == []
        (registration,) = [r for r in client.server_requests if r["method"] == "client/registerCapability"]
        (watch,) = registration["params"]["registrations"]
        assert watch["method"] == "workspace/didChangeWatchedFiles"
        assert {"**/pyproject.toml", "**/wrangler.toml"} <= {
            w["globPattern"] for w in watch["registerOptions"]["watchers"]
        }
        # [tool.cfw-lint] changed outside the editor: the open file is re-linted with the new settings
        pyproject.write_text('[project]\nname = "demo"\nversion = "0"\n')
        client.notify("workspace/didChangeWatchedFiles", {"changes": [{"uri": pyproject.as_uri(), "type": 2}]})
        assert [(d["code"], d["severity"]) for d in client.diagnostics(uri)] == [("CFW101", 2)]
        # the Worker config (a legacy date: a warning) is deleted: the file is linted against the
        # newest runtime, where the module-level handler is never called (an error)
        (root / "wrangler.toml").unlink()
        client.notify(
            "workspace/didChangeWatchedFiles", {"changes": [{"uri": (root / "wrangler.toml").as_uri(), "type": 3}]}
        )
        assert [(d["code"], d["severity"]) for d in client.diagnostics(uri)] == [("CFW101", 1)]
        assert client.close() == 0
    finally:
        if client.proc.poll() is None:
            client.proc.kill()


def test_broken_input_hover_errors_and_shutdown(tmp_path):
    root = project(tmp_path)
    client = start(root)
    try:
        uri = open_doc(client, root / "src/entry.py", text="def broken(:\n    pass\n")
        (diag,) = client.diagnostics(uri, version=1)
        assert diag["code"] == "CFW001" and diag["severity"] == 1
        # a file that does not parse cannot be silenced with noqa: no action pretends otherwise
        assert actions(client, uri, diag["range"], [diag]) == []

        change(client, uri, BAD_ENTRY, 2)
        (diag,) = client.diagnostics(uri, version=2)
        hover = client.request(
            "textDocument/hover", {"textDocument": {"uri": uri}, "position": {"line": 3, "character": 12}}
        )
        assert hover["contents"]["kind"] == "markdown"
        assert "**CFW101** `legacy-global-handler`" in hover["contents"]["value"]
        assert "What it catches" not in hover["contents"]["value"]  # the section's text, not its heading
        assert "module-level binding of a legacy handler name" in hover["contents"]["value"]
        assert (
            client.request(
                "textDocument/hover", {"textDocument": {"uri": uri}, "position": {"line": 0, "character": 0}}
            )
            is None
        )

        # a malformed request gets an error answer; the server carries on
        answer = client.request("textDocument/codeAction", {"textDocument": {"uri": uri}}, error_ok=True)
        assert "error" in answer
        # a document cfw-lint does not check, and one that does not exist
        assert actions(client, (root / "notes.txt").as_uri(), diag["range"], []) == []
        missing = (root / "src/missing.py").as_uri()
        assert actions(client, missing, diag["range"], []) == []
        assert client.request(
            "textDocument/hover", {"textDocument": {"uri": uri}, "position": {"line": 3, "character": 12}}
        )
        assert client.close() == 0
    finally:
        if client.proc.poll() is None:
            client.proc.kill()


NVIM_SCRIPT = r"""
local out = io.open(os.getenv("CFW_OUT"), "w")
local function finish(data)
  out:write(vim.fn.json_encode(data))
  out:close()
  vim.cmd("qall!")
end
local ok, err = pcall(function()
  vim.cmd("edit " .. vim.fn.fnameescape(os.getenv("CFW_FILE")))
  local bufnr = vim.api.nvim_get_current_buf()
  -- Neovim 0.7 (Debian bookworm) has no vim.lsp.start: start_client + buf_attach_client
  local client_id = vim.lsp.start_client({
    name = "cfw-lint",
    cmd = { os.getenv("CFW_PYTHON"), "-m", "cfw_lint", "server" },
    root_dir = os.getenv("CFW_ROOT"),
    init_options = { debounceMs = 20 },
  })
  vim.lsp.buf_attach_client(bufnr, client_id)
  local function codes()
    local found = {}
    for _, d in ipairs(vim.diagnostic.get(bufnr)) do table.insert(found, d.code) end
    return found
  end
  if not vim.wait(20000, function() return #vim.diagnostic.get(bufnr) > 0 end, 20) then
    error("no diagnostics arrived")
  end
  local received = {}
  for _, d in ipairs(vim.diagnostic.get(bufnr)) do
    table.insert(received, { code = d.code, lnum = d.lnum, col = d.col, severity = d.severity, source = d.source })
  end
  local params = vim.lsp.util.make_range_params()
  params.context = { only = { "source.fixAll.cfw-lint" }, diagnostics = {} }
  local responses = vim.lsp.buf_request_sync(bufnr, "textDocument/codeAction", params, 20000)
  local kinds = {}
  for _, response in pairs(responses or {}) do
    for _, action in ipairs(response.result or {}) do
      table.insert(kinds, action.kind)
      vim.lsp.util.apply_workspace_edit(action.edit, "utf-16")
    end
  end
  -- the edit changed the buffer; Neovim sends didChange and the diagnostics are refreshed
  local cleared = vim.wait(20000, function()
    for _, code in ipairs(codes()) do if code == "CFW101" then return false end end
    return true
  end, 20)
  local lines = vim.api.nvim_buf_get_lines(bufnr, 0, -1, false)
  vim.lsp.stop_client(client_id)
  vim.wait(5000, function() return vim.lsp.get_client_by_id(client_id) == nil end, 20)
  finish({ received = received, kinds = kinds, buffer = table.concat(lines, "\n") .. "\n",
           cleared = cleared, after = codes() })
end)
if not ok then finish({ error = tostring(err) }) end
"""


def test_neovim_attaches_receives_diagnostics_and_applies_fix_all(tmp_path):
    nvim = shutil.which("nvim")
    if nvim is None:
        pytest.skip("Neovim is not installed (Debian package `neovim`; .ci/run installs it)")
    entry_text = "import time\n\nfrom workers import Response\n\n\nasync def on_fetch(request, env):\n    time.sleep(1)\n    return Response('hi')\n"
    root = project(tmp_path / "worker", entry=entry_text)
    script = tmp_path / "attach.lua"
    script.write_text(NVIM_SCRIPT)
    out = tmp_path / "out.json"
    env = {
        **server_env(),
        "CFW_OUT": str(out),
        "CFW_FILE": str(root / "src/entry.py"),
        "CFW_ROOT": str(root),
        "CFW_PYTHON": sys.executable,
        "XDG_CONFIG_HOME": str(tmp_path),
        "XDG_DATA_HOME": str(tmp_path),
        "XDG_STATE_HOME": str(tmp_path),
        "XDG_CACHE_HOME": str(tmp_path),
    }
    subprocess.run(
        [nvim, "--headless", "-u", "NONE", "-i", "NONE", "-n", "-c", f"luafile {script}"],
        env=env,
        cwd=root,
        timeout=90,
        stdin=subprocess.DEVNULL,
        capture_output=True,
    )
    data = json.loads(out.read_text())
    assert "error" not in data, data
    received = {d["code"]: d for d in data["received"]}
    assert received["CFW101"] == {"code": "CFW101", "lnum": 5, "col": 10, "severity": 1, "source": "cfw-lint"}
    assert received["CFW303"]["lnum"] == 6
    assert data["kinds"] == [FIX_ALL]
    assert data["buffer"] == cli_fix(root, root / "src/entry.py", entry_text)
    assert "class Default(WorkerEntrypoint):" in data["buffer"]
    assert data["cleared"] is True and "CFW101" not in data["after"]
    # the buffer was changed, not the file
    assert (root / "src/entry.py").read_text() == entry_text


def test_quick_fix_across_files_edits_pyproject_and_deletes_requirements(tmp_path):
    root = project(
        tmp_path,
        entry="from workers import Response, WorkerEntrypoint\n\n\nclass Default(WorkerEntrypoint):\n    async def fetch(self, request):\n        return Response('x')\n",
    )
    pyproject = '[project]\nname = "scraper"\nversion = "0.1.0"\ndependencies = [\n    "beautifulsoup4",\n]\n'
    write_project(root, {"requirements.txt": "beautifulsoup4>=4.12\nhttpx==0.28.1\n", "pyproject.toml": pyproject})
    client = LspClient(root)
    client.request(
        "initialize",
        {
            "processId": None,
            "rootUri": root.as_uri(),
            "initializationOptions": {"debounceMs": 20},
            "capabilities": {
                "workspace": {
                    "workspaceEdit": {"documentChanges": True, "resourceOperations": ["create", "rename", "delete"]}
                }
            },
        },
    )
    client.notify("initialized", {})
    try:
        requirements = root / "requirements.txt"
        uri = open_doc(client, requirements)
        (diag,) = [d for d in client.diagnostics(uri, version=1) if d["code"] == "CFW803"]
        (fix,) = [a for a in actions(client, uri, diag["range"], [diag]) if a["title"].startswith("Fix CFW803")]
        changes = fix["edit"]["documentChanges"]
        (edit,) = [c for c in changes if "textDocument" in c]
        assert edit["textDocument"]["uri"] == (root / "pyproject.toml").as_uri()
        assert [c for c in changes if c.get("kind") == "delete"] == [
            {"kind": "delete", "uri": uri, "options": {"ignoreIfNotExists": True}}
        ]
        from cfw_lint.tomlcompat import tomllib

        fixed = tomllib.loads(apply_text_edits(pyproject, edit["edits"]))
        assert fixed["project"]["dependencies"] == ["beautifulsoup4", "httpx==0.28.1"]
        # the deletion comes last, after the edits that read the file's requirements
        assert changes[-1]["kind"] == "delete"
        assert client.close() == 0
    finally:
        if client.proc.poll() is None:
            client.proc.kill()
