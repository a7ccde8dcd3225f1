"""Parse one YAML or JSON file into plain data that remembers where every node came from.

A :class:`Document` knows nothing of ``$ref`` or OpenAPI. Positions are computed on
demand, so a clean run never pays for them:

* JSON is parsed by orjson from its bytes; positions come from :mod:`linter.jsonpos` (from
  the data's layout when the text is a canonical 2-space dump, else by scanning the
  containers a lookup passes through).
* YAML of :data:`FAST_YAML_MIN_CHARS` or more goes through :mod:`linter.yamlfast`
  (rapidyaml) when it reads the file exactly as PyYAML would; positions then come from
  rapidyaml's tree. Other YAML is composed by libyaml and converted here; positions come
  from the composed node tree (one walk per lookup).
"""

from __future__ import annotations

import codecs
import functools
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from linter import fastpath
from linter.lines import LineBlocks
from linter.pointer import Pointer

YAML_SUFFIXES = (".yaml", ".yml")
JSON_SUFFIXES = (".json",)


@dataclass(frozen=True, slots=True)
class LoadProblem:
    """Something wrong with a file as text: reported by the ``parse-error`` or ``duplicate-key`` rule."""

    rule: str
    message: str
    line: int
    column: int
    pointer: Pointer = ()


#: The deepest nesting accepted even when ``--max-depth`` asks for more: beyond it, code written
#: in C and Rust (libyaml's composer, jsonschema-rs) overflows the stack and kills the process.
DEPTH_CEILING = 5000
#: orjson's own nesting limit: deeper JSON is read by :func:`_load_deep_json` instead.
JSON_PARSER_DEPTH = 1024
#: libyaml's own nesting limit as errlint sets it (see :func:`yaml_loader`). Its scanner runs
#: up to 1024 characters (so 1024 levels) ahead of the events that errlint's depth checks
#: count, so the limit sits that far and more above :data:`DEPTH_CEILING`; and under the
#: 20,000 levels at which libyaml's composer overflows an 8 MB stack.
LIBYAML_NEST_LEVEL = 2 * DEPTH_CEILING


@dataclass
class Limits:
    """Bounds that keep hostile input from exhausting time or memory (see docs/security.md).

    ``max_aliases`` counts the nodes that YAML aliases repeat, not the aliases: ``*big``
    standing for a mapping of 50 nodes counts 50, so an alias bomb is stopped however few
    aliases it is written with. ``max_ref_chain`` is how many ``$ref``s in a row are followed
    before a chain is reported as too long.
    """

    max_file_bytes: int = 64 * 1024 * 1024
    max_depth: int = 1000
    max_aliases: int = 100_000
    max_ref_chain: int = 64

    def __post_init__(self) -> None:
        self.max_depth = min(self.max_depth, DEPTH_CEILING)


