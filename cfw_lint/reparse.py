"""Incremental re-parse: a new version of a file parses only the top-level statements that changed.

An editor re-lints the same document after every pause in typing; LibCST's parse of a
1,000-line file is ~100 ms, most of it for statements that did not change. Each path's last
text and module are remembered. For a new text, the top-level statements the edit touched
(from the common prefix and suffix of the two texts) are parsed alone, behind a small prefix
that gives the parser the module's indentation and newline, and spliced between the unchanged
statements (the same, immutable node objects). The module is equal (`deep_equals`) to a full
parse: only where that is certain, and a full parse otherwise.

Why a window parses as it would inside the file: a top-level statement starts at column 0 of a
line, outside any bracket, so its tokens do not depend on the text before it. What does depend
on the neighbours is who owns the comment and blank lines between two statements (an indented
block's footer owns the lines up to the last one indented at its level; the next statement owns
the rest), the module's header (the first statement's leading lines), footer, default indent
(the first indented block) and default newline (the first newline). So the window is accepted
only when: no line at either edge starts with whitespace (nothing a block could claim), the
prefix's block claims nothing, a window not at the end leaves nothing to the module footer, its
code fills the window exactly, and the indent and newline the module would detect are unchanged.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass

import libcst as cst
from libcst._nodes.internal import CodegenState

from cfw_lint.positions import remember_starts, statement_start_lines
from cfw_lint.source import LineIndex

# an editor works on a few documents at once; each record holds a whole module
_MAX_DOCUMENTS = 8


@dataclass
class _Record:
    text: str
    module: cst.Module
    # offset of each top-level statement's code (its leading lines first), then len(text)
    offsets: list[int] | None = None
    # index of the first statement with an indented block (it sets default_indent)
    first_indented: int | None = None


_DOCUMENTS: OrderedDict[str, _Record] = OrderedDict()
_LOCK = threading.Lock()


def remember(path: str, text: str, module: cst.Module) -> None:
    """Record `module` as the parse of `text`, the current version of `path`."""
    with _LOCK:
        _DOCUMENTS[path] = _Record(text, module)
        _DOCUMENTS.move_to_end(path)
        while len(_DOCUMENTS) > _MAX_DOCUMENTS:
            _DOCUMENTS.popitem(last=False)


def forget(path: str | None = None) -> None:
    """Drop the record of `path` (of every path without one)."""
    with _LOCK:
        if path is None:
            _DOCUMENTS.clear()
        else:
            _DOCUMENTS.pop(path, None)


def reuse(text: str, path: str) -> cst.Module | None:
    """The module of `text` built from the last parse of `path`, or None (parse it all)."""
    with _LOCK:
        record = _DOCUMENTS.get(path)
    if record is None:
        return None
    if record.text == text:
        return record.module
    try:
        spliced = _splice(record, text)
    except (cst.ParserSyntaxError, RecursionError, ValueError, TypeError, IndexError):
        return None
    if spliced is None:
        return None
    with _LOCK:
        if _DOCUMENTS.get(path) is record:
            _DOCUMENTS[path] = spliced
    return spliced.module


def _first_newline_fast(text: str) -> str:
    n, r = text.find("\n"), text.find("\r")
    if r == -1:
        return "\n"
    if n == -1 or r < n:
        return "\r\n" if text.startswith("\r\n", r) else "\r"
    return "\n"


def _first_block(stmt: cst.CSTNode) -> tuple[bool, str | None]:
    """Whether a top-level statement holds an indented block (an INDENT token), and the `indent`
    field of the first one (None: the module's default indent)."""
    if isinstance(stmt, cst.Match):
        return True, stmt.indent
    if not isinstance(stmt, cst.BaseCompoundStatement):
        return False, None
    suites: list[cst.CSTNode | None] = [stmt.body]
    orelse = getattr(stmt, "orelse", None)
    while orelse is not None:  # if/elif/else chains, loops' and try's else
        suites.append(orelse.body)
        orelse = getattr(orelse, "orelse", None)
    for handler in getattr(stmt, "handlers", ()):
        suites.append(handler.body)
    final = getattr(stmt, "finalbody", None)
    if final is not None:
        suites.append(final.body)
    for suite in suites:
        if isinstance(suite, cst.IndentedBlock):
            return True, suite.indent
    return False, None


def _indented(stmt: cst.CSTNode) -> bool:
    return _first_block(stmt)[0]


def _code(nodes: Sequence[cst.CSTNode], module: cst.Module) -> str:
    state = CodegenState(default_indent=module.default_indent, default_newline=module.default_newline)
    for node in nodes:
        node._codegen(state)  # noqa: SLF001
    return "".join(state.tokens)


def _prepare(record: _Record) -> bool:
    module = record.module
    if record.offsets is None:
        if not module.body:
            return False
        lines = statement_start_lines(module, record.text)
        if lines is None:
            return False
        index = LineIndex(record.text)
        if any(line < 1 or line > len(index.starts) for line in lines):
            return False
        record.offsets = [index.starts[line - 1] for line in lines] + [len(record.text)]
        # the first statement starts right after the header
        if len(_code(module.header, module)) != record.offsets[0]:
            return False
    if record.first_indented is None:
        record.first_indented = next((k for k, stmt in enumerate(module.body) if _indented(stmt)), len(module.body))
    return True


def _clean_edge(lines: Sequence[cst.EmptyLine]) -> bool:
    # a line starting with whitespace could belong to the previous statement's block
    return all(not line.whitespace.value for line in lines)


def _common_prefix(a: str, b: str) -> int:
    low, high = 0, min(len(a), len(b))
    while low < high:  # binary search on slice equality (compared in C)
        mid = (low + high + 1) // 2
        if a[:mid] == b[:mid]:
            low = mid
        else:
            high = mid - 1
    return low


def _common_suffix(a: str, b: str, limit: int) -> int:
    low, high = 0, limit
    while low < high:
        mid = (low + high + 1) // 2
        if a[len(a) - mid :] == b[len(b) - mid :]:
            low = mid
        else:
            high = mid - 1
    return low


def _chunk_at(offsets: list[int], offset: int) -> int:
    import bisect

    return max(bisect.bisect_right(offsets, offset) - 1, 0)


def _splice(record: _Record, text: str) -> _Record | None:
    old_text, old = record.text, record.module
    if not text.strip() or text.startswith("\ufeff"):
        return None
    prefix = _common_prefix(old_text, text)
    suffix = _common_suffix(old_text, text, min(len(old_text), len(text)) - prefix)
    if prefix + suffix < len(text) // 2:
        return None  # another text more than an edit: a full parse costs less than a diff
    if not _prepare(record):
        return None
    offsets = record.offsets
    assert offsets is not None and record.first_indented is not None
    newline = old.default_newline
    if _first_newline_fast(text) != newline or _first_newline_fast(old_text) != newline:
        return None
    count = len(old.body)
    delta = len(text) - len(old_text)
    first = _chunk_at(offsets[:-1], max(prefix - 1, 0))
    last = _chunk_at(offsets[:-1], min(len(old_text) - suffix, len(old_text) - 1))
    if last < first:
        last = first
    if first == 0 and _declares_encoding(old_text, text):
        return None
    start = 0 if first == 0 else offsets[first]
    end = offsets[last + 1] + delta
    at_end = last + 1 == count
    indent = old.default_indent
    window = text[start:end]
    if not at_end and not window.endswith(("\n", "\r")):
        return None
    head = f"if 1:{newline}{indent}pass{newline}"
    parsed = cst.parse_module(head + window)
    if parsed.default_indent != indent or parsed.default_newline != newline:
        return None
    guard = parsed.body[0]
    if (
        not isinstance(guard, cst.If)
        or guard.orelse is not None  # the window starts with `else:`, which only the prefix accepts
        or not isinstance(guard.body, cst.IndentedBlock)
        or guard.body.footer
    ):
        return None
    fresh = list(parsed.body[1:])
    if not fresh:
        return None
    # the first indented block sets the module's default indent: it must stay what it was
    shift = len(fresh) - (last + 1 - first)
    first_indented: int | None = record.first_indented if record.first_indented < first else None
    if first_indented is None:
        for k, stmt in enumerate(fresh):
            has_block, block_indent = _first_block(stmt)
            if has_block:
                if block_indent is not None:
                    return None
                first_indented = first + k
                break
    if first_indented is None:
        for k in range(last + 1, count):
            has_block, block_indent = _first_block(old.body[k])
            if has_block:
                if block_indent is not None:
                    return None
                first_indented = k + shift
                break
    if first_indented is None:
        if indent != cst.Module(body=()).default_indent:
            return None  # no indented block left: LibCST's fallback indent
        first_indented = count + shift
    header = old.header
    if first == 0:
        header = fresh[0].leading_lines
        fresh[0] = fresh[0].with_changes(leading_lines=())
    elif not _clean_edge(fresh[0].leading_lines):
        return None
    if at_end:
        footer, trailing = parsed.footer, parsed.has_trailing_newline
    else:
        if parsed.footer or not parsed.has_trailing_newline or not _clean_edge(old.body[last + 1].leading_lines):
            return None
        footer, trailing = old.footer, old.has_trailing_newline
    module = cst.Module(
        body=(*old.body[:first], *fresh, *old.body[last + 1 :]),
        header=header,
        footer=footer,
        encoding=old.encoding,
        default_indent=indent,
        default_newline=newline,
        has_trailing_newline=trailing,
    )
    # where the new statements start; their code must fill the window exactly
    new_offsets = offsets[:first]
    position = start + len(_code(header, module)) if first == 0 else start
    for stmt in fresh:
        new_offsets.append(position)
        position += len(_code([stmt], module))
    if at_end:
        tail = position + len(_code(footer, module))
        if tail != len(text) and (trailing or tail - len(newline) != len(text)):
            return None
    elif position != end:
        return None
    new_offsets.extend(offset + delta for offset in offsets[last + 1 :])
    if at_end:
        new_offsets.append(len(text))
    index = LineIndex(text)
    remember_starts(module, text, [index.position(offset).line for offset in new_offsets[:-1]])
    return _Record(text, module, new_offsets, first_indented)


def _declares_encoding(*texts: str) -> bool:
    for text in texts:
        head = text.split("\n", 2)[:2]
        if any("coding" in line for line in head):
            return True
    return False
