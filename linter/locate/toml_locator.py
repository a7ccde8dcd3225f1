"""Where a member of ``pyproject.toml``'s ``[tool.errlint]`` table is written, so config
mistakes there get a ``file:line:column`` like those of ``.errlint.yaml``.

``tomllib`` gives no positions, so the text is read line by line (TOML 1.0, section 2-3):
table headers (``[tool.errlint.policies.p]``, ``[[...]]``) set the current table, and each
``key = value`` line (bare, quoted or dotted keys) places that key. A member written inside
an inline table or an array (``p = {require = [400]}``) is placed at the nearest key that
has a line of its own; a pointer to nothing falls back to its nearest placed ancestor, then
to the ``[tool.errlint]`` header.
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


def _parts(dotted: str) -> tuple[str, ...]:
    keys = []
    for found in _PART.finditer(dotted):
        key = found.group()
        if key[:1] == '"':
            key = key[1:-1].encode("utf-8").decode("unicode_escape", "replace")
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
        for line in re.findall(r"[^\n]*\n|[^\n]+$", text):  # TOML breaks lines at LF (CRLF) only
            header = _HEADER.match(line)
            assignment = None if header else _ASSIGNMENT.match(line)
            found = header or assignment
            if found is not None:
                keys = _parts(found.group(1))
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


def _line_index(starts: list[int], offset: int) -> int:
    return bisect_right(starts, offset) - 1
