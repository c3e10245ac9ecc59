"""The language server (`cfw-lint server`). `session` and `text` have no LSP dependency; `lsp`
imports pygls, and only `cfw-lint server` imports it."""
