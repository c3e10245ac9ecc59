"""CFW808 package-unverified: what the bundled data and the locks cannot decide (info)."""

from cfw8_support import FASTAPI_WHEELS, found, lint, project, pyproject, uv_lock, uv_package


def test_pure_package_outside_the_index_without_lock_evidence(tmp_path):
    root = project(tmp_path, {"pyproject.toml": pyproject(["numpy", "fastapi>=0.110"])})
    assert found(root, "CFW808") == [("CFW808", "pyproject.toml", 6, 5)]
    (diag,) = [d for d in lint(root, "CFW808") if d["code"] == "CFW808"]
    assert diag["severity"] == "info"


def test_lock_evidence_decides(tmp_path):
    lock = uv_lock(["fastapi"], uv_package("fastapi", "0.115.6", FASTAPI_WHEELS))
    root = project(tmp_path, {"pyproject.toml": pyproject(["fastapi>=0.110"]), "uv.lock": lock})
    assert found(root, "CFW808") == []


def test_fastapi_is_in_the_314_index(tmp_path):
    root = project(tmp_path, {"pyproject.toml": pyproject(["fastapi"])}, python="3.14")
    assert found(root, "CFW808") == []


def test_git_and_path_sources_are_unverified(tmp_path):
    lock = (
        uv_lock(["mylib"])
        + '\n[[package]]\nname = "mylib"\nversion = "0.1"\nsource = { git = "https://example.com/mylib.git" }\n'
    )
    root = project(tmp_path, {"pyproject.toml": pyproject(["mylib"]), "uv.lock": lock})
    assert found(root, "CFW808") == [("CFW808", "pyproject.toml", 5, 5)]


def test_info_does_not_fail_the_run(tmp_path):
    from helpers import run_cli

    root = project(tmp_path, {"pyproject.toml": pyproject(["fastapi"])})
    result = run_cli(["--no-cache", "--select", "CFW808", "."], cwd=root)
    assert result.exit_code == 0, result.output
