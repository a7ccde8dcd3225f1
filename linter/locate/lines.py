"""Offsets into text -> 1-based (line, column), without listing every newline."""

from __future__ import annotations

from typing import AnyStr, Generic


class LineBlocks(Generic[AnyStr]):
    """The text is cut into blocks whose newline counts are taken once, in C; a lookup then
    counts within one block only. Listing the newlines of a 13 MB spec in Python costs more
    than all of its lookups. Works on ``str`` (character offsets) and ``bytes`` (byte offsets)."""

    SIZE = 1 << 16

    def __init__(self, text: AnyStr) -> None:
        self.text = text
        self.newline: AnyStr = b"\n" if isinstance(text, bytes) else "\n"  # type: ignore[assignment]
        #: per block: the newlines before it, and the offset of the last of them (-1: none)
        self.lines_before: list[int] = []
        self.last_newline_before: list[int] = []
        lines, last = 0, -1
        for start in range(0, len(text) + 1, self.SIZE):
            self.lines_before.append(lines)
            self.last_newline_before.append(last)
            end = start + self.SIZE
            lines += text.count(self.newline, start, end)
            found = text.rfind(self.newline, start, end)
            if found != -1:
                last = found
        self.lines_before.append(lines)
        self.last_newline_before.append(last)

    def position(self, offset: int) -> tuple[int, int]:
        """(line, column) of ``offset``; the column counts units of the text (characters or bytes)."""
        offset = max(0, min(offset, len(self.text)))
        line, line_start = self.line_of(offset)
        return (line, offset - line_start + 1)

    def line_of(self, offset: int) -> tuple[int, int]:
        """(1-based line, offset where that line starts) of ``offset`` (within the text)."""
        offset = max(0, min(offset, len(self.text)))
        block = offset // self.SIZE
        block_start = block * self.SIZE
        line = self.lines_before[block] + self.text.count(self.newline, block_start, offset)
        newline = self.text.rfind(self.newline, block_start, offset)
        if newline == -1:
            newline = self.last_newline_before[block]
        return (line + 1, newline + 1)
