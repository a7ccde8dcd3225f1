"""Positions in a rapidyaml tree: the :class:`~linter.locate.locator.Locator` of YAML read
on the fast path.

Used by the YAML fast path (:mod:`linter.load.yamlfast`). A scalar's text in the tree is a
view into the parsed buffer, so its address minus the buffer's is its byte offset in the
source; the offset becomes a line and a column (in characters) through one
:class:`~linter.locate.lines.LineBlocks` table over the source's bytes. Mappings with many
members and sequences are indexed once when first looked into (ryml's own child lookups walk
the siblings), so placing every finding of a spec with 160,000 operations stays linear.
"""

from __future__ import annotations

import ctypes
from typing import Any

import ryml  # type: ignore[import-untyped]

from linter.locate.lines import LineBlocks
from linter.locate.locator import Locator, Span
from linter.pointer import Pointer

_KEY_QUOTED = ryml.KEYQUO
_KEY_DQ_SQ = ryml.KEY_SQUO | ryml.KEY_DQUO
_VAL_DQ_SQ = ryml.VAL_SQUO | ryml.VAL_DQUO
_VAL_BLOCK = ryml.VAL_LITERAL | ryml.VAL_FOLDED
_FLOW = ryml.FLOW_SL | ryml.FLOW_ML
#: mappings with at most this many members are searched by ryml, larger ones indexed once
_SMALL = 16


class _PyBuffer(ctypes.Structure):
    _fields_ = [
        ("buf", ctypes.c_void_p),
        ("obj", ctypes.py_object),
        ("len", ctypes.c_ssize_t),
        ("itemsize", ctypes.c_ssize_t),
        ("readonly", ctypes.c_int),
        ("ndim", ctypes.c_int),
        ("format", ctypes.c_char_p),
        ("shape", ctypes.c_void_p),
        ("strides", ctypes.c_void_p),
        ("suboffsets", ctypes.c_void_p),
        ("internal", ctypes.c_void_p),
    ]


_get_buffer = ctypes.pythonapi.PyObject_GetBuffer
_get_buffer.argtypes = [ctypes.py_object, ctypes.POINTER(_PyBuffer), ctypes.c_int]
_release_buffer = ctypes.pythonapi.PyBuffer_Release
_release_buffer.argtypes = [ctypes.POINTER(_PyBuffer)]


def address(view: Any) -> int:
    """The memory address of a buffer (a ryml string view): minus the parsed buffer's, the
    view's byte offset in the source."""
    info = _PyBuffer()
    _get_buffer(view, ctypes.byref(info), 0)
    try:
        return info.buf or 0
    finally:
        _release_buffer(ctypes.byref(info))


