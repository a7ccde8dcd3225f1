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

#: UTF-8 continuation bytes (0x80-0xBF): a character is its bytes less these
_CONTINUATION = bytes(range(0x80, 0xC0))
#: granularity of the table of continuation bytes (see :meth:`LineBlocks.column`)
_CHUNK = 4096


def _continuations(raw: bytes) -> int:
    return len(raw) - len(raw.translate(None, _CONTINUATION))


class LineBlocks(Generic[AnyStr]):
    """Offsets -> lines, in time that does not grow with the text or the number of lookups.

    The text is cut into blocks whose newline counts are taken once, in C; the newlines of a
    block are listed the first time a lookup falls into it, and a lookup is then a binary
    search in one block's list. Listing every newline of a 13 MB spec up front costs more
    than all of its lookups when there are few; counting within a block at each lookup costs
    a block's scan per lookup when there are many. Works on ``str`` (character offsets) and
    ``bytes`` (byte offsets; :meth:`column` then counts the characters of UTF-8 text)."""

    SIZE = 1 << 16

    def __init__(self, text: AnyStr) -> None:
        self.text = text
        self.newline: AnyStr = b"\n" if isinstance(text, bytes) else "\n"  # type: ignore[assignment]
        self._newline_pattern = re.compile(re.escape(self.newline))
        #: per block: the newlines before it, and the offset of the last of them (-1: none)
        self.lines_before: list[int] = []
        self.last_newline_before: list[int] = []
        #: per block looked into: the offsets of its newlines
        self._newlines: dict[int, list[int]] = {}
        self._ascii: bool | None = None
        #: entry k: the UTF-8 continuation bytes in ``text[: k * _CHUNK]`` (made when needed)
        self._continuations_before: list[int] | None = None
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
        newlines = self._newlines.get(block)
        if newlines is None:
            start = block * self.SIZE
            found = self._newline_pattern.finditer(self.text, start, start + self.SIZE)
            newlines = self._newlines[block] = [match.start() for match in found]
        before = bisect.bisect_left(newlines, offset)
        newline = newlines[before - 1] if before else self.last_newline_before[block]
        return (self.lines_before[block] + before + 1, newline + 1)

    def column(self, offset: int, line_start: int) -> int:
        """1-based column of ``offset`` on the line starting at ``line_start``, in characters:
        for ``bytes``, the UTF-8 characters between them (not their bytes). Costs at most a
        few kilobytes' scan, however long the line."""
        if isinstance(self.text, str):
            return offset - line_start + 1
        if self._ascii is None:
            self._ascii = self.text.isascii()
        if self._ascii:
            return offset - line_start + 1
        return offset - line_start - self._continuations_between(line_start, offset) + 1

    def _continuations_between(self, start: int, end: int) -> int:
        raw: bytes = self.text  # type: ignore[assignment]
        if end - start <= 2 * _CHUNK:
            return _continuations(raw[start:end])
        table = self._continuations_before
        if table is None:
            table = [0]
            for at in range(0, len(raw), _CHUNK):
                table.append(table[-1] + _continuations(raw[at : at + _CHUNK]))
            self._continuations_before = table
        first, last = -(-start // _CHUNK), end // _CHUNK
        inside = table[last] - table[first]
        return _continuations(raw[start : first * _CHUNK]) + inside + _continuations(raw[last * _CHUNK : end])


#: line breaks as editors show them: CRLF, LF, and a lone CR
EDITOR_BREAKS = re.compile(r"\r\n?|\n")
#: line breaks as YAML 1.1 (libyaml, PyYAML) counts them: also NEL, LS and PS
YAML_BREAKS = re.compile("\r\n?|[\n\x85\u2028\u2029]")


def has_unusual_breaks(text: str) -> bool:
    """Whether the text holds a line break other than LF and CRLF (a lone CR, NEL, LS, PS):
    then the YAML parser's line numbers differ from an editor's. Asked with ``str`` scans in
    C, 0.3 ms on a 4 MB spec (a regular expression searching for them took 35 ms): a lone CR
    is a CR that starts no CRLF."""
    if "\r" in text and text.count("\r") != text.count("\r\n"):
        return True
    return "\x85" in text or "\u2028" in text or "\u2029" in text


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
