"""CFW801 package-unavailable: native packages with no Pyodide build (facts §4.1)."""

from cfw8_support import (
    FASTAPI_WHEELS,
    PSYCOPG2_BINARY_WHEELS,
    PSYCOPG2_WHEELS,
    found,
    messages,
    project,
    pylock,
    pyproject,
    uv_lock,
    uv_package,
)


def test_native_package_with_only_platform_wheels_in_uv_lock(tmp_path):
    root = project(
        tmp_path,
        {
            "pyproject.toml": pyproject(["fastapi", "psycopg2>=2.9"]),
            "uv.lock": uv_lock(
                ["fastapi", "psycopg2"],
                uv_package("fastapi", "0.115.6", FASTAPI_WHEELS),
                uv_package("psycopg2", "2.9.10", PSYCOPG2_WHEELS),
            ),
        },
    )
    assert found(root, "CFW801") == [("CFW801", "pyproject.toml", 6, 5)]
    (message,) = messages(root, "CFW801")
    assert "psycopg2>=2.9" in message and "only native wheels" in message


def test_index_packages_are_available_on_every_runtime(tmp_path):
    for python in ("3.12", "3.13", "3.14"):
        root = project(
            tmp_path / python,
            {
                "pyproject.toml": pyproject(["numpy", "pydantic-core", "lxml", "cryptography", "PyYAML", "Pillow"]),
                # a host uv.lock lists only native wheels for them; the Pyodide index still has them
                "uv.lock": uv_lock(
                    ["numpy"], uv_package("numpy", "2.2.5", ["numpy-2.2.5-cp313-cp313-manylinux_2_17_x86_64.whl"])
                ),
            },
            python=python,
        )
        assert found(root, "CFW801") == [], python


def test_transitive_native_package_is_reported_at_its_lock_entry(tmp_path):
    lock = uv_lock(
        ["db-helpers"],
        uv_package("db-helpers", "1.0.0", ["db_helpers-1.0.0-py3-none-any.whl"], deps=["psycopg2-binary"]),
        uv_package("psycopg2-binary", "2.9.10", PSYCOPG2_BINARY_WHEELS, sdist=False),
    )
    root = project(tmp_path, {"pyproject.toml": pyproject(["db-helpers"]), "uv.lock": lock})
    line = lock.splitlines().index('name = "psycopg2-binary"') + 1
    assert found(root, "CFW801") == [("CFW801", "uv.lock", line, 1)]
    (message,) = messages(root, "CFW801")
    assert "required by db-helpers" in message


def test_dev_group_packages_are_not_followed(tmp_path):
    lock = uv_lock(
        ["fastapi"],
        uv_package("fastapi", "0.115.6", FASTAPI_WHEELS),
        uv_package("psycopg2-binary", "2.9.10", PSYCOPG2_BINARY_WHEELS, sdist=False),
    )
    root = project(
        tmp_path,
        {
            "pyproject.toml": pyproject(["fastapi"], '\n[dependency-groups]\ndev = ["psycopg2-binary"]\n'),
            "uv.lock": lock,
        },
    )
    assert found(root, "CFW801") == []


def test_sdist_only_fails_without_allow_build(tmp_path):
    lock = uv_lock(["tinypkg"], uv_package("tinypkg", "0.3", [], sdist=True))
    root = project(tmp_path / "a", {"pyproject.toml": pyproject(["tinypkg"]), "uv.lock": lock})
    assert found(root, "CFW801") == [("CFW801", "pyproject.toml", 5, 5)]
    allowed = pyproject(["tinypkg"], "\n[tool.pywrangler]\nallow-build = true\n")
    root = project(tmp_path / "b", {"pyproject.toml": allowed, "uv.lock": lock})
    assert found(root, "CFW801") == []
    assert found(root, "CFW808") == [("CFW808", "pyproject.toml", 5, 5)]


def test_pyodide_wheels_in_pylock_count_only_for_the_runtime_abi(tmp_path):
    good = pylock(("fastcsv", "1.2.0", ["fastcsv-1.2.0-cp313-cp313-pyodide_2025_0_wasm32.whl"]))
    root = project(tmp_path / "good", {"pyproject.toml": pyproject(["fastcsv"]), "pylock.toml": good})
    assert found(root, "CFW801") == []
    # the 0.27 ABI (Python 3.12) does not install on the 3.13 runtime
    old = pylock(("fastcsv", "1.2.0", ["fastcsv-1.2.0-cp312-cp312-pyodide_2024_0_wasm32.whl"]))
    root = project(tmp_path / "old", {"pyproject.toml": pyproject(["fastcsv"]), "pylock.toml": old})
    assert found(root, "CFW801") == [("CFW801", "pyproject.toml", 5, 5)]
    assert "built for another Python or Pyodide ABI" in messages(root, "CFW801")[0]
    # ... but does on the 3.12 runtime
    root = project(tmp_path / "old312", {"pyproject.toml": pyproject(["fastcsv"]), "pylock.toml": old}, python="3.12")
    assert found(root, "CFW801") == []


def test_pyemscripten_wheels_on_314(tmp_path):
    lock = pylock(("fastcsv", "1.2.0", ["fastcsv-1.2.0-cp314-cp314-pyemscripten_2026_0_wasm32.whl"]))
    root = project(tmp_path, {"pyproject.toml": pyproject(["fastcsv"]), "pylock.toml": lock}, python="3.14")
    assert found(root, "CFW801") == []


