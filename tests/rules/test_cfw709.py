from cfw7_helpers import found, lint, messages, project


def test_missing_date(tmp_path):
    project(
        tmp_path, {"wrangler.toml": 'name = "py"\nmain = "src/entry.py"\ncompatibility_flags = ["python_workers"]\n'}
    )
    assert found(tmp_path, "CFW709") == [("CFW709", "wrangler.toml", 1, 1)]
    assert "No compatibility_date specified in wrangler config" in messages(tmp_path, "CFW709")[0]


def test_unparseable_and_non_string_dates(tmp_path):
    project(
        tmp_path / "a", {"wrangler.jsonc": '{\n  "main": "src/entry.py",\n  "compatibility_date": "2025-13-01"\n}\n'}
    )
    project(tmp_path / "b", {"wrangler.toml": 'main = "src/entry.py"\ncompatibility_date = 2025-11-01\n'})
    project(tmp_path / "c", {"wrangler.json": '{"main": "src/entry.py", "compatibility_date": "20251101"}'})
    assert found(tmp_path, "CFW709") == [
        ("CFW709", "a/wrangler.jsonc", 3, 3),
        ("CFW709", "b/wrangler.toml", 2, 1),
        ("CFW709", "c/wrangler.json", 1, 26),
    ]


def test_environment_dates(tmp_path):
    text = 'main = "src/entry.py"\ncompatibility_date = "2025-11-01"\n\n[env.a]\ncompatibility_date = "soon"\n\n[env.b]\nvars = { A = "1" }\n'
    project(tmp_path, {"wrangler.toml": text})
    assert found(tmp_path, "CFW709") == [("CFW709", "wrangler.toml", 5, 1)]


def test_valid_date_and_javascript_worker_are_silent(tmp_path):
    project(tmp_path / "py", {"wrangler.toml": 'main = "src/entry.py"\ncompatibility_date = "2025-11-01"\n'})
    project(tmp_path / "js", {"wrangler.toml": 'main = "src/index.js"\n'}, entry=None)
    assert found(tmp_path, "CFW709") == []


def test_template_placeholder_is_a_warning(tmp_path):
    placeholders = ["<TBD>", "%COMPAT_DATE%", "${COMPAT_DATE}", "{{ compatibility_date }}", "YYYY-MM-DD"]
    for i, value in enumerate(placeholders):
        project(tmp_path / str(i), {"wrangler.toml": f'main = "src/entry.py"\ncompatibility_date = "{value}"\n'})
    diagnostics = lint(tmp_path, "CFW709")
    assert sorted((d["filename"], d["location"]["row"], d["severity"]) for d in diagnostics) == [
        (f"{i}/wrangler.toml", 2, "warning") for i in range(len(placeholders))
    ]
    assert all("template placeholder" in d["message"] for d in diagnostics)
    # a real mistake is still an error
    project(tmp_path / "typo", {"wrangler.toml": 'main = "src/entry.py"\ncompatibility_date = "2025-11-1"\n'})
    typo = [d for d in lint(tmp_path / "typo", "CFW709")]
    assert [(d["location"]["row"], d["severity"]) for d in typo] == [(2, "error")]
