"""Release hygiene: one version, a Keep a Changelog file, the README pinning the tag that the
procedure in CONTRIBUTING.md creates. With CFW_LINT_RELEASE_TAG (or on a GitHub tag build) the
tag itself is checked against them."""

from __future__ import annotations

import datetime as dt
import os
import re
from pathlib import Path

from cfw_lint import __version__
from cfw_lint.tomlcompat import tomllib

ROOT = Path(__file__).resolve().parent.parent
SECTION = re.compile(r"^## \[(?P<version>[^\]]+)\](?: - (?P<date>\d{4}-\d{2}-\d{2}))?$", re.M)


def _release_tag() -> str | None:
    if os.environ.get("CFW_LINT_RELEASE_TAG"):
        return os.environ["CFW_LINT_RELEASE_TAG"]
    if os.environ.get("GITHUB_REF_TYPE") == "tag":
        return os.environ.get("GITHUB_REF_NAME")
    return None


def test_version_is_in_one_place():
    assert re.fullmatch(r"\d+\.\d+\.\d+", __version__)
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert "version" not in pyproject["project"] and "version" in pyproject["project"]["dynamic"]
    assert pyproject["tool"]["setuptools"]["dynamic"]["version"] == {"attr": "cfw_lint.__version__"}


def test_changelog_format():
    text = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    assert text.startswith("# Changelog\n")
    sections = list(SECTION.finditer(text))
    assert sections and sections[0]["version"] == "Unreleased", "the first section is [Unreleased]"
    released = [m for m in sections[1:]]
    for m in released:
        assert re.fullmatch(r"\d+\.\d+\.\d+", m["version"]) and m["date"], m.group(0)
        dt.date.fromisoformat(m["date"])
    versions = [tuple(map(int, m["version"].split("."))) for m in released]
    assert versions == sorted(versions, reverse=True), "newest release first"
    for m in sections:
        assert f"[{m['version']}]: " in text, f"no link for [{m['version']}]"


def test_readme_pins_the_release_tag_of_this_version():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    snippet = readme[readme.index("repos:") :]
    assert "repo: https://github.com/cfw-lint/cfw-lint\n" in snippet
    assert re.search(rf"^    rev: v{re.escape(__version__)}(\s|$)", snippet, re.M)
    # the CI recipes install the same tag
    pins = set(re.findall(r"cfw-lint@(v[\d.]+)", readme))
    assert pins == {f"v{__version__}"}, pins
    hooks = (ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8")
    hook_id = re.search(r"id: (\S+)", snippet)
    assert hook_id and f"- id: {hook_id.group(1)}\n" in hooks


def tag_problems(tag: str, version: str, changelog: str) -> list[str]:
    problems = []
    if tag != f"v{version}":
        problems.append(f"tag {tag} but __version__ is {version}")
    sections = {m["version"]: m for m in SECTION.finditer(changelog)}
    if version not in sections or not sections[version]["date"]:
        problems.append(f"CHANGELOG.md has no dated section for {version}")
    return problems


def test_tag_checks_catch_mismatches():
    log = "# Changelog\n\n## [Unreleased]\n\n## [1.2.0] - 2027-01-05\n"
    assert tag_problems("v1.2.0", "1.2.0", log) == []
    assert tag_problems("v1.2.1", "1.2.0", log) == ["tag v1.2.1 but __version__ is 1.2.0"]
    assert tag_problems("v1.3.0", "1.3.0", log) == ["CHANGELOG.md has no dated section for 1.3.0"]


def test_release_tag_matches_version_and_changelog():
    tag = _release_tag()
    if tag is None:
        return  # not a release build (CONTRIBUTING.md, "Releasing")
    assert tag_problems(tag, __version__, (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")) == []
