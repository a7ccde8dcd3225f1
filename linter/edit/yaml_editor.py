"""Text-preserving edits of YAML files (see :mod:`linter.edit.roundtrip`).

Positions come from PyYAML's composed node tree, tagged by the YAML 1.2 core schema as
every load path reads it (:mod:`linter.load.yamlcore`), through the locator documents use
(:class:`linter.load.yaml_reader.ComposedYamlLocator`): a pointer reaches the member the
data has (the last of a repeated key, a merged one). New members are written in block style
with the file's indentation step, its sequence-dash offset, the quoting of its existing
status-code keys (``404:``, ``'404':`` or ``"404":``) and its preferred quote character.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import dataclass
from typing import Any

import yaml

from linter.edit.roundtrip import CannotEdit, Splice, TextEditor
from linter.jsonvalue import excerpt
from linter.load import yamlcore
from linter.load.libyaml import yaml_loader
from linter.load.yaml_reader import ComposedYamlLocator
from linter.locate.lines import YAML_BREAKS, LineTable
from linter.pointer import Pointer, to_str

_NULL_TAG = yamlcore.NULL_TAG
_MERGE_TAG = yamlcore.MERGE_TAG
_STATUS_KEY = re.compile(r"^([1-5][0-9][0-9]|[1-5]XX)$", re.IGNORECASE)
_PLAIN = re.compile(r"^[A-Za-z_$][\w$ .,/+()-]*$")
#: plain words that are strings in YAML 1.2 but booleans to YAML 1.1 readers: written quoted,
#: so that every reader of the edited file sees a string
_YAML11_BOOLEANS = frozenset({"yes", "no", "on", "off", "y", "n"})
_ALIAS = re.compile(r"\*[^\s,\[\]{}]+")
_KEEP_CHOMPING = re.compile(r"[|>](?:[1-9]?\+|\+[1-9]?)")
_QUOTES = ("'", '"')


@dataclass(frozen=True, slots=True)
class YamlStyle:
    indent: int = 2
    #: columns between a parent key and the dashes of its block sequence (0 or ``indent``)
    dash_offset: int = 2
    quote: str = "'"
    #: None (plain), ``'`` or ``"``: how the file writes status-code keys
    status_key_quote: str | None = "'"


class YamlEditor(TextEditor):
    def __init__(self, text: str) -> None:
        super().__init__(text)
        # lines as the YAML parser counts them (NEL, LS, PS and lone CR included), since
        # indentation is counted from its line starts; nodes are found by character offset
        self._line_table = LineTable(text, YAML_BREAKS)
        self.root = _compose(text)
        self.locator = ComposedYamlLocator(self.root, text)
        self._index: dict[int, dict[str, list[tuple[Any, Any]]]] = {}
        self.style = detect_style(self.root) if self.root is not None else YamlStyle()

    # -- finding nodes ---------------------------------------------------------------
    @staticmethod
    def _offset(mark: Any) -> int:
        return int(mark.index)

    def _find(self, pointer: Pointer) -> tuple[Any, Any] | None:
        """``(node, key node)`` at ``pointer`` (key node None for the root and list items)."""
        return self.locator.nodes(pointer) if self.root is not None else None

    def _members(self, node: Any) -> dict[str, list[tuple[Any, Any]]]:
        """A mapping node's own scalar-keyed members by key text, in order (merge keys
        included, as written): indexed once, so that checking one edit per operation of a big
        spec does not scan ``paths`` each time (the composed tree is never changed)."""
        index = self._index.get(id(node))
        if index is None:
            index = self._index[id(node)] = {}
            for key, value in node.value:
                if isinstance(key, yaml.ScalarNode):
                    index.setdefault(str(key.value), []).append((key, value))
        return index

    def has(self, pointer: Pointer) -> bool:
        return self._find(pointer) is not None

    def check(self, pointer: Pointer) -> None:
        """Refuse pointers reached through an alias (the edit would land in the anchor, shared
        with other places) or missing from a mapping with a merge key (``<<``: a new member
        would hide the merged one)."""
        node, key_node = self.root, None
        walked: list[str] = []
        for token in pointer:
            if key_node is not None and self._offset(node.start_mark) < self._offset(key_node.end_mark):
                raise CannotEdit(f"{to_str(tuple(walked))} is a YAML alias; edit its anchor by hand")
            if isinstance(node, yaml.MappingNode):
                members = self._members(node)
                found = next((member for member in members.get(token, ()) if member[0].tag != _MERGE_TAG), None)
                if found is None:
                    if any(k.tag == _MERGE_TAG for k, _ in node.value):
                        where = to_str(tuple(walked)) or "/"
                        raise CannotEdit(
                            f"{where} takes members from a YAML merge key (<<); a new {excerpt(token)} "
                            "would hide the merged one, edit it by hand"
                        )
                    return
                key_node, node = found
            elif isinstance(node, yaml.SequenceNode) and token.isdigit() and int(token) < len(node.value):
                node, key_node = node.value[int(token)], None
            else:
                return
            walked.append(token)
        if key_node is not None and self._offset(node.start_mark) < self._offset(key_node.end_mark):
            raise CannotEdit(f"{to_str(pointer)} is a YAML alias; edit its anchor by hand")

    def _editable(self, pointer: Pointer) -> tuple[Any, Any]:
        found = self._find(pointer)
        if found is None:
            raise CannotEdit(f"{to_str(pointer) or '/'} not found")
        self.check(pointer)
        return found

    # -- positions -------------------------------------------------------------------
    def _end(self, node: Any, after: int) -> tuple[int, bool]:
        """Where ``node``'s own text ends, and whether it is a keep-chomped block scalar.

        ``after`` is where the node's text may start: a node that starts before it is an
        alias of an earlier anchor, whose own text is the ``*name`` token.
        """
        if self._offset(node.start_mark) < after:
            match = _ALIAS.search(self.text, after)
            return (match.end() if match else after), False
        if isinstance(node, yaml.MappingNode) and not node.flow_style and node.value:
            key, value = node.value[-1]
            return self._end(value, self._offset(key.end_mark))
        if isinstance(node, yaml.SequenceNode) and not node.flow_style and node.value:
            start = (
                self._offset(node.value[-2].end_mark)
                if len(node.value) > 1
                else self._offset(node.start_mark)
            )
            return self._end(node.value[-1], start)
        keep = isinstance(node, yaml.ScalarNode) and node.style in ("|", ">")
        keep = keep and bool(_KEEP_CHOMPING.match(self.text, self._offset(node.start_mark)))
        return self._offset(node.end_mark), keep

    def _line_start(self, offset: int) -> int:
        return self._line_table.line_start(offset)

    def _next_line(self, end: int, keep: bool) -> int:
        """The start of the line after the one where a node ends, before trailing blank lines."""
        line_start = self._line_start(end)
        # a node ending on a blank stretch: the scanner stopped on the next line's indentation
        blank = self.text[line_start:end].strip() == ""
        position = line_start if blank else self._line_table.next_line(end)
        while not keep and position > 0:
            previous = self._line_start(position - 1)
            if self.text[previous:position].strip():
                break
            position = previous
        return position

    def _member_end(self, key_node: Any, value_node: Any) -> int:
        return self._next_line(*self._end(value_node, self._offset(key_node.end_mark)))

    # -- splices ---------------------------------------------------------------------
    def insertion(self, pointer: Pointer, entries: dict[str, Any]) -> Splice:
        depth = len(pointer)
        if self.root is None:
            return Splice(0, len(self.text), self._block(entries, 0), depth)
        node, key_node = self._editable(pointer)
        if isinstance(node, yaml.MappingNode) and not node.flow_style and node.value:
            indent = self._key_column(node.value[0][0])
            at = self._member_end(*node.value[-1])
            text = self._block(entries, indent)
            if at == len(self.text) and not self.text.endswith("\n"):
                text = self.newline + text
            return Splice(at, at, text, depth)
        empty = (isinstance(node, yaml.MappingNode) and not node.value) or (
            isinstance(node, yaml.ScalarNode) and node.tag == _NULL_TAG
        )
        if empty and key_node is not None:
            colon = self._colon_after(key_node)
            indent = key_node.start_mark.column + self.style.indent
            block = self._block(entries, indent).rstrip("\r\n")
            return Splice(colon, self._offset(node.end_mark), self.newline + block, depth)
        if isinstance(node, yaml.MappingNode):
            closing = self._offset(node.end_mark) - 1
            members = ", ".join(f"{self._key(k)}: {json.dumps(v)}" for k, v in entries.items())
            return Splice(closing, closing, (", " if node.value else "") + members, depth)
        raise CannotEdit(f"{to_str(pointer) or '/'} is not a mapping")

    def removal(self, pointer: Pointer, key: str) -> Splice:
        node, _ = self._editable(pointer)
        if not isinstance(node, yaml.MappingNode) or node.flow_style:
            raise CannotEdit(f"{to_str(pointer)} is not a block mapping; remove {excerpt(key)} by hand")
        if len(node.value) < 2:
            raise CannotEdit(f"removing {excerpt(key)} would leave {to_str(pointer)} empty")
        for key_node, value_node in node.value:
            if isinstance(key_node, yaml.ScalarNode) and str(key_node.value) == key:
                start = self._offset(key_node.start_mark)
                line_start = self._line_start(start)
                if self.text[line_start:start].strip():
                    raise CannotEdit(f"{excerpt(key)} does not start its line; remove it by hand")
                return Splice(line_start, self._member_end(key_node, value_node), "")
        raise CannotEdit(f"{to_str((*pointer, key))} not found")

    def _key_column(self, key_node: Any) -> int:
        """The column where a block mapping's member starts: its key, or the ``?`` of an
        explicit key (``? '200'`` / ``: {...}``)."""
        start = self._offset(key_node.start_mark)
        line_start = self._line_start(start)
        before = self.text[line_start:start]
        if before.strip() == "?":
            return len(before) - len(before.lstrip())
        return int(key_node.start_mark.column)

    def _colon_after(self, key_node: Any) -> int:
        match = re.compile(r"[ \t]*:").match(self.text, self._offset(key_node.end_mark))
        if match is None:
            raise CannotEdit("unexpected text after a key")
        return match.end()

    # -- writing new text ------------------------------------------------------------
    def _block(self, entries: dict[str, Any], indent: int) -> str:
        return "".join(line + self.newline for line in self._lines(entries, indent))

    def _lines(self, entries: dict[str, Any], indent: int) -> list[str]:
        lines = []
        for key, value in entries.items():
            head = " " * indent + self._key(key) + ":"
            if isinstance(value, dict) and value:
                lines += [head, *self._lines(value, indent + self.style.indent)]
            elif isinstance(value, list) and value:
                lines += [head, *self._items(value, indent + self.style.dash_offset)]
            else:
                lines.append(f"{head} {self._scalar(value)}")
        return lines

    def _items(self, items: list[Any], indent: int) -> list[str]:
        lines = []
        for item in items:
            if isinstance(item, dict) and item:
                nested = self._lines(item, indent + 2)
                lines += [" " * indent + "- " + nested[0].lstrip(), *nested[1:]]
            else:
                lines.append(" " * indent + "- " + self._scalar(item))
        return lines

    def _key(self, key: str) -> str:
        if _STATUS_KEY.match(key):
            quote = self.style.status_key_quote
            return key if quote is None else self._quoted(key, quote)
        return self._scalar(key)

    def _scalar(self, value: Any) -> str:
        if isinstance(value, bool):
            return "true" if value else "false"
        if value is None:
            return "null"
        if isinstance(value, (int, float)):
            return str(value)
        if isinstance(value, dict):
            return "{}"
        if isinstance(value, list):
            return "[]"
        text = str(value)
        if (
            _PLAIN.match(text)
            and text == text.strip()
            and yamlcore.is_plain_string(text)
            and text.lower() not in _YAML11_BOOLEANS
        ):
            return text
        return self._quoted(text, self.style.quote)

    @staticmethod
    def _quoted(text: str, quote: str) -> str:
        if quote == '"':
            return json.dumps(text)
        return "'" + text.replace("'", "''") + "'"


def _compose(text: str) -> Any:
    if not text.strip():
        return None
    loader = yaml_loader()(text)
    try:
        return loader.get_single_node()
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark is not None else ""
        problem = getattr(exc, "problem", None) or type(exc).__name__
        raise CannotEdit(f"cannot parse the YAML ({problem}{where})") from None
    finally:
        loader.dispose()


def detect_style(root: Any) -> YamlStyle:
    """The file's indentation step, dash offset, favourite quote and status-key quoting.

    The favourite quote is the one most ``$ref`` values use (the strings ``fix`` writes
    most), else the one most quoted values use.
    """
    indent: int | None = None
    dash_offset: int | None = None
    status_keys: list[str | None] = []
    ref_quotes: Counter[str] = Counter()
    value_quotes: Counter[str] = Counter()
    stack = [root]
    seen: set[int] = set()
    while stack:
        node = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        if isinstance(node, yaml.SequenceNode):
            stack.extend(reversed(node.value))
        if not isinstance(node, yaml.MappingNode):
            continue
        stack.extend(reversed([value for _, value in node.value]))
        for key, value in node.value:
            key_text = str(key.value) if isinstance(key, yaml.ScalarNode) else ""
            if isinstance(value, yaml.ScalarNode) and value.style in _QUOTES:
                (ref_quotes if key_text == "$ref" else value_quotes)[value.style] += 1
            if not status_keys and _STATUS_KEY.match(key_text):
                status_keys.append(key.style if key.style in _QUOTES else None)
            if value.start_mark.line != key.start_mark.line and not getattr(value, "flow_style", None):
                if isinstance(value, yaml.MappingNode) and value.value and indent is None:
                    step = value.value[0][0].start_mark.column - key.start_mark.column
                    indent = step if step > 0 else None
                if isinstance(value, yaml.SequenceNode) and value.value and dash_offset is None:
                    dash_offset = max(value.value[0].start_mark.column - 2 - key.start_mark.column, 0)
    quote = (ref_quotes or value_quotes or Counter({"'": 1})).most_common(1)[0][0]
    step = indent or 2
    return YamlStyle(
        indent=step,
        dash_offset=step if dash_offset is None else dash_offset,
        quote=quote,
        status_key_quote=status_keys[0] if status_keys else quote,
    )
