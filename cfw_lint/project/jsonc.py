"""A JSONC reader (JSON plus // and /* */ comments and trailing commas) that keeps positions.

wrangler.jsonc is JSONC; wrangler.json is read with the same parser (it is a subset). Every key
and array element gets a 1-based (line, column) so diagnostics point at the right place.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

Path_ = tuple  # a key path: ("compatibility_flags", 0), ("env", "staging", "main")


class JsoncError(Exception):
    def __init__(self, message: str, line: int, column: int) -> None:
        super().__init__(f"{message} (line {line}, column {column})")
        self.message = message
        self.line = line
        self.column = column


_ESCAPES = {'"': '"', "\\": "\\", "/": "/", "b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t"}


class _Parser:
    def __init__(self, text: str) -> None:
        self.text = text
        self.i = 0
        self.positions: dict[tuple, tuple[int, int]] = {}
        # value spans (start, end offsets) by path, for minimal in-place edits
        self.spans: dict[tuple, tuple[int, int]] = {}
        # offset of each object key's opening quote, by the member's path
        self.key_offsets: dict[tuple, int] = {}

    def where(self, offset: int | None = None) -> tuple[int, int]:
        offset = self.i if offset is None else offset
        line = self.text.count("\n", 0, offset) + 1
        column = offset - (self.text.rfind("\n", 0, offset) + 1) + 1
        return line, column

    def error(self, message: str, offset: int | None = None) -> JsoncError:
        return JsoncError(message, *self.where(offset))

    def skip(self) -> None:
        text, n = self.text, len(self.text)
        while self.i < n:
            c = text[self.i]
            if c in " \t\r\n\ufeff":
                self.i += 1
            elif text.startswith("//", self.i):
                end = text.find("\n", self.i)
                self.i = n if end < 0 else end + 1
            elif text.startswith("/*", self.i):
                end = text.find("*/", self.i + 2)
                if end < 0:
                    raise self.error("unterminated /* comment")
                self.i = end + 2
            else:
                break

    def value(self, path: tuple) -> Any:
        self.skip()
        if self.i >= len(self.text):
            raise self.error("unexpected end of file, expected a value")
        start = self.i
        c = self.text[self.i]
        if c == "{":
            result: Any = self.obj(path)
        elif c == "[":
            result = self.arr(path)
        elif c == '"':
            result = self.string()
        elif c in "-0123456789":
            result = self.number()
        elif self.text.startswith("true", self.i):
            self.i += 4
            result = True
        elif self.text.startswith("false", self.i):
            self.i += 5
            result = False
        elif self.text.startswith("null", self.i):
            self.i += 4
            result = None
        else:
            raise self.error(f"unexpected character {c!r}")
        self.spans[path] = (start, self.i)
        return result

    def obj(self, path: tuple) -> dict[str, Any]:
        self.i += 1
        out: dict[str, Any] = {}
        while True:
            self.skip()
            if self.i >= len(self.text):
                raise self.error("unterminated object, expected '}'")
            if self.text[self.i] == "}":
                self.i += 1
                return out
            if self.text[self.i] != '"':
                raise self.error("expected a double-quoted key or '}'")
            key_at = self.i
            key = self.string()
            self.skip()
            if self.i >= len(self.text) or self.text[self.i] != ":":
                raise self.error("expected ':' after key")
            self.i += 1
            self.positions[path + (key,)] = self.where(key_at)
            self.key_offsets[path + (key,)] = key_at
            out[key] = self.value(path + (key,))
            self.skip()
            if self.i < len(self.text) and self.text[self.i] == ",":
                self.i += 1
                continue
            self.skip()
            if self.i < len(self.text) and self.text[self.i] == "}":
                continue
            raise self.error("expected ',' or '}' after a value")

    def arr(self, path: tuple) -> list[Any]:
        self.i += 1
        out: list[Any] = []
        while True:
            self.skip()
            if self.i >= len(self.text):
                raise self.error("unterminated array, expected ']'")
            if self.text[self.i] == "]":
                self.i += 1
                return out
            index = len(out)
            self.positions[path + (index,)] = self.where()
            out.append(self.value(path + (index,)))
            self.skip()
            if self.i < len(self.text) and self.text[self.i] == ",":
                self.i += 1
                continue
            if self.i < len(self.text) and self.text[self.i] == "]":
                continue
            raise self.error("expected ',' or ']' after a value")

    def string(self) -> str:
        start = self.i
        self.i += 1
        out: list[str] = []
        text, n = self.text, len(self.text)
        while self.i < n:
            c = text[self.i]
            if c == '"':
                self.i += 1
                # \u escapes may spell a UTF-16 surrogate pair: join it into one character
                return "".join(out).encode("utf-16", "surrogatepass").decode("utf-16", "surrogatepass")
            if c == "\\":
                if self.i + 1 >= n:
                    break
                e = text[self.i + 1]
                if e == "u":
                    digits = text[self.i + 2 : self.i + 6]
                    try:
                        out.append(chr(int(digits, 16)))
                    except ValueError:
                        raise self.error("invalid \\u escape") from None
                    self.i += 6
                    continue
                if e not in _ESCAPES:
                    raise self.error(f"invalid escape \\{e}")
                out.append(_ESCAPES[e])
                self.i += 2
                continue
            if c == "\n":
                raise self.error("unterminated string", start)
            out.append(c)
            self.i += 1
        raise self.error("unterminated string", start)

    def number(self) -> int | float:
        start = self.i
        n = len(self.text)
        while self.i < n and self.text[self.i] in "+-0123456789.eE":
            self.i += 1
        raw = self.text[start : self.i]
        try:
            return int(raw) if raw.lstrip("-").isdigit() else float(raw)
        except ValueError:
            raise self.error(f"invalid number {raw!r}", start) from None


@dataclass
class JsoncDocument:
    data: Any
    positions: dict[tuple, tuple[int, int]]
    spans: dict[tuple, tuple[int, int]]
    key_offsets: dict[tuple, int]


def parse_jsonc_document(text: str) -> JsoncDocument:
    """Parse JSONC text keeping positions, value spans and key offsets. Raises JsoncError."""
    parser = _Parser(text)
    try:
        data = parser.value(())
    except RecursionError:
        raise JsoncError("arrays or objects nested too deeply", 1, 1) from None
    parser.skip()
    if parser.i != len(text):
        raise parser.error("unexpected text after the top-level value")
    return JsoncDocument(data, parser.positions, parser.spans, parser.key_offsets)


def skip_insignificant(text: str, i: int) -> int:
    """Offset of the next character at or after `i` that is not whitespace or a comment."""
    parser = _Parser(text)
    parser.i = i
    parser.skip()
    return parser.i


def parse_jsonc(text: str) -> tuple[Any, dict[tuple, tuple[int, int]], dict[tuple, tuple[int, int]]]:
    """Parse JSONC text; returns (data, key positions, value spans). Raises JsoncError."""
    parser = _Parser(text)
    try:
        data = parser.value(())
    except RecursionError:
        raise JsoncError("arrays or objects nested too deeply", 1, 1) from None
    parser.skip()
    if parser.i != len(text):
        raise parser.error("unexpected text after the top-level value")
    return data, parser.positions, parser.spans
