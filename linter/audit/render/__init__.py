"""Renderers of the coverage matrix: text, markdown, csv, json and a self-contained html page."""

from __future__ import annotations

from collections.abc import Callable
from typing import TextIO

from linter.audit.coverage import Matrix
from linter.audit.render import csv_format, html, json_format, markdown, text
from linter.report.escape import printable

Renderer = Callable[[Matrix, TextIO, int], None]

#: format name -> render(matrix, out, width); ``width`` matters to text only
RENDERERS: dict[str, Renderer] = {
    "text": text.render,
    "markdown": markdown.render,
    "csv": csv_format.render,
    "json": json_format.render,
    "html": html.render,
}
FORMATS = tuple(RENDERERS)


#: formats read as lines by people and logs: spec text in them is escaped line by line
LINE_FORMATS = frozenset({"text", "markdown"})


class _OneLineWriter:
    """Writes through to ``out``, escaping every unprintable character but the line breaks the
    renderer itself writes (see :mod:`linter.report.escape`)."""

    def __init__(self, out: TextIO) -> None:
        self.out = out

    def write(self, text: str) -> int:
        return self.out.write("\n".join(printable(part) for part in text.split("\n")))


def render(matrix: Matrix, format_name: str, out: TextIO, width: int = 120) -> None:
    """Write ``matrix`` in ``format_name`` to ``out``; text and markdown never carry a control
    character or line break taken from a spec."""
    if format_name in LINE_FORMATS:
        out = _OneLineWriter(out)  # type: ignore[assignment]
    RENDERERS[format_name](matrix, out, width)
