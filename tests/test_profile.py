"""The runtime profile: flag/date table interpretation, and what a lock file tells."""

import datetime as dt

import pytest

from cfw_lint.profile import build_profile, default_profile


def p(date, *flags, sdk=None, source=None):
    base = build_profile(
        dt.date.fromisoformat(date) if date else None, frozenset(("python_workers",) + flags), source="t"
    )
    return base.with_sdk(sdk, source)


@pytest.mark.parametrize(
    "date,flags,python,class_handlers,implicit,external",
    [
        ("2025-07-01", (), "3.12", False, False, False),
        ("2025-08-14", (), "3.12", True, False, False),
        ("2025-09-29", (), "3.13", True, False, False),
        ("2025-09-29", ("no_python_workers_20250116",), "3.12", True, False, False),
        ("2025-07-01", ("python_workers_20250116",), "3.13", False, False, False),
        ("2025-08-20", ("disable_python_no_global_handlers",), "3.12", False, False, False),
        ("2026-02-25", (), "3.13", True, True, False),
        ("2026-03-01", ("no_python_workflows_implicit_dependencies",), "3.13", True, False, False),
        ("2026-04-21", (), "3.13", True, True, True),
        ("2026-05-01", ("disable_python_external_sdk",), "3.13", True, True, False),
        ("2026-03-01", ("python_workers_20260610",), "3.14", True, True, False),
        ("2026-09-08", (), "3.14", True, True, True),
    ],
)
def test_dates_and_flags(date, flags, python, class_handlers, implicit, external):
    prof = p(date, *flags)
    assert (prof.python_version, prof.class_handlers, prof.implicit_step_dependencies, prof.external_sdk) == (
        python,
        class_handlers,
        implicit,
        external,
    )


def test_implied_flag_boundaries():
    assert not p("2025-09-19").workflows_enabled and p("2025-09-20").workflows_enabled
    assert not p("2025-10-15").dedicated_snapshot and p("2025-10-16").dedicated_snapshot
    # dedicated snapshot is implied only together with the 3.13 runtime
    assert not p("2025-10-16", "no_python_workers_20250116").dedicated_snapshot


def test_missing_python_workers_flag_is_profiled_as_intended():
    prof = build_profile(dt.date(2026, 3, 1), frozenset(), source="t")
    assert prof.python_version == "3.13" and prof.class_handlers


def test_sdk_facts():
    # no lock: the project may still vendor the SDK, so wrapping is unknown and rules stay silent
    unknown = p("2026-03-01")
    assert "sdk_version" in unknown.unknown and unknown.wrapped_bindings is None
    assert p("2026-05-01").wrapped_bindings is None  # external SDK, version unknown
    assert p("2026-05-01", sdk="1.6.0", source="pylock.toml").wrapped_bindings is True
    assert p("2026-05-01", sdk="1.2.0", source="pylock.toml").wrapped_bindings is False
    absent = p("2026-03-01", source="pylock.toml")
    assert absent.sdk_absent and absent.wrapped_bindings is False and absent.sdk_at_least(1, 3) is False
    assert "sdk_version" not in absent.unknown
    assert p("2026-05-01", source="pylock.toml").sdk_at_least(1, 3) is None


def test_default_profile_is_the_newest_runtime():
    prof = default_profile()
    assert prof.python_version == "3.14" and prof.class_handlers and prof.implicit_step_dependencies


def test_sdk_absence_only_from_pywranglers_lock(tmp_path):
    from helpers import run_cli, write_project

    write_project(
        tmp_path,
        {
            "wrangler.toml": 'main = "src/entry.py"\ncompatibility_date = "2026-03-15"\ncompatibility_flags = ["python_workers"]\n',
            "src/entry.py": "x = 1\n",
            "uv.lock": 'version = 1\n[[package]]\nname = "workers-py"\nversion = "1.16.7"\n',
        },
    )
    out = run_cli(["profile", "src/entry.py"], cwd=tmp_path).stdout
    assert "bindings wrapped:     unknown" in out  # uv.lock says nothing about what pywrangler vendors
    (tmp_path / "pylock.toml").write_text('lock-version = "1.0"\n[[packages]]\nname = "anyio"\nversion = "4.6.0"\n')
    out = run_cli(["profile", "src/entry.py"], cwd=tmp_path).stdout
    assert "bindings wrapped:     no" in out and "not vendored (pylock.toml has none" in out
    (tmp_path / "pylock.toml").write_text(
        'lock-version = "1.0"\n[[packages]]\nname = "workers-runtime-sdk"\nversion = "1.6.0"\n'
    )
    out = run_cli(["profile", "src/entry.py"], cwd=tmp_path).stdout
    assert "1.6.0 (from pylock.toml)" in out and "bindings wrapped:     yes" in out


