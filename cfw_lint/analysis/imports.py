"""Import edits for fixes: add an import once, in the existing import block; drop unused ones.

All functions take a FixBuilder and record edits on it. They only look at top-level import
statements, which is where a fix adds imports.
"""

from __future__ import annotations

import libcst as cst

from cfw_lint.analysis.names import dotted_name
from cfw_lint.facts import import_from_module
from cfw_lint.fixes import FixBuilder


def _top_level_imports(module: cst.Module) -> list[tuple[cst.SimpleStatementLine, cst.BaseSmallStatement]]:
    out: list[tuple[cst.SimpleStatementLine, cst.BaseSmallStatement]] = []
    for stmt in module.body:
        if isinstance(stmt, cst.SimpleStatementLine):
            for small in stmt.body:
                if isinstance(small, (cst.Import, cst.ImportFrom)):
                    out.append((stmt, small))
    return out


def has_from_import(module: cst.Module, module_name: str, name: str) -> str | None:
    """The local name under which `from module_name import name` is bound, if it is."""
    for _, small in _top_level_imports(module):
        if not isinstance(small, cst.ImportFrom) or small.relative:
            continue
        if import_from_module(small) != module_name or isinstance(small.names, cst.ImportStar):
            continue
        for alias in small.names:
            if dotted_name(alias.name) == name:
                if alias.asname is not None and isinstance(alias.asname.name, cst.Name):
                    return alias.asname.name.value
                return name
    return None


def has_import(module: cst.Module, module_name: str) -> str | None:
    """The local name under which `import module_name` is bound, if it is."""
    for _, small in _top_level_imports(module):
        if not isinstance(small, cst.Import):
            continue
        for alias in small.names:
            if dotted_name(alias.name) == module_name:
                if alias.asname is not None and isinstance(alias.asname.name, cst.Name):
                    return alias.asname.name.value
                return module_name
    return None


def _insertion_point(module: cst.Module) -> cst.BaseStatement | None:
    """The statement after which a new import goes: the last one of the leading import block.

    None means "at the very top" (no imports and no docstring).
    """
    last: cst.BaseStatement | None = None
    for i, stmt in enumerate(module.body):
        if isinstance(stmt, cst.SimpleStatementLine):
            if all(isinstance(s, (cst.Import, cst.ImportFrom)) for s in stmt.body):
                last = stmt
                continue
            if (
                i == 0
                and len(stmt.body) == 1
                and isinstance(stmt.body[0], cst.Expr)
                and isinstance(stmt.body[0].value, (cst.SimpleString, cst.ConcatenatedString))
            ):
                last = stmt  # module docstring
                continue
        break
    if last is None:
        # no leading block: after the last top-level import anywhere, if there is one
        imports = _top_level_imports(module)
        if imports:
            return imports[-1][0]
    return last


def add_statement(fx: FixBuilder, code: str) -> None:
    """Insert a top-level statement (`code`, without newline) at the end of the import block."""
    newline = fx.module.default_newline
    anchor = _insertion_point(fx.module)
    if anchor is None:
        at = _header_end(fx)
        fx.edit(at, at, code + newline)
    else:
        # in a file with mixed line endings, copy the ending of the line we insert after
        _, end = fx.span(anchor)
        if fx.text[:end].endswith("\r\n"):
            newline = "\r\n"
        elif fx.text[:end].endswith("\n"):
            newline = "\n"
        fx.insert_after(anchor, code + newline)


def _header_end(fx: FixBuilder) -> int:
    """Offset just after the module header (shebang, encoding cookie, leading comments)."""
    header = "".join(fx.code(line) for line in fx.module.header) if fx.module.header else ""
    return len(header)


