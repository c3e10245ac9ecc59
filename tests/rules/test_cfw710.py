import json

from cfw7_helpers import found, messages, project

PY = 'name = "pygments"\nmain = "src/entry.py"\ncompatibility_date = "2025-11-01"\ncompatibility_flags = ["python_workers"]\n'
TS = """\
{
  "name": "frontend",
  "main": "src/index.ts",
  "compatibility_date": "2025-11-01",
  // calls Default.highlight_code over RPC
  "services": [{"binding": "PY", "service": "pygments"}]
}
"""


OLD = '{"devDependencies": {"wrangler": "4.20.0"}}\n'


def lock(version):
    return json.dumps({"packages": {"": {}, "node_modules/wrangler": {"version": version}}})


def test_sibling_javascript_worker_binding_to_the_python_worker(tmp_path):
    (tmp_path / ".git").mkdir()
    project(tmp_path / "py", {"wrangler.toml": PY})
    project(tmp_path / "ts", {"wrangler.jsonc": TS, "package.json": OLD}, entry=None)
    assert found(tmp_path / "py", "CFW710") == [("CFW710", "wrangler.toml", 1, 1)]
    message = messages(tmp_path / "py", "CFW710")[0]
    assert "wrangler dev -c ts/wrangler.jsonc -c py/wrangler.toml" in message
    assert "Network connection lost." in message
    assert "ts/package.json has wrangler 4.20.0" in message


def test_wrangler_4_84_or_later_or_unknown_is_silent(tmp_path):
    # facts §10: #12600 shipped in wrangler 4.84.0; the revert PR #13563 was closed unmerged
    (tmp_path / ".git").mkdir()
    project(tmp_path / "py", {"wrangler.toml": PY})
    project(tmp_path / "ts", {"wrangler.jsonc": TS, "package-lock.json": lock("4.84.0")}, entry=None)
    assert found(tmp_path / "py", "CFW710") == []
    (tmp_path / "ts" / "package-lock.json").write_text(lock("4.83.1"))
    assert found(tmp_path / "py", "CFW710") == [("CFW710", "wrangler.toml", 1, 1)]
    # a caret range resolves to the newest 4.x: unknown, silent
    (tmp_path / "ts" / "package-lock.json").unlink()
    (tmp_path / "ts" / "package.json").write_text('{"devDependencies": {"wrangler": "^4.20.0"}}')
    assert found(tmp_path / "py", "CFW710") == []
    # ranges that cannot reach 4.84
    for spec in ("^3.90.0", "~4.50.0"):
        (tmp_path / "ts" / "package.json").write_text(json.dumps({"devDependencies": {"wrangler": spec}}))
        assert found(tmp_path / "py", "CFW710") == [("CFW710", "wrangler.toml", 1, 1)], spec


def test_lock_files_and_the_python_side(tmp_path):
    (tmp_path / ".git").mkdir()
    project(tmp_path / "py", {"wrangler.toml": PY})
    project(tmp_path / "ts", {"wrangler.jsonc": TS}, entry=None)
    # a root pnpm lock pins an old wrangler for every package below it
    (tmp_path / "pnpm-lock.yaml").write_text("packages:\n\n  wrangler@4.12.0:\n    resolution: {}\n")
    assert found(tmp_path / "py", "CFW710") == [("CFW710", "wrangler.toml", 1, 1)]
    (tmp_path / "pnpm-lock.yaml").write_text("packages:\n\n  wrangler@4.90.1:\n    resolution: {}\n")
    assert found(tmp_path / "py", "CFW710") == []
    # only the Python Worker's session is old: both need the native registry
    (tmp_path / "py" / "package.json").write_text(OLD)
    assert found(tmp_path / "py", "CFW710") == [("CFW710", "wrangler.toml", 1, 1)]
    assert "py/package.json has wrangler 4.20.0" in messages(tmp_path / "py", "CFW710")[0]


def test_binding_to_an_environment_name(tmp_path):
    (tmp_path / ".git").mkdir()
    project(tmp_path / "workers" / "py", {"wrangler.toml": PY + '\n[env.staging]\nvars = { A = "1" }\n'})
    caller = 'name = "web"\nmain = "index.js"\n\n[env.staging]\nservices = [{ binding = "PY", service = "pygments-staging" }]\n'
    project(tmp_path / "apps" / "web", {"wrangler.toml": caller, "package.json": OLD}, entry=None)
    assert found(tmp_path / "workers" / "py", "CFW710") == [("CFW710", "wrangler.toml", 1, 1)]
    assert '(env "staging")' in messages(tmp_path / "workers" / "py", "CFW710")[0]


def test_no_binding_other_service_or_skipped_directories_are_silent(tmp_path):
    (tmp_path / ".git").mkdir()
    project(tmp_path / "py", {"wrangler.toml": PY})
    project(
        tmp_path / "ts",
        {"wrangler.jsonc": TS.replace('"service": "pygments"', '"service": "other"'), "package.json": OLD},
        entry=None,
    )
    project(tmp_path / "node_modules" / "pkg", {"wrangler.jsonc": TS}, entry=None)
    project(tmp_path / ".wrangler" / "tmp", {"wrangler.jsonc": TS}, entry=None)
    assert found(tmp_path / "py", "CFW710") == []


def test_a_javascript_callee_is_not_reported(tmp_path):
    (tmp_path / ".git").mkdir()
    project(tmp_path / "js", {"wrangler.toml": 'name = "pygments"\nmain = "src/index.js"\n'}, entry=None)
    project(tmp_path / "ts", {"wrangler.jsonc": TS, "package.json": OLD}, entry=None)
    assert found(tmp_path, "CFW710") == []


def test_malformed_package_files_are_unknown(tmp_path):
    (tmp_path / ".git").mkdir()
    project(tmp_path / "py", {"wrangler.toml": PY})
    project(
        tmp_path / "ts",
        {"wrangler.jsonc": TS, "package.json": '{"devDependencies": ["wrangler"]}', "package-lock.json": "[1, 2"},
        entry=None,
    )
    (tmp_path / "yarn.lock").write_bytes(b"\xff\xfe not text")
    assert found(tmp_path / "py", "CFW710") == []
    (tmp_path / "ts" / "package.json").write_text('{"devDependencies": {"wrangler": "latest"}}')
    assert found(tmp_path / "py", "CFW710") == []
