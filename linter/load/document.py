"""Parse one YAML or JSON file into plain data that remembers where every node came from.

A :class:`Document` knows nothing of ``$ref`` or OpenAPI. Positions are computed on
demand, so a clean run never pays for them:

* JSON is parsed by orjson from its bytes; positions come from :mod:`linter.locate.jsonpos` (from
  the data's layout when the text is a canonical 2-space dump, else by scanning the
  containers a lookup passes through).
* YAML of :data:`FAST_YAML_MIN_CHARS` or more goes through :mod:`linter.load.yamlfast`
  (rapidyaml) when it reads the file exactly as PyYAML would; positions then come from
  rapidyaml's tree. Other YAML is composed by libyaml and converted here; positions come
  from the composed node tree (one walk per lookup).

Reading is split by format: :mod:`linter.load.reader` (bytes -> Document),
:mod:`linter.load.json_reader`, :mod:`linter.load.yaml_reader` and
:mod:`linter.load.yaml_convert` (composed nodes -> data, with the depth and alias limits).
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from linter import fastpath
from linter.locate.lines import LineBlocks, LineTable, has_unusual_breaks
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
#: orjson's own nesting limit: deeper JSON is read by :mod:`linter.load.json_deep` instead.
JSON_PARSER_DEPTH = 1024


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
    #: positions from rapidyaml's tree, for YAML loaded on the fast path (see linter.load.yamlfast)
    _yaml_locate: Any = None
    #: whether one container may sit at several places in ``data`` (a YAML alias was used)
    shares_values: bool = False
    _json_index: Any = None
    _yaml_keys: _KeyIndex = field(default_factory=dict)
    _line_blocks: LineBlocks[str] | LineTable | None = None
    #: whether the text's only line breaks are LF and CRLF (None: not looked yet)
    _plain_breaks: bool | None = None
    #: where each container of an aliased YAML document is written (see written_pointer)
    _first_pointers: dict[int, Pointer] | None = None

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
        from linter.load.yaml_reader import _compose_yaml, _locate_yaml

        if self._yaml_locate is not None:
            found = self._yaml_locate(pointer)
            if found is not None:
                return found
            if self._yaml_root is None:  # a node the fast path cannot place: compose, once
                self._yaml_root = _compose_yaml(self.text)
        if self._yaml_root is not None:
            mark = _locate_yaml(self._yaml_root, pointer, self._yaml_keys)
            return self.mark_position(mark)
        if self.source and self.ok and self.data is not None:
            from linter.locate import jsonpos

            if self._json_index is None:
                canonical = jsonpos.CanonicalLayout.of(self.source, self.data) if fastpath.enabled() else None
                self._json_index = canonical if canonical is not None else jsonpos.lazy_index(self.text)
            if isinstance(self._json_index, jsonpos.CanonicalLayout):
                return self._json_index.locate(pointer)
            offset = jsonpos.locate(self.text, self._json_index, pointer)
            return self.offset_to_position(offset)
        return (1, 1)

    def written_pointer(self, pointer: Pointer) -> Pointer:
        """``pointer`` where its value is written in the text: through a YAML alias or a merge
        key (``<<``), the anchor's place (see :mod:`linter.locate.yamlmerge`). Other pointers,
        and every pointer of a document without aliases, are returned as given."""
        if not self.shares_values:
            return pointer
        from linter.load.yaml_reader import _compose_yaml
        from linter.locate import yamlmerge

        if self._yaml_root is None and self._yaml_locate is not None:
            self._yaml_root = _compose_yaml(self.text)
        if self._yaml_root is None:
            return pointer
        if self._first_pointers is None:
            self._first_pointers = yamlmerge.first_pointers(self._yaml_root)
        return yamlmerge.written_pointer(self._yaml_root, pointer, self._yaml_keys, self._first_pointers)

    def offset_to_position(self, offset: int) -> tuple[int, int]:
        """1-based (line, column) of a character offset into the text, as editors count
        lines (CRLF, LF, lone CR; see :mod:`linter.locate.lines`)."""
        if self._line_blocks is None:
            self._line_blocks = LineTable(self.text) if has_unusual_breaks(self.text) else LineBlocks(self.text)
        return self._line_blocks.position(offset)

    def mark_position(self, mark: Any) -> tuple[int, int]:
        """1-based (line, column) of a libyaml mark, as editors count lines: the mark's own
        line counts NEL, LS, PS and lone CR as line breaks too, editors do not (all but CR)."""
        if self._plain_breaks is None:
            self._plain_breaks = not has_unusual_breaks(self.text)
        if self._plain_breaks:
            return (mark.line + 1, mark.column + 1)
        return self.offset_to_position(mark.index)

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


#: per mapping node (by id): its members by key text, each (key node, value node)
_KeyIndex = dict[int, dict[str, tuple[Any, Any]]]


#: converting and locating composed YAML recurse once per level
sys.setrecursionlimit(max(sys.getrecursionlimit(), 10_000))
