"""Round-trip edits of a Worker config that keep its comments, key order and formatting.

Each function returns one `Edit` (offsets into `config.text`) or None when the edit cannot be
made safely. TOML goes through tomlkit and the result is narrowed to the changed region; JSONC
and JSON are edited as text at the value spans the parser recorded, touching as little as
possible (no trailing comma is ever introduced, so wrangler.json stays strict JSON).
"""

from __future__ import annotations

import json
import re
from typing import Any, Callable

from cfw_lint.diagnostics import Edit
from cfw_lint.fixes import minimize
from cfw_lint.project.jsonc import skip_insignificant
from cfw_lint.project.wrangler import WorkerConfig


def add_to_array(config: WorkerConfig, path: tuple, value: str) -> Edit | None:
    """Add the string `value` to the existing array at `path`.

    TOML: appended (tomlkit keeps the array's layout when appending). JSONC: put first, which
    needs no comma juggling around a trailing comma or a comment after the last element.
    """
    if config.format == "toml":

        def mutate(doc: Any) -> None:
            array = _toml_get(doc, path)
            if not isinstance(array, list):
                raise _NoEdit
            array.append(value)

        return _toml_edit(config, mutate)
    span = config.spans.get(path)
    if span is None or config.text[span[0]] != "[":
        return None
    text = config.text
    literal = json.dumps(value)
    first = config.spans.get(path + (0,))
    if first is None:  # empty array: `[]`, `[ ]`, or one holding only comments
        inner_start, inner_end = span[0] + 1, span[1] - 1
        if text[inner_start:inner_end].strip() == "":
            return Edit(inner_start, inner_end, literal)
        return Edit(inner_start, inner_start, literal)
    start = first[0]
    line_start = _line_start(text, start)
    if line_start > span[0] and text[line_start:start].strip() == "":
        # one element per line: the new one gets its own line with the same indentation
        indent = text[line_start:start]
        return Edit(start, start, f"{literal},{_newline(text)}{indent}")
    return Edit(start, start, f"{literal}, ")


def remove_from_array(config: WorkerConfig, path: tuple, index: int) -> Edit | None:
    """Remove element `index` of the array at `path` (with its own comment when on its line)."""
    if config.format == "toml":

        def mutate(doc: Any) -> None:
            array = _toml_get(doc, path)
            if not isinstance(array, list) or index >= len(array):
                raise _NoEdit
            del array[index]

        return _toml_edit(config, mutate)
    text = config.text
    element = config.spans.get(path + (index,))
    if element is None:
        return None
    start, end = element
    comma = _comma_after(text, end)
    previous = config.spans.get(path + (index - 1,)) if index > 0 else None
    previous_comma = _comma_after(text, previous[1]) if previous else None
    line_start = _line_start(text, start)
    after = comma + 1 if comma is not None and "\n" not in text[end:comma] else end
    line_end = _line_end(text, after)
    rest = text[after:line_end].strip()
    own_line = text[line_start:start].strip() == "" and (rest == "" or rest.startswith("//"))
    if own_line:
        next_line = line_end + 1 if line_end < len(text) else line_end
        if comma is None and previous_comma is not None:
            # the last element goes: its predecessor's comma must go too (no trailing comma)
            return Edit(previous_comma, next_line, text[previous_comma + 1 : line_start])
        return Edit(line_start, next_line, "")
    if comma is not None and "\n" not in text[end:comma]:
        last = text[skip_insignificant(text, comma + 1) : skip_insignificant(text, comma + 1) + 1] == "]"
        if last and previous_comma is not None:
            # `["a", "x",]` -> `["a",]`: the trailing comma stays where it was
            return Edit(previous_comma + 1, comma + 1, "")
        stop = comma + 1
        while not last and stop < len(text) and text[stop] in " \t":
            stop += 1
        return Edit(start, stop, "")
    if previous_comma is not None:
        return Edit(previous_comma, end, "")
    return Edit(start, end, "")


def set_string(config: WorkerConfig, path: tuple, value: str) -> Edit | None:
    """Replace the value at `path` (it must exist) with the string `value`."""
    if config.format == "toml":

        def mutate(doc: Any) -> None:
            parent = _toml_get(doc, path[:-1])
            if path[-1] not in parent:
                raise _NoEdit
            parent[path[-1]] = value

        return _toml_edit(config, mutate)
    span = config.spans.get(path)
    if span is None:
        return None
    return Edit(span[0], span[1], json.dumps(value))


