"""The plain-schema shortcut of default and example validation: it answers True only where
both JSON Schema drafts the validators use agree, and spares the registry when it does."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import jsonschema_rs
import pytest
from helpers import run_rule

from linter.rules.plain_schema import plainly_valid
from linter.rules.validation import SchemaValidators

CASES: list[tuple[dict[str, Any], Any, bool]] = [
    ({"type": "boolean"}, False, True),
    ({"type": "boolean", "description": "d", "x-note": 1}, True, True),
    ({"type": "boolean"}, 0, False),
    ({"type": "integer"}, True, False),
    ({"type": "integer"}, 3, True),
    ({"type": "integer"}, 3.0, False),  # left to the validator
    ({"type": "integer"}, 2**60, False),  # beyond a double's exact integers
    ({"type": "number"}, 2.5, True),
    ({"type": "number"}, float("nan"), False),
    ({"type": "string", "format": "date-time"}, "not a date", True),  # formats are not asserted
    ({"type": "string", "enum": ["a", "b"]}, "b", True),
    ({"type": "string", "enum": ["a", "b"]}, "c", False),
    ({"enum": [1, 2]}, True, False),  # true is not 1 in JSON Schema, nor in this check
    ({"enum": [1.0]}, 1, False),  # 1 equals 1.0 in JSON Schema: left to the validator
    ({"type": "string", "nullable": True}, "x", True),
    ({"type": "string", "nullable": True}, None, False),  # null is never decided here
    ({"type": "integer", "minimum": 1, "maximum": 10}, 10, True),
    ({"type": "integer", "minimum": 1, "maximum": 10}, 11, False),
    ({"type": "integer", "minimum": 1, "exclusiveMinimum": True}, 1, False),  # drafts differ
    ({"type": "string", "minLength": 2, "maxLength": 3}, "été", True),  # code points
    ({"type": "string", "maxLength": 2}, "abc", False),
    ({"type": "array", "items": {"type": "string", "enum": ["x"]}}, ["x", "x"], True),
    ({"type": "array", "items": {"type": "string"}}, ["x", 1], False),
    ({"type": "array", "items": {"type": "string", "pattern": "^a"}}, [], True),  # no item to judge
    ({"type": "object"}, {}, True),
    ({"type": "object", "properties": {"a": {"type": "string"}}}, {}, False),
    ({"$ref": "#/components/schemas/A"}, "x", False),
    ({"type": ["string", "null"]}, "x", False),
    ({"type": "string", "pattern": "^a"}, "abc", False),
    ({"allOf": [{"type": "string"}]}, "x", False),
]


@pytest.mark.parametrize(("schema", "value", "expected"), CASES, ids=repr)
def test_plainly_valid_decides_only_what_is_certain(
    schema: dict[str, Any], value: Any, expected: bool
) -> None:
    assert plainly_valid(schema, value) is expected
    if expected:  # and then both drafts' validators accept the value too
        for validator in (jsonschema_rs.Draft4Validator, jsonschema_rs.Draft202012Validator):
            assert validator(schema, validate_formats=False).is_valid(value), validator


def test_plain_defaults_build_no_registry(tmp_path: Path) -> None:
    spec = tmp_path / "openapi.yaml"
    spec.write_text(
        "openapi: 3.0.3\n"
        "info: {title: t, version: '1'}\n"
        "paths: {}\n"
        "components:\n"
        "  schemas:\n"
        "    Page:\n"
        "      type: object\n"
        "      properties:\n"
        "        size: {type: integer, minimum: 1, default: 20}\n"
        "        order: {type: string, enum: [asc, desc], default: up}\n"
        "        tags: {type: array, items: {type: string}, default: [a]}\n",
        encoding="utf-8",
    )
    built: list[SchemaValidators] = []
    original = SchemaValidators._registry

    def registry(self: SchemaValidators) -> Any:
        built.append(self)
        return original(self)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(SchemaValidators, "_registry", registry)
        findings = run_rule("schema-default-valid", spec)
    assert [(f.location.line, f.location.column, f.message) for f in findings] == [
        (10, 50, 'default "up" is not one of "asc" or "desc"'),
    ]
    assert len(built) == 1  # for "up" alone: the plain defaults compiled nothing