class RapidYamlLocator(Locator):
    """Positions from rapidyaml's tree, the same as
    :class:`linter.load.yaml_reader.ComposedYamlLocator` finds in composed nodes; None where
    the tree cannot place a node exactly. The tree keeps no value ends: :meth:`span` is None."""

    def __init__(self, source: bytes, buf: bytearray, tree: Any, top: int) -> None:
        self.source = source  # the original bytes (``buf`` is rewritten by in-place filtering)
        self.buf = buf  # kept alive for the tree
        self.tree = tree
        self.top = top
        self.base = ctypes.addressof(ctypes.c_char.from_buffer(buf))
        self.lines = LineBlocks(source)
        #: per mapping looked into: member key bytes -> node ({} for a small mapping)
        self._members: dict[int, dict[bytes, int]] = {}
        #: per sequence looked into: its items' nodes
        self._sequences: dict[int, list[int]] = {}

    def position(self, pointer: Pointer) -> tuple[int, int] | None:
        offset = self._offset(pointer)
        return None if offset is None else self._position(offset)

    def offset(self, pointer: Pointer) -> int | None:
        offset = self._offset(pointer)
        return None if offset is None else len(self.source[:offset].decode("utf-8"))

    def span(self, pointer: Pointer) -> Span | None:
        return None

    def _offset(self, pointer: Pointer) -> int | None:
        """Byte offset of ``pointer``'s key or value (nearest existing ancestor)."""
        tree = self.tree
        node = self.top
        key_of: int | None = None  # the member whose key gives the position, if any
        for token in pointer:
            if tree.is_map(node):
                found = self._member(node, token)
                if found is None:
                    break
                node = key_of = found
            elif tree.is_seq(node):
                items = self._items(node)
                if not token.isdigit() or int(token) >= len(items):
                    break
                node = items[int(token)]
                key_of = None
            else:
                break
        return self._key_offset(node) if key_of is not None else self._value_offset(node)

    def _children(self, node: int) -> list[int]:
        children = []
        child = self.tree.first_child(node)
        while child != ryml.NONE:
            children.append(child)
            child = self.tree.next_sibling(child)
        return children

    def _member(self, node: int, name: str) -> int | None:
        """The member of mapping ``node`` named ``name``. ryml's ``find_child`` walks the
        siblings, so a mapping with many members is indexed once (its first member of a name
        wins, as there), and looking up every path of a big spec stays linear."""
        index = self._members.get(node)
        if index is None:
            children = self._children(node)
            if len(children) <= _SMALL:
                index = self._members[node] = {}
            else:
                tree = self.tree
                index = {}
                for child in children:
                    view = tree.key(child)
                    index.setdefault(b"" if view is None else bytes(view), child)
                self._members[node] = index
        if not index:  # a small mapping: ryml's own search
            try:
                found = self.tree.find_child(node, name.encode("utf-8"))
            except Exception:
                return None
            return None if found == ryml.NONE else found
        try:
            return index.get(name.encode("utf-8"))
        except UnicodeEncodeError:
            return None

    def _items(self, node: int) -> list[int]:
        """The items of sequence ``node``, listed once (ryml's ``child(i)`` walks the siblings)."""
        items = self._sequences.get(node)
        if items is None:
            items = self._sequences[node] = self._children(node)
        return items

    def _view_offset(self, view: Any) -> int | None:
        if view is None:
            return None
        at = address(view)  # an empty view ('' or "") still has its place
        offset = at - self.base
        return offset if at and 0 <= offset <= len(self.source) else None

    def _key_offset(self, node: int) -> int | None:
        offset = self._view_offset(self.tree.key(node))
        ty = self.tree.type(node)
        if offset is None or ty & (_KEY_QUOTED & ~_KEY_DQ_SQ):
            return None
        if ty & _KEY_DQ_SQ:
            offset -= 1
            if self.source[offset : offset + 1] not in (b'"', b"'"):
                return None
        return offset

    def _value_offset(self, node: int) -> int | None:
        tree, source = self.tree, self.source
        if tree.is_map(node) or tree.is_seq(node):
            first = tree.first_child(node)
            if first == ryml.NONE:
                return None
            start = self._key_offset(first) if tree.is_map(node) else self._value_offset(first)
            if start is None:
                return None
            if tree.type(node) & _FLOW:
                bracket = b"{" if tree.is_map(node) else b"["
                at = start - 1
                while at >= 0 and source[at : at + 1] in b" \t\n\r":
                    at -= 1
                return at if source[at : at + 1] == bracket else None
            if tree.is_seq(node):  # block sequence: its first "-"
                at = start - 1
                while at >= 0 and source[at : at + 1] == b" ":
                    at -= 1
                return at if source[at : at + 1] == b"-" else None
            if tree.is_map(node):  # block mapping: its first key, unless written "? key"
                at = start - 1
                while at >= 0 and source[at : at + 1] == b" ":
                    at -= 1
                if source[at : at + 1] == b"?":
                    return None
            return start
        ty = tree.type(node)
        offset = self._view_offset(tree.val(node))
        if offset is None:
            return None
        if ty & _VAL_DQ_SQ:
            offset -= 1
            return offset if source[offset : offset + 1] in (b'"', b"'") else None
        if ty & _VAL_BLOCK:
            # the text starts on the line after the header ("|", ">", "|-", ">+2 # ...")
            header_end = source.rfind(b"\n", 0, offset)
            if header_end == -1 or (offset and source[offset - 1 : offset] != b"\n"):
                return None
            line_start = source.rfind(b"\n", 0, header_end) + 1
            line = source[line_start:header_end]
            marks = [i for i in (line.find(b"|"), line.find(b">")) if i != -1]
            if not marks:
                return None
            return line_start + min(marks)
        return offset

    def _position(self, offset: int) -> tuple[int, int]:
        line, start = self.lines.line_of(offset)
        return (line, self.lines.column(offset, start))
