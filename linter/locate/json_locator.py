"""Positions in JSON text: the one JSON scanner, and the canonical-layout fast path in front.

Text laid out as a 2-space indented dump of its own data (``JSON.stringify(data, null, 2)``,
the usual layout of generated specs) gets a :class:`CanonicalLayout`: offsets are computed
from the serialized lengths of the members before the one looked for, in C, and the text is
never scanned. Any other text gets a :class:`JsonLocator`, which scans only the containers a
lookup passes through: a container's member names are read with the C string scanner and
each member's value is skipped with the C decoder, so a lookup costs about one C-speed parse
of the containers on its path, paid once. :meth:`JsonLocator.duplicates` scans everything
(each container once) to list repeated member names, and the JSON editor
(:mod:`linter.edit.json_editor`) reads members and their spans from the same nodes.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any

from linter import fastpath
from linter.locate.lines import LineBlocks, LineTable, editor_lines
from linter.locate.locator import Locator, Span
from linter.pointer import Pointer

UNSCANNED: Any = object()
_WHITESPACE = re.compile(r"[ \t\n\r]*")
_DECODER = json.JSONDecoder()
_scanstring: Any = json.decoder.scanstring  # type: ignore[attr-defined]
#: a repeated member: (name, offset of the previous key, offset of the repeat, pointer to it)
Duplicate = tuple[str, int, int, Pointer]


def json_locator(source: str | bytes, data: Any, text: Callable[[], str]) -> Locator:
    """The locator of a JSON file: :class:`CanonicalLayout` when ``source`` (its text or UTF-8
    bytes) is a canonical dump of ``data`` and fast paths are on, else a :class:`JsonLocator`
    of ``text()`` (the same file as text, asked for only then)."""
    canonical = CanonicalLayout.of(source, data) if fastpath.enabled() else None
    return canonical if canonical is not None else JsonLocator(text())


class CanonicalLayout(Locator):
    """Positions in text that is exactly ``orjson.dumps(data, option=OPT_INDENT_2)`` (plus
    trailing whitespace): checked once, byte for byte, so the offsets computed are exact.

    In that layout a member at nesting level ``L`` starts on a new line indented ``2 * L``
    spaces, and a value dumped on its own takes ``2 * L`` more bytes per line break once
    nested at level ``L``: each container's member offsets follow from dumping its members.
    Offsets are computed in bytes and converted to characters when the text is not ASCII.
    """

    def __init__(self, raw: bytes, data: Any) -> None:
        self.raw = raw
        self.data = data
        self.ascii = raw.isascii()
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

    def position(self, pointer: Pointer) -> tuple[int, int]:
        found = self._walk(pointer)[0]
        line, line_start = self.lines.line_of(found)
        return (line, self.lines.column(found, line_start))

    def offset(self, pointer: Pointer) -> int:
        return self._chars(self._walk(pointer)[0])

    def span(self, pointer: Pointer) -> Span | None:
        found, start, value, level, complete = self._walk(pointer)
        if not complete:
            return None
        end = start + _dumped_length(value, level)
        key = found if pointer and isinstance(self._parent(pointer), dict) else None
        return Span(self._chars(start), self._chars(end), None if key is None else self._chars(key))

    def _parent(self, pointer: Pointer) -> Any:
        value = self.data
        for token in pointer[:-1]:
            value = value[token] if isinstance(value, dict) else value[int(token)]
        return value

    def _walk(self, pointer: Pointer) -> tuple[int, int, Any, int, bool]:
        """(anchor offset, value offset, value, level, whether the whole pointer exists), in
        bytes; an unknown pointer stops at its nearest existing ancestor."""
        value, offset, found = self.data, 0, 0
        for level, token in enumerate(pointer):
            if isinstance(value, dict):
                if token not in value:
                    return found, offset, value, level, False
                found, offset = self._members(value, offset, level)[token]
                value = value[token]
            elif isinstance(value, list):
                if not token.isdigit() or int(token) >= len(value):
                    return found, offset, value, level, False
                found, offset = self._members(value, offset, level)[int(token)]
                value = value[int(token)]
            else:
                return found, offset, value, level, False
        return found, offset, value, len(pointer), True

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

    def _chars(self, offset: int) -> int:
        return offset if self.ascii else len(self.raw[:offset].decode("utf-8", "surrogatepass"))


def _dumped_length(value: Any, level: int) -> int:
    """Bytes that ``value`` takes in an indented dump when it sits at nesting ``level``."""
    import orjson

    if isinstance(value, (dict, list)) and value:
        dumped = orjson.dumps(value, option=orjson.OPT_INDENT_2)
        return len(dumped) + dumped.count(b"\n") * 2 * level
    return len(orjson.dumps(value))


class JsonNode:
    """One value of the text: where it starts and ends, its key (a member) and its children.

    ``children`` is None for a scalar, :data:`UNSCANNED` for a container not looked into yet,
    else the members or items in text order; ``names`` maps an object's member names to
    their nodes (the last one of a repeated name, as the parser keeps)."""

    __slots__ = ("children", "end", "key", "name", "names", "start")

    def __init__(self, start: int, key: int | None = None, name: str = "") -> None:
        self.start = start
        self.end = -1
        self.key = key
        self.name = name
        self.children: Any = None
        self.names: dict[str, JsonNode] | None = None

    @property
    def span(self) -> Span:
        return Span(self.start, self.end, self.key)


class JsonLocator(Locator):
    """Positions in JSON text (valid JSON: what orjson parsed), found by scanning lazily."""

    def __init__(self, text: str) -> None:
        self.text = text
        start = _skip(text, 0)
        self.root = JsonNode(start) if start < len(text) else None
        if self.root is not None:
            self.root.end = len(text.rstrip(" \t\n\r"))
            self.root.children = UNSCANNED if text[start] in "{[" else None
        self._lines: LineBlocks[str] | LineTable | None = None

    # -- Locator ----------------------------------------------------------------------
    def offset(self, pointer: Pointer) -> int:
        node = self.root
        if node is None:
            return 0
        offset = node.start
        for token in pointer:
            child = self.child(node, token)
            if child is None:
                return offset
            node, offset = child, child.key if child.key is not None else child.start
        return offset

    def span(self, pointer: Pointer) -> Span | None:
        node = self.node(pointer)
        return None if node is None else node.span

    def position(self, pointer: Pointer) -> tuple[int, int]:
        if self._lines is None:
            self._lines = editor_lines(self.text)
        return self._lines.position(self.offset(pointer))

    # -- nodes ------------------------------------------------------------------------
    def node(self, pointer: Pointer) -> JsonNode | None:
        """The node at ``pointer``, or None when it does not exist."""
        node = self.root
        for token in pointer:
            if node is None:
                return None
            node = self.child(node, token)
        return node

    def child(self, node: JsonNode, token: str) -> JsonNode | None:
        """The member ``token`` of an object node, or the item ``token`` of an array node."""
        children = self.children(node)
        if node.names is not None:
            return node.names.get(token)
        if children and token.isdigit() and int(token) < len(children):
            return children[int(token)]  # type: ignore[no-any-return]
        return None

    def children(self, node: JsonNode) -> list[JsonNode]:
        """The members (objects) or items (arrays) of ``node``, in text order; [] for a scalar."""
        if node.children is UNSCANNED:
            self._scan(node)
        return node.children or []

    def duplicates(self) -> list[Duplicate]:
        """Every repeated member name of the text, in text order (scans every container once)."""
        found: list[Duplicate] = []
        if self.root is not None and self.root.children is not None:
            self.root.children = UNSCANNED
            self._scan(self.root, found)
        return found

    # -- scanning ---------------------------------------------------------------------
    def _scan(self, top: JsonNode, duplicates: list[Duplicate] | None = None) -> None:
        """Fill ``top``'s children. Values are skipped in C; with ``duplicates`` (a whole scan)
        child containers are scanned in turn, each once, and repeated names are listed."""
        text = self.text
        _open(top, text)
        #: containers being filled: (node, where to go on, its pointer)
        work: list[tuple[JsonNode, int, Pointer]] = [(top, top.start + 1, ())]
        while work:
            node, index, pointer = work.pop()
            index = _skip(text, index)
            if text[index] == ",":
                index = _skip(text, index + 1)
            names, children = node.names, node.children
            descended = False
            while text[index] not in "}]":
                if names is not None:
                    key = index
                    name, end = _scanstring(text, index + 1)
                    index = _skip(text, _skip(text, end) + 1)  # past the ':'
                    child = JsonNode(index, key, name)
                    if duplicates is not None and name in names:
                        duplicates.append((name, names[name].key, key, (*pointer, name)))  # type: ignore[arg-type]
                    names[name] = child
                else:
                    child = JsonNode(index, None, str(len(children)))
                children.append(child)
                if duplicates is not None and text[index] in "{[":
                    _open(child, text)
                    work.append((node, -1, pointer))  # go on after the child, once it is done
                    work.append((child, index + 1, (*pointer, child.name)))
                    descended = True
                    break
                child.children = UNSCANNED if text[index] in "{[" else None
                _, child.end = _DECODER.raw_decode(text, index)
                index = _skip(text, child.end)
                if text[index] == ",":
                    index = _skip(text, index + 1)
            if not descended:
                node.end = index + 1
                if work and work[-1][1] == -1:
                    parent, _, parent_pointer = work.pop()
                    work.append((parent, node.end, parent_pointer))


def _open(node: JsonNode, text: str) -> None:
    is_object = text[node.start] == "{"
    node.children = []
    node.names = {} if is_object else None


def _skip(text: str, offset: int) -> int:
    return _WHITESPACE.match(text, offset).end()  # type: ignore[union-attr]
