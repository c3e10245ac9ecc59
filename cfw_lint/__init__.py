"""cfw-lint: a linter and code-mod for Cloudflare Python Workers."""

# Kept free of imports so that `cfw-lint --version` is instant.
__version__ = "0.1.0"
