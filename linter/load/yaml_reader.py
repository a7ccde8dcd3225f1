"""YAML text -> :class:`~linter.load.document.Document` data: rapidyaml for big files when it
reads them as PyYAML would, else libyaml's composer and :mod:`linter.load.yaml_convert`;
positions from the composed node tree (:class:`ComposedYamlLocator`)."""

from __future__ import annotations

from typing import Any

from linter import fastpath
from linter.load.document import Document, Limits, LoadProblem
from linter.load.libyaml import yaml_loader
from linter.load.yaml_convert import _check_yaml_depth, _Refused, _YamlConverter
from linter.locate.lines import LineBlocks, LineTable, editor_lines, has_unusual_breaks
from linter.locate.locator import Locator, Span
from linter.locate.yamlmerge import KeyIndex, first_pointers, members, written_pointer
from linter.pointer import Pointer


def _parse_yaml(doc: Document, limits: Limits) -> None:
    import yaml

    if not doc.text.strip():
        doc.data = None
        return
    if len(doc.text) >= FAST_YAML_MIN_CHARS and fastpath.enabled():
        loaded = _load_yaml_fast(doc.text, limits.max_depth)
        if loaded is not None:
            doc.data, doc.locator = loaded
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
    doc.locator = ComposedYamlLocator(root, doc.text)


#: YAML files at least this long are read by rapidyaml when it can (linter.load.yamlfast); below
#: it, libyaml's composer costs less than importing rapidyaml (8 ms)
FAST_YAML_MIN_CHARS = 128 * 1024


def _load_yaml_fast(text: str, max_depth: int) -> tuple[Any, Any] | None:
    try:
        from linter.load import yamlfast
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


class ComposedYamlLocator(Locator):
    """Positions from libyaml's composed node tree: marks are character offsets (``index``).

    A member is found by its key's text among a mapping's scalar keys, the last one of a
    repeated key (as PyYAML keeps the last value), and a member that a merge key (``<<``)
    brings where it is written (see :mod:`linter.locate.yamlmerge`); each mapping's members
    are indexed on its first lookup, so thousands of findings in one big mapping do not each
    scan it."""

    def __init__(self, root: Any, text: str) -> None:
        self.root = root
        self.text = text
        self._members: KeyIndex = {}
        #: where each container is written (see written_pointer), found on first use
        self._first_pointers: dict[int, Pointer] | None = None
        self._lines: LineBlocks[str] | LineTable | None = None
        #: whether the text's only line breaks are LF and CRLF (None: not looked yet)
        self._plain_breaks: bool | None = None

    @classmethod
    def of(cls, text: str) -> ComposedYamlLocator:
        """The locator of ``text`` composed now (text already known to be valid YAML)."""
        return cls(_compose_yaml(text), text)

    def nodes(self, pointer: Pointer) -> tuple[Any, Any] | None:
        """``(node, key node)`` at ``pointer`` (key node None for the root and list items), or
        None when it does not exist."""
        found, complete = self._walk(pointer)
        return found if complete else None

    def written_pointer(self, pointer: Pointer) -> Pointer:
        """``pointer`` where its value is written: through an alias or a merged member, the
        anchor's place (see :func:`linter.locate.yamlmerge.written_pointer`)."""
        if self.root is None:
            return pointer
        if self._first_pointers is None:
            self._first_pointers = first_pointers(self.root)
        return written_pointer(self.root, pointer, self._members, self._first_pointers)

    def offset(self, pointer: Pointer) -> int | None:
        mark = self._mark(pointer)
        return None if mark is None else int(mark.index)

    def span(self, pointer: Pointer) -> Span | None:
        found = self.nodes(pointer)
        if found is None:
            return None
        node, key = found
        return Span(node.start_mark.index, node.end_mark.index, None if key is None else key.start_mark.index)

    def position(self, pointer: Pointer) -> tuple[int, int] | None:
        """As editors count lines: a mark's own line counts NEL, LS, PS and lone CR as line
        breaks too, editors do not (all but CR), so such text is counted from the offset."""
        mark = self._mark(pointer)
        if mark is None:
            return None
        if self._plain_breaks is None:
            self._plain_breaks = not has_unusual_breaks(self.text)
        if self._plain_breaks:
            return (mark.line + 1, mark.column + 1)
        if self._lines is None:
            self._lines = editor_lines(self.text)
        return self._lines.position(mark.index)

    def _mark(self, pointer: Pointer) -> Any:
        (node, key), _ = self._walk(pointer)
        if node is None:
            return None
        return (key if key is not None else node).start_mark

    def _walk(self, pointer: Pointer) -> tuple[tuple[Any, Any], bool]:
        """The deepest ``(node, key node)`` along ``pointer``, and whether it got to the end."""
        import yaml

        node, key = self.root, None
        for token in pointer:
            if isinstance(node, yaml.MappingNode):
                member = members(node, self._members).get(token)
                if member is None:
                    return (node, key), False
                key, node = member
            elif isinstance(node, yaml.SequenceNode) and token.isdigit() and int(token) < len(node.value):
                node, key = node.value[int(token)], None
            else:
                return (node, key), False
        return (node, key), True
