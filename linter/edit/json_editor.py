"""Text-preserving edits of JSON files (see :mod:`linter.edit.roundtrip`).

A small scanner finds where values start and end; objects are listed lazily and cached, so
editing a few operations of a 4 MB spec reads the text about twice. New members use the
file's indentation (spaces or tabs), its ``": "`` or ``":"`` separator, and stay on one line
in objects written on one line.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

from linter.edit.roundtrip import CannotEdit, Splice, TextEditor
from linter.pointer import Pointer, to_str

_TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"|[{}\[\]:,]|[^\s{}\[\]:,"]+')
_SPACE = re.compile(r"\s*")


@dataclass(frozen=True, slots=True)
class Member:
    key: str
    key_start: int
    value_start: int
    value_end: int


class JsonEditor(TextEditor):
    def __init__(self, text: str) -> None:
        super().__init__(text)
        self._members: dict[int, list[Member]] = {}
        self._items: dict[int, list[tuple[int, int]]] = {}
        self._value_starts: dict[int, dict[str, int]] = {}
        root = _SPACE.match(text).end()  # type: ignore[union-attr]
        self._root = root if root < len(text) else None
        self.step = _indent_step(text)
        self.colon = ": " if re.search(r'"\s*:\s', text) or "\n" not in text.strip() else ":"
        self.ensure_ascii = text.isascii()

    # -- scanning --------------------------------------------------------------------
    def _value_end(self, start: int) -> int:
        """The offset just after the value that starts at ``start``."""
        first = _TOKEN.match(self.text, start)
        if first is None:
            raise CannotEdit(f"invalid JSON at offset {start}")
        if first.group() not in ("{", "["):
            return first.end()
        depth = 0
        for token in _TOKEN.finditer(self.text, start):
            char = token.group()[0]
            if char in "{[":
                depth += 1
            elif char in "}]":
                depth -= 1
                if depth == 0:
                    return token.end()
        raise CannotEdit("unbalanced JSON brackets")

    def _next(self, position: int) -> tuple[str, int, int]:
        token = _TOKEN.search(self.text, position)
        if token is None:
            raise CannotEdit("unexpected end of JSON")
        return token.group(), token.start(), token.end()

    def members(self, start: int) -> list[Member]:
        """The members of the object whose ``{`` is at ``start``."""
        if start not in self._members:
            found: list[Member] = []
            token, _, position = self._next(start + 1)
            while token != "}":
                if token == ",":
                    token, _, position = self._next(position)
                    continue
                key_start = position - len(token)
                key = json.loads(token)
                _, _, position = self._next(position)  # the colon
                value_start = _SPACE.match(self.text, position).end()  # type: ignore[union-attr]
                value_end = self._value_end(value_start)
                found.append(Member(key, key_start, value_start, value_end))
                token, _, position = self._next(value_end)
            self._members[start] = found
        return self._members[start]

    def _by_key(self, start: int) -> dict[str, int]:
        """Member name -> where its value starts (the first of a repeated name), for the object
        at ``start``: made once, so one edit per operation does not scan ``paths`` each time."""
        index = self._value_starts.get(start)
        if index is None:
            index = self._value_starts[start] = {}
            for member in self.members(start):
                index.setdefault(member.key, member.value_start)
        return index

    def items(self, start: int) -> list[tuple[int, int]]:
        """``(start, end)`` of the items of the array whose ``[`` is at ``start``."""
        if start not in self._items:
            found: list[tuple[int, int]] = []
            token, token_start, position = self._next(start + 1)
            while token != "]":
                if token != ",":
                    end = self._value_end(token_start)
                    found.append((token_start, end))
                    position = end
                token, token_start, position = self._next(position)
            self._items[start] = found
        return self._items[start]

    def _find(self, pointer: Pointer) -> int | None:
        """Where the value at ``pointer`` starts."""
        position = self._root
        for token in pointer:
            if position is None:
                return None
            char = self.text[position]
            if char == "{":
                position = self._by_key(position).get(token)
            elif char == "[" and token.isdigit() and int(token) < len(self.items(position)):
                position = self.items(position)[int(token)][0]
            else:
                return None
        return position

    def has(self, pointer: Pointer) -> bool:
        return self._find(pointer) is not None

    # -- splices ---------------------------------------------------------------------
    def insertion(self, pointer: Pointer, entries: dict[str, Any]) -> Splice:
        depth = len(pointer)
        start = self._find(pointer)
        if start is None and not pointer:
            return Splice(0, len(self.text), self._dump(entries, "") + self.newline, depth)
        if start is None or self.text[start] != "{":
            raise CannotEdit(f"{to_str(pointer) or '/'} is not a JSON object")
        members = self.members(start)
        if not members:
            end = self._value_end(start)
            if not self.step:
                return Splice(start + 1, end - 1, self._members_text(entries, "", inline=True), depth)
            outer = self._line_indent(start)
            inner = outer + self.step
            text = self.newline + inner + self._members_text(entries, inner) + self.newline + outer
            return Splice(start + 1, end - 1, text, depth)
        last = members[-1]
        if "\n" not in self.text[start : members[0].key_start]:
            return Splice(last.value_end, last.value_end, ", " + self._members_text(entries, "", True), depth)
        indent = self._line_indent(members[0].key_start)
        text = "," + self.newline + indent + self._members_text(entries, indent)
        return Splice(last.value_end, last.value_end, text, depth)

    def removal(self, pointer: Pointer, key: str) -> Splice:
        start = self._find(pointer)
        if start is None or self.text[start] != "{":
            raise CannotEdit(f"{to_str(pointer) or '/'} is not a JSON object")
        members = self.members(start)
        index = next((i for i, m in enumerate(members) if m.key == key), None)
        if index is None:
            raise CannotEdit(f"{to_str((*pointer, key))} not found")
        if index > 0:
            return Splice(members[index - 1].value_end, members[index].value_end, "")
        if len(members) > 1:
            return Splice(members[0].key_start, members[1].key_start, "")
        return Splice(start + 1, self._value_end(start) - 1, "")

    # -- writing new text ------------------------------------------------------------
    def _line_indent(self, offset: int) -> str:
        line_start = self.text.rfind("\n", 0, offset) + 1
        return re.match(r"[ \t]*", self.text[line_start:offset]).group()  # type: ignore[union-attr]

    def _members_text(self, entries: dict[str, Any], indent: str, inline: bool = False) -> str:
        separator = ", " if inline else "," + self.newline + indent
        return separator.join(
            f"{self._dump(key, indent, inline)}{self.colon}{self._dump(value, indent, inline)}"
            for key, value in entries.items()
        )

    def _dump(self, value: Any, indent: str, inline: bool = False) -> str:
        if inline or not self.step:
            return json.dumps(value, ensure_ascii=self.ensure_ascii, separators=(", ", self.colon))
        text = json.dumps(
            value, indent=self.step, ensure_ascii=self.ensure_ascii, separators=(",", self.colon)
        )
        return text.replace("\n", self.newline + indent)


def _indent_step(text: str) -> str:
    """The file's indentation unit (``"    "``, ``"  "``, ``"\\t"``), or ``""`` for one-line JSON."""
    match = re.search(r"\n([ \t]+)[\"{\[]", text)
    return match.group(1) if match else ""
