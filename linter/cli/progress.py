"""A progress bar for long runs: drawn on a terminal's stderr, silent when piped or redirected."""

from __future__ import annotations

import shutil
import sys
from typing import TextIO

BAR_WIDTH = 30
#: fewer files than this finish too fast for a bar to help
MIN_FILES = 2


class Progress:
    """``update(index, total, label)`` before each file, ``close()`` once at the end."""

    def __init__(
        self, stream: TextIO | None = None, *, enabled: bool | None = None, width: int | None = None
    ) -> None:
        self.stream = stream if stream is not None else sys.stderr
        self.enabled = is_terminal(self.stream) if enabled is None else enabled
        self.width = width or shutil.get_terminal_size((80, 24)).columns
        self._drawn = False

    def update(self, index: int, total: int, label: str = "") -> None:
        if not self.enabled or total < MIN_FILES:
            return
        done = BAR_WIDTH * index // total
        bar = "#" * done + "-" * (BAR_WIDTH - done)
        line = f"[{bar}] {index + 1}/{total} {label}"
        self.stream.write("\r" + line[: self.width - 1].ljust(self.width - 1))
        self.stream.flush()
        self._drawn = True

    def close(self) -> None:
        """Erase the bar so that what follows starts on a clean line."""
        if self._drawn:
            self.stream.write("\r" + " " * (self.width - 1) + "\r")
            self.stream.flush()
            self._drawn = False

    def __enter__(self) -> Progress:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def is_terminal(stream: TextIO) -> bool:
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty())
