"""Offsets, cfw-lint positions and LSP positions for one text.

cfw-lint counts 1-based lines and 1-based columns in characters; LSP counts 0-based lines and
columns in the negotiated encoding's code units (UTF-16 unless the client chose otherwise).
Lines end at \\n, \\r\\n or \\r in both.
"""

from __future__ import annotations

import bisect


def units(text: str, encoding: str) -> int:
    if encoding == "utf-8":
        return len(text.encode("utf-8", errors="surrogatepass"))
    if encoding == "utf-32":
        return len(text)
    return len(text.encode("utf-16-le", errors="surrogatepass")) // 2


class TextMap:
    def __init__(self, text: str, encoding: str = "utf-16") -> None:
        self.text = text
        self.encoding = encoding
        starts = [0]
        i, n = 0, len(text)
        while i < n:
            c = text[i]
            if c == "\n":
                starts.append(i + 1)
            elif c == "\r":
                if i + 1 < n and text[i + 1] == "\n":
                    i += 1
                starts.append(i + 1)
            i += 1
        self.starts = starts

    def line_end(self, line: int) -> int:
        """Offset of the end of 0-based `line`, before its line break."""
        if line + 1 < len(self.starts):
            end = self.starts[line + 1]
            while end > self.starts[line] and self.text[end - 1] in "\r\n":
                end -= 1
            return end
        return len(self.text)

    def line_text(self, line: int) -> str:
        """0-based line without its line break ('' past the end)."""
        if line >= len(self.starts):
            return ""
        return self.text[self.starts[line] : self.line_end(line)]

    def offset(self, line: int, column: int) -> int:
        """Offset of a cfw-lint position (1-based line, 1-based character column)."""
        if line - 1 >= len(self.starts):
            return len(self.text)
        start = self.starts[max(line - 1, 0)]
        return min(start + max(column - 1, 0), self.line_end(max(line - 1, 0)))

    def lsp(self, offset: int) -> tuple[int, int]:
        """(line, character) in LSP terms for an offset."""
        offset = max(0, min(offset, len(self.text)))
        line = bisect.bisect_right(self.starts, offset) - 1
        return line, units(self.text[self.starts[line] : offset], self.encoding)

    def from_lsp(self, line: int, character: int) -> int:
        """Offset for an LSP position (clamped to the text, as the protocol asks)."""
        if line >= len(self.starts):
            return len(self.text)
        start, end = self.starts[line], self.line_end(line)
        if self.encoding == "utf-32":
            return min(start + character, end)
        count = 0
        for i in range(start, end):
            if count >= character:
                return i
            count += units(self.text[i], self.encoding)
        return end