@dataclass(eq=False)
class Document:
    path: Path
    display: str
    #: the text; or, for JSON parsed straight from its bytes, those UTF-8 bytes, decoded the
    #: first time :attr:`text` is asked for (a clean run over a JSON spec never asks)
    source: str | bytes
    data: Any = None
    ok: bool = True
    problems: list[LoadProblem] = field(default_factory=list)
    _yaml_root: Any = None
    #: positions from rapidyaml's tree, for YAML loaded on the fast path (see linter.yamlfast)
    _yaml_locate: Any = None
    #: whether one container may sit at several places in ``data`` (a YAML alias was used)
    shares_values: bool = False
    _json_index: Any = None
    _yaml_keys: _KeyIndex = field(default_factory=dict)
    _line_blocks: LineBlocks[str] | None = None

    def __post_init__(self) -> None:
        self.display = printable_path(self.display)

    def __repr__(self) -> str:
        # The generated repr would print the whole text and node tree (megabytes in test failures).
        return f"Document({self.display!r}, ok={self.ok})"

    @property
    def text(self) -> str:
        if isinstance(self.source, bytes):
            self.source = self.source.decode("utf-8")
        return self.source

    def contains(self, word: str) -> bool:
        """Whether ``word`` (ASCII) occurs in the text, asked without decoding it."""
        if isinstance(self.source, bytes):
            return word.encode() in self.source
        return word in self.source

    # -- positions -----------------------------------------------------------------
    def locate(self, pointer: Pointer) -> tuple[int, int]:
        """1-based (line, column) of the node at ``pointer``.

        For a mapping member this is its key; for the root or a list item, the value.
        An unknown pointer falls back to its nearest existing ancestor.
        """
        if self._yaml_locate is not None:
            found = self._yaml_locate(pointer)
            if found is not None:
                return found
            if self._yaml_root is None:  # a node the fast path cannot place: compose, once
                self._yaml_root = _compose_yaml(self.text)
        if self._yaml_root is not None:
            return _locate_yaml(self._yaml_root, pointer, self._yaml_keys)
        if self.source and self.ok and self.data is not None:
            from linter import jsonpos

            if self._json_index is None:
                canonical = jsonpos.CanonicalLayout.of(self.source, self.data) if fastpath.enabled() else None
                self._json_index = canonical if canonical is not None else jsonpos.lazy_index(self.text)
            if isinstance(self._json_index, jsonpos.CanonicalLayout):
                return self._json_index.locate(pointer)
            offset = jsonpos.locate(self.text, self._json_index, pointer)
            return self.offset_to_position(offset)
        return (1, 1)

    def offset_to_position(self, offset: int) -> tuple[int, int]:
        """1-based (line, column) of a character offset into the text."""
        if self._line_blocks is None:
            self._line_blocks = LineBlocks(self.text)
        return self._line_blocks.position(offset)

    def value_at(self, pointer: Pointer) -> Any:
        """The value at ``pointer`` or raise ``KeyError``."""
        node = self.data
        for token in pointer:
            if isinstance(node, dict):
                node = node[token]
            elif isinstance(node, list):
                if not token.isdigit():
                    raise KeyError(token)
                index = int(token)
                if index >= len(node):
                    raise KeyError(token)
                node = node[index]
            else:
                raise KeyError(token)
        return node


def printable_path(name: str) -> str:
    """``name`` safe to write in any report: bytes of a file name that are not UTF-8 (which
    Python keeps as lone surrogates, and no UTF-8 stream accepts) become ``\\xff`` escapes."""
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        try:
            raw = name.encode("utf-8", "surrogateescape")
        except UnicodeEncodeError:
            raw = name.encode("utf-8", "backslashreplace")
        return raw.decode("utf-8", "backslashreplace")
    return name


