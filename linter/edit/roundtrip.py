"""Edit a YAML or JSON file without rewriting it: only the inserted or removed members change.

A full re-dump (ruamel.yaml round-trip mode, ``json.dumps``) reflows flow collections, block
scalars, sequence indentation and number spellings that real specs mix freely, so ``fix``
edits the text instead. An editor queues additions (``add``: members for the mapping at a
JSON pointer, created with its missing parents) and removals, then :meth:`TextEditor.result`
splices them into the original text at positions taken from the parser. New text follows
the file's own conventions: indentation, newline style, quoting of status keys and strings.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from linter.pointer import Pointer


class CannotEdit(Exception):
    """The requested change cannot be made safely in this file's text (the message says why)."""


@dataclass(frozen=True, slots=True)
class Splice:
    """Replace ``text[start:end]`` with ``text``; ``depth`` orders insertions at one offset
    (deeper containers first, so a child's new members precede the parent's new keys)."""

    start: int
    end: int
    text: str
    depth: int = 0


class TextEditor(ABC):
    """Queue changes with :meth:`add` and :meth:`remove`; read the edited text from :meth:`result`."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.newline = dominant_newline(text)
        self._adds: dict[Pointer, dict[str, Any]] = {}
        self._removals: list[tuple[Pointer, str]] = []

    # -- queueing --------------------------------------------------------------------
    def add(self, pointer: Pointer, entries: dict[str, Any]) -> None:
        """Add ``entries`` to the mapping at ``pointer`` (created, with its parents, if missing).
        Keys that already exist are left alone."""
        queued = self._adds.setdefault(tuple(pointer), {})
        for key, value in entries.items():
            if not self.has((*pointer, key)):
                queued.setdefault(key, value)

    def remove(self, pointer: Pointer, key: str) -> None:
        """Remove member ``key`` of the mapping at ``pointer``."""
        self._removals.append((tuple(pointer), key))

    @property
    def changed(self) -> bool:
        return any(self._adds.values()) or bool(self._removals)

    def result(self) -> str:
        """The text with every queued change; raises :class:`CannotEdit` when one is unsafe."""
        splices = [self.removal(pointer, key) for pointer, key in self._removals]
        for pointer, entries in self._grouped_adds().items():
            splices.append(self.insertion(pointer, entries))
        return apply_splices(self.text, splices)

    def result_of(self, pointer: Pointer) -> str:
        """The text with only the additions queued at ``pointer`` (to find which one fails)."""
        adds, removals = self._adds, self._removals
        self._adds, self._removals = {tuple(pointer): adds.get(tuple(pointer), {})}, []
        try:
            return self.result()
        finally:
            self._adds, self._removals = adds, removals

    def drop(self, pointer: Pointer) -> None:
        """Forget the additions queued at ``pointer``."""
        self._adds.pop(tuple(pointer), None)

    def _grouped_adds(self) -> dict[Pointer, dict[str, Any]]:
        """Each queued addition re-rooted at its deepest existing ancestor, merged per ancestor."""
        grouped: dict[Pointer, dict[str, Any]] = {}
        for pointer, entries in self._adds.items():
            if not entries:
                continue
            existing = pointer
            while existing and not self.has(existing):
                existing = existing[:-1]
            nested: dict[str, Any] = dict(entries)
            for key in reversed(pointer[len(existing) :]):
                nested = {key: nested}
            merge_into(grouped.setdefault(existing, {}), nested)
        return grouped

    def check(self, pointer: Pointer) -> None:
        """Raise :class:`CannotEdit` when members cannot be added at ``pointer`` safely
        (YAML: through an alias, beside a merge key); the default accepts every pointer."""
        return None

    # -- format-specific -------------------------------------------------------------
    @abstractmethod
    def has(self, pointer: Pointer) -> bool:
        """Whether the file has a value at ``pointer``."""

    @abstractmethod
    def insertion(self, pointer: Pointer, entries: dict[str, Any]) -> Splice:
        """The splice adding ``entries`` to the existing mapping at ``pointer``."""

    @abstractmethod
    def removal(self, pointer: Pointer, key: str) -> Splice:
        """The splice removing member ``key`` of the mapping at ``pointer``."""


def dominant_newline(text: str) -> str:
    """``"\\r\\n"`` when most of the text's line ends are CRLF, else ``"\\n"``."""
    crlf = text.count("\r\n")
    return "\r\n" if crlf and crlf * 2 > text.count("\n") else "\n"


def merge_into(target: dict[str, Any], extra: dict[str, Any]) -> None:
    for key, value in extra.items():
        if isinstance(value, dict) and isinstance(target.get(key), dict):
            merge_into(target[key], value)
        else:
            target.setdefault(key, value)


def apply_splices(text: str, splices: list[Splice]) -> str:
    ordered = sorted(splices, key=lambda s: (s.start, s.end != s.start, -s.depth))
    parts: list[str] = []
    position = 0
    for splice in ordered:
        if splice.start < position:
            raise CannotEdit("two changes overlap in the same place; fix one at a time")
        parts += [text[position : splice.start], splice.text]
        position = splice.end
    parts.append(text[position:])
    return "".join(parts)


def editor_for(path: Path, text: str) -> TextEditor:
    """A YAML editor, or a JSON one for ``.json`` files."""
    if path.suffix.lower() == ".json":
        from linter.edit.json_editor import JsonEditor

        return JsonEditor(text)
    from linter.edit.yaml_editor import YamlEditor

    return YamlEditor(text)
