"""The reporter protocol."""

from __future__ import annotations

from typing import ClassVar, Protocol, TextIO

from linter.model import LintResult


class Reporter(Protocol):
    name: ClassVar[str]

    def __init__(self, *, color: bool = False, quiet: bool = False) -> None: ...

    def render(self, result: LintResult, out: TextIO) -> None: ...


class BaseReporter:
    """The options every built-in reporter takes: ``color`` (ANSI colours, for a terminal)
    and ``quiet`` (findings only, no summary)."""

    name: ClassVar[str]

    def __init__(self, *, color: bool = False, quiet: bool = False) -> None:
        self.color = color
        self.quiet = quiet


class RepositoryReporter(BaseReporter):
    """A reporter for CI systems, which name files relative to the repository root
    (:func:`linter.report.fingerprint.repository_root`, found once per reporter)."""

    def __init__(self, *, color: bool = False, quiet: bool = False) -> None:
        # imported here: the fingerprint module loads hashlib (OpenSSL), which reports that
        # name no repository (json, text) never need
        from linter.report.fingerprint import repository_root

        super().__init__(color=color, quiet=quiet)
        self.root = repository_root()