# -- reading ---------------------------------------------------------------------------
def decode(raw: bytes) -> tuple[str | None, LoadProblem | None]:
    """Bytes -> text: UTF-8 (BOM optional) or UTF-16/32 with a BOM."""
    for bom, codec in (
        (codecs.BOM_UTF32_LE, "utf-32"),
        (codecs.BOM_UTF32_BE, "utf-32"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
    ):
        if raw.startswith(bom):
            try:
                return raw.decode(codec), None
            except UnicodeDecodeError as exc:
                return None, LoadProblem("parse-error", f"not valid {codec}: {exc.reason}", 1, 1)
    try:
        return raw.decode("utf-8-sig"), None
    except UnicodeDecodeError as exc:
        # exc.object is the input without its BOM; columns count characters, not bytes.
        data, start = exc.object, exc.start
        line = data.count(b"\n", 0, start) + 1
        line_start = data.rfind(b"\n", 0, start) + 1
        column = len(data[line_start:start].decode("utf-8", errors="replace")) + 1
        offset = start + len(raw) - len(data)
        return None, LoadProblem(
            "parse-error", f"not valid UTF-8: byte 0x{data[start]:02x} at offset {offset}", line, column
        )


def load_document(path: Path, display: str, limits: Limits | None = None) -> Document:
    """Read and parse one file. I/O errors propagate as ``OSError``; content errors become problems."""
    limits = limits or Limits()
    size = path.stat().st_size
    if size > limits.max_file_bytes:
        doc = Document(path, display, "", ok=False)
        doc.problems.append(
            LoadProblem(
                "parse-error",
                f"file is {size:,} bytes, over the {limits.max_file_bytes:,}-byte limit (--max-file-size)",
                1,
                1,
            )
        )
        return doc
    raw = path.read_bytes()
    return parse_document(raw, path, display, limits)


def parse_document(raw: bytes, path: Path, display: str, limits: Limits | None = None) -> Document:
    limits = limits or Limits()
    if path.suffix.lower() in JSON_SUFFIXES and fastpath.enabled():
        parsed = _parse_json_bytes(raw, path, display, limits)
        if parsed is not None:
            return parsed
    text, problem = decode(raw)
    if text is None:
        doc = Document(path, display, "", ok=False)
        doc.problems.append(problem)  # type: ignore[arg-type]
        return doc
    doc = Document(path, display, text)
    if "\x00" in text:
        offset = text.index("\x00")
        line, column = doc.offset_to_position(offset)
        doc.ok = False
        doc.problems.append(LoadProblem("parse-error", "binary content: NUL character", line, column))
        return doc
    if path.suffix.lower() in JSON_SUFFIXES:
        _parse_json(doc, limits)
    else:
        _parse_yaml(doc, limits)
    return doc


# -- JSON ------------------------------------------------------------------------------
_WIDE_BOMS = (codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)


def _parse_json_bytes(raw: bytes, path: Path, display: str, limits: Limits) -> Document | None:
    """The document parsed from UTF-8 bytes without decoding them to text first (orjson checks
    the encoding itself); None for anything the text path reports a problem with."""
    import orjson

    if raw.startswith(_WIDE_BOMS):
        return None
    body = raw[len(codecs.BOM_UTF8) :] if raw.startswith(codecs.BOM_UTF8) else raw
    if b"\x00" in body:
        return None
    try:
        data = orjson.loads(body)
    except orjson.JSONDecodeError:
        return None
    doc = Document(path, display, body, data)
    _check_json_shape(doc, limits)
    return doc


def _parse_json(doc: Document, limits: Limits) -> None:
    import orjson

    try:
        doc.data = orjson.loads(doc.text)
    except orjson.JSONDecodeError as exc:
        # orjson stops past JSON_PARSER_DEPTH levels, with a message that differs between releases
        too_deep = _json_too_deep_offset(doc.text[: exc.pos + 1], JSON_PARSER_DEPTH) > 0
        if too_deep and limits.max_depth > JSON_PARSER_DEPTH:
            _parse_deep_json(doc, limits)
            return
        doc.ok = False
        if too_deep:
            _report_json_too_deep(doc, limits.max_depth)
        else:
            message = str(exc).split(":", 1)[0]
            doc.problems.append(LoadProblem("parse-error", f"invalid JSON: {message}", exc.lineno, exc.colno))
        return
    _check_json_shape(doc, limits)


def _parse_deep_json(doc: Document, limits: Limits) -> None:
    """Parse JSON that orjson refused as nested deeper than :data:`JSON_PARSER_DEPTH`, for a
    ``--max-depth`` above that: the same data or the same refusal, only slower."""
    try:
        doc.data = _load_deep_json(doc.text, limits.max_depth)
    except _JsonTooDeep:
        doc.ok = False
        _report_json_too_deep(doc, limits.max_depth)
        return
    except _BadJson as exc:
        doc.ok = False
        line, column = doc.offset_to_position(exc.offset)
        doc.problems.append(LoadProblem("parse-error", f"invalid JSON: {exc.message}", line, column))
        return
    _check_json_shape(doc, limits)


def _check_json_shape(doc: Document, limits: Limits) -> None:
    """Refuse data nested deeper than ``limits.max_depth``; report repeated member names."""
    separators = _json_separators_within_depth(doc.data, limits.max_depth)
    if separators is None:
        depth, keys, colons = _json_shape(doc.data)
        if depth > limits.max_depth:
            doc.ok = False
            doc.data = None
            _report_json_too_deep(doc, limits.max_depth)
            return
        separators = keys + colons
    if _json_may_repeat_keys(doc, separators):
        _report_json_duplicates(doc)


#: orjson refuses to serialise data nested deeper than this
_ORJSON_DUMP_DEPTH = 254


def _json_separators_within_depth(data: Any, max_depth: int) -> int | None:
    """The ``:`` characters of ``data`` written back as JSON (one per member, plus those inside
    keys and strings), when ``data`` is certainly no deeper than ``max_depth``; else None.

    Serialising in C is eight times faster than walking the data in Python, and when
    ``max_depth`` is at least orjson's own nesting limit, a successful dump proves the depth.
    """
    import orjson

    if max_depth < _ORJSON_DUMP_DEPTH:
        return None
    try:
        return orjson.dumps(data).count(b":")
    except orjson.JSONEncodeError:
        return None


def _report_json_too_deep(doc: Document, depth: int) -> None:
    line, column = doc.offset_to_position(_json_too_deep_offset(doc.text, depth))
    doc.problems.append(LoadProblem("parse-error", _too_deep(depth), line, column))


class _BadJson(Exception):
    """Text that is not JSON: ``message`` and the character ``offset`` where it goes wrong."""

    def __init__(self, message: str, offset: int) -> None:
        super().__init__(message)
        self.message, self.offset = message, offset


class _JsonTooDeep(Exception):
    """JSON nested deeper than the depth it was read with."""


_JSON_SPACE = re.compile(r"[ \t\n\r]*")
_JSON_STRING = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"', re.DOTALL)
_JSON_SCALAR = re.compile(
    r'"[^"\\]*(?:\\.[^"\\]*)*"|-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?|true|false|null',
    re.DOTALL,
)


def _json_scalar(token: str, offset: int) -> Any:
    import orjson

    try:
        return orjson.loads(token)
    except orjson.JSONDecodeError as exc:
        raise _BadJson(str(exc).split(":", 1)[0], offset + exc.pos) from None


def _load_deep_json(text: str, max_depth: int) -> Any:
    """The data of the JSON ``text``, read without recursion, so at any depth up to ``max_depth``.

    Containers are built here; every string and number is read by orjson, so the data is what
    ``orjson.loads`` gives where it can go that deep. Raises :class:`_JsonTooDeep` at the first
    container deeper than ``max_depth`` (counting the outermost as 1) and :class:`_BadJson`
    (message, character offset) at the first syntax error. Linear in the text.
    """
    space, scalar, string = _JSON_SPACE.match, _JSON_SCALAR.match, _JSON_STRING.match
    end = len(text)
    stack: list[Any] = []  # the open containers, outermost first
    keys: list[str] = []  # the member name each open object is waiting for a value of
    pos = space(text).end()
    while True:
        # a value starts at pos
        char = text[pos : pos + 1]
        if char in ("[", "{"):
            if len(stack) >= max_depth:
                raise _JsonTooDeep
            pos = space(text, pos + 1).end()
            if text.startswith("]" if char == "[" else "}", pos):
                value: Any = [] if char == "[" else {}
                pos += 1
            else:
                stack.append([] if char == "[" else {})
                if char == "{":
                    pos = _json_member_name(text, pos, keys, string, space)
                continue
        else:
            match = scalar(text, pos)
            if match is None:
                raise _BadJson("unexpected end of data" if pos >= end else "expected a JSON value", pos)
            value = _json_scalar(match.group(), pos)
            pos = match.end()
        # a value ends at pos: put it in its container, then close what it completes
        while True:
            pos = space(text, pos).end()
            if not stack:
                if pos < end:
                    raise _BadJson("unexpected content after document", pos)
                return value
            parent = stack[-1]
            if isinstance(parent, list):
                parent.append(value)
            else:
                parent[keys.pop()] = value
            char = text[pos : pos + 1]
            if char == ",":
                pos = space(text, pos + 1).end()
                if isinstance(parent, dict):
                    pos = _json_member_name(text, pos, keys, string, space)
                elif text.startswith("]", pos):
                    raise _BadJson("trailing comma is not allowed", pos)
                break
            if char != ("]" if isinstance(parent, list) else "}"):
                expected = "',' or ']'" if isinstance(parent, list) else "',' or '}'"
                raise _BadJson(f"expected {expected}" if char else "unexpected end of data", pos)
            value = stack.pop()
            pos += 1


def _json_member_name(text: str, pos: int, keys: list[str], string: Any, space: Any) -> int:
    """Read ``"name" :`` at ``pos`` onto ``keys``; the offset of the member's value."""
    match = string(text, pos)
    if match is None:
        message = "expected a member name in double quotes" if pos < len(text) else "unexpected end of data"
        raise _BadJson(message, pos)
    keys.append(_json_scalar(match.group(), pos))
    pos = space(text, match.end()).end()
    if not text.startswith(":", pos):
        raise _BadJson("expected ':' after a member name", pos)
    return space(text, pos + 1).end()


def _json_shape(data: Any) -> tuple[int, int, int]:
    """(nesting depth, object members, ``:`` characters inside keys and strings) of parsed JSON."""
    depth = keys = colons = 0
    stack: list[tuple[Any, int]] = [(data, 1)] if isinstance(data, (dict, list)) else []
    while stack:
        value, level = stack.pop()
        depth = max(depth, level)
        if isinstance(value, dict):
            keys += len(value)
            colons += sum(key.count(":") for key in value)
            value = value.values()
        for child in value:
            if isinstance(child, str):
                colons += child.count(":")
            elif isinstance(child, (dict, list)):
                stack.append((child, level + 1))
    return depth, keys, colons


def _json_may_repeat_keys(doc: Document, separators: int) -> bool:
    """False when the text certainly has no repeated key: a cheap count instead of a tokenizer.

    Outside strings, JSON has a ``:`` after each member name and nowhere else; a repeated
    member is dropped by the parser, so the text then has more ``:`` than the parsed data
    accounts for. A ``:`` written as ``\\u003a`` breaks the count: such files take the slow path.
    """
    if doc.contains("\\u003a") or doc.contains("\\u003A"):
        return True
    source = doc.source
    colons = source.count(b":") if isinstance(source, bytes) else source.count(":")
    return colons != separators


def _report_json_duplicates(doc: Document) -> None:
    duplicates: list[tuple[str, int, int, Pointer]] = []
    doc._json_index = _index_json(doc.text, duplicates)
    for name, first, second, pointer in duplicates:
        first_line, first_column = doc.offset_to_position(first)
        line, column = doc.offset_to_position(second)
        message = (
            f"duplicate key {name!r}: first defined at line {first_line}, column {first_column}; "
            "JSON parsers differ on which one they keep (errlint keeps the last)"
        )
        doc.problems.append(LoadProblem("duplicate-key", message, line, column, pointer))


def _json_too_deep_offset(text: str, max_depth: int) -> int:
    """Where the first bracket deeper than ``max_depth`` opens (0 when not found)."""
    depth = 0
    for match in _JSON_TOKEN.finditer(text):
        char = match.group()[0]
        if char in "{[":
            depth += 1
            if depth > max_depth:
                return match.start()
        elif char in "}]":
            depth -= 1
    return 0


_JSON_TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"|[{}\[\]]|[-0-9tfn][^\s,\]}]*')
#: a repeated member: (name, offset of the first key, offset of the repeat, pointer to it)
_Duplicate = tuple[str, int, int, Pointer]


def _index_json(text: str, duplicates: list[_Duplicate] | None = None) -> list[Any]:
    """Offsets of every value and key: ``[offset, children]`` with children a dict, a list or None.

    Each child of an object is ``(key offset, node)``. Repeated member names are appended
    to ``duplicates`` when given (the last one wins, as in the parser).
    """
    import json

    top: list[Any] = [0, []]
    stack: list[list[Any]] = [top]
    paths: list[Pointer] = [()]
    expect_key: list[bool] = [False]
    pending_key: list[tuple[str, int] | None] = [None]
    for match in _JSON_TOKEN.finditer(text):
        token = match.group()
        char = token[0]
        parent = stack[-1]
        is_object = isinstance(parent[1], dict)
        if char == '"' and is_object and expect_key[-1]:
            key = json.loads(token) if "\\" in token else token[1:-1]
            pending_key[-1] = (key, match.start())
            expect_key[-1] = False
            continue
        if char in "}]":
            if len(stack) > 1:
                stack.pop()
                paths.pop()
                expect_key.pop()
                pending_key.pop()
            continue
        node: list[Any] = [match.start(), {} if char == "{" else [] if char == "[" else None]
        if is_object:
            key = pending_key[-1]
            name = key[0] if key is not None else ""
            if key is not None:
                if duplicates is not None and name in parent[1]:
                    duplicates.append((name, parent[1][name][0], key[1], (*paths[-1], name)))
                parent[1][name] = (key[1], node)
            pending_key[-1] = None
            expect_key[-1] = True
        else:
            name = str(len(parent[1]))
            parent[1].append(node)
        if node[1] is not None:
            stack.append(node)
            paths.append((*paths[-1], name) if len(stack) > 2 else ())
            expect_key.append(char == "{")
            pending_key.append(None)
    return top[1][0] if top[1] else [0, None]


# -- YAML ------------------------------------------------------------------------------
@functools.cache
def yaml_loader() -> Any:
    """The loader class that every YAML read in errlint goes through: PyYAML's ``CSafeLoader``
    (libyaml), or its pure-Python ``SafeLoader`` when PyYAML was built without libyaml.

    The libyaml that PyYAML 6.0.4 bundles refuses nesting past 1000 levels with its own
    message, before errlint's depth checks (which honour ``--max-depth``) can speak. The first
    call sets that process-wide limit to :data:`LIBYAML_NEST_LEVEL`, so that errlint's limit
    is the one a user meets whatever PyYAML release is installed; older releases have no
    such limit and nothing to set.
    """
    import yaml

    try:
        from yaml import _yaml
    except ImportError:  # PyYAML built without libyaml
        return yaml.SafeLoader
    set_nest_level = getattr(_yaml, "_set_max_nest_level", None)
    if set_nest_level is not None:
        set_nest_level(LIBYAML_NEST_LEVEL)
    return getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _parse_yaml(doc: Document, limits: Limits) -> None:
    import yaml

    if not doc.text.strip():
        doc.data = None
        return
    if len(doc.text) >= FAST_YAML_MIN_CHARS and fastpath.enabled():
        loaded = _load_yaml_fast(doc.text, limits.max_depth)
        if loaded is not None:
            doc.data, doc._yaml_locate = loaded
            return
    try:
        _check_yaml_depth(doc.text, limits.max_depth)
        root = _compose_yaml(doc.text)
        if root is None:
            doc.data = None
            return
        doc.data = _YamlConverter(doc, limits).convert(root, ())
    except yaml.MarkedYAMLError as exc:
        doc.ok = False
        mark = exc.problem_mark or exc.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        what = " ".join(part for part in (exc.context, exc.problem) if part)
        start = exc.context_mark
        if start is not None and mark is not None and start.line != mark.line:
            what += f" (it began at line {start.line + 1}, column {start.column + 1})"
        doc.problems.append(LoadProblem("parse-error", f"invalid YAML: {what}", line, column))
        return
    except yaml.YAMLError as exc:
        doc.ok = False
        doc.problems.append(LoadProblem("parse-error", f"invalid YAML: {exc}", 1, 1))
        return
    except _Refused as exc:
        doc.ok = False
        doc.data = None
        doc.problems.append(LoadProblem("parse-error", exc.message, exc.line, exc.column))
        return
    doc._yaml_root = root


#: YAML files at least this long are read by rapidyaml when it can (linter.yamlfast); below
#: it, libyaml's composer costs less than importing rapidyaml (8 ms)
FAST_YAML_MIN_CHARS = 128 * 1024


def _load_yaml_fast(text: str, max_depth: int) -> tuple[Any, Any] | None:
    try:
        from linter import yamlfast
    except ImportError:  # rapidyaml has no build for this platform
        return None
    return yamlfast.load(text, max_depth)


def _compose_yaml(text: str) -> Any:
    """libyaml's node tree of the (single) document in ``text``; None when it is empty."""
    loader = yaml_loader()(text)
    try:
        return loader.get_single_node()
    finally:
        loader.dispose()


class _Refused(Exception):
    """Input that errlint will not load whole: too deep, or an alias bomb."""

    def __init__(self, message: str, mark: Any) -> None:
        super().__init__(message)
        self.message = message
        self.line, self.column = mark.line + 1, mark.column + 1


def _too_deep(max_depth: int) -> str:
    return f"nesting deeper than {max_depth} levels (--max-depth)"


def _yaml_depth_bound(text: str) -> int:
    """More levels than ``text`` can nest, cheaply: a block collection inside another starts at
    least one column further right every two levels, and each flow level opens a bracket."""
    longest = max(len(line) for line in text.split("\n"))
    return text.count("[") + text.count("{") + 2 * longest + 2


def _check_yaml_depth(text: str, max_depth: int) -> None:
    """Refuse nesting over ``max_depth`` before composing when composing could be unsafe.

    libyaml's composer recurses in C (a segfault past 20,000 levels with an 8 MB stack) and
    its scanner is quadratic in flow nesting. Under :data:`DEPTH_CEILING` levels both are
    harmless, and the converter enforces ``max_depth`` exactly; so parser events (an eighth
    of the cost of composing) are read only when the cheap bound is over the ceiling, and
    stop at ``max_depth``. A syntax error stops the scan: composing reports it, and nothing
    before it is too deep."""
    if _yaml_depth_bound(text) <= DEPTH_CEILING:
        return
    import yaml

    opening = (yaml.MappingStartEvent, yaml.SequenceStartEvent)
    closing = (yaml.MappingEndEvent, yaml.SequenceEndEvent)
    loader = yaml_loader()(text)
    depth = 0
    try:
        while (event := loader.get_event()) is not None:
            if isinstance(event, opening):
                depth += 1
                if depth > max_depth:
                    raise _Refused(_too_deep(max_depth), event.start_mark)
            elif isinstance(event, closing):
                depth -= 1
    except yaml.YAMLError:
        return
    finally:
        loader.dispose()


_STR_TAG = "tag:yaml.org,2002:str"
_MAP_TAG = "tag:yaml.org,2002:map"
_MERGE_TAG = "tag:yaml.org,2002:merge"


class _YamlConverter:
    """Composed YAML nodes -> plain data; keys stay source text; duplicates become problems.

    An alias converts to the very object its anchor did, so the data is a graph: its size and
    depth *as expanded* (what every later walk sees) are counted at each alias, and an alias
    inside its own anchor (a cycle, which no JSON value can be) is refused.
    """

    def __init__(self, doc: Document, limits: Limits) -> None:
        import yaml

        self.doc = doc
        self.limits = limits
        self.memo: dict[int, Any] = {}
        self.open: set[int] = set()
        self.shapes: dict[int, tuple[int, int]] = {}
        self.repeated_nodes = 0
        self.constructor = yaml.constructor.SafeConstructor()
        self.scalar_node = yaml.ScalarNode
        self.mapping_node = yaml.MappingNode
        self.scalar_makers = {
            "tag:yaml.org,2002:int": self.constructor.construct_yaml_int,
            "tag:yaml.org,2002:float": self.constructor.construct_yaml_float,
            "tag:yaml.org,2002:bool": self.constructor.construct_yaml_bool,
            "tag:yaml.org,2002:null": self.constructor.construct_yaml_null,
        }

    def convert(self, node: Any, pointer: Pointer, depth: int = 0) -> Any:
        if isinstance(node, self.scalar_node):
            tag = node.tag
            if tag == _STR_TAG:
                return node.value
            maker = self.scalar_makers.get(tag)
            if maker is None:
                return node.value
            try:
                return maker(node)
            except Exception:
                return node.value
        key = id(node)
        if key in self.memo:
            self._count_alias(node, depth)
            return self.memo[key]
        if depth >= self.limits.max_depth:
            raise _Refused(_too_deep(self.limits.max_depth), node.start_mark)
        self.open.add(key)
        if isinstance(node, self.mapping_node):
            result: Any = self._convert_mapping(node, pointer, depth)
        else:
            result = self.memo[key] = []
            for index, child in enumerate(node.value):
                result.append(self.convert(child, (*pointer, str(index)), depth + 1))
        self.open.discard(key)
        return result

    def _convert_mapping(self, node: Any, pointer: Pointer, depth: int) -> dict[str, Any]:
        result: dict[str, Any] = {}
        self.memo[id(node)] = result
        merges: list[Any] = []
        seen: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if key_node.tag == _MERGE_TAG:
                merges.append(value_node)
                continue
            name = self._key_text(key_node)
            if name in seen:
                first = seen[name].start_mark
                self.doc.problems.append(
                    LoadProblem(
                        "duplicate-key",
                        f"duplicate key {name!r}: first defined at line {first.line + 1}, "
                        f"column {first.column + 1}; YAML keeps only the last one",
                        key_node.start_mark.line + 1,
                        key_node.start_mark.column + 1,
                        (*pointer, name),
                    )
                )
            seen[name] = key_node
            result[name] = self.convert(value_node, (*pointer, name), depth + 1)
        for merge in merges:
            sources = merge.value if not isinstance(merge, self.mapping_node) else [merge]
            for source in sources if isinstance(sources, list) else []:
                merged = self.convert(source, pointer, depth + 1)
                if isinstance(merged, dict):
                    for name, value in merged.items():
                        result.setdefault(name, value)
        return result

    def _count_alias(self, node: Any, depth: int) -> None:
        self.doc.shares_values = True
        if id(node) in self.open:
            raise _Refused("a YAML alias inside its own anchor: the value would be infinite", node.start_mark)
        size, height = self._shape(node)
        self.repeated_nodes += size
        if self.repeated_nodes > self.limits.max_aliases:
            message = (
                f"YAML aliases repeat more than {self.limits.max_aliases:,} nodes (--max-aliases): "
                "possible alias bomb"
            )
            raise _Refused(message, node.start_mark)
        if depth + height > self.limits.max_depth:
            raise _Refused(_too_deep(self.limits.max_depth), node.start_mark)

    def _shape(self, node: Any) -> tuple[int, int]:
        """(nodes, levels) of ``node`` expanded; memoised, so linear in the distinct nodes."""
        if isinstance(node, self.scalar_node):
            return 1, 0
        known = self.shapes.get(id(node))
        if known is None:
            children = (
                (v for pair in node.value for v in pair)
                if isinstance(node, self.mapping_node)
                else node.value
            )
            size, height = 1, 0
            for child in children:
                child_size, child_height = self._shape(child)
                size += child_size
                height = max(height, child_height)
            known = self.shapes[id(node)] = (size, height + 1)
        return known

    def _key_text(self, key_node: Any) -> str:
        if isinstance(key_node, self.scalar_node):
            return str(key_node.value)
        line = key_node.start_mark.line + 1
        self.doc.problems.append(
            LoadProblem(
                "parse-error",
                "a mapping key that is itself a mapping or list cannot be used in OpenAPI",
                line,
                key_node.start_mark.column + 1,
            )
        )
        return f"<complex key at line {line}>"


#: per mapping node (by id): its members by key text, each (key node, value node)
_KeyIndex = dict[int, dict[str, tuple[Any, Any]]]


def _locate_yaml(root: Any, pointer: Pointer, keys: _KeyIndex) -> tuple[int, int]:
    """Walk composed nodes along ``pointer``; ``keys`` caches each mapping's members by name so
    that thousands of findings in one big mapping do not each scan it."""
    import yaml

    node = root
    mark = root.start_mark
    for token in pointer:
        if isinstance(node, yaml.MappingNode):
            members = keys.get(id(node))
            if members is None:
                members = keys[id(node)] = {
                    str(key_node.value): (key_node, value_node)
                    for key_node, value_node in node.value
                    if isinstance(key_node, yaml.ScalarNode)
                }
            member = members.get(token)
            if member is None:
                break
            mark, node = member[0].start_mark, member[1]
        elif isinstance(node, yaml.SequenceNode):
            if not token.isdigit() or int(token) >= len(node.value):
                break
            node = node.value[int(token)]
            mark = node.start_mark
        else:
            break
    return (mark.line + 1, mark.column + 1)


sys.setrecursionlimit(max(sys.getrecursionlimit(), 10_000))
