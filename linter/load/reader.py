"""Read a file into a :class:`~linter.load.document.Document`: decoding, size and NUL checks,
then the JSON or YAML reader by suffix."""

from __future__ import annotations

import codecs
from pathlib import Path

from linter import fastpath
from linter.load.document import JSON_SUFFIXES, Document, Limits, LoadProblem
from linter.load.json_reader import _parse_json, _parse_json_bytes
from linter.load.yaml_reader import _parse_yaml


def decode(raw: bytes) -> tuple[str | None, LoadProblem | None]:
    """Bytes -> text: UTF-8 (BOM optional) or UTF-16/32 with a BOM."""
    for bom, codec in (
        (codecs.BOM_UTF32_LE, "utf-32"),
        (codecs.BOM_UTF32_BE, "utf-32"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
    ):
        if raw.startswith(bom):
            try:
                return raw.decode(codec), None
            except UnicodeDecodeError as exc:
                return None, LoadProblem("parse-error", f"not valid {codec}: {exc.reason}", 1, 1)
    try:
        return raw.decode("utf-8-sig"), None
    except UnicodeDecodeError as exc:
        # exc.object is the input without its BOM; columns count characters, not bytes.
        data, start = exc.object, exc.start
        line = data.count(b"\n", 0, start) + 1
        line_start = data.rfind(b"\n", 0, start) + 1
        column = len(data[line_start:start].decode("utf-8", errors="replace")) + 1
        offset = start + len(raw) - len(data)
        return None, LoadProblem(
            "parse-error", f"not valid UTF-8: byte 0x{data[start]:02x} at offset {offset}", line, column
        )


def load_document(path: Path, display: str, limits: Limits | None = None) -> Document:
    """Read and parse one file. I/O errors propagate as ``OSError``; content errors become problems."""
    limits = limits or Limits()
    size = path.stat().st_size
    if size > limits.max_file_bytes:
        doc = Document(path, display, "", ok=False)
        doc.problems.append(
            LoadProblem(
                "parse-error",
                f"file is {size:,} bytes, over the {limits.max_file_bytes:,}-byte limit (--max-file-size)",
                1,
                1,
            )
        )
        return doc
    raw = path.read_bytes()
    return parse_document(raw, path, display, limits)


def parse_document(raw: bytes, path: Path, display: str, limits: Limits | None = None) -> Document:
    limits = limits or Limits()
    if path.suffix.lower() in JSON_SUFFIXES and fastpath.enabled():
        parsed = _parse_json_bytes(raw, path, display, limits)
        if parsed is not None:
            return parsed
    text, problem = decode(raw)
    if text is None:
        doc = Document(path, display, "", ok=False)
        doc.problems.append(problem)  # type: ignore[arg-type]
        return doc
    doc = Document(path, display, text)
    if "\x00" in text:
        offset = text.index("\x00")
        line, column = doc.offset_to_position(offset)
        doc.ok = False
        doc.problems.append(LoadProblem("parse-error", "binary content: NUL character", line, column))
        return doc
    if path.suffix.lower() in JSON_SUFFIXES:
        _parse_json(doc, limits)
    else:
        _parse_yaml(doc, limits)
    return doc
