"""Offsets into text -> 1-based (line, column), without listing every newline.

Positions follow what editors show: a line ends at CRLF, LF or a lone CR. YAML 1.1
parsers (libyaml, PyYAML) also end lines at NEL (U+0085), LS (U+2028) and PS (U+2029),
even inside quoted strings, so their marks' line numbers run ahead of an editor's after
one; positions are therefore taken from a mark's character offset (``mark.index``), not
its line (see :func:`has_unusual_breaks`). Text edits (``linter.edit``) find lines as the
parser does (:data:`YAML_BREAKS`), since YAML indentation is counted from the parser's
line starts.
"""

from __future__ import annotations

import bisect
import re
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


#: line breaks as editors show them: CRLF, LF, and a lone CR
EDITOR_BREAKS = re.compile(r"\r\n?|\n")
#: line breaks as YAML 1.1 (libyaml, PyYAML) counts them: also NEL, LS and PS
YAML_BREAKS = re.compile("\r\n?|[\n\x85\u2028\u2029]")
_UNUSUAL = re.compile("\r(?!\n)|[\x85\u2028\u2029]")


def has_unusual_breaks(text: str) -> bool:
    """Whether the text holds a line break other than LF and CRLF (a lone CR, NEL, LS, PS):
    then the YAML parser's line numbers differ from an editor's."""
    return _UNUSUAL.search(text) is not None


def editor_lines(text: str) -> LineBlocks[str] | LineTable:
    """Offsets -> positions as editors count lines: the fast :class:`LineBlocks` when the only
    breaks are LF and CRLF, else a :class:`LineTable` of :data:`EDITOR_BREAKS`."""
    return LineTable(text) if has_unusual_breaks(text) else LineBlocks(text)


class LineTable:
    """Offsets -> 1-based (line, column) for a given set of line breaks (one list of line
    starts, built once; a lookup is a binary search). Columns count characters."""

    def __init__(self, text: str, breaks: re.Pattern[str] = EDITOR_BREAKS) -> None:
        self.text = text
        self.starts = [0] + [match.end() for match in breaks.finditer(text)]

    def position(self, offset: int) -> tuple[int, int]:
        offset = max(0, min(offset, len(self.text)))
        index = bisect.bisect_right(self.starts, offset) - 1
        return (index + 1, offset - self.starts[index] + 1)

    def line_start(self, offset: int) -> int:
        """Where the line holding ``offset`` starts."""
        return self.starts[bisect.bisect_right(self.starts, offset) - 1]

    def next_line(self, offset: int) -> int:
        """Where the line after the one holding ``offset`` starts (the text's length on the last)."""
        index = bisect.bisect_right(self.starts, offset)
        return self.starts[index] if index < len(self.starts) else len(self.text)
