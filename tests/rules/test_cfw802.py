"""CFW802 version-unavailable: a specifier excluding the only Pyodide build (facts §4.1)."""

from cfw8_support import found, messages, project, pylock, pyproject, uv_lock, uv_package


def test_numpy_23_on_the_313_runtime(tmp_path):
    # the 0.28.3 index has numpy 2.2.5 only
    root = project(tmp_path, {"pyproject.toml": pyproject(["fastapi>=0.100", "numpy>=2.3"])})
    assert found(root, "CFW802") == [("CFW802", "pyproject.toml", 6, 5)]
    (message,) = messages(root, "CFW802")
    assert "numpy 2.2.5" in message and ">=2.3" in message


def test_both_sides_of_the_runtime(tmp_path):
    files = {"pyproject.toml": pyproject(["numpy>=2.3"])}
    assert found(project(tmp_path / "314", files, python="3.14"), "CFW802") == []  # numpy 2.4.6
    assert found(project(tmp_path / "313", files, python="3.13"), "CFW802") == [("CFW802", "pyproject.toml", 5, 5)]
    old = {"pyproject.toml": pyproject(["numpy~=2.2"])}
    assert found(project(tmp_path / "312", old, python="3.12"), "CFW802") == [("CFW802", "pyproject.toml", 5, 5)]
    assert found(project(tmp_path / "312ok", old, python="3.13"), "CFW802") == []


def test_satisfiable_ranges_are_silent(tmp_path):
    deps = ["numpy==2.2.5", "numpy>=1.26,<3", "lxml", "cryptography>=40", "pydantic-core==2.27.2", "pyyaml>=6"]
    root = project(tmp_path, {"pyproject.toml": pyproject(deps)})
    assert found(root, "CFW802") == []


def test_upper_bound_below_the_index(tmp_path):
    root = project(tmp_path, {"pyproject.toml": pyproject(["numpy<2"])})
    assert found(root, "CFW802") == [("CFW802", "pyproject.toml", 5, 5)]


def test_pure_packages_fall_back_to_pypi_and_are_not_version_errors(tmp_path):
    # the index's pydantic (2.10.6) is pure Python; other versions come from PyPI
    root = project(tmp_path, {"pyproject.toml": pyproject(["pydantic>=2.11"])})
    assert found(root, "CFW802") == []
    assert found(root, "CFW808") == [("CFW808", "pyproject.toml", 5, 5)]


def test_lock_with_a_pyodide_wheel_for_the_range_wins(tmp_path):
    lock = pylock(("numpy", "2.3.1", ["numpy-2.3.1-cp313-cp313-pyodide_2025_0_wasm32.whl"]))
    root = project(tmp_path, {"pyproject.toml": pyproject(["numpy>=2.3"]), "pylock.toml": lock})
    assert found(root, "CFW802") == []


def test_host_wheels_in_uv_lock_do_not_help(tmp_path):
    lock = uv_lock(["numpy"], uv_package("numpy", "2.3.1", ["numpy-2.3.1-cp313-cp313-manylinux_2_28_x86_64.whl"]))
    root = project(tmp_path, {"pyproject.toml": pyproject(["numpy>=2.3"]), "uv.lock": lock})
    assert found(root, "CFW802") == [("CFW802", "pyproject.toml", 5, 5)]


def test_single_line_dependency_array_positions(tmp_path):
    text = '[project]\nname = "w"\nversion = "1"\ndependencies = ["httpx", "numpy >= 2.3"]\n'
    root = project(tmp_path, {"pyproject.toml": text})
    assert found(root, "CFW802") == [("CFW802", "pyproject.toml", 4, 26)]


def test_unknown_date_without_a_release_flag_is_silent(tmp_path):
    files = {"pyproject.toml": pyproject(["numpy>=2.3"])}
    base = 'name = "w"\nmain = "src/entry.py"\n'
    # a templated date (CFW709 reports it): which index applies is unknown
    templated = base + 'compatibility_date = "%COMPAT_DATE"\ncompatibility_flags = ["python_workers"]\n'
    assert found(project(tmp_path / "templated", {**files, "wrangler.toml": templated}), "CFW8") == []
    # a release flag names the runtime whatever the date: the 0.28.3 index has numpy 2.2.5 only
    flagged = base + 'compatibility_flags = ["python_workers", "python_workers_20250116"]\n'
    root = project(tmp_path / "flagged", {**files, "wrangler.toml": flagged})
    assert found(root, "CFW802") == [("CFW802", "pyproject.toml", 5, 5)]
