"""Where a member of ``pyproject.toml``'s ``[tool.errlint]`` table is written, so config
mistakes there get a ``file:line:column`` like those of ``.errlint.yaml``.

``tomllib`` gives no positions, so the text is read line by line (TOML 1.0, section 2-3):
table headers (``[tool.errlint.policies.p]``, ``[[...]]``) set the current table, and each
``key = value`` line (bare, quoted or dotted keys) places that key. Values are scanned for
where they end, so a line inside a multi-line string (triple-quoted) or a multi-line
array is never taken for a key or a header. A member written inside an inline table or an
array (``p = {require = [400]}``) is placed at the nearest key that has a line of its own; a
pointer to nothing falls back to its nearest placed ancestor, then to the ``[tool.errlint]``
header.
"""

from __future__ import annotations

import re
from bisect import bisect_right

from linter.locate.locator import Locator, Span
from linter.pointer import Pointer

_BARE = r"[A-Za-z0-9_-]+"
_KEY = rf'(?:{_BARE}|"(?:[^"\\]|\\.)*"|\'[^\']*\')'
_DOTTED = rf"{_KEY}(?:[ \t]*\.[ \t]*{_KEY})*"
_HEADER = re.compile(rf"^[ \t]*\[\[?[ \t]*({_DOTTED})[ \t]*\]\]?")
_ASSIGNMENT = re.compile(rf"^[ \t]*({_DOTTED})[ \t]*=")
_PART = re.compile(_KEY)
#: the table every pointer is relative to
PREFIX = ("tool", "errlint")


_ESCAPE = re.compile(r"\\(?:u([0-9A-Fa-f]{4})|U([0-9A-Fa-f]{8})|(.))")
_ESCAPES = {"b": "\b", "t": "\t", "n": "\n", "f": "\f", "r": "\r", '"': '"', "\\": "\\"}


def _unescape(found: re.Match[str]) -> str:
    code = found.group(1) or found.group(2)
    if code is not None:
        value = int(code, 16)
        return chr(value) if value <= 0x10FFFF else "\ufffd"
    return _ESCAPES.get(found.group(3), "\ufffd")


def _parts(dotted: str) -> tuple[str, ...]:
    keys = []
    for found in _PART.finditer(dotted):
        key = found.group()
        if key[:1] == '"':
            key = _ESCAPE.sub(_unescape, key[1:-1])
        elif key[:1] == "'":
            key = key[1:-1]
        keys.append(key)
    return tuple(keys)


class TomlTableLocator(Locator):
    """Positions of the members of ``[tool.errlint]`` in a ``pyproject.toml`` text, for
    pointers relative to that table (``("policies", "p", "require")``)."""

    def __init__(self, text: str) -> None:
        self._offsets: dict[Pointer, int] = {}
        self._line_starts = [0]
        table: tuple[str, ...] = ()
        offset = 0
        state = _ValueState()
        arrays: dict[tuple[str, ...], int] = {}  # each [[array]] header's last index
        for line in re.findall(r"[^\n]*\n|[^\n]+$", text):  # TOML breaks lines at LF (CRLF) only
            if state.open:  # the line continues a value: a string or an array
                state.scan(line)
                offset += len(line)
                self._line_starts.append(offset)
                continue
            header = _HEADER.match(line)
            assignment = None if header else _ASSIGNMENT.match(line)
            found = header or assignment
            if assignment is not None:
                state.scan(line[assignment.end() :])
            if found is not None:
                keys = _parts(found.group(1))
                if header:
                    keys = _indexed(keys, arrays, line.lstrip(" \t").startswith("[["))
                full = keys if header else (*table, *keys)
                if header:
                    table = keys
                if full[: len(PREFIX)] == PREFIX:
                    self._offsets.setdefault(full[len(PREFIX) :], offset + found.start(1))
            offset += len(line)
            self._line_starts.append(offset)

    def offset(self, pointer: Pointer) -> int | None:
        for depth in range(len(pointer), -1, -1):
            found = self._offsets.get(tuple(pointer[:depth]))
            if found is not None:
                return found
        return None

    def span(self, pointer: Pointer) -> Span | None:
        return None  # positions only: nothing edits pyproject.toml

    def position(self, pointer: Pointer) -> tuple[int, int] | None:
        found = self.offset(pointer)
        if found is None:  # the table is written inline (tool = {errlint = {...}})
            return (1, 1)
        line = _line_index(self._line_starts, found)
        return line + 1, found - self._line_starts[line] + 1


class _ValueState:
    """Where a value's text stands at the end of a line: inside a multi-line string, or how
    many arrays and inline tables are still open (TOML 1.0, sections 4-11)."""

    def __init__(self) -> None:
        self.depth = 0
        self.string = ""  # the open multi-line string's delimiter, or ""

    @property
    def open(self) -> bool:
        return bool(self.depth or self.string)

    def scan(self, text: str) -> None:
        """Follows ``text`` (the rest of one line) through strings, brackets and comments."""
        at, end = 0, len(text)
        while at < end:
            if self.string:
                at = self._close_string(text, at)
                continue
            char = text[at]
            if char == "#":
                return
            if text.startswith(('"""', "'''"), at):
                self.string = text[at : at + 3]
                at += 3
            elif char in "\"'":
                at = _string_end(text, at)
            elif char in "[{":
                self.depth += 1
                at += 1
            elif char in "]}":
                self.depth = max(self.depth - 1, 0)
                at += 1
            else:
                at += 1

    def _close_string(self, text: str, at: int) -> int:
        """The index after the open multi-line string's end in ``text``, or ``len(text)``."""
        while at < len(text):
            if self.string == '"""' and text[at] == "\\":
                at += 2
                continue
            if text.startswith(self.string, at):
                at += 3
                while at < len(text) and text[at] == self.string[0]:  # up to two quotes end it
                    at += 1
                self.string = ""
                return at
            at += 1
        return at


def _string_end(text: str, start: int) -> int:
    """The index after the one-line string that opens at ``text[start]``."""
    quote, at = text[start], start + 1
    while at < len(text) and text[at] != quote:
        at += 2 if quote == '"' and text[at] == "\\" else 1
    return at + 1


def _indexed(keys: tuple[str, ...], arrays: dict[tuple[str, ...], int], element: bool) -> tuple[str, ...]:
    """A header's keys as a pointer: an array of tables (``[[tool.errlint.overrides]]``)
    contributes the index of its current element (``("tool", "errlint", "overrides", "1")``);
    ``element`` says the header opens a new element of the array it names."""
    path: tuple[str, ...] = ()
    for at, key in enumerate(keys):
        path = (*path, key)
        last = at == len(keys) - 1
        if last and element:
            arrays[path] = arrays.get(path, -1) + 1
        if path in arrays:
            path = (*path, str(arrays[path]))
    return path


def _line_index(starts: list[int], offset: int) -> int:
    return bisect_right(starts, offset) - 1
