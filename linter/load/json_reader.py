"""JSON text -> :class:`~linter.load.document.Document` data: orjson parsing, the depth limit,
and repeated member names (``duplicate-key``), found by the JSON locator's scanner."""

from __future__ import annotations

import codecs
import re
from pathlib import Path
from typing import Any

from linter.jsonvalue import excerpt
from linter.load.document import JSON_PARSER_DEPTH, Document, Limits, LoadProblem
from linter.load.yaml_convert import _too_deep

_WIDE_BOMS = (codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)


def _parse_json_bytes(raw: bytes, path: Path, display: str, limits: Limits) -> Document | None:
    """The document parsed from UTF-8 bytes without decoding them to text first (orjson checks
    the encoding itself); None for anything the text path reports a problem with."""
    import orjson

    if raw.startswith(_WIDE_BOMS):
        return None
    body = raw[len(codecs.BOM_UTF8) :] if raw.startswith(codecs.BOM_UTF8) else raw
    if b"\x00" in body:
        return None
    try:
        data = orjson.loads(body)
    except orjson.JSONDecodeError:
        return None
    doc = Document(path, display, body, data)
    _check_json_shape(doc, limits)
    return doc


def _parse_json(doc: Document, limits: Limits) -> None:
    import orjson

    try:
        doc.data = orjson.loads(doc.text)
    except orjson.JSONDecodeError as exc:
        # orjson stops past JSON_PARSER_DEPTH levels, with a message that differs between releases
        too_deep = _json_too_deep_offset(doc.text[: exc.pos + 1], JSON_PARSER_DEPTH) > 0
        if too_deep and limits.max_depth > JSON_PARSER_DEPTH:
            _parse_deep_json(doc, limits)
            return
        doc.ok = False
        if too_deep:
            _report_json_too_deep(doc, limits.max_depth)
        else:
            message = str(exc).split(":", 1)[0]
            doc.problems.append(LoadProblem("parse-error", f"invalid JSON: {message}", exc.lineno, exc.colno))
        return
    _check_json_shape(doc, limits)


def _parse_deep_json(doc: Document, limits: Limits) -> None:
    """Parse JSON that orjson refused as nested deeper than :data:`JSON_PARSER_DEPTH`, for a
    ``--max-depth`` above that: the same data or the same refusal, only slower."""
    from linter.load.json_deep import BadJson, JsonTooDeep, load_deep_json

    try:
        doc.data = load_deep_json(doc.text, limits.max_depth)
    except JsonTooDeep:
        doc.ok = False
        _report_json_too_deep(doc, limits.max_depth)
        return
    except BadJson as exc:
        doc.ok = False
        line, column = doc.offset_to_position(exc.offset)
        doc.problems.append(LoadProblem("parse-error", f"invalid JSON: {exc.message}", line, column))
        return
    _check_json_shape(doc, limits)


def _check_json_shape(doc: Document, limits: Limits) -> None:
    """Refuse data nested deeper than ``limits.max_depth``; report repeated member names."""
    separators = _json_separators_within_depth(doc.data, limits.max_depth)
    if separators is None:
        depth, keys, colons = _json_shape(doc.data)
        if depth > limits.max_depth:
            doc.ok = False
            doc.data = None
            _report_json_too_deep(doc, limits.max_depth)
            return
        separators = keys + colons
    if _json_may_repeat_keys(doc, separators):
        _report_json_duplicates(doc)


#: orjson refuses to serialise data nested deeper than this
_ORJSON_DUMP_DEPTH = 254


def _json_separators_within_depth(data: Any, max_depth: int) -> int | None:
    """The ``:`` characters of ``data`` written back as JSON (one per member, plus those inside
    keys and strings), when ``data`` is certainly no deeper than ``max_depth``; else None.

    Serialising in C is eight times faster than walking the data in Python, and when
    ``max_depth`` is at least orjson's own nesting limit, a successful dump proves the depth.
    """
    import orjson

    if max_depth < _ORJSON_DUMP_DEPTH:
        return None
    try:
        return orjson.dumps(data).count(b":")
    except orjson.JSONEncodeError:
        return None


def _report_json_too_deep(doc: Document, depth: int) -> None:
    line, column = doc.offset_to_position(_json_too_deep_offset(doc.text, depth))
    doc.problems.append(LoadProblem("parse-error", _too_deep(depth), line, column))


def _json_shape(data: Any) -> tuple[int, int, int]:
    """(nesting depth, object members, ``:`` characters inside keys and strings) of parsed JSON."""
    depth = keys = colons = 0
    stack: list[tuple[Any, int]] = [(data, 1)] if isinstance(data, (dict, list)) else []
    while stack:
        value, level = stack.pop()
        depth = max(depth, level)
        if isinstance(value, dict):
            keys += len(value)
            colons += sum(key.count(":") for key in value)
            value = value.values()
        for child in value:
            if isinstance(child, str):
                colons += child.count(":")
            elif isinstance(child, (dict, list)):
                stack.append((child, level + 1))
    return depth, keys, colons


def _json_may_repeat_keys(doc: Document, separators: int) -> bool:
    """False when the text certainly has no repeated key: a cheap count instead of a tokenizer.

    Outside strings, JSON has a ``:`` after each member name and nowhere else; a repeated
    member is dropped by the parser, so the text then has more ``:`` than the parsed data
    accounts for. A ``:`` written as ``\\u003a`` breaks the count: such files take the slow path.
    """
    if doc.contains("\\u003a") or doc.contains("\\u003A"):
        return True
    source = doc.source
    colons = source.count(b":") if isinstance(source, bytes) else source.count(":")
    return colons != separators


def _report_json_duplicates(doc: Document) -> None:
    from linter.locate.json_locator import JsonLocator

    locator = JsonLocator(doc.text)
    for name, first, second, pointer in locator.duplicates():
        first_line, first_column = doc.offset_to_position(first)
        line, column = doc.offset_to_position(second)
        message = (
            f"duplicate key {excerpt(name)}: first defined at line {first_line}, column {first_column}; "
            "JSON parsers differ on which one they keep (errlint keeps the last)"
        )
        doc.problems.append(LoadProblem("duplicate-key", message, line, column, pointer))
    doc.locator = locator  # scanned already: positions of this file need no other scan


def _json_too_deep_offset(text: str, max_depth: int) -> int:
    """Where the first bracket deeper than ``max_depth`` opens (0 when not found)."""
    depth = 0
    for match in _JSON_TOKEN.finditer(text):
        char = match.group()[0]
        if char in "{[":
            depth += 1
            if depth > max_depth:
                return match.start()
        elif char in "}]":
            depth -= 1
    return 0


_JSON_TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"|[{}\[\]]|[-0-9tfn][^\s,\]}]*')
