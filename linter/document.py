"""Parse one YAML or JSON file into plain data that remembers where every node came from.

A :class:`Document` knows nothing of ``$ref`` or OpenAPI. Positions are computed on
demand: YAML keeps the composed node tree (one walk per lookup), JSON builds an offset
index the first time a position is asked for, so a clean run over a big JSON spec never
pays for positions at all.
"""

from __future__ import annotations

import bisect
import codecs
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

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


@dataclass
class Limits:
    """Bounds that keep hostile input from exhausting time or memory."""

    max_file_bytes: int = 64 * 1024 * 1024
    max_depth: int = 1000
    max_aliases: int = 10_000


@dataclass(eq=False)
class Document:
    path: Path
    display: str
    text: str
    data: Any = None
    ok: bool = True
    problems: list[LoadProblem] = field(default_factory=list)
    _yaml_root: Any = None
    _json_index: Any = None
    _newlines: list[int] | None = None

    def __repr__(self) -> str:
        # The generated repr would print the whole text and node tree (megabytes in test failures).
        return f"Document({self.display!r}, ok={self.ok})"

    # -- positions -----------------------------------------------------------------
    def locate(self, pointer: Pointer) -> tuple[int, int]:
        """1-based (line, column) of the node at ``pointer``.

        For a mapping member this is its key; for the root or a list item, the value.
        An unknown pointer falls back to its nearest existing ancestor.
        """
        if self._yaml_root is not None:
            return _locate_yaml(self._yaml_root, pointer)
        if self.text and self.ok and self.data is not None:
            if self._json_index is None:
                self._json_index = _index_json(self.text)
            offset = _locate_json(self._json_index, pointer)
            return self.offset_to_position(offset)
        return (1, 1)

    def offset_to_position(self, offset: int) -> tuple[int, int]:
        if self._newlines is None:
            self._newlines = [m.start() for m in re.finditer("\n", self.text)]
        line = bisect.bisect_left(self._newlines, offset)
        start = self._newlines[line - 1] + 1 if line else 0
        return (line + 1, offset - start + 1)

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
def _parse_json(doc: Document, limits: Limits) -> None:
    import orjson

    try:
        doc.data = orjson.loads(doc.text)
    except orjson.JSONDecodeError as exc:
        doc.ok = False
        message = str(exc).split(":", 1)[0]
        doc.problems.append(LoadProblem("parse-error", f"invalid JSON: {message}", exc.lineno, exc.colno))
        return
    if _json_depth_exceeds(doc.text, limits.max_depth):
        doc.ok = False
        doc.data = None
        doc.problems.append(
            LoadProblem("parse-error", f"nesting deeper than {limits.max_depth} levels (--max-depth)", 1, 1)
        )


def _json_depth_exceeds(text: str, max_depth: int) -> bool:
    # Cheap upper bound first: a document cannot nest deeper than it has brackets.
    if text.count("{") + text.count("[") <= max_depth:
        return False
    depth = 0
    for match in _JSON_TOKEN.finditer(text):
        char = match.group()[0]
        if char in "{[":
            depth += 1
            if depth > max_depth:
                return True
        elif char in "}]":
            depth -= 1
    return False


_JSON_TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"|[{}\[\]]|[-0-9tfn][^\s,\]}]*')


def _index_json(text: str) -> list[Any]:
    """Offsets of every value and key: ``[offset, children]`` with children a dict, a list or None."""
    import json

    top: list[Any] = [0, []]
    stack: list[list[Any]] = [top]
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
                expect_key.pop()
                pending_key.pop()
            continue
        node: list[Any] = [match.start(), {} if char == "{" else [] if char == "[" else None]
        if is_object:
            key = pending_key[-1]
            if key is not None:
                parent[1][key[0]] = (key[1], node)
            pending_key[-1] = None
            expect_key[-1] = True
        else:
            parent[1].append(node)
        if node[1] is not None:
            stack.append(node)
            expect_key.append(char == "{")
            pending_key.append(None)
    return top[1][0] if top[1] else [0, None]


