"""The fast path for big YAML files: rapidyaml parses and emits JSON in C++, orjson loads it.

:func:`load` gives the data exactly as :mod:`linter.load.document`'s PyYAML loader makes it (libyaml
compose, then its converter), and a way to find positions; or None when the file uses anything
this path does not reproduce (anchors, aliases, tags, merge keys, repeated keys, several
documents, directives, tabs, unusual line breaks or characters, deep nesting, anything that does
not parse): the caller then takes the PyYAML path, which also words every problem report.

How it stays exact:

* libyaml's parser, the first stage of the PyYAML path, must take the text without an error
  (checked in C, events counted, not built): ryml is more lenient than libyaml, and a file
  PyYAML refuses must be reported, not read.
* ryml's JSON emitter writes quoted scalars and keys verbatim, except that keys and plain
  values spelled like ``inf``/``nan`` are respelled (``infinity`` -> ``.inf``) and plain scalars
  that look like JSON numbers, ``true``, ``false`` or ``null`` are written bare.
* One walk over the loaded data, in document order, runs alongside ryml's node ids (allocated
  in parse order): it checks that the shapes agree (a repeated key makes them disagree) and
  re-resolves, with PyYAML's own resolver and constructor, every plain scalar that PyYAML could
  read as something other than a string, from its source text in the ryml tree.
* Positions come from the ryml tree: a scalar's text is a view into the parsed buffer, so its
  address minus the buffer's is its byte offset in the source. What cannot be placed that way
  (empty items, empty flow collections) is left to the PyYAML composer, once per document.

It depends on how rapidyaml 0.15 emits JSON, so other versions are not used (the dependency is
pinned to 0.15.x, and the version is checked again here); ``tests/test_yamlfast.py`` compares
both loaders on the corpus, on tricky snippets and on generated documents.
"""

from __future__ import annotations

import ctypes
import os
import re
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import reduce
from operator import or_
from typing import Any

import orjson
import ryml  # type: ignore[import-untyped]
import yaml

from linter.load.libyaml import yaml_loader
from linter.locate.lines import LineBlocks
from linter.locate.locator import Locator, Span
from linter.pointer import Pointer

#: the rapidyaml releases whose JSON emitter this module was checked against
SUPPORTED_VERSIONS = ("0.15.",)

_BAD_BITS = ryml.KEYANCH | ryml.VALANCH | ryml.KEYREF | ryml.VALREF | ryml.KEYTAG | ryml.VALTAG
_VAL_QUOTED = ryml.VALQUO  # single, double, literal, folded: never resolved, always str
_KEY_QUOTED = ryml.KEYQUO
_KEY_DQ_SQ = ryml.KEY_SQUO | ryml.KEY_DQUO
_VAL_DQ_SQ = ryml.VAL_SQUO | ryml.VAL_DQUO
_VAL_BLOCK = ryml.VAL_LITERAL | ryml.VAL_FOLDED
_MAP, _SEQ, _VAL, _KEY = ryml.MAP, ryml.SEQ, ryml.VAL, ryml.KEY
_FLOW = ryml.FLOW_SL | ryml.FLOW_ML
#: what ryml's JSON emitter turns inf/nan spellings into (keys of any style, plain values)
_NANINF = frozenset({".inf", "-.inf", "+.inf", ".nan"})

#: PyYAML's reader refuses these (yaml.reader.Reader.NON_PRINTABLE; a BOM is left to PyYAML too)
_NON_PRINTABLE = re.compile(
    "[^\x09\x0a\x0d\x20-\x7e\xa0-\ud7ff\ue000-\ufefe\uff00-\ufffd\U00010000-\U0010ffff]"
)
#: NEL and the Unicode line/paragraph separators are line breaks to PyYAML, not to ryml; a tab
#: is refused by PyYAML in places ryml takes it; a line starting "%" may be a directive
_DECLINE_SUBSTRINGS = ("\t", "\x85", "\u2028", "\u2029", "\n%")


