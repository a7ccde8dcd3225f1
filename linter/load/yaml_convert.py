"""Composed YAML nodes -> plain data (:class:`_YamlConverter`), and the limits that keep hostile
YAML from exhausting the process: nesting depth (checked before composing when composing could
be unsafe) and alias bombs."""

from __future__ import annotations

from typing import Any

from linter.load import yamlcore
from linter.load.document import DEPTH_CEILING, Document, Limits, LoadProblem
from linter.load.libyaml import yaml_loader
from linter.pointer import Pointer


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
        self.scalar_node = yaml.ScalarNode
        self.mapping_node = yaml.MappingNode
        #: YAML 1.2 core schema values (the nodes were tagged by its resolvers)
        self.construct = yamlcore.construct

    def convert(self, node: Any, pointer: Pointer, depth: int = 0) -> Any:
        if isinstance(node, self.scalar_node):
            tag = node.tag
            if tag == _STR_TAG:
                return node.value
            try:
                return self.construct(tag, node.value)
            except ValueError:
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
