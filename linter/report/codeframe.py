"""Code frames for text output: the offending line of the spec, with a caret under the column
(as Redocly CLI's default ``codeframe`` format and ruff show them)."""

from __future__ import annotations

from pathlib import Path

#: characters of a long line shown around the column (minified JSON has one line of megabytes)
WINDOW = 100


class SourceLines:
    """Lines of the files findings point into, read once per file on first use; a file that
    cannot be read (standard input, a remote document) has no frame."""

    def __init__(self) -> None:
        self._files: dict[str, list[str] | None] = {}

    def line(self, file: str, number: int) -> str | None:
        if file not in self._files:
            self._files[file] = _read(file)
        lines = self._files[file]
        if lines is None or not 1 <= number <= len(lines):
            return None
        return lines[number - 1]


def frame(source: str, line: int, column: int) -> list[str]:
    """``["     8 | text", "       |   ^"]``: the line (a window of it when long) and a caret
    under ``column`` (1-based, in characters)."""
    text = source.rstrip("\r\n").expandtabs(1)
    start = 0
    if len(text) > WINDOW:
        start = max(0, min(column - 1 - WINDOW // 2, len(text) - WINDOW))
        text = ("…" if start else "") + text[start : start + WINDOW] + ("…" if start + WINDOW < len(text) else "")
    caret = column - 1 - start + (1 if start else 0)
    gutter = f"{line:>6} | "
    return [gutter + text, " " * (len(gutter) - 2) + "| " + " " * max(caret, 0) + "^"]


def _read(file: str) -> list[str] | None:
    if file.startswith(("http://", "https://", "<")):
        return None
    try:
        return Path(file).read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return None