def _text_declined(text: str) -> bool:
    """Whether the text has something that the PyYAML path must handle."""
    return (
        any(part in text for part in _DECLINE_SUBSTRINGS)
        or text.startswith("%")
        or ("\r" in text and re.search("\r(?!\n)", text) is not None)
        or _NON_PRINTABLE.search(text) is not None
    )


_STR = "tag:yaml.org,2002:str"
_RESOLVER = yaml.resolver.Resolver()
_CONSTRUCTOR = yaml.constructor.SafeConstructor()
_MAKERS: dict[str, Callable[[Any], Any]] = {
    "tag:yaml.org,2002:int": _CONSTRUCTOR.construct_yaml_int,
    "tag:yaml.org,2002:float": _CONSTRUCTOR.construct_yaml_float,
    "tag:yaml.org,2002:bool": _CONSTRUCTOR.construct_yaml_bool,
    "tag:yaml.org,2002:null": _CONSTRUCTOR.construct_yaml_null,
}
#: first characters for which PyYAML has an implicit resolver (plus "" for the empty scalar)
_RESOLVABLE_FIRST = frozenset(k for k in yaml.resolver.Resolver.yaml_implicit_resolvers if k)
_plain_cache: dict[str, Any] = {}
#: matches whatever some implicit resolver of PyYAML matches (a cheap test before the exact one)
_MAYBE_NOT_STR = re.compile(
    "|".join(
        sorted(
            {
                f"(?:{regexp.pattern})"
                for resolvers in yaml.resolver.Resolver.yaml_implicit_resolvers.values()
                for _tag, regexp in resolvers
            }
        )
    ),
    re.X,
)
_MERGE = object()
#: PyYAML's scanner refuses a plain scalar that starts with "@" or "`", and in flow context reads
#: "?x" as a key and ":x" as an error; ryml takes all four as plain text
_NOT_PLAIN_START = frozenset("@`?:")
#: first characters of keys that need a look: plain "<<", "@", "`", "?", ":", ryml's inf/nan
_KEY_FIRST = frozenset("<@`?:.-+")
#: first characters (and "") of plain scalars that need a look
_SCALAR_FIRST = frozenset(_RESOLVABLE_FIRST | _NOT_PLAIN_START | {""})
_KIND = _MAP | _SEQ | _VAL


def _plain(text: str) -> Any:
    """A plain scalar's value exactly as ``_YamlConverter.convert`` makes it."""
    if _MAYBE_NOT_STR.match(text) is None:
        return text
    try:
        return _plain_cache[text]
    except KeyError:
        pass
    tag = _RESOLVER.resolve(yaml.ScalarNode, text, (True, False))
    value: Any = text
    if tag == "tag:yaml.org,2002:merge":
        value = _MERGE
    elif tag != _STR and (maker := _MAKERS.get(tag)) is not None:
        try:
            value = maker(yaml.ScalarNode(tag, text))
        except Exception:
            value = text
    if len(_plain_cache) < 100_000:
        _plain_cache[text] = value
    return value


# -- addresses of ryml's string views ----------------------------------------------------
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


def _address(view: Any) -> int:
    info = _PyBuffer()
    _get_buffer(view, ctypes.byref(info), 0)
    try:
        return info.buf or 0
    finally:
        _release_buffer(ctypes.byref(info))


@contextmanager
def _quiet_stderr() -> Iterator[None]:
    """ryml prints parse errors to file descriptor 2 before raising; PyYAML reports them."""
    try:
        saved = os.dup(2)
    except OSError:
        yield
        return
    try:
        sys.stderr.flush()
        with open(os.devnull, "wb") as null:
            os.dup2(null.fileno(), 2)
        yield
    finally:
        os.dup2(saved, 2)
        os.close(saved)


# -- loading -----------------------------------------------------------------------------
class _Decline(Exception):
    """The file needs the PyYAML path."""


def available() -> bool:
    return _LIBYAML is not None and str(getattr(ryml, "__version__", "")).startswith(SUPPORTED_VERSIONS)


