"""A progress bar for runs over many files: click's, drawn on a terminal's stderr, and
nothing at all when stderr is piped or redirected (CI logs stay clean)."""

from __future__ import annotations

import sys
from typing import Any, TextIO

import click

BAR_WIDTH = 30
#: fewer files than this finish too fast for a bar to help
MIN_FILES = 2


class Progress:
    """``update(index, total, label)`` as file ``index`` (0-based) of ``total`` starts (or,
    for ``lint``, as it is done), ``close()`` once at the end; also a context manager."""

    def __init__(self, stream: TextIO | None = None, *, enabled: bool | None = None) -> None:
        self.stream = stream if stream is not None else sys.stderr
        self.enabled = is_terminal(self.stream) if enabled is None else enabled
        self._bar: Any = None
        self._done = 0
        self._total = 0

    def update(self, index: int, total: int, label: str = "") -> None:
        if not self.enabled or total < MIN_FILES:
            return
        if self._bar is None:
            self._bar = click.progressbar(
                length=total, file=self.stream, width=BAR_WIDTH, show_pos=True, item_show_func=_label
            )
            self._bar.__enter__()
            self._total = total
        self._bar.update(max(index - self._done, 0), current_item=label)
        self._done = max(index, self._done)

    def close(self) -> None:
        """Fill the bar and end its line, so that what follows starts on a clean line."""
        if self._bar is not None:
            self._bar.update(self._total - self._done)
            self._bar.__exit__(None, None, None)
            self._bar = None

    def __enter__(self) -> Progress:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _label(item: str | None) -> str | None:
    return item


def is_terminal(stream: TextIO) -> bool:
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty())
