"""Where a JSON pointer is written in a file's text: the interface every format implements.

One implementation per parser, each reading positions from what that parser built, so a
position is the one the data came from:

- JSON: :class:`linter.locate.json_locator.JsonLocator` (one scanner, lazy: only the
  containers a lookup passes through), with :class:`linter.locate.json_locator.CanonicalLayout`
  in front for text laid out as a 2-space dump of its own data (offsets computed, no scan);
- YAML read by libyaml: :class:`linter.load.yaml_reader.ComposedYamlLocator` (the composed
  node tree);
- YAML read by rapidyaml: :class:`linter.load.yamlfast.RapidYamlLocator` (rapidyaml's tree);
- ``pyproject.toml``'s ``[tool.errlint]``: :class:`linter.locate.toml_locator.TomlTableLocator`
  (its key lines; config mistakes only).

:class:`~linter.load.document.Document` asks its locator for finding positions; JSON
``duplicate-key`` detection and the ``fix`` editors (:mod:`linter.edit`) use the same ones.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass

from linter.pointer import Pointer


@dataclass(frozen=True, slots=True)
class Span:
    """Where the value at a pointer is written: character offsets into the text.

    ``start`` is the value's first character and ``end`` the offset just past it; ``key`` is
    where the member's key starts (None for the root and for array items)."""

    start: int
    end: int
    key: int | None = None

    @property
    def anchor(self) -> int:
        """The offset a finding at this pointer points at: the key, else the value."""
        return self.key if self.key is not None else self.start


class Locator(ABC):
    """Offsets, spans and 1-based (line, column) positions of pointers in one file's text.

    A pointer names a member by its key text and an array item by its decimal index, as
    :mod:`linter.pointer` does. Where one key is repeated in a mapping, the last one counts,
    as every parser errlint uses keeps the last value.
    """

    @abstractmethod
    def offset(self, pointer: Pointer) -> int | None:
        """Character offset of ``pointer``'s key (a member) or value (the root, an item); a
        pointer that does not exist falls back to its nearest existing ancestor. None where
        this locator cannot place the node exactly (the caller asks a slower one)."""

    @abstractmethod
    def span(self, pointer: Pointer) -> Span | None:
        """The span of the value at ``pointer``; None when it does not exist (no fallback), or
        when this locator cannot place it exactly."""

    @abstractmethod
    def position(self, pointer: Pointer) -> tuple[int, int] | None:
        """1-based (line, column in characters) of :meth:`offset`, lines counted as editors
        count them (CRLF, LF, lone CR; see :mod:`linter.locate.lines`); None as for
        :meth:`offset`."""
