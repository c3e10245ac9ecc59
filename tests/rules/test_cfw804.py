"""CFW804 dependency-only-in-group: imported modules that only a group or extra provides."""

from cfw8_support import found, messages, project, pyproject

GROUPS = '\n[dependency-groups]\ndev = ["workers-py", "numpy", "pytest"]\n\n[project.optional-dependencies]\nyaml = ["pyyaml"]\n'


def test_group_and_extra_only_modules_fire(tmp_path):
    src = "import numpy as np\nimport json\nfrom yaml import safe_load\n\n\ndef f():\n    import numpy.linalg\n"
    root = project(tmp_path, {"pyproject.toml": pyproject(["httpx"], GROUPS), "src/entry.py": src})
    assert found(root, "CFW804") == [
        ("CFW804", "src/entry.py", 1, 8),
        ("CFW804", "src/entry.py", 3, 6),
        ("CFW804", "src/entry.py", 7, 12),
    ]
    first = messages(root, "CFW804")[0]
    assert "[dependency-groups].dev" in first and "No module named 'numpy'" in first
    # reported once as CFW804, not again as CFW806
    assert found(root, "CFW806") == []


def test_declared_in_both_is_fine(tmp_path):
    root = project(
        tmp_path, {"pyproject.toml": pyproject(["numpy", "pyyaml"], GROUPS), "src/entry.py": "import numpy, yaml\n"}
    )
    assert found(root, "CFW804") == []


def test_pytest_in_tests_is_fine(tmp_path):
    root = project(
        tmp_path,
        {
            "pyproject.toml": pyproject([], GROUPS),
            "src/entry.py": "import json\n",
            "tests/test_worker.py": "import pytest, numpy\n",
        },
    )
    assert found(root, "CFW804") == []


def test_guarded_import_is_fine(tmp_path):
    src = "try:\n    import numpy\nexcept ImportError:\n    numpy = None\n"
    root = project(tmp_path, {"pyproject.toml": pyproject([], GROUPS), "src/entry.py": src})
    assert found(root, "CFW804") == []


def test_stale_uv_lock_root_does_not_declare(tmp_path):
    from cfw8_support import uv_lock, uv_package

    # the lock still lists numpy as a runtime dependency; pyproject moved it to the dev group
    lock = uv_lock(["numpy"], uv_package("numpy", "2.2.5", ["numpy-2.2.5-cp313-cp313-manylinux_2_17_x86_64.whl"]))
    root = project(
        tmp_path, {"pyproject.toml": pyproject([], GROUPS), "uv.lock": lock, "src/entry.py": "import numpy\n"}
    )
    assert found(root, "CFW804") == [("CFW804", "src/entry.py", 1, 8)]


def test_uv_legacy_dev_dependencies(tmp_path):
    extra = '\n[tool.uv]\ndev-dependencies = ["httpx>=0.27"]\n'
    root = project(tmp_path, {"pyproject.toml": pyproject([], extra), "src/entry.py": "\nimport httpx\n"})
    assert found(root, "CFW804") == [("CFW804", "src/entry.py", 2, 8)]
    assert "[tool.uv].dev-dependencies" in messages(root, "CFW804")[0]
