"""Repository promises: CI runs the README's test command; the pre-commit hook is well formed."""

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_ci_runs_exactly_the_readme_test_command():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    ci = (ROOT / ".ci/run").read_text(encoding="utf-8").strip().splitlines()[-1]
    assert ci == "python -m pip install -e '.[test]' && python -m pytest"
    assert f"```sh\n{ci}\n```" in readme


def test_readme_example_command_names_a_bundled_fixture():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "```sh\npython -m pip install -e . && cfw-lint fixtures/example\n```" in readme


def test_pre_commit_hook():
    import re

    text = (ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8")
    assert "- id: cfw-lint" in text and "entry: cfw-lint check --force-exclude" in text
    pattern = re.search(r"files: '([^']+)'", text).group(1)
    for name in (
        "src/entry.py",
        "wrangler.toml",
        "a/wrangler.jsonc",
        "wrangler.json",
        "pyproject.toml",
        "requirements.txt",
        "pylock.toml",
        "uv.lock",
    ):
        assert re.search(pattern, name), name
    for name in ("README.md", "package.json", "mywrangler.toml"):
        assert not re.search(pattern, name), name