def ensure_from_import(fx: FixBuilder, module_name: str, name: str) -> str:
    """Make `name` from `module_name` available; returns the local name to use."""
    existing = has_from_import(fx.module, module_name, name)
    if existing is not None:
        return existing
    for stmt, small in _top_level_imports(fx.module):
        if (
            isinstance(small, cst.ImportFrom)
            and not small.relative
            and import_from_module(small) == module_name
            and not isinstance(small.names, cst.ImportStar)
            and len(stmt.body) == 1
        ):
            names = list(small.names)
            last = names[-1]
            if isinstance(last.comma, cst.Comma) and isinstance(
                last.comma.whitespace_after, cst.ParenthesizedWhitespace
            ):
                # one name per line with a trailing comma: the old last name keeps its comma (and
                # any comment after it) but gets the names' indentation; the new name ends the list
                after = last.comma.whitespace_after
                indent = _name_indent(small, names)
                names[-1] = last.with_changes(
                    comma=last.comma.with_changes(
                        whitespace_after=after.with_changes(last_line=cst.SimpleWhitespace(indent))
                    )
                )
                new_alias = cst.ImportAlias(
                    name=cst.Name(name),
                    comma=cst.Comma(
                        whitespace_after=after.with_changes(first_line=cst.TrailingWhitespace(), empty_lines=[])
                    ),
                )
            elif isinstance(last.comma, cst.Comma):
                new_alias = cst.ImportAlias(name=cst.Name(name), comma=last.comma)
            else:
                new_alias = cst.ImportAlias(name=cst.Name(name))
                names[-1] = last.with_changes(comma=cst.Comma(whitespace_after=cst.SimpleWhitespace(" ")))
            fx.replace(small, small.with_changes(names=[*names, new_alias]))
            return name
    add_statement(fx, f"from {module_name} import {name}")
    return name


def _name_indent(node: cst.ImportFrom, names: list[cst.ImportAlias]) -> str:
    """The indentation of the names in a parenthesised, one-per-line import."""
    if len(names) >= 2:
        separator = names[-2].comma
        if isinstance(separator, cst.Comma) and isinstance(separator.whitespace_after, cst.ParenthesizedWhitespace):
            return separator.whitespace_after.last_line.value
    if node.lpar is not None and isinstance(node.lpar.whitespace_after, cst.ParenthesizedWhitespace):
        return node.lpar.whitespace_after.last_line.value
    return "    "


def ensure_import(fx: FixBuilder, module_name: str) -> str:
    """Make `import module_name` available; returns the local name to use."""
    existing = has_import(fx.module, module_name)
    if existing is not None:
        return existing
    add_statement(fx, f"import {module_name}")
    return module_name


def remove_from_import(fx: FixBuilder, stmt: cst.SimpleStatementLine, small: cst.ImportFrom, names: set[str]) -> None:
    """Drop `names` from a `from x import ...`; drop the statement when nothing is left."""
    assert not isinstance(small.names, cst.ImportStar)
    keep = [a for a in small.names if dotted_name(a.name) not in names]
    if not keep:
        if len(stmt.body) == 1:
            fx.remove(stmt)
        else:
            others = [s for s in stmt.body if s is not small]
            others[-1] = others[-1].with_changes(semicolon=cst.MaybeSentinel.DEFAULT)
            fx.replace(stmt, stmt.with_changes(body=others))
        return
    # keep the style of the original last alias (trailing comma or not)
    original_last_comma = small.names[-1].comma
    keep[-1] = keep[-1].with_changes(comma=original_last_comma)
    new = small.with_changes(names=keep)
    if len(keep) == 1 and new.lpar is not None and not isinstance(original_last_comma, cst.Comma):
        new = new.with_changes(lpar=None, rpar=None)
    fx.replace(small, new)


def find_from_import(
    module: cst.Module, module_name: str, name: str
) -> tuple[cst.SimpleStatementLine, cst.ImportFrom] | None:
    for stmt, small in _top_level_imports(module):
        if (
            isinstance(small, cst.ImportFrom)
            and not small.relative
            and import_from_module(small) == module_name
            and not isinstance(small.names, cst.ImportStar)
            and any(dotted_name(a.name) == name for a in small.names)
        ):
            return stmt, small
    return None
