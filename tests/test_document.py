"""Documents: parsing YAML and JSON into plain data, and 1-based positions for any JSON pointer."""

from __future__ import annotations

import codecs
import json
from collections.abc import Callable
from pathlib import Path

import pytest
from helpers import FIXTURES

from linter import pointer as jp
from linter.load.document import Document
from linter.load.reader import load_document, parse_document

DOCS = FIXTURES / "documents"
POSITIONS_YAML = DOCS / "positions.yaml"
POSITIONS_JSON = DOCS / "positions.json"

#: pointer -> (line, column) in positions.yaml and in positions.json (tab-indented).
#: A mapping member is located at its key; a list item at its value.
POSITIONS = [
    ("", (2, 1), (1, 1)),
    ("/openapi", (2, 1), (2, 2)),
    ("/info/version", (5, 3), (5, 3)),
    ("/paths/~1pets~1{id}", (7, 3), (8, 3)),
    ("/paths/~1pets~1{id}/get/tags/1", (9, 20), (10, 22)),
    ("/paths/~1pets~1{id}/get/parameters/0", (11, 11), (12, 6)),
    ("/paths/~1pets~1{id}/get/parameters/1", (14, 13), (13, 6)),
    ("/paths/~1pets~1{id}/get/parameters/1/in", (15, 13), (15, 7)),
    ("/paths/~1pets~1{id}/get/responses/200", (17, 9), (19, 6)),
    ("/paths/~1pets~1{id}/get/responses/404/content/application~1json", (19, 51), (20, 54)),
    ("/paths/~1pets~1{id}/get/responses/4XX/description", (21, 11), (22, 7)),
    ("/paths/~1a~0b~1c/x-key~0with~1both", (23, 5), (28, 4)),
    ("/paths/~1a~0b~1c/x-key~0with~1both/nested/1/deep", (23, 36), (28, 39)),
    ("/components/schemas/Error/required/0", (29, 9), (31, 70)),
    # unknown pointers fall back to the nearest existing ancestor
    ("/paths/~1nowhere/get", (6, 1), (7, 2)),
    ("/paths/~1pets~1{id}/get/tags/9", (9, 7), (10, 5)),
    ("/openapi/deeper", (2, 1), (2, 2)),
]


def load(path: Path) -> Document:
    doc = load_document(path, path.name)
    assert doc.ok and not doc.problems, doc.problems
    return doc


def parse_bytes(raw: bytes, name: str) -> Document:
    return parse_document(raw, Path(name), name)


@pytest.mark.parametrize(
    ("pointer", "yaml_at", "json_at"), POSITIONS, ids=[p[0] or "root" for p in POSITIONS]
)
def test_positions_in_yaml_and_json(pointer: str, yaml_at: tuple[int, int], json_at: tuple[int, int]) -> None:
    tokens = jp.parse(pointer)
    assert load(POSITIONS_YAML).locate(tokens) == yaml_at
    assert load(POSITIONS_JSON).locate(tokens) == json_at


def test_yaml_and_json_fixtures_hold_the_same_data() -> None:
    assert load(POSITIONS_YAML).data == load(POSITIONS_JSON).data


@pytest.mark.parametrize("path", sorted(FIXTURES.rglob("*.json")), ids=lambda p: str(p.relative_to(FIXTURES)))
def test_json_data_equals_the_standard_library(path: Path) -> None:
    doc = load_document(path, path.name)
    try:
        expected = json.loads(path.read_bytes().decode("utf-8-sig"))
    except ValueError:  # a fixture that is broken on purpose
        assert [p.rule for p in doc.problems] == ["parse-error"]
        return
    assert doc.ok and doc.data == expected


ENCODINGS: dict[str, Callable[[bytes], bytes]] = {
    "bom": lambda raw: codecs.BOM_UTF8 + raw,
    "crlf": lambda raw: raw.replace(b"\n", b"\r\n"),
    "bom-crlf": lambda raw: codecs.BOM_UTF8 + raw.replace(b"\n", b"\r\n"),
    "utf-16": lambda raw: codecs.BOM_UTF16_LE + raw.decode("utf-8").encode("utf-16-le"),
}


@pytest.mark.parametrize("variant", sorted(ENCODINGS))
@pytest.mark.parametrize("path", [POSITIONS_YAML, POSITIONS_JSON], ids=lambda p: p.suffix)
def test_bom_crlf_and_utf16_change_neither_data_nor_positions(path: Path, variant: str) -> None:
    base = load(path)
    other = parse_bytes(ENCODINGS[variant](path.read_bytes()), path.name)
    assert other.ok and not other.problems
    assert other.data == base.data
    for pointer, _, _ in POSITIONS:
        tokens = jp.parse(pointer)
        assert other.locate(tokens) == base.locate(tokens), pointer


def test_yaml_keys_stay_source_text_and_values_keep_their_types() -> None:
    doc = load(DOCS / "keys.yaml")
    assert list(doc.data["responses"]) == ["200", "4XX", "default", "0x1F", "true", "1.50", "null", "~"]
    assert doc.data["values"] == {
        "integer": 200,
        "float": 1.5,
        "boolean": True,
        "nothing": None,
        "version": "1",
        "date": "2024-01-01",
    }
    assert doc.locate(("responses", "200")) == (2, 3)


