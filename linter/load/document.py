"""Parse one YAML or JSON file into plain data that remembers where every node came from.

A :class:`Document` knows nothing of ``$ref`` or OpenAPI. Positions are computed on
demand, so a clean run never pays for them:

Each document has a :class:`~linter.locate.locator.Locator` for the parser that read it:

* JSON is parsed by orjson from its bytes; positions come from
  :mod:`linter.locate.json_locator` (from the data's layout when the text is a canonical
  2-space dump, else by scanning the containers a lookup passes through), made on the first
  lookup.
* YAML of ``FAST_YAML_MIN_CHARS`` or more goes through :mod:`linter.load.yamlfast`
  (rapidyaml) when it reads the file exactly as PyYAML would; positions then come from
  rapidyaml's tree, and where it cannot place a node, from the composed nodes of the text,
  composed once. Other YAML is composed by libyaml and converted; positions come from the
  composed node tree (:class:`linter.load.yaml_reader.ComposedYamlLocator`).

Reading is split by format: :mod:`linter.load.reader` (bytes -> Document),
:mod:`linter.load.json_reader`, :mod:`linter.load.yaml_reader` and
:mod:`linter.load.yaml_convert` (composed nodes -> data, with the depth and alias limits).
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from linter.locate.lines import LineBlocks, LineTable, editor_lines
from linter.locate.locator import Locator
from linter.pointer import Pointer

if TYPE_CHECKING:
    from linter.load.yaml_reader import ComposedYamlLocator

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
    #: positions for the parser that read the file (JSON: made on the first lookup)
    locator: Locator | None = None
    #: whether one container may sit at several places in ``data`` (a YAML alias was used)
    shares_values: bool = False
    #: the composed nodes' locator, for what rapidyaml's tree cannot place
    _composed: ComposedYamlLocator | None = None
    _line_blocks: LineBlocks[str] | LineTable | None = None

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
        locator = self.locator
        if locator is None:
            if not (self.source and self.ok and self.data is not None):
                return (1, 1)
            from linter.locate.json_locator import json_locator

            locator = self.locator = json_locator(self.source, self.data, lambda: self.text)
        found = locator.position(pointer)
        if found is None:  # a node rapidyaml's tree cannot place: ask the composed nodes
            found = self._composed_nodes().position(pointer)
        return found if found is not None else (1, 1)

    def written_pointer(self, pointer: Pointer) -> Pointer:
        """``pointer`` where its value is written in the text: through a YAML alias or a merge
        key (``<<``), the anchor's place (see :mod:`linter.locate.yamlmerge`). Other pointers,
        and every pointer of a document without aliases, are returned as given."""
        if not self.shares_values:
            return pointer
        return self._composed_nodes().written_pointer(pointer)

    def _composed_nodes(self) -> ComposedYamlLocator:
        """The YAML document's composed-node locator: its own, or composed once from the text
        when rapidyaml read it."""
        from linter.load.yaml_reader import ComposedYamlLocator

        if isinstance(self.locator, ComposedYamlLocator):
            return self.locator
        if self._composed is None:
            self._composed = ComposedYamlLocator.of(self.text)
        return self._composed

    def use_pointer(self, pointer: Pointer) -> Pointer | None:
        """The prefix of ``pointer`` where it enters text written elsewhere (a YAML alias or a
        merge key, see :func:`linter.locate.yamlmerge.shared_prefix`), or None."""
        if not self.shares_values or self.written_pointer(pointer) == pointer:
            return None
        from linter.locate import yamlmerge

        nodes = self._composed_nodes()
        if nodes.root is None or nodes._first_pointers is None:
            return None
        return yamlmerge.shared_prefix(nodes.root, pointer, nodes._members, nodes._first_pointers)

    def offset_to_position(self, offset: int) -> tuple[int, int]:
        """1-based (line, column) of a character offset into the text, as editors count
        lines (CRLF, LF, lone CR; see :mod:`linter.locate.lines`)."""
        if self._line_blocks is None:
            self._line_blocks = editor_lines(self.text)
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


#: converting and locating composed YAML recurse once per level
sys.setrecursionlimit(max(sys.getrecursionlimit(), 10_000))
