"""The reporter protocol."""

from __future__ import annotations

from typing import ClassVar, Protocol, TextIO

from linter.model import LintResult


class Reporter(Protocol):
    name: ClassVar[str]

    def __init__(self, *, color: bool = False, quiet: bool = False) -> None: ...

    def render(self, result: LintResult, out: TextIO) -> None: ...