def _locate_json(index: list[Any], pointer: Pointer) -> int:
    node = index
    offset = node[0]
    for token in pointer:
        children = node[1]
        if isinstance(children, dict):
            entry = children.get(token)
            if entry is None:
                return offset
            offset, node = entry[0], entry[1]
        elif isinstance(children, list):
            if not token.isdigit() or int(token) >= len(children):
                return offset
            node = children[int(token)]
            offset = node[0]
        else:
            return offset
    return offset


# -- YAML ------------------------------------------------------------------------------
def _yaml_loader() -> Any:
    import yaml

    return getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _parse_yaml(doc: Document, limits: Limits) -> None:
    import yaml

    if not doc.text.strip():
        doc.data = None
        return
    try:
        loader = _yaml_loader()(doc.text)
        try:
            root = loader.get_single_node()
        finally:
            loader.dispose()
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
    except RecursionError:
        doc.ok = False
        doc.problems.append(LoadProblem("parse-error", "invalid YAML: nesting too deep", 1, 1))
        return
    if root is None:
        doc.data = None
        return
    converter = _YamlConverter(doc, limits)
    try:
        doc.data = converter.convert(root, ())
    except _TooDeep as exc:
        doc.ok = False
        doc.data = None
        doc.problems.append(
            LoadProblem(
                "parse-error",
                f"nesting deeper than {limits.max_depth} levels (--max-depth)",
                exc.line,
                exc.column,
            )
        )
        return
    except _TooManyAliases as exc:
        doc.ok = False
        doc.data = None
        doc.problems.append(
            LoadProblem(
                "parse-error",
                f"more than {limits.max_aliases:,} YAML alias uses (--max-aliases): possible alias bomb",
                exc.line,
                exc.column,
            )
        )
        return
    doc._yaml_root = root


class _TooDeep(Exception):
    def __init__(self, line: int, column: int) -> None:
        self.line, self.column = line, column


class _TooManyAliases(_TooDeep):
    pass


_STR_TAG = "tag:yaml.org,2002:str"
_MAP_TAG = "tag:yaml.org,2002:map"
_MERGE_TAG = "tag:yaml.org,2002:merge"


class _YamlConverter:
    """Composed YAML nodes -> plain data; keys stay source text; duplicates become problems."""

    def __init__(self, doc: Document, limits: Limits) -> None:
        import yaml

        self.doc = doc
        self.limits = limits
        self.memo: dict[int, Any] = {}
        self.alias_uses = 0
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
            self.alias_uses += 1
            if self.alias_uses > self.limits.max_aliases:
                raise _TooManyAliases(node.start_mark.line + 1, node.start_mark.column + 1)
            return self.memo[key]
        if depth > self.limits.max_depth:
            raise _TooDeep(node.start_mark.line + 1, node.start_mark.column + 1)
        if isinstance(node, self.mapping_node):
            result: dict[str, Any] = {}
            self.memo[key] = result
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
        items: list[Any] = []
        self.memo[key] = items
        for index, child in enumerate(node.value):
            items.append(self.convert(child, (*pointer, str(index)), depth + 1))
        return items

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


def _locate_yaml(root: Any, pointer: Pointer) -> tuple[int, int]:
    import yaml

    node = root
    mark = root.start_mark
    for token in pointer:
        if isinstance(node, yaml.MappingNode):
            for key_node, value_node in reversed(node.value):
                if isinstance(key_node, yaml.ScalarNode) and str(key_node.value) == token:
                    mark, node = key_node.start_mark, value_node
                    break
            else:
                break
        elif isinstance(node, yaml.SequenceNode):
            if not token.isdigit() or int(token) >= len(node.value):
                break
            node = node.value[int(token)]
            mark = node.start_mark
        else:
            break
    return (mark.line + 1, mark.column + 1)


sys.setrecursionlimit(max(sys.getrecursionlimit(), 10_000))
