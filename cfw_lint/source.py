"""Decoding source bytes and mapping offsets to line/column, and back again for writing."""

from __future__ import annotations

import bisect
import codecs
import io
import re
import tokenize
from dataclasses import dataclass

from cfw_lint.diagnostics import Position

BOM = codecs.BOM_UTF8


class DecodeError(Exception):
    """The bytes are not text in the encoding they declare."""


@dataclass
class SourceText:
    text: str
    encoding: str
    bom: bool

    def encode(self, text: str) -> bytes:
        data = text.encode(self.encoding)
        return BOM + data if self.bom else data


def decode_python(data: bytes) -> SourceText:
    """Decode Python source as the interpreter would: BOM, then PEP 263 cookie, else UTF-8."""
    if b"\x00" in data:
        # CPython refuses NUL bytes in source: binary, or UTF-16/32 text it does not read either
        raise DecodeError("it contains NUL bytes (a binary file, or UTF-16/32 text)")
    try:
        encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
    except SyntaxError as exc:
        raise DecodeError(str(exc)) from None
    bom = data.startswith(BOM)
    if encoding == "utf-8-sig":
        encoding = "utf-8"
    body = data[len(BOM) :] if bom else data
    try:
        text = body.decode(encoding)
    except (UnicodeDecodeError, LookupError) as exc:
        raise DecodeError(f"cannot decode as {encoding}: {exc}") from None
    return SourceText(text=text, encoding=encoding, bom=bom)


def decode_text(data: bytes) -> SourceText:
    """Decode a config file (TOML and JSON are UTF-8 by definition)."""
    bom = data.startswith(BOM)
    body = data[len(BOM) :] if bom else data
    try:
        return SourceText(text=body.decode("utf-8"), encoding="utf-8", bom=bom)
    except UnicodeDecodeError as exc:
        raise DecodeError(f"cannot decode as utf-8: {exc}") from None


_NEWLINE = re.compile(r"\r\n?|\n")


class LineIndex:
    """Offsets of line starts; converts offsets to 1-based (line, column) and back."""

    def __init__(self, text: str) -> None:
        # a line ends at \r\n, \r or \n (LibCST's and the tokenizer's rule)
        starts = [0]
        if "\r" in text:
            starts.extend(m.end() for m in _NEWLINE.finditer(text))
        else:
            find = text.find
            at = find("\n")
            while at != -1:
                starts.append(at + 1)
                at = find("\n", at + 1)
        self.starts = starts
        self.length = len(text)

    def offset(self, line: int, column: int) -> int:
        """Offset of a 1-based line and 0-based column (LibCST's convention)."""
        if line - 1 >= len(self.starts):
            return self.length
        return min(self.starts[line - 1] + column, self.length)

    def position(self, offset: int) -> Position:
        line = bisect.bisect_right(self.starts, offset)
        return Position(line, offset - self.starts[line - 1] + 1)

    def line_count(self) -> int:
        return len(self.starts)
