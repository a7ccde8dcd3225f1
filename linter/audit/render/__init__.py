"""Renderers of the coverage matrix: text, markdown, csv, json and a self-contained html page."""

from __future__ import annotations

from collections.abc import Callable
from typing import TextIO

from linter.audit.coverage import Matrix
from linter.audit.render import csv_format, html, json_format, markdown, text

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


def render(matrix: Matrix, format_name: str, out: TextIO, width: int = 120) -> None:
    RENDERERS[format_name](matrix, out, width)