def test_markers_are_evaluated_for_emscripten(tmp_path):
    lock = uv_lock(["psycopg2; sys_platform != 'emscripten'"], uv_package("psycopg2", "2.9.10", PSYCOPG2_WHEELS))
    deps = ["psycopg2; sys_platform != 'emscripten'", "uvloop; platform_machine == 'x86_64'"]
    root = project(tmp_path, {"pyproject.toml": pyproject(deps), "uv.lock": lock})
    assert found(root, "CFW801") == []
    assert found(root, "CFW808") == []


def test_direct_wheel_urls(tmp_path):
    deps = [
        "good @ https://example.com/good-1.0-py3-none-any.whl",
        "bad @ https://example.com/bad-1.0-cp313-cp313-manylinux_2_17_x86_64.whl",
    ]
    root = project(tmp_path, {"pyproject.toml": pyproject(deps)})
    assert found(root, "CFW801") == [("CFW801", "pyproject.toml", 6, 5)]


def test_tooling_and_sdk_are_left_to_other_rules(tmp_path):
    root = project(tmp_path, {"pyproject.toml": pyproject(["workers-py", "workers-runtime-sdk"])})
    assert found(root, "CFW801") == [] and found(root, "CFW808") == []


def test_no_pyproject_no_findings(tmp_path):
    root = project(tmp_path, {})
    assert found(root, "CFW801") == []


def test_extras_are_followed_with_their_markers(tmp_path):
    lock = uv_lock(["uvicorn"]) + "\n".join(
        [
            "[[package]]",
            'name = "uvicorn"',
            'version = "0.34.0"',
            'source = { registry = "https://pypi.org/simple" }',
            "dependencies = [",
            '    { name = "h11" },',
            "]",
            'wheels = [{ url = "https://files.pythonhosted.org/packages/61/14/uvicorn-0.34.0-py3-none-any.whl", hash = "sha256:00", size = 62315 }]',
            "",
            "[package.optional-dependencies]",
            "standard = [",
            "    { name = \"uvloop\", marker = \"platform_python_implementation != 'PyPy' and sys_platform != 'cygwin' and sys_platform != 'win32'\" },",
            '    { name = "colorama", marker = "sys_platform == \'win32\'" },',
            "]",
            "",
            uv_package("h11", "0.14.0", ["h11-0.14.0-py3-none-any.whl"]),
            uv_package(
                "uvloop",
                "0.21.0",
                [
                    "uvloop-0.21.0-cp313-cp313-manylinux_2_17_x86_64.manylinux2014_x86_64.whl",
                    "uvloop-0.21.0-cp313-cp313-macosx_10_13_universal2.whl",
                ],
            ),
            uv_package("colorama", "0.4.6", ["colorama-0.4.6-cp313-cp313-win_amd64.whl"]),
        ]
    )
    plain = project(tmp_path / "plain", {"pyproject.toml": pyproject(["uvicorn"]), "uv.lock": lock})
    assert found(plain, "CFW801") == []
    standard = project(tmp_path / "standard", {"pyproject.toml": pyproject(["uvicorn[standard]"]), "uv.lock": lock})
    line = lock.splitlines().index('name = "uvloop"') + 1
    assert found(standard, "CFW801") == [("CFW801", "uv.lock", line, 1)]
    assert "uvloop 0.21.0 (required by uvicorn, per uv.lock)" in messages(standard, "CFW801")[0]


def test_wheel_tags():
    from cfw_lint.project.deps import wheel_kind
    from cfw_lint.project.index import load_index

    i312, i313, i314 = load_index("0.27.7"), load_index("0.28.3"), load_index("314.0.6")
    cases = [
        ("six-1.17.0-py2.py3-none-any.whl", (3, 13), i313, "pure"),
        ("tomli-2.0-py3-none-any.whl", (3, 12), i312, "pure"),
        ("newer-1.0-py314-none-any.whl", (3, 13), i313, "platform"),  # needs a newer Python
        ("cryptography-45.0.5-cp313-abi3-pyodide_2025_0_wasm32.whl", (3, 13), i313, "pyodide"),
        ("cryptography-47.0.0-cp311-abi3-pyemscripten_2026_0_wasm32.whl", (3, 14), i314, "pyodide"),
        ("old-1.0-cp312-cp312-emscripten_3_1_58_wasm32.whl", (3, 12), i312, "pyodide"),
        ("old-1.0-cp312-cp312-emscripten_3_1_58_wasm32.whl", (3, 13), i313, "pyodide-other"),
        ("numpy-2.2.5-cp313-cp313-pyodide_2024_0_wasm32.whl", (3, 13), i313, "pyodide-other"),
        ("winonly-1.0-py3-none-win_amd64.whl", (3, 13), i313, "platform"),
        ("orjson-3.10-cp313-cp313-manylinux_2_17_x86_64.manylinux2014_x86_64.whl", (3, 13), i313, "platform"),
        ("not a wheel.whl", (3, 13), i313, "platform"),
    ]
    for name, python, index, expected in cases:
        assert wheel_kind(name, python, index) == expected, name
