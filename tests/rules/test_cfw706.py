from cfw7_helpers import found, fixed, messages, project


def test_python_workflows_on_and_after_the_implied_date(tmp_path):
    text = (
        'main = "src/entry.py"\ncompatibility_date = "2025-09-20"\n'
        'compatibility_flags = [\n  "python_workers",\n  "python_workflows",  # for Workflows\n]\n'
    )
    project(tmp_path, {"wrangler.toml": text})
    assert found(tmp_path, "CFW706") == [("CFW706", "wrangler.toml", 5, 3)]
    assert fixed(tmp_path, "CFW706", "wrangler.toml") == text.replace('  "python_workflows",  # for Workflows\n', "")


def test_needed_before_the_date_is_silent(tmp_path):
    project(
        tmp_path,
        {
            "wrangler.toml": 'main = "src/entry.py"\ncompatibility_date = "2025-09-19"\ncompatibility_flags = ["python_workers", "python_workflows"]\n'
        },
    )
    assert found(tmp_path, "CFW706") == []


def test_dedicated_snapshot_needs_the_313_runtime(tmp_path):
    flags = '["python_workers", "python_dedicated_snapshot"]'
    project(
        tmp_path / "a",
        {"wrangler.toml": f'main = "src/entry.py"\ncompatibility_date = "2025-10-16"\ncompatibility_flags = {flags}\n'},
    )
    # the 3.12 runtime kept: the snapshot flag is not implied
    no313 = '["python_workers", "no_python_workers_20250116", "python_dedicated_snapshot"]'
    project(
        tmp_path / "b",
        {"wrangler.toml": f'main = "src/entry.py"\ncompatibility_date = "2025-11-01"\ncompatibility_flags = {no313}\n'},
    )
    project(
        tmp_path / "c",
        {"wrangler.toml": f'main = "src/entry.py"\ncompatibility_date = "2025-10-15"\ncompatibility_flags = {flags}\n'},
    )
    assert found(tmp_path, "CFW706") == [("CFW706", "a/wrangler.toml", 3, 42)]


def test_jsonc_removal_keeps_json_valid_and_comments(tmp_path):
    project(
        tmp_path,
        {
            "wrangler.jsonc": """\
        {
          "main": "src/entry.py",
          "compatibility_date": "2026-01-10",
          "compatibility_flags": [
            "python_workers", // required
            "python_dedicated_snapshot"
          ]
        }
        """
        },
    )
    assert found(tmp_path, "CFW706") == [("CFW706", "wrangler.jsonc", 6, 5)]
    assert fixed(tmp_path, "CFW706", "wrangler.jsonc") == (
        '{\n  "main": "src/entry.py",\n  "compatibility_date": "2026-01-10",\n  "compatibility_flags": [\n'
        '    "python_workers" // required\n  ]\n}\n'
    )


def test_experimental_kept_only_for_workflows(tmp_path):
    text = 'main = "src/entry.py"\ncompatibility_date = "2025-07-01"\ncompatibility_flags = ["python_workers", "experimental", "python_workflows"]\n'
    project(tmp_path, {"wrangler.toml": text})
    assert found(tmp_path, "CFW706") == [("CFW706", "wrangler.toml", 3, 42)]
    assert "experimental" in messages(tmp_path, "CFW706")[0]
    assert fixed(tmp_path, "CFW706", "wrangler.toml") == text.replace('"experimental", ', "")


def test_experimental_with_an_unknown_or_experimental_flag_is_silent(tmp_path):
    head = 'main = "src/entry.py"\ncompatibility_date = "2025-07-01"\n'
    project(
        tmp_path / "a",
        {
            "wrangler.toml": head
            + 'compatibility_flags = ["python_workers", "experimental", "python_workflows", "some_new_flag"]\n'
        },
    )
    project(
        tmp_path / "b",
        {
            "wrangler.toml": head
            + 'compatibility_flags = ["python_workers", "experimental", "python_workflows", "python_workers_20260817"]\n'
        },
    )
    assert found(tmp_path, "CFW706") == []