def add_top_level_key(config: WorkerConfig, key: str, value: Any, after: str | None = None) -> Edit | None:
    """Add `key = value` at the top level, after the key `after` when present."""
    if key in config.data:
        return None
    if config.format == "toml":
        return _toml_add_top_level_key(config, key, value, after)
    text = config.text
    member = f"{json.dumps(key)}: {json.dumps(value)}"
    keys = list(config.data)
    obj = config.spans.get(())
    if obj is None:
        return None
    if not keys:
        inner_start, inner_end = obj[0] + 1, obj[1] - 1
        if text[inner_start:inner_end].strip() == "":
            return Edit(inner_start, inner_end, member)
        return Edit(inner_start, inner_start, member)
    if after in keys:
        edit = _insert_after_member(config, after, member)
        if edit is not None:
            return edit
    offset = config.key_offsets.get((keys[0],))
    if offset is None:
        return None
    line_start = _line_start(text, offset)
    if line_start > obj[0] and text[line_start:offset].strip() == "":
        indent = text[line_start:offset]
        return Edit(line_start, line_start, f"{indent}{member},{_newline(text)}")
    return Edit(offset, offset, f"{member}, ")


def _insert_after_member(config: WorkerConfig, key: str, member: str) -> Edit | None:
    """Put `member` on its own line after the member `key`, when that one starts its line."""
    text = config.text
    offset = config.key_offsets.get((key,))
    value = config.spans.get((key,))
    if offset is None or value is None:
        return None
    line_start = _line_start(text, offset)
    indent = text[line_start:offset]
    if indent.strip() != "" or line_start == 0:
        return None
    nl = _newline(text)
    comma = _comma_after(text, value[1])
    if comma is None:
        # the last member: it gets the comma, the new member none (strict JSON stays valid)
        return Edit(value[1], value[1], f",{nl}{indent}{member}")
    if "\n" in text[value[1] : comma]:
        return None
    end = _line_end(text, comma)
    if text[end - 1 : end] == "\r":
        end -= 1
    # after the comma's line (and its comment); a trailing comma only if more members follow
    more = text[skip_insignificant(text, comma + 1)] != "}"
    return Edit(end, end, f"{nl}{indent}{member}{',' if more else ''}")


def _toml_add_top_level_key(config: WorkerConfig, key: str, value: Any, after: str | None) -> Edit | None:
    """A new `key = value` line after the line of `after`, else after the last top-level key
    (tomlkit would put it right above the first table, between a table and its comment)."""
    import tomlkit

    text = config.text
    top = {path[0]: span for path, span in config.spans.items() if len(path) == 1}
    anchor = top.get(after) if after is not None else None
    if anchor is None and top:
        anchor = max(top.values(), key=lambda span: span[1])
    name = key if re.fullmatch(r"[A-Za-z0-9_-]+", key) else json.dumps(key)
    line = f"{name} = {tomlkit.item(value).as_string()}"
    nl = _newline(text)
    if anchor is None:
        return Edit(0, 0, line + nl)
    end = _line_end(text, anchor[1])
    if end == len(text):
        return Edit(end, end, nl + line + nl)
    return Edit(end + 1, end + 1, line + nl)


# -- TOML --------------------------------------------------------------------------------------
class _NoEdit(Exception):
    pass


def _toml_get(doc: Any, path: tuple) -> Any:
    node = doc
    for part in path:
        try:
            node = node[part]
        except (KeyError, IndexError, TypeError):
            raise _NoEdit from None
    return node


def _toml_edit(config: WorkerConfig, mutate: Callable[[Any], None]) -> Edit | None:
    import tomlkit
    from tomlkit.exceptions import TOMLKitError

    text = config.text
    try:
        doc = tomlkit.parse(text)
        mutate(doc)
        new = tomlkit.dumps(doc)
    except (_NoEdit, TOMLKitError, ValueError, TypeError):
        return None
    if "\r\n" in text and not _LONE_LF.search(text):
        new = _LONE_LF.sub("\r\n", new)  # tomlkit writes new lines with "\n"
    return minimize(text, Edit(0, len(text), new))


_LONE_LF = re.compile(r"(?<!\r)\n")


# -- JSONC text helpers ------------------------------------------------------------------------
def _line_start(text: str, offset: int) -> int:
    return text.rfind("\n", 0, offset) + 1


def _line_end(text: str, offset: int) -> int:
    """Offset of the line's "\\n" (or of its "\\r\\n"'s "\\n"); len(text) on the last line."""
    end = text.find("\n", offset)
    return len(text) if end < 0 else end


def _newline(text: str) -> str:
    return "\r\n" if "\r\n" in text else "\n"


def _comma_after(text: str, offset: int) -> int | None:
    """Offset of the comma that follows a value ending at `offset`, skipping comments."""
    i = skip_insignificant(text, offset)
    return i if text[i : i + 1] == "," else None
