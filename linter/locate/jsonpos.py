"""Positions in JSON text, found lazily.

Text laid out as a 2-space indented dump of its own data (``JSON.stringify(data, null, 2)``,
the usual layout of generated specs) gets a :class:`CanonicalLayout`: offsets are computed
from the serialized lengths of the members before the one looked for, in C, and the text is
never scanned. Any other text gets the scanner below: only the containers a lookup passes
through are scanned.

An index node is ``[offset, children]``: ``children`` is a dict (member name ->
``(key offset, node)``), a list of nodes, None for a scalar, or :data:`UNSCANNED` for a
container not looked into yet. Scanning a container reads its member names with the C
string scanner and skips each member's value with the C decoder, so a lookup costs about
one C-speed parse of the containers on its path, paid once: locating a few hundred
findings in a 13 MB spec takes a fraction of a full tokenization in Python.
"""

from __future__ import annotations

import json
import re
from typing import Any

from linter.locate.lines import LineBlocks
from linter.pointer import Pointer

UNSCANNED: Any = object()
_WHITESPACE = re.compile(r"[ \t\n\r]*")
_DECODER = json.JSONDecoder()
_scanstring: Any = json.decoder.scanstring  # type: ignore[attr-defined]


class CanonicalLayout:
    """Positions in text that is exactly ``orjson.dumps(data, option=OPT_INDENT_2)`` (plus
    trailing whitespace): checked once, byte for byte, so the offsets computed are exact.

    In that layout a member at nesting level ``L`` starts on a new line indented ``2 * L``
    spaces, and a value dumped on its own takes ``2 * L`` more bytes per line break once
    nested at level ``L``: each container's member offsets follow from dumping its members.
    """

    def __init__(self, raw: bytes, data: Any) -> None:
        self.raw = raw
        self.data = data
        self.lines = LineBlocks(raw)
        #: per container (by id): member name or index -> (offset of key or item, offset of value)
        self.members: dict[int, dict[Any, tuple[int, int]]] = {}

    @classmethod
    def of(cls, source: str | bytes, data: Any) -> CanonicalLayout | None:
        """The layout of ``source`` (text or its UTF-8 bytes), when it is canonical for ``data``."""
        import orjson

        if not isinstance(data, (dict, list)):
            return None
        try:
            dumped = orjson.dumps(data, option=orjson.OPT_INDENT_2)
        except orjson.JSONEncodeError:
            return None
        raw = source if isinstance(source, bytes) else source.encode("utf-8", "surrogatepass")
        if not raw.startswith(dumped) or raw[len(dumped) :].strip():
            return None
        return cls(raw, data)

    def locate(self, pointer: Pointer) -> tuple[int, int]:
        """1-based (line, column in characters) of ``pointer``'s key (object member) or value
        (root, array item); an unknown pointer falls back to its nearest existing ancestor."""
        value, offset, found = self.data, 0, 0
        for level, token in enumerate(pointer):
            if isinstance(value, dict):
                if token not in value:
                    break
                found, offset = self._members(value, offset, level)[token]
                value = value[token]
            elif isinstance(value, list):
                if not token.isdigit() or int(token) >= len(value):
                    break
                found, offset = self._members(value, offset, level)[int(token)]
                value = value[int(token)]
            else:
                break
        return self._position(found)

    def _members(self, container: Any, offset: int, level: int) -> dict[Any, tuple[int, int]]:
        known = self.members.get(id(container))
        if known is not None:
            return known
        import orjson

        members: dict[Any, tuple[int, int]] = {}
        position = offset + 1  # past the bracket
        step = 1 + 2 * (level + 1)  # the line break and the members' indentation
        if isinstance(container, dict):
            for name, child in container.items():
                position += step
                key = position
                position += len(orjson.dumps(name)) + 2  # the name, ": "
                members[name] = (key, position)
                position += _dumped_length(child, level + 1) + 1  # the value, ","
        else:
            for index, child in enumerate(container):
                position += step
                members[index] = (position, position)
                position += _dumped_length(child, level + 1) + 1
        self.members[id(container)] = members
        return members

    def _position(self, offset: int) -> tuple[int, int]:
        line, line_start = self.lines.line_of(offset)
        return (line, self.lines.column(offset, line_start))


def _dumped_length(value: Any, level: int) -> int:
    """Bytes that ``value`` takes in an indented dump when it sits at nesting ``level``."""
    import orjson

    if isinstance(value, (dict, list)) and value:
        dumped = orjson.dumps(value, option=orjson.OPT_INDENT_2)
        return len(dumped) + dumped.count(b"\n") * 2 * level
    return len(orjson.dumps(value))


def lazy_index(text: str) -> list[Any]:
    """The root node of ``text`` (already known to be valid JSON)."""
    start = _WHITESPACE.match(text, 0).end()  # type: ignore[union-attr]
    return _node(text, start)


def _node(text: str, offset: int) -> list[Any]:
    return [offset, UNSCANNED if text[offset] in "{[" else None]


def _skip(text: str, offset: int) -> int:
    return _WHITESPACE.match(text, offset).end()  # type: ignore[union-attr]


def _scan(text: str, node: list[Any]) -> None:
    """Fill ``node``'s children: member names and value offsets, values skipped in C."""
    opening = node[0]
    index = _skip(text, opening + 1)
    if text[opening] == "[":
        items: list[Any] = []
        while text[index] != "]":
            items.append(_node(text, index))
            _, end = _DECODER.raw_decode(text, index)
            index = _skip(text, end)
            if text[index] == ",":
                index = _skip(text, index + 1)
        node[1] = items
        return
    members: dict[str, Any] = {}
    while text[index] != "}":
        key_offset = index
        name, end = _scanstring(text, index + 1)
        index = _skip(text, _skip(text, end) + 1)  # past the ':'
        members[name] = (key_offset, _node(text, index))
        _, end = _DECODER.raw_decode(text, index)
        index = _skip(text, end)
        if text[index] == ",":
            index = _skip(text, index + 1)
    node[1] = members


def locate(text: str, index: list[Any], pointer: Pointer) -> int:
    """The offset of ``pointer``'s key (object member) or value (root, array item); an unknown
    pointer falls back to its nearest existing ancestor."""
    node = index
    offset = node[0]
    for token in pointer:
        if node[1] is UNSCANNED:
            _scan(text, node)
        children = node[1]
        if isinstance(children, dict):
            entry = children.get(token)
            if entry is None:
                return offset
            offset, node = entry
        elif isinstance(children, list):
            if not token.isdigit() or int(token) >= len(children):
                return offset
            node = children[int(token)]
            offset = node[0]
        else:
            return offset
    return offset
