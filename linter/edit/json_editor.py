"""Text-preserving edits of JSON files (see :mod:`linter.edit.roundtrip`).

Where values start and end comes from the JSON locator (:mod:`linter.locate.json_locator`),
which scans only the containers on the way to an edit, so editing a few operations of a
4 MB spec costs about one parse of them. New members use the file's indentation (spaces or
tabs), its ``": "`` or ``":"`` separator, and stay on one line in objects written on one
line. A repeated member name is edited where the parser takes its value from: the last one.
"""

from __future__ import annotations

import json
import re
from typing import Any

from linter.edit.roundtrip import CannotEdit, Splice, TextEditor
from linter.locate.json_locator import JsonLocator, JsonNode
from linter.pointer import Pointer, to_str


class JsonEditor(TextEditor):
    def __init__(self, text: str) -> None:
        super().__init__(text)
        if text.strip():
            try:
                json.loads(text)  # the locator reads valid JSON only
            except ValueError as exc:
                raise CannotEdit(f"invalid JSON: {exc}") from None
        self.locator = JsonLocator(text)
        self.step = _indent_step(text)
        self.colon = ": " if re.search(r'"\s*:\s', text) or "\n" not in text.strip() else ":"
        self.ensure_ascii = text.isascii()

    def has(self, pointer: Pointer) -> bool:
        return self.locator.node(pointer) is not None

    def _object(self, pointer: Pointer) -> tuple[JsonNode, list[JsonNode]]:
        """The object at ``pointer`` and its members, or raise :class:`CannotEdit`."""
        node = self.locator.node(pointer)
        if node is None or self.text[node.start] != "{":
            raise CannotEdit(f"{to_str(pointer) or '/'} is not a JSON object")
        return node, self.locator.children(node)

    # -- splices ---------------------------------------------------------------------
    def insertion(self, pointer: Pointer, entries: dict[str, Any]) -> Splice:
        depth = len(pointer)
        if self.locator.root is None and not pointer:
            return Splice(0, len(self.text), self._dump(entries, "") + self.newline, depth)
        node, members = self._object(pointer)
        start, end = node.start, node.end
        if not members:
            if not self.step:
                return Splice(start + 1, end - 1, self._members_text(entries, "", inline=True), depth)
            outer = self._line_indent(start)
            inner = outer + self.step
            text = self.newline + inner + self._members_text(entries, inner) + self.newline + outer
            return Splice(start + 1, end - 1, text, depth)
        last = members[-1].end
        first_key = members[0].key
        if "\n" not in self.text[start:first_key]:
            return Splice(last, last, ", " + self._members_text(entries, "", True), depth)
        indent = self._line_indent(first_key)  # type: ignore[arg-type]
        text = "," + self.newline + indent + self._members_text(entries, indent)
        return Splice(last, last, text, depth)

    def removal(self, pointer: Pointer, key: str) -> Splice:
        node, members = self._object(pointer)
        found = node.names.get(key) if node.names is not None else None
        if found is None:
            raise CannotEdit(f"{to_str((*pointer, key))} not found")
        index = members.index(found)
        if index > 0:
            return Splice(members[index - 1].end, found.end, "")
        if len(members) > 1:
            return Splice(found.key, members[1].key, "")  # type: ignore[arg-type]
        return Splice(node.start + 1, node.end - 1, "")

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
