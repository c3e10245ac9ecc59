from cfw7_helpers import found, fixed, messages, project


def test_missing_flag_toml_fires_at_the_flags_key_and_fix_appends(tmp_path):
    project(
        tmp_path,
        {
            "wrangler.toml": """\
        name = "py"
        main = "src/entry.py"
        compatibility_date = "2025-11-01"
        compatibility_flags = ["nodejs_compat"]  # keep
        """
        },
    )
    assert found(tmp_path, "CFW701") == [("CFW701", "wrangler.toml", 4, 1)]
    assert "The `python_workers` compatibility flag is required to use Python." in messages(tmp_path, "CFW701")[0]
    assert fixed(tmp_path, "CFW701", "wrangler.toml") == (
        'name = "py"\nmain = "src/entry.py"\ncompatibility_date = "2025-11-01"\n'
        'compatibility_flags = ["nodejs_compat", "python_workers"]  # keep\n'
    )
    assert found(tmp_path, "CFW701") == []


def test_no_flags_key_fires_at_main_and_fix_adds_the_key_after_the_date(tmp_path):
    project(
        tmp_path,
        {
            "wrangler.jsonc": """\
        {
          // the Python Worker
          "name": "py",
          "main": "src/entry.py",
          "compatibility_date": "2025-11-01",
          "observability": {"enabled": true},
        }
        """
        },
    )
    assert found(tmp_path, "CFW701") == [("CFW701", "wrangler.jsonc", 4, 3)]
    assert fixed(tmp_path, "CFW701", "wrangler.jsonc") == (
        '{\n  // the Python Worker\n  "name": "py",\n  "main": "src/entry.py",\n'
        '  "compatibility_date": "2025-11-01",\n  "compatibility_flags": ["python_workers"],\n'
        '  "observability": {"enabled": true},\n}\n'
    )


def test_environment_override_is_reported_in_the_env_and_fixed_there(tmp_path):
    project(
        tmp_path,
        {
            "wrangler.toml": """\
        main = "src/entry.py"
        compatibility_date = "2025-11-01"
        compatibility_flags = ["python_workers"]

        [env.staging]
        compatibility_flags = [
          "nodejs_compat",
        ]
        """
        },
    )
    assert found(tmp_path, "CFW701") == [("CFW701", "wrangler.toml", 6, 1)]
    assert 'env "staging"' in messages(tmp_path, "CFW701")[0]
    assert fixed(tmp_path, "CFW701", "wrangler.toml").endswith(
        '[env.staging]\ncompatibility_flags = [\n  "nodejs_compat",\n  "python_workers",\n]\n'
    )


def test_inherited_list_is_reported_once(tmp_path):
    project(
        tmp_path,
        {
            "wrangler.json": """\
        {
          "main": "src/entry.py",
          "compatibility_date": "2025-11-01",
          "compatibility_flags": ["nodejs_compat"],
          "env": {"staging": {"vars": {"A": "1"}}, "production": {}}
        }
        """
        },
    )
    assert found(tmp_path, "CFW701") == [("CFW701", "wrangler.json", 4, 3)]
    assert fixed(tmp_path, "CFW701", "wrangler.json").splitlines()[3] == (
        '  "compatibility_flags": ["python_workers", "nodejs_compat"],'
    )


def test_javascript_worker_and_flagged_python_worker_stay_silent(tmp_path):
    project(
        tmp_path / "js",
        {
            "wrangler.toml": """\
        main = "src/index.ts"
        compatibility_date = "2025-11-01"
        compatibility_flags = ["nodejs_compat"]
        """
        },
        entry=None,
    )
    project(
        tmp_path / "py",
        {
            "wrangler.toml": """\
        main = "src/entry.py"
        compatibility_date = "2025-11-01"
        compatibility_flags = [ "python_workers" ]
        """
        },
    )
    assert found(tmp_path, "CFW701") == []


def test_each_worker_in_a_repository_against_its_own_config(tmp_path):
    ok = 'main = "src/entry.py"\ncompatibility_date = "2025-11-01"\ncompatibility_flags = ["python_workers"]\n'
    project(tmp_path / "a", {"wrangler.toml": ok})
    project(tmp_path / "b", {"wrangler.toml": 'main = "src/entry.py"\ncompatibility_date = "2025-11-01"\n'})
    assert found(tmp_path, "CFW701") == [("CFW701", "b/wrangler.toml", 1, 1)]


def test_flags_that_are_not_a_list_get_no_fix(tmp_path):
    project(tmp_path, {"wrangler.toml": 'main = "src/entry.py"\ncompatibility_flags = "python_workers"\n'})
    assert found(tmp_path, "CFW701") == [("CFW701", "wrangler.toml", 2, 1)]
    before = (tmp_path / "wrangler.toml").read_text()
    assert fixed(tmp_path, "CFW701", "wrangler.toml") == before


def test_flags_that_imply_python_workers_in_workerd_do_not_satisfy_wrangler(tmp_path):
    # runtime facts 3.2: wrangler's applyPythonConfig checks includes("python_workers") literally
    for name, flag in (("dev", "python_workers_development"), ("auto", "auto_inject_python_workers")):
        project(
            tmp_path / name,
            {
                "wrangler.toml": f'main = "src/entry.py"\ncompatibility_date = "2026-11-01"\ncompatibility_flags = ["{flag}"]\n'
            },
        )
    assert found(tmp_path, "CFW701") == [("CFW701", "auto/wrangler.toml", 3, 1), ("CFW701", "dev/wrangler.toml", 3, 1)]
    assert "python_workers_development does not count" in messages(tmp_path / "dev", "CFW701")[0]
    assert fixed(tmp_path / "dev", "CFW701", "wrangler.toml").endswith(
        '["python_workers_development", "python_workers"]\n'
    )
