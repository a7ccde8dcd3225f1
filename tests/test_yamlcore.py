"""Every load path reads scalars by the YAML 1.2 core schema (linter.load.yamlcore).

OpenAPI documents are YAML 1.2: ``off``, ``on``, ``yes``, ``no``, ``y``, ``n``, ``1:20``
and dates are strings, ``0o17`` and ``0x1F`` are integers, ``1e3`` is a float. The libyaml
path, the rapidyaml fast path and the editor used by ``fix`` must all agree.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import pytest

from linter.edit.yaml_editor import YamlEditor
from linter.load import yamlcore, yamlfast
from linter.load.reader import parse_document

#: (plain scalar, its value under the core schema)
CORE_VALUES: list[tuple[str, Any]] = [
    ("off", "off"), ("on", "on"), ("yes", "yes"), ("no", "no"), ("y", "y"), ("n", "n"),
    ("Yes", "Yes"), ("OFF", "OFF"), ("1:20", "1:20"), ("190:20:30", "190:20:30"),
    ("2001-12-14", "2001-12-14"), ("0b101", "0b101"), ("1_000", "1_000"), ("=", "="),
    ("true", True), ("True", True), ("TRUE", True), ("false", False), ("False", False),
    ("FALSE", False), ("tRue", "tRue"),
    ("null", None), ("Null", None), ("NULL", None), ("~", None), ("nULL", "nULL"),
    ("12", 12), ("-12", -12), ("+12", 12), ("012", 12), ("0o17", 15), ("0x1F", 31), ("0o8", "0o8"),
    ("1e3", 1000.0), ("1.5", 1.5), (".5", 0.5), ("5.", 5.0), ("-1.0E-3", -0.001),
    (".inf", math.inf), ("-.Inf", -math.inf), ("+.INF", math.inf), ("inf", "inf"),
]


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, float) and isinstance(b, float):
        return a == b or (math.isnan(a) and math.isnan(b))
    return type(a) is type(b) and a == b


@pytest.mark.parametrize(("text", "value"), CORE_VALUES, ids=[text for text, _ in CORE_VALUES])
def test_the_libyaml_path_reads_the_core_schema(text: str, value: Any) -> None:
    doc = parse_document(f"v: {text}\nl: [{text}]\n".encode(), Path("spec.yaml"), "spec.yaml")
    assert doc.ok and not doc.problems
    assert _same(doc.data["v"], value) and _same(doc.data["l"][0], value), doc.data


@pytest.mark.skipif(not yamlfast.available(), reason="rapidyaml 0.15 is not installed")
@pytest.mark.parametrize(("text", "value"), CORE_VALUES, ids=[text for text, _ in CORE_VALUES])
def test_the_fast_path_reads_the_core_schema(text: str, value: Any) -> None:
    loaded = yamlfast.load(f"v: {text}\nl:\n- {text}\n")
    if loaded is None:
        assert text in ("+12", "+.INF"), "the fast path leaves only these to the libyaml path"
        return
    data, _ = loaded
    assert _same(data["v"], value) and _same(data["l"][0], value), data


def test_nan_and_explicit_tags() -> None:
    doc = parse_document(b"a: .NaN\nb: !!int '12'\nc: !!bool yes\nd:\n", Path("s.yaml"), "s.yaml")
    assert math.isnan(doc.data["a"]) and doc.data["b"] == 12 and doc.data["c"] == "yes"
    assert doc.data["d"] is None


@pytest.mark.parametrize("text", ["off", "yes", "n", "true", "null", "Null", "1:20", "0o17", "12", ".inf"])
def test_the_editor_writes_strings_that_read_back_as_strings(text: str) -> None:
    editor = YamlEditor("openapi: 3.0.3\nx: {}\n")
    written = editor._scalar(text)
    assert written != text, "a plain scalar that some YAML reader takes for another type is quoted"
    doc = parse_document(f"v: {written}\n".encode(), Path("s.yaml"), "s.yaml")
    assert doc.data["v"] == text


def test_the_editor_writes_plain_strings_plain() -> None:
    assert YamlEditor("a: 1\n")._scalar("Not found") == "Not found"
    assert yamlcore.is_plain_string("Not found") and not yamlcore.is_plain_string("TRUE")
