"""The locators (linter/locate/locator.py) agree with each other: JSON text is YAML too, so the
JSON scanner and libyaml's composed nodes must give every pointer the same span; the
canonical layout matches the scanner (tests/test_fastpaths.py); rapidyaml's tree matches the
composed nodes (tests/test_yamlfast.py)."""

from __future__ import annotations

import orjson
import pytest
from helpers import REAL, every_pointer

from linter.edit.json_editor import JsonEditor
from linter.edit.yaml_editor import YamlEditor
from linter.load.yaml_reader import ComposedYamlLocator
from linter.locate.json_locator import JsonLocator
from linter.locate.locator import Span


@pytest.mark.parametrize("name", ["commercelayer-rail0/openapi.json"])
def test_json_scanner_and_composed_yaml_give_the_same_spans(name: str) -> None:
    text = (REAL / name).read_text(encoding="utf-8")
    scanner, composed = JsonLocator(text), ComposedYamlLocator.of(text)
    pointers = every_pointer(orjson.loads(text))
    assert len(pointers) > 1000
    for pointer in pointers:
        assert scanner.span(pointer) == composed.span(pointer), pointer
        assert scanner.offset(pointer) == composed.offset(pointer), pointer
        assert scanner.position(pointer) == composed.position(pointer), pointer


def test_spans_offsets_and_the_nearest_ancestor() -> None:
    text = '{"a": [1, {"b": 2}],\n "c": {"d": "x"}}'
    locator = JsonLocator(text)
    assert locator.span(("a", "1", "b")) == Span(16, 17, 11)
    assert locator.span(("c",)) == Span(27, 37, 22)
    assert locator.span(("c", "nope")) is None
    assert locator.offset(("c", "nope", "deeper")) == 22  # the key of /c
    assert locator.position(("c", "d")) == (2, 8)


def test_repeated_json_keys_are_listed_and_the_last_one_counts() -> None:
    text = '{"a": 1, "b": {"x": 1, "x": 2, "x": 3}, "a": 4}'
    locator = JsonLocator(text)
    assert locator.duplicates() == [
        ("x", 15, 23, ("b", "x")),
        ("x", 23, 31, ("b", "x")),
        ("a", 1, 40, ("a",)),
    ]
    assert locator.span(("b", "x")) == Span(36, 37, 31)
    assert locator.span(("a",)) == Span(45, 46, 40)


def test_both_editors_remove_the_member_the_parser_keeps() -> None:
    json_editor = JsonEditor('{"r": {"404": 1, "404": 2, "500": 3}}')
    json_editor.remove(("r",), "404")
    assert json_editor.result() == '{"r": {"404": 1, "500": 3}}'
    yaml_editor = YamlEditor("r:\n  '404': 1\n  '404': 2\n  '500': 3\n")
    assert yaml_editor.locator.span(("r", "404")) == Span(23, 24, 16)
