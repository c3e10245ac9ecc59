from cfw7_helpers import found, messages, project

FLAGS = 'compatibility_date = "2025-11-01"\ncompatibility_flags = ["python_workers"]\n'


def test_main_not_found(tmp_path):
    project(tmp_path, {"wrangler.toml": 'name = "py"\nmain = "src/worker.py"\n' + FLAGS})
    assert found(tmp_path, "CFW704") == [("CFW704", "wrangler.toml", 2, 1)]
    assert "src/worker.py" in messages(tmp_path, "CFW704")[0]


def test_main_not_a_py_module(tmp_path):
    project(tmp_path, {"wrangler.jsonc": '{\n  "main": "src/entry",\n  "compatibility_flags": ["python_workers"]\n}\n'})
    assert found(tmp_path, "CFW704") == [("CFW704", "wrangler.jsonc", 2, 3)]
    assert "Main module needs to end with a .py file extension" in messages(tmp_path, "CFW704")[0]


def test_main_missing(tmp_path):
    project(tmp_path, {"wrangler.toml": 'name = "py"\n' + FLAGS})
    assert found(tmp_path, "CFW704") == [("CFW704", "wrangler.toml", 1, 1)]


def test_main_is_relative_to_the_config_not_the_working_directory(tmp_path):
    project(tmp_path / "workers" / "py", {"wrangler.toml": 'main = "src/entry.py"\n' + FLAGS})
    assert found(tmp_path, "CFW704") == []


def test_environment_main_is_checked(tmp_path):
    project(tmp_path, {"wrangler.toml": 'main = "src/entry.py"\n' + FLAGS + '\n[env.beta]\nmain = "src/beta.py"\n'})
    assert found(tmp_path, "CFW704") == [("CFW704", "wrangler.toml", 6, 1)]


def test_javascript_worker_is_not_judged(tmp_path):
    project(tmp_path, {"wrangler.toml": 'main = "src/index.ts"\ncompatibility_flags = ["nodejs_compat"]\n'}, entry=None)
    project(tmp_path / "nomain", {"wrangler.toml": 'name = "assets-only"\n'}, entry=None)
    assert found(tmp_path, "CFW704") == []