def test_config_without_a_usable_date_assumes_the_newest_runtime(tmp_path):
    from helpers import run_cli, write_project

    write_project(
        tmp_path,
        {
            "wrangler.toml": 'main = "src/entry.py"\ncompatibility_flags = ["python_workers"]\n',
            "src/entry.py": "x = 1\n",
        },
    )
    out = run_cli(["profile", "src/entry.py"], cwd=tmp_path).stdout
    assert "newest runtime assumed" in out and "Python:               3.14" in out
    assert "compatibility_date" in out.split("unknown facts:")[1]
    (tmp_path / "wrangler.toml").write_text(
        'main = "src/entry.py"\ncompatibility_date = "soon"\ncompatibility_flags = ["python_workers", "python_workers_20250116"]\n'
    )
    out = run_cli(["profile", "src/entry.py"], cwd=tmp_path).stdout
    assert "Python:               3.13" in out  # a release flag names the Python whatever the date


def test_a_worker_without_pyproject_vendors_nothing(tmp_path):
    from helpers import run_cli, write_project

    write_project(
        tmp_path,
        {
            "wrangler.toml": 'main = "src/entry.py"\ncompatibility_date = "2026-03-15"\ncompatibility_flags = ["python_workers"]\n',
            "src/entry.py": "x = 1\n",
        },
    )
    out = run_cli(["profile", "src/entry.py"], cwd=tmp_path).stdout
    assert "not vendored (no pyproject.toml" in out and "bindings wrapped:     no" in out
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "w"\nversion = "0"\ndependencies = []\n')
    out = run_cli(["profile", "src/entry.py"], cwd=tmp_path).stdout
    assert "bindings wrapped:     unknown" in out  # pywrangler may vendor the SDK: no lock, no verdict


def test_python_314_flag_from_its_implied_date():
    # runtime facts 0, 3.2: python_workers_314 (@187) implied from 2026-09-08, Pyodide 314.0.6
    before, after = p("2026-09-07"), p("2026-09-08")
    assert (before.python_version, before.release_flag) == ("3.13", "python_workers_20250116")
    assert (after.python_version, after.pyodide_version, after.release_flag) == (
        "3.14",
        "314.0.6",
        "python_workers_314",
    )
    assert p("2026-09-08", "no_python_workers_314").python_version == "3.13"
    # the highest ordinal wins: the opt-in 314.0.4 flag runs 314.0.6 once the date implies @187
    assert p("2026-09-01", "python_workers_20260610").pyodide_version == "314.0.4"
    assert p("2026-09-08", "python_workers_20260610").pyodide_version == "314.0.6"


def test_development_bundle_is_314_and_loses_to_newer_release_flags():
    assert p("2025-09-01", "python_workers_development").pyodide_version.startswith("314.0.6")
    assert p("2025-09-29", "python_workers_development").release_flag == "python_workers_20250116"


def test_flags_added_after_the_snapshot():
    from cfw_lint.profile import runtime_data

    flags = runtime_data().flags
    assert "python_shared_standard_library" not in p("2026-11-18").enabled_flags
    assert "python_shared_standard_library" in p("2026-11-19").enabled_flags
    assert flags["auto_inject_python_workers"].experimental and flags["python_zstd_snapshot"].experimental
    assert (
        flags["python_dedicated_snapshot_keep_import_caches"].disable
        == "no_python_dedicated_snapshot_keep_import_caches"
    )
    assert "python_dedicated_snapshot_keep_import_caches" not in p("2026-12-01").enabled_flags
    assert flags["python_workers_20260817"].removed and not flags["python_workers_314"].removed
