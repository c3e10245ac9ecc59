"""CFW803 requirements-txt: pywrangler refuses requirements.txt; the fix moves it to pyproject."""

from cfw8_support import fix, found, lint, messages, project, pyproject


def test_reports_the_file_with_pywrangler_message(tmp_path):
    root = project(tmp_path, {"requirements.txt": "numpy\n", "pyproject.toml": pyproject([])})
    assert found(root, "CFW803") == [("CFW803", "requirements.txt", 1, 1)]
    (message,) = messages(root, "CFW803")
    assert "Specifying Python Packages in requirements.txt is no longer supported" in message
    assert "requirements.txt exists. Delete the file to continue. Exiting." in message


def test_no_requirements_txt_no_finding(tmp_path):
    root = project(tmp_path, {"pyproject.toml": pyproject(["numpy"]), "requirements-dev.txt": "pytest\n"})
    assert found(root, "CFW803") == []


def test_fix_creates_a_minimal_pyproject(tmp_path):
    root = project(
        tmp_path,
        {
            "requirements.txt": "# runtime deps\nnumpy>=2  # math\nhttpx[http2]==0.28.1\n\nbeautifulsoup4 ; python_version >= '3.12'\n"
        },
    )
    fix(root, "CFW803")
    assert not (root / "requirements.txt").exists()
    assert (root / "pyproject.toml").read_text() == (
        "[project]\n"
        'name = "demo-worker"\n'
        'version = "0.1.0"\n'
        "dependencies = [\n"
        '    "numpy>=2", # math\n'
        '    "httpx[http2]==0.28.1",\n'
        "    \"beautifulsoup4 ; python_version >= '3.12'\",\n"
        "]\n"
    )
    assert lint(root) == [] or all(d["code"] != "CFW803" for d in lint(root))


def test_fix_merges_into_an_existing_pyproject_without_duplicates(tmp_path):
    existing = (
        "# my worker\n"
        "[project]\n"
        'name = "w"  # keep me\n'
        'version = "1.0"\n'
        "dependencies = [\n"
        '    "NumPy<3",  # pinned below 3\n'
        "]\n"
        "\n"
        "[dependency-groups]\n"
        'dev = ["workers-py"]\n'
    )
    root = project(tmp_path, {"pyproject.toml": existing, "requirements.txt": "numpy>=2\nhttpx\n"})
    fix(root, "CFW803")
    assert not (root / "requirements.txt").exists()
    assert (root / "pyproject.toml").read_text() == existing.replace(
        '    "NumPy<3",  # pinned below 3\n', '    "NumPy<3",  # pinned below 3\n    "httpx",\n'
    )


def test_fix_adds_dependencies_key_and_converts_one_line_array_only_when_needed(tmp_path):
    root = project(
        tmp_path / "a",
        {
            "pyproject.toml": '[project]\nname = "w"\nversion = "1"\n\n[tool.x]\ny = 1\n',
            "requirements.txt": "httpx\n",
        },
    )
    fix(root, "CFW803")
    assert (root / "pyproject.toml").read_text() == (
        '[project]\nname = "w"\nversion = "1"\ndependencies = [\n    "httpx",\n]\n\n[tool.x]\ny = 1\n'
    )
    root = project(
        tmp_path / "b",
        {
            "pyproject.toml": '[project]\nname = "w"\nversion = "1"\ndependencies = ["numpy"]\n',
            "requirements.txt": "httpx\n",
        },
    )
    fix(root, "CFW803")
    assert (
        root / "pyproject.toml"
    ).read_text() == '[project]\nname = "w"\nversion = "1"\ndependencies = ["numpy", "httpx"]\n'


def test_fix_keeps_crlf(tmp_path):
    root = project(tmp_path, {})
    (root / "pyproject.toml").write_bytes(
        b'[project]\r\nname = "w"\r\nversion = "1"\r\ndependencies = [\r\n    "numpy",\r\n]\r\n'
    )
    (root / "requirements.txt").write_bytes(b"httpx\r\n")
    fix(root, "CFW803")
    assert (root / "pyproject.toml").read_bytes() == (
        b'[project]\r\nname = "w"\r\nversion = "1"\r\ndependencies = [\r\n    "numpy",\r\n    "httpx",\r\n]\r\n'
    )


def test_no_fix_when_a_line_cannot_be_carried(tmp_path):
    for i, line in enumerate(
        [
            "-r base.txt",
            "-e ./lib",
            "--index-url https://example.com/simple",
            "./local/pkg",
            "numpy --hash=sha256:00",
            "pkg==${VERSION}",
        ]
    ):
        root = project(tmp_path / str(i), {"requirements.txt": f"httpx\n{line}\n", "pyproject.toml": pyproject([])})
        (diag,) = [d for d in lint(root, "CFW803") if d["code"] == "CFW803"]
        assert diag["fix"] is None, line
        assert "no automatic fix" in diag["message"]
        fix(root, "CFW803")
        assert (root / "requirements.txt").exists()


def test_no_fix_when_dependencies_are_dynamic(tmp_path):
    text = '[project]\nname = "w"\nversion = "1"\ndynamic = ["dependencies"]\n'
    root = project(tmp_path, {"pyproject.toml": text, "requirements.txt": "httpx\n"})
    (diag,) = [d for d in lint(root, "CFW803") if d["code"] == "CFW803"]
    assert diag["fix"] is None


def test_continuation_lines_are_joined(tmp_path):
    root = project(tmp_path, {"requirements.txt": "httpx>=0.27,\\\n    <1\n", "pyproject.toml": pyproject([])})
    fix(root, "CFW803")
    assert '"httpx>=0.27, <1"' in (root / "pyproject.toml").read_text()


def test_fix_adds_a_project_table_to_a_pyproject_without_one(tmp_path):
    root = project(
        tmp_path, {"pyproject.toml": "[tool.pywrangler]\nallow-build = true\n", "requirements.txt": "httpx\n"}
    )
    fix(root, "CFW803")
    assert (root / "pyproject.toml").read_text() == (
        '[tool.pywrangler]\nallow-build = true\n\n[project]\nname = "demo-worker"\nversion = "0.1.0"\n'
        'dependencies = [\n    "httpx",\n]\n'
    )


def test_fix_with_sub_tables_of_project(tmp_path):
    text = '[project]\nname = "w"\nversion = "1"\n\n[project.urls]\nHome = "https://example.com"\n'
    root = project(tmp_path, {"pyproject.toml": text, "requirements.txt": "httpx\n"})
    fix(root, "CFW803")
    assert (root / "pyproject.toml").read_text() == (
        '[project]\nname = "w"\nversion = "1"\ndependencies = [\n    "httpx",\n]\n\n[project.urls]\nHome = "https://example.com"\n'
    )


def test_fix_leaves_out_stdlib_names_and_the_workers_own_modules(tmp_path):
    # 2024 guides listed `ssl` (a standard-library module; the PyPI `ssl` is a Python 2 relic)
    root = project(
        tmp_path,
        {
            "requirements.txt": "fastapi\nssl\nhelpers\nasyncio\n",
            "src/helpers.py": "X = 1\n",
        },
    )
    (diag,) = [d for d in lint(root, "CFW803") if d["code"] == "CFW803"]
    assert "left out: ssl, helpers, asyncio" in diag["fix"]["message"]
    fix(root, "CFW803")
    assert not (root / "requirements.txt").exists()
    assert (root / "pyproject.toml").read_text() == (
        '[project]\nname = "demo-worker"\nversion = "0.1.0"\ndependencies = [\n    "fastapi",\n]\n'
    )
