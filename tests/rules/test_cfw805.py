"""CFW805 tooling-in-runtime-dependencies: the fix moves tools to [dependency-groups].dev."""

from cfw8_support import fix, found, messages, project, pyproject


def test_reports_each_tool_at_its_string(tmp_path):
    deps = ["numpy", "workers-py>=1.9", "pytest", "pytest-asyncio", "wrangler", "workers-runtime-sdk", "pytest_mock"]
    root = project(tmp_path, {"pyproject.toml": pyproject(deps)})
    assert found(root, "CFW805") == [
        ("CFW805", "pyproject.toml", 6, 5),
        ("CFW805", "pyproject.toml", 7, 5),
        ("CFW805", "pyproject.toml", 8, 5),
        ("CFW805", "pyproject.toml", 9, 5),
        ("CFW805", "pyproject.toml", 11, 5),
    ]
    assert "pyjson5" in messages(root, "CFW805")[0]


def test_groups_and_look_alikes_are_silent(tmp_path):
    text = pyproject(
        ["numpy", "workers-runtime-sdk", "pytesseract", "wranglerx"],
        '\n[dependency-groups]\ndev = ["workers-py", "pytest"]\n\n[project.optional-dependencies]\ntest = ["pytest"]\n',
    )
    root = project(tmp_path, {"pyproject.toml": text})
    assert found(root, "CFW805") == []


def test_fix_moves_to_a_new_dev_group_keeping_comments(tmp_path):
    text = (
        "# worker\n"
        "[project]\n"
        'name = "w"\n'
        'version = "1"\n'
        "dependencies = [\n"
        '    "numpy",  # math\n'
        '    "workers-py>=1.9",  # pywrangler\n'
        '    "pytest",\n'
        "]\n"
        "\n"
        "[tool.pywrangler]\n"
        "allow-build = false\n"
    )
    root = project(tmp_path, {"pyproject.toml": text})
    fix(root, "CFW805")
    assert (root / "pyproject.toml").read_text() == (
        "# worker\n"
        "[project]\n"
        'name = "w"\n'
        'version = "1"\n'
        "dependencies = [\n"
        '    "numpy",  # math\n'
        "]\n"
        "\n"
        "[tool.pywrangler]\n"
        "allow-build = false\n"
        "\n"
        "[dependency-groups]\n"
        "dev = [\n"
        '    "workers-py>=1.9", # pywrangler\n'
        '    "pytest",\n'
        "]\n"
    )
    assert found(root, "CFW805") == []


def test_fix_extends_existing_dev_group_without_duplicates(tmp_path):
    text = (
        '[project]\nname = "w"\nversion = "1"\ndependencies = ["pytest>=8", "numpy", "workers-py"]\n'
        '\n[dependency-groups]\ndev = [\n    "pytest",\n]\n'
    )
    root = project(tmp_path, {"pyproject.toml": text})
    fix(root, "CFW805")
    assert (root / "pyproject.toml").read_text() == (
        '[project]\nname = "w"\nversion = "1"\ndependencies = ["numpy"]\n'
        '\n[dependency-groups]\ndev = [\n    "pytest",\n    "workers-py",\n]\n'
    )


def test_fix_keeps_crlf(tmp_path):
    root = project(tmp_path, {})
    (root / "pyproject.toml").write_bytes(
        b'[project]\r\nname = "w"\r\nversion = "1"\r\ndependencies = [\r\n    "pytest",\r\n    "numpy",\r\n]\r\n'
    )
    fix(root, "CFW805")
    assert (root / "pyproject.toml").read_bytes() == (
        b'[project]\r\nname = "w"\r\nversion = "1"\r\ndependencies = [\r\n    "numpy",\r\n]\r\n'
        b'\r\n[dependency-groups]\r\ndev = [\r\n    "pytest",\r\n]\r\n'
    )


def test_pytest_imported_by_the_worker_is_a_runtime_dependency(tmp_path):
    # a Worker that runs pytest inside workerd: pytest and its plugins are vendored on purpose
    entry = (
        "import pytest\n"
        "from workers import WorkerEntrypoint\n\n\n"
        "class Default(WorkerEntrypoint):\n"
        "    async def fetch(self, request):\n"
        "        pytest.main(['--pyargs', 'tests_kv'])\n"
    )
    deps = ["pytest", "pytest-asyncio<1.2.0", "workers-py"]
    root = project(tmp_path, {"pyproject.toml": pyproject(deps), "src/entry.py": entry})
    assert found(root, "CFW805") == [("CFW805", "pyproject.toml", 7, 5)]


def test_pytest_imported_only_by_a_local_name_alike_still_reports(tmp_path):
    # `pytest_helpers` is not pytest: the tool is still only needed on the host
    entry = "import pytest_helpers\nfrom workers import WorkerEntrypoint\n"
    root = project(
        tmp_path, {"pyproject.toml": pyproject(["pytest"]), "src/entry.py": entry, "src/pytest_helpers.py": ""}
    )
    assert found(root, "CFW805") == [("CFW805", "pyproject.toml", 5, 5)]
