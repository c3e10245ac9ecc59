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


def test_sibling_javascript_worker_binding_to_the_python_worker(tmp_path):
    (tmp_path / ".git").mkdir()
    project(tmp_path / "py", {"wrangler.toml": PY})
    project(tmp_path / "ts", {"wrangler.jsonc": TS}, entry=None)
    assert found(tmp_path / "py", "CFW710") == [("CFW710", "wrangler.toml", 1, 1)]
    message = messages(tmp_path / "py", "CFW710")[0]
    assert "wrangler dev -c ts/wrangler.jsonc -c py/wrangler.toml" in message
    assert "Network connection lost." in message


def test_binding_to_an_environment_name(tmp_path):
    (tmp_path / ".git").mkdir()
    project(tmp_path / "workers" / "py", {"wrangler.toml": PY + '\n[env.staging]\nvars = { A = "1" }\n'})
    caller = 'name = "web"\nmain = "index.js"\n\n[env.staging]\nservices = [{ binding = "PY", service = "pygments-staging" }]\n'
    project(tmp_path / "apps" / "web", {"wrangler.toml": caller}, entry=None)
    assert found(tmp_path / "workers" / "py", "CFW710") == [("CFW710", "wrangler.toml", 1, 1)]
    assert '(env "staging")' in messages(tmp_path / "workers" / "py", "CFW710")[0]


def test_no_binding_other_service_or_skipped_directories_are_silent(tmp_path):
    (tmp_path / ".git").mkdir()
    project(tmp_path / "py", {"wrangler.toml": PY})
    project(tmp_path / "ts", {"wrangler.jsonc": TS.replace('"service": "pygments"', '"service": "other"')}, entry=None)
    project(tmp_path / "node_modules" / "pkg", {"wrangler.jsonc": TS}, entry=None)
    project(tmp_path / ".wrangler" / "tmp", {"wrangler.jsonc": TS}, entry=None)
    assert found(tmp_path / "py", "CFW710") == []


def test_a_javascript_callee_is_not_reported(tmp_path):
    (tmp_path / ".git").mkdir()
    project(tmp_path / "js", {"wrangler.toml": 'name = "pygments"\nmain = "src/index.js"\n'}, entry=None)
    project(tmp_path / "ts", {"wrangler.jsonc": TS}, entry=None)
    assert found(tmp_path, "CFW710") == []
