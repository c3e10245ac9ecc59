from cfw7_helpers import found, messages, project

HEAD = 'main = "src/entry.py"\ncompatibility_date = "2025-11-01"\n'


def test_enable_and_disable_of_one_pair(tmp_path):
    project(
        tmp_path,
        {
            "wrangler.toml": HEAD
            + 'compatibility_flags = [\n  "python_workers",\n  "python_workflows",\n  "disable_python_workflows",\n]\n'
        },
    )
    assert found(tmp_path, "CFW707") == [("CFW707", "wrangler.toml", 6, 3)]
    assert messages(tmp_path, "CFW707")[0].startswith(
        "Compatibility flags are mutually contradictory: python_workflows vs disable_python_workflows"
    )


def test_release_flag_pair_in_an_environment_jsonc(tmp_path):
    project(
        tmp_path,
        {
            "wrangler.jsonc": """\
        {
          "main": "src/entry.py",
          "compatibility_date": "2025-11-01",
          "compatibility_flags": ["python_workers"],
          "env": {"py313": {"compatibility_flags": ["no_python_workers_20250116", "python_workers", "python_workers_20250116"]}}
        }
        """
        },
    )
    assert found(tmp_path, "CFW707") == [("CFW707", "wrangler.jsonc", 5, 93)]


def test_one_half_only_and_unrelated_pairs_are_silent(tmp_path):
    project(
        tmp_path,
        {
            "wrangler.toml": HEAD
            + 'compatibility_flags = ["python_workers", "disable_python_workflows", "nodejs_compat", "no_nodejs_compat_v2"]\n'
        },
    )
    assert found(tmp_path, "CFW707") == []


def test_pairs_of_flags_added_after_the_snapshot(tmp_path):
    # runtime facts 0: @187 python_workers_314, @189 auto_inject_python_workers, @206 keep_import_caches
    for name, pair in {
        "a": ("python_workers_314", "no_python_workers_314"),
        "b": ("no_auto_inject_python_workers", "auto_inject_python_workers"),
        "c": ("python_dedicated_snapshot_keep_import_caches", "no_python_dedicated_snapshot_keep_import_caches"),
    }.items():
        project(
            tmp_path / name,
            {"wrangler.toml": HEAD + f'compatibility_flags = ["python_workers", "{pair[0]}", "{pair[1]}"]\n'},
        )
    assert found(tmp_path, "CFW707") == [
        ("CFW707", "a/wrangler.toml", 3, 64),
        ("CFW707", "b/wrangler.toml", 3, 75),
        ("CFW707", "c/wrangler.toml", 3, 90),
    ]
    assert "python_workers_314 vs no_python_workers_314" in messages(tmp_path / "a", "CFW707")[0]
