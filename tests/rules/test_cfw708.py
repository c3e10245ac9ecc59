from cfw7_helpers import found, messages, project


def config(date: str, flags: str = '"python_workers"') -> str:
    return f'name = "py"\nmain = "src/entry.py"\ncompatibility_date = "{date}"\ncompatibility_flags = [{flags}]\n'


def pyproject(dev: str) -> str:
    return f'[project]\nname = "py"\nversion = "0.1.0"\ndependencies = []\n\n[dependency-groups]\ndev = [{dev}]\n'


def test_external_sdk_date_without_anything_vendoring_it(tmp_path):
    project(tmp_path, {"wrangler.toml": config("2026-04-21")})
    assert found(tmp_path, "CFW708") == [("CFW708", "wrangler.toml", 3, 1)]
    message = messages(tmp_path, "CFW708")[0]
    assert "No module named 'workers'" in message
    assert "You need to update to workers-py >= 1.9 or to pass disable_python_external_sdk" in message


def test_before_the_date_or_with_the_disable_flag_is_silent(tmp_path):
    project(tmp_path / "a", {"wrangler.toml": config("2026-04-20")})
    project(tmp_path / "b", {"wrangler.toml": config("2026-06-01", '"python_workers", "disable_python_external_sdk"')})
    assert found(tmp_path, "CFW708") == []


def test_workers_py_in_a_dev_group_provides_it(tmp_path):
    project(tmp_path / "a", {"wrangler.toml": config("2026-06-01"), "pyproject.toml": pyproject('"workers-py"')})
    project(tmp_path / "b", {"wrangler.toml": config("2026-06-01"), "pyproject.toml": pyproject('"workers_py>=1.5"')})
    assert found(tmp_path, "CFW708") == []


def test_workers_py_pinned_below_1_9_does_not(tmp_path):
    project(tmp_path / "a", {"wrangler.toml": config("2026-06-01"), "pyproject.toml": pyproject('"workers-py==1.8.2"')})
    project(tmp_path / "b", {"wrangler.toml": config("2026-06-01"), "pyproject.toml": pyproject('"workers-py~=1.8.0"')})
    # workers-py in the runtime dependencies is not a dev group (CFW805's business), and not the SDK
    runtime = '[project]\nname = "py"\nversion = "0"\ndependencies = ["workers-py"]\n'
    project(tmp_path / "c", {"wrangler.toml": config("2026-06-01"), "pyproject.toml": runtime})
    assert [f[1] for f in found(tmp_path, "CFW708")] == ["a/wrangler.toml", "b/wrangler.toml", "c/wrangler.toml"]


def test_lock_files_decide(tmp_path):
    old_lock = 'version = 1\n\n[[package]]\nname = "workers-py"\nversion = "1.8.2"\n'
    project(
        tmp_path / "a",
        {"wrangler.toml": config("2026-06-01"), "pyproject.toml": pyproject('"workers-py"'), "uv.lock": old_lock},
    )
    sdk_lock = (
        'lock-version = "1.0"\ncreated-by = "uv"\n\n[[packages]]\nname = "workers-runtime-sdk"\nversion = "1.6.15"\n'
    )
    project(tmp_path / "b", {"wrangler.toml": config("2026-06-01"), "pylock.toml": sdk_lock})
    assert found(tmp_path, "CFW708") == [("CFW708", "a/wrangler.toml", 3, 1)]


def test_sdk_as_a_runtime_dependency_is_vendored(tmp_path):
    deps = '[project]\nname = "py"\nversion = "0"\ndependencies = ["workers-runtime-sdk>=1.6"]\n'
    project(tmp_path, {"wrangler.toml": config("2026-06-01"), "pyproject.toml": deps})
    assert found(tmp_path, "CFW708") == []


def test_code_that_never_imports_the_sdk_is_silent(tmp_path):
    project(tmp_path, {"wrangler.toml": config("2026-06-01")}, entry="import json\n\nVALUE = json.dumps({})\n")
    assert found(tmp_path, "CFW708") == []


def test_environment_with_a_later_date(tmp_path):
    text = config("2026-01-10") + '\n[env.next]\ncompatibility_date = "2026-05-01"\n'
    project(tmp_path, {"wrangler.toml": text})
    assert found(tmp_path, "CFW708") == [("CFW708", "wrangler.toml", 7, 1)]
