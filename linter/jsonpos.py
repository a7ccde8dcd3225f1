"""Positions in JSON text, found lazily: only the containers a lookup passes through are scanned.

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

from linter.pointer import Pointer

UNSCANNED: Any = object()
_WHITESPACE = re.compile(r"[ \t\n\r]*")
_DECODER = json.JSONDecoder()
_scanstring: Any = json.decoder.scanstring  # type: ignore[attr-defined]


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