def test_a_list_inherited_by_an_environment_that_needs_it_is_kept(tmp_path):
    text = (
        'main = "src/entry.py"\ncompatibility_date = "2025-11-01"\n'
        'compatibility_flags = ["python_workers", "python_workflows"]\n\n'
        '[env.old]\ncompatibility_date = "2025-08-01"\n'
    )
    project(tmp_path, {"wrangler.toml": text})
    assert found(tmp_path, "CFW706") == []
    project(tmp_path, {"wrangler.toml": text.replace("2025-08-01", "2025-10-01")})
    assert found(tmp_path, "CFW706") == [("CFW706", "wrangler.toml", 3, 42)]


def test_several_redundant_flags_are_all_removed(tmp_path):
    text = (
        'main = "src/entry.py"\ncompatibility_date = "2026-01-10"\n'
        'compatibility_flags = ["python_workers", "python_workflows", "python_dedicated_snapshot", "python_workers_20250116"]\n'
    )
    project(tmp_path, {"wrangler.toml": text})
    assert len(found(tmp_path, "CFW706")) == 3
    assert fixed(tmp_path, "CFW706", "wrangler.toml").endswith('compatibility_flags = ["python_workers"]\n')


def test_python_workers_314_is_redundant_from_2026_09_08(tmp_path):
    # runtime facts 0/3.5: @187 implied from 2026-09-08, confirmed in workerd 1.20261123.1
    head = 'main = "src/entry.py"\ncompatibility_flags = ["python_workers", "python_workers_314"]\n'
    project(tmp_path / "a", {"wrangler.toml": head + 'compatibility_date = "2026-09-08"\n'})
    project(tmp_path / "b", {"wrangler.toml": head + 'compatibility_date = "2026-09-07"\n'})
    assert found(tmp_path, "CFW706") == [("CFW706", "a/wrangler.toml", 2, 42)]
    assert "from 2026-09-08" in messages(tmp_path / "a", "CFW706")[0]
    assert fixed(tmp_path / "a", "CFW706", "wrangler.toml").startswith(
        'main = "src/entry.py"\ncompatibility_flags = ["python_workers"]\n'
    )


def test_shared_standard_library_is_redundant_from_2026_11_19(tmp_path):
    head = 'main = "src/entry.py"\ncompatibility_flags = ["python_workers", "python_shared_standard_library"]\n'
    project(tmp_path / "a", {"wrangler.toml": head + 'compatibility_date = "2026-11-19"\n'})
    project(tmp_path / "b", {"wrangler.toml": head + 'compatibility_date = "2026-11-18"\n'})
    assert found(tmp_path, "CFW706") == [("CFW706", "a/wrangler.toml", 2, 42)]


def test_opt_in_flags_are_never_redundant(tmp_path):
    flags = '["python_workers", "python_workers_20260610", "python_dedicated_snapshot_keep_import_caches"]'
    project(
        tmp_path,
        {"wrangler.toml": f'main = "src/entry.py"\ncompatibility_date = "2026-12-01"\ncompatibility_flags = {flags}\n'},
    )
    assert found(tmp_path, "CFW706") == []


def test_experimental_with_a_new_experimental_flag_is_kept(tmp_path):
    head = 'main = "src/entry.py"\ncompatibility_date = "2025-07-01"\n'
    project(
        tmp_path / "a",
        {
            "wrangler.toml": head
            + 'compatibility_flags = ["python_workers", "experimental", "python_workflows", "auto_inject_python_workers"]\n'
        },
    )
    project(
        tmp_path / "b",
        {
            "wrangler.toml": head
            + 'compatibility_flags = ["python_workers", "experimental", "python_workflows", "python_zstd_snapshot"]\n'
        },
    )
    assert found(tmp_path, "CFW706") == []
