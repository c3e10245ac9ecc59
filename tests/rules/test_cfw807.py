"""CFW807 requires-python-mismatch: requires-python excludes the runtime's Python (warning)."""

from cfw8_support import found, lint, messages, project, pyproject


def test_fires_on_the_313_runtime_only(tmp_path):
    files = {"pyproject.toml": pyproject([], requires_python=">=3.14")}
    root = project(tmp_path / "313", files)
    assert found(root, "CFW807") == [("CFW807", "pyproject.toml", 4, 1)]
    (diag,) = [d for d in lint(root, "CFW807") if d["code"] == "CFW807"]
    assert diag["severity"] == "warning" and "3.13.2" in diag["message"]
    assert found(project(tmp_path / "314", files, python="3.14"), "CFW807") == []


def test_upper_bounds_and_patch_levels(tmp_path):
    assert found(project(tmp_path / "a", {"pyproject.toml": pyproject([], requires_python="<3.13")}), "CFW807") == [
        ("CFW807", "pyproject.toml", 4, 1)
    ]
    # the 3.12 runtime is CPython 3.12.1 (Pyodide 0.26.0a2)
    low = {"pyproject.toml": pyproject([], requires_python=">=3.12.5")}
    assert found(project(tmp_path / "b", low, python="3.12"), "CFW807") == [("CFW807", "pyproject.toml", 4, 1)]
    assert "3.12.1" in messages(project(tmp_path / "c", low, python="3.12"), "CFW807")[0]


def test_compatible_or_missing_is_silent(tmp_path):
    for i, spec in enumerate([">=3.12", ">=3.10,<4", "~=3.13", "==3.13.*", None, "not a specifier"]):
        root = project(tmp_path / str(i), {"pyproject.toml": pyproject([], requires_python=spec)})
        assert found(root, "CFW807") == [], spec


def test_unknown_date_is_silent_unless_a_release_flag_picks_the_python(tmp_path):
    files = {"pyproject.toml": pyproject([], requires_python=">=3.14")}
    # a templated date: the runtime (so its Python) is unknown, CFW709 reports the date
    for name, date in (("templated", '"%COMPAT_DATE"'), ("missing", None)):
        config = 'name = "w"\nmain = "src/entry.py"\ncompatibility_flags = ["python_workers"]\n'
        if date:
            config += f"compatibility_date = {date}\n"
        root = project(tmp_path / name, {**files, "wrangler.toml": config})
        assert found(root, "CFW807") == [], name
    # python_workers_20250116 names the 3.13 runtime whatever the date
    config = 'name = "w"\nmain = "src/entry.py"\ncompatibility_flags = ["python_workers", "python_workers_20250116"]\n'
    root = project(tmp_path / "flagged", {**files, "wrangler.toml": config})
    assert found(root, "CFW807") == [("CFW807", "pyproject.toml", 4, 1)]