def test_duplicate_keys_name_both_positions_and_keep_the_last_value() -> None:
    doc = load_document(DOCS / "duplicates.yaml", "duplicates.yaml")
    found = [(p.rule, p.line, p.column, p.pointer, p.message) for p in doc.problems]
    assert found == [
        (
            "duplicate-key",
            6,
            9,
            ("paths", "/pets", "get", "responses", "404"),
            "duplicate key \"404\": first defined at line 5, column 9; YAML keeps only the last one",
        ),
        (
            "duplicate-key",
            7,
            5,
            ("paths", "/pets", "get"),
            "duplicate key \"get\": first defined at line 3, column 5; YAML keeps only the last one",
        ),
    ]
    assert doc.data == {"paths": {"/pets": {"get": {"summary": "again"}}}}
    assert doc.locate(("paths", "/pets", "get")) == (7, 5)


def test_columns_count_characters_not_bytes() -> None:
    yaml_doc = parse_bytes('k: "😀é"\nx: {"😀😀": 1, y: 2}\n'.encode(), "wide.yaml")
    json_doc = parse_bytes('{"k": "😀é", "x": {"😀😀": 1, "y": 2}}'.encode(), "wide.json")
    assert yaml_doc.locate(("x", "y")) == (2, 14)
    assert json_doc.locate(("x", "y")) == (1, 28)


def test_json_keys_with_escapes_are_located() -> None:
    doc = parse_bytes(b'{"a": 1,\n "\\u0041\\/b": {"c": [true, {"d": null}]}}', "escaped.json")
    assert doc.data == {"a": 1, "A/b": {"c": [True, {"d": None}]}}
    assert doc.locate(jp.parse("/A~1b/c/1/d")) == (2, 29)


# -- bad input becomes a problem with a position, never an exception -------------------
BAD_INPUTS = [
    # (name, content, line, column, message start)
    ("syntax.yaml", b'openapi: 3.0.3\ninfo: {title: t, version: "1"\npaths: {}\n', 3, 1, "invalid YAML:"),
    ("tab.yaml", b"openapi: 3.0.3\ninfo:\n\ttitle: t\n", 3, 1, "invalid YAML:"),
    ("multi.yaml", b"openapi: 3.0.3\n---\npaths: {}\n", 2, 1, "invalid YAML: expected a single document"),
    ("syntax.json", b'{\n  "openapi": "3.0.3",\n  "info": {"title": "t"},\n}\n', 3, 25, "invalid JSON:"),
    ("truncated.json", b'{"openapi": "3.0.3",\n "paths": {', 2, 12, "invalid JSON:"),
    (
        "latin1.yaml",
        b'openapi: 3.0.3\ninfo: {title: "caf\xe9"}\n',
        2,
        19,
        "not valid UTF-8: byte 0xe9 at offset 33",
    ),
    ("after-wide.yaml", 'k: "é😀'.encode() + b'\xff"\n', 1, 7, "not valid UTF-8: byte 0xff at offset 10"),
    ("bom-then-bad.yaml", codecs.BOM_UTF8 + b"ab\xff\n", 1, 3, "not valid UTF-8: byte 0xff at offset 5"),
    ("image.yaml", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", 1, 1, "not valid UTF-8: byte 0x89 at offset 0"),
    ("nul.yaml", b"openapi: 3.0.3\npaths: {}\n\x00\x01\x02", 3, 1, "binary content: NUL character"),
]


@pytest.mark.parametrize(
    ("name", "raw", "line", "column", "message"), BAD_INPUTS, ids=[b[0] for b in BAD_INPUTS]
)
def test_bad_input_is_a_parse_error_at_its_position(
    name: str, raw: bytes, line: int, column: int, message: str
) -> None:
    doc = parse_bytes(raw, name)
    assert not doc.ok
    assert [(p.rule, p.line, p.column) for p in doc.problems] == [("parse-error", line, column)]
    assert doc.problems[0].message.startswith(message), doc.problems[0].message
    assert doc.locate(("openapi",)) == (1, 1)


@pytest.mark.parametrize("raw", [b"", b"\n\n", b"# only a comment\n", codecs.BOM_UTF8])
def test_empty_yaml_is_no_data_and_no_problem(raw: bytes) -> None:
    doc = parse_bytes(raw, "empty.yaml")
    assert doc.ok and doc.data is None and not doc.problems
    assert doc.locate(("paths",)) == (1, 1)


def test_value_at_follows_pointers_and_raises_key_error() -> None:
    doc = load(POSITIONS_YAML)
    assert doc.value_at(jp.parse("/paths/~1pets~1{id}/get/tags/1")) == "read only"
    for missing in (
        "/paths/~1pets~1{id}/get/tags/2",
        "/paths/~1pets~1{id}/get/tags/x",
        "/openapi/x",
        "/nope",
    ):
        with pytest.raises(KeyError):
            doc.value_at(jp.parse(missing))
