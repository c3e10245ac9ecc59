"""Finding the files to lint: walk directories, skip what never holds user code, honour excludes
and .gitignore."""

from __future__ import annotations

# Directories that never hold a Worker's own code.
DEFAULT_EXCLUDED_DIRS = frozenset(
    {
        ".git",
        ".hg",
        ".svn",
        ".venv",
        "venv",
        ".venv-workers",
        "node_modules",
        "python_modules",
        "__pycache__",
        ".cfw-lint-cache",
        ".mypy_cache",
        ".pytest_cache",
        ".ruff_cache",
        ".tox",
        ".nox",
        ".wrangler",
        "build",
        "dist",
        "site-packages",
    }
)