def _libyaml() -> Any:
    """errlint's libyaml loader class (which sets libyaml's nesting limit), when it has
    ``raw_parse``; else None."""
    loader = yaml_loader()
    return loader if hasattr(loader, "raw_parse") else None


_LIBYAML = _libyaml()


def _libyaml_parses(source: bytes) -> bool:
    """Whether libyaml's parser (the first stage of the PyYAML path) takes the text without
    an error. ryml accepts some texts that libyaml refuses (a stray ``]`` at the start of a
    line, a key left empty); the events are counted in C, not built as Python objects, which
    costs under a tenth of a second on a 10 MB file."""
    try:
        _LIBYAML(source).raw_parse()
    except yaml.YAMLError:
        return False
    return True


def load(text: str, max_depth: int = 1000) -> tuple[Any, RapidYamlLocator] | None:
    """(data, locate) as errlint's PyYAML loader gives them, or None: use PyYAML."""
    if not available() or not text.strip() or _text_declined(text):
        return None
    try:
        source = text.encode("utf-8")
    except UnicodeEncodeError:
        return None
    buf = bytearray(source)  # the tree points into it: it must live as long as the tree
    with _quiet_stderr():
        return _load(text, source, buf, max_depth)


def _load(text: str, source: bytes, buf: bytearray, max_depth: int) -> tuple[Any, RapidYamlLocator] | None:
    try:
        tree = ryml.parse_in_place(buf)
    except ryml.ExceptionBasic:
        return None
    size = tree.size()
    types = list(map(tree.type, range(size)))
    if reduce(or_, types, 0) & _BAD_BITS:
        return None
    top = tree.root_id()
    if types[top] & ryml.STREAM == ryml.STREAM:
        if tree.num_children(top) != 1:
            return None
        top = tree.first_child(top)
    try:
        if types[top] & (_MAP | _SEQ):
            data = orjson.loads(ryml.emit_json_malloc(tree, top))
            data, end = _Walker(tree, types, max_depth, source, buf).container(data, top, 0)
        elif types[top] & _VAL:
            view = tree.val(top)
            text_value = "" if view is None else str(view, "utf-8")
            data = text_value if types[top] & _VAL_QUOTED else _plain(text_value)
            if data is _MERGE:
                data = text_value
            end = top + 1
        else:
            return None
    except (_Decline, orjson.JSONDecodeError, RecursionError, ryml.ExceptionBasic):
        return None
    if end != size:
        return None
    if types[-1] & _VAL_BLOCK and not text.endswith("\n"):
        return None
    # last: libyaml's scanner is quadratic in flow nesting, and by now the nesting is known
    # to be shallow (ryml emits no JSON past 64 levels)
    if not _libyaml_parses(source):
        return None
    return data, RapidYamlLocator(source, buf, tree, top)


