"""The dependency rules on whole repositories: several Workers, JSONC configs, each project against
its own runtime."""

from cfw8_support import fix, found, project, pyproject, wrangler
from helpers import write_project


def test_each_worker_uses_its_own_runtime(tmp_path):
    write_project(
        tmp_path,
        {
            "old/wrangler.toml": wrangler("3.13"),
            "old/pyproject.toml": pyproject(["numpy>=2.3"]),
            "old/src/entry.py": "import numpy\n",
            "new/wrangler.toml": wrangler("3.14"),
            "new/pyproject.toml": pyproject(["numpy>=2.3"]),
            "new/src/entry.py": "import numpy\n",
        },
    )
    assert found(tmp_path, "CFW802") == [("CFW802", "old/pyproject.toml", 5, 5)]
    assert found(tmp_path, "CFW806") == []


def test_jsonc_config_with_comments(tmp_path):
    config = """\
    // the API worker
    {
      "name": "api-worker",
      "main": "src/entry.py",
      /* 3.12 runtime */
      "compatibility_date": "2025-07-01",
      "compatibility_flags": ["python_workers",],
    }
    """
    root = project(
        tmp_path,
        {
            "wrangler.jsonc": config,
            "requirements.txt": "numpy~=2.2\n",
        },
    )
    assert found(root, "CFW803") == [("CFW803", "requirements.txt", 1, 1)]
    fix(root, "CFW803")
    assert (root / "pyproject.toml").read_text() == (
        '[project]\nname = "api-worker"\nversion = "0.1.0"\ndependencies = [\n    "numpy~=2.2",\n]\n'
    )
    # numpy 2.0.2 is all the 3.12 index has
    assert found(root, "CFW802") == [("CFW802", "pyproject.toml", 5, 5)]


def test_fix_then_relint_is_stable(tmp_path):
    root = project(
        tmp_path,
        {
            "requirements.txt": "httpx\npytest\n",
            "src/entry.py": "import httpx\n",
        },
    )
    fix(root, "CFW8")
    text = (root / "pyproject.toml").read_text()
    # CFW803 moved both, CFW805 then moved pytest to the dev group
    assert text == (
        '[project]\nname = "demo-worker"\nversion = "0.1.0"\ndependencies = [\n    "httpx",\n]\n'
        '\n[dependency-groups]\ndev = [\n    "pytest",\n]\n'
    )
    fix(root, "CFW8")
    assert (root / "pyproject.toml").read_text() == text
    assert found(root, "CFW806") == []
