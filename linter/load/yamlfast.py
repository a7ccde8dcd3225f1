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
  re-resolves, with the YAML 1.2 core schema (:mod:`linter.load.yamlcore`, as the PyYAML path
  does), every plain scalar that could be something other than a string, from its source text
  in the ryml tree.
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
from collections.abc import Iterator
from contextlib import contextmanager
from functools import reduce
from operator import or_
from typing import Any

import orjson
import ryml  # type: ignore[import-untyped]
import yaml

from linter.load import yamlcore
from linter.load.libyaml import yaml_loader
from linter.locate.ryml_tree import RapidYamlLocator, address

#: the rapidyaml releases whose JSON emitter this module was checked against
SUPPORTED_VERSIONS = ("0.15.",)

_BAD_BITS = ryml.KEYANCH | ryml.VALANCH | ryml.KEYREF | ryml.VALREF | ryml.KEYTAG | ryml.VALTAG
_VAL_QUOTED = ryml.VALQUO  # single, double, literal, folded: never resolved, always str
_KEY_QUOTED = ryml.KEYQUO
_VAL_BLOCK = ryml.VAL_LITERAL | ryml.VAL_FOLDED
_MAP, _SEQ, _VAL, _KEY = ryml.MAP, ryml.SEQ, ryml.VAL, ryml.KEY
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


#: first characters for which the core schema has an implicit type (plus "" for the empty scalar)
_RESOLVABLE_FIRST = yamlcore.RESOLVABLE_FIRST
_plain_cache: dict[str, Any] = {}
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
    """A plain scalar's value exactly as ``_YamlConverter.convert`` makes it (YAML 1.2 core
    schema, :func:`linter.load.yamlcore.plain_value`); the merge key ``<<`` gives ``_MERGE``."""
    if yamlcore.MAYBE_NOT_STR.match(text) is None:
        return text
    try:
        return _plain_cache[text]
    except KeyError:
        pass
    value: Any = _MERGE if yamlcore.resolve(text) == yamlcore.MERGE_TAG else yamlcore.plain_value(text)
    if len(_plain_cache) < 100_000:
        _plain_cache[text] = value
    return value


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
    """(data, locator) as errlint's PyYAML loader gives them, or None: use PyYAML."""
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
        start = address(view) - self.base
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