class _Walker:
    """Walks the loaded JSON in document order alongside ryml's node ids (pre-order)."""

    def __init__(self, tree: Any, types: list[int], max_depth: int, source: bytes, buf: bytearray) -> None:
        self.source = source
        self.base = ctypes.addressof(ctypes.c_char.from_buffer(buf))
        self.tree = tree
        self.types = types
        self.max_depth = max_depth

    def container(self, value: Any, node: int, depth: int) -> tuple[Any, int]:
        """Check and fix ``value`` (the JSON of ``node``); returns it and the id after it."""
        types = self.types
        if depth >= self.max_depth:
            raise _Decline("too deep")
        child = node + 1
        if type(value) is dict:
            if not types[node] & _MAP:
                raise _Decline("not a map")
            renamed = False
            for name, item in value.items():
                cty = types[child]
                if not cty & _KEY:
                    raise _Decline("no key")
                if name[:1] in _KEY_FIRST or len(name) > 100:
                    renamed = self._key(name, cty, child) or renamed
                kind = type(item)
                if kind is dict or kind is list:
                    item2, child = self.container(item, child, depth + 1)
                    if item2 is not item:
                        value[name] = item2
                    continue
                if cty & _KIND != _VAL:
                    raise _Decline("not a scalar")
                if kind is not str or (not cty & _VAL_QUOTED and item[:1] in _SCALAR_FIRST):
                    value[name] = self._plain_scalar(item, cty, child)
                child += 1
            if renamed:
                value = self._rename(value, node)
        elif type(value) is list:
            if not types[node] & _SEQ:
                raise _Decline("not a seq")
            for index, item in enumerate(value):
                kind = type(item)
                if kind is dict or kind is list:
                    item2, child = self.container(item, child, depth + 1)
                    if item2 is not item:
                        value[index] = item2
                    continue
                cty = types[child]
                if cty & _KIND != _VAL:
                    raise _Decline("not a scalar")
                if kind is not str or (not cty & _VAL_QUOTED and item[:1] in _SCALAR_FIRST):
                    value[index] = self._plain_scalar(item, cty, child)
                child += 1
        else:
            raise _Decline("not a container")
        return value, child

    def _key(self, name: str, ty: int, node: int) -> bool:
        """Check a key that may need care; True when its JSON spelling is not its text."""
        if len(name) > 100 and self._long_key(node):
            raise _Decline("PyYAML refuses a key over 1024 characters")
        if ty & _KEY_QUOTED:
            return name in _NANINF
        if name[:1] in _NOT_PLAIN_START:
            raise _Decline("a plain scalar starting with @ ` ? or :")
        return name in _NANINF or name == "<<"

    def _plain_scalar(self, value: Any, ty: int, node: int) -> Any:
        """The value of a scalar that is plain (or came out of the JSON as a non-string)."""
        if ty & _VAL_QUOTED:
            raise _Decline("quoted non-string")
        if type(value) is not str or value in _NANINF:
            # ryml wrote it as a JSON number/true/false/null or respelled it: read the source
            view = self.tree.val(node)
            value = "" if view is None else str(view, "utf-8")
        elif value[:1] in _NOT_PLAIN_START:
            raise _Decline("a plain scalar starting with @ ` ? or :")
        result = _plain(value)
        return value if result is _MERGE else result  # a "<<" value stays text for the converter

    def _long_key(self, node: int) -> bool:
        """Whether the key may span over 1024 characters, past which PyYAML refuses a key
        that is not written with "?" (conservative: the rest of its line is counted)."""
        view = self.tree.key(node)
        start = _address(view) - self.base
        if not 0 <= start < len(self.source):
            return True
        end = self.source.find(b"\n", start)
        return (len(self.source) if end == -1 else end) - start > 1000

    def _rename(self, value: dict[str, Any], node: int) -> dict[str, Any]:
        """Keys ryml's JSON emitter rewrote (``infinity`` -> ``.inf``) get their source text back."""
        result: dict[str, Any] = {}
        child = self.tree.first_child(node)
        for item in value.values():
            view = self.tree.key(child)
            name = "" if view is None else str(view, "utf-8")
            if name == "<<" and not self.types[child] & _KEY_QUOTED:
                raise _Decline("merge key")
            if name in result:
                raise _Decline("repeated key")
            result[name] = item
            child = self.tree.next_sibling(child)
        return result


# -- positions ---------------------------------------------------------------------------
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
                try:
                    found = tree.find_child(node, token.encode("utf-8"))
                except Exception:
                    found = ryml.NONE
                if found == ryml.NONE:
                    break
                node = key_of = found
            elif tree.is_seq(node):
                if not token.isdigit() or int(token) >= tree.num_children(node):
                    break
                node = tree.child(node, int(token))
                key_of = None
            else:
                break
        return self._key_offset(node) if key_of is not None else self._value_offset(node)

    def _view_offset(self, view: Any) -> int | None:
        if view is None:
            return None
        address = _address(view)  # an empty view ('' or "") still has its place
        offset = address - self.base
        return offset if address and 0 <= offset <= len(self.source) else None

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
            if tree.num_children(node) == 0:
                return None
            first = tree.first_child(node)
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
        return (line, len(self.source[start:offset].decode("utf-8")) + 1)
