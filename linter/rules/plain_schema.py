"""Values that a plain Schema Object plainly accepts, decided without compiling a validator.

Most ``default`` values sit in schemas like ``{type: boolean, default: false}`` or
``{type: string, enum: [a, b], default: a}`` (about 1,150 of the GitHub REST spec's 1,160).
Compiling a jsonschema-rs validator for each costs about 0.1 ms, and the first one builds the
spec's registry of every document. :func:`plainly_valid` answers True only when the verdict
is certain under JSON Schema draft 4 and 2020-12 alike, for OpenAPI 2.0, 3.0 and 3.1 (3.0's
``nullable`` cannot matter: a ``None`` value is never decided here); anything else (a
``$ref``, ``allOf``, a ``pattern``, a number near the limits of a double, ...) answers False,
and the caller compiles a validator as before. So findings never depend on this shortcut.
"""

from __future__ import annotations

import math
from typing import Any

#: keywords that never make a value invalid: annotations, and ``format``, which validators
#: are told not to assert (``validate_formats=False`` in :mod:`linter.rules.validation`)
_ANNOTATIONS = frozenset(
    {
        "title",
        "description",
        "default",
        "example",
        "examples",
        "deprecated",
        "readOnly",
        "writeOnly",
        "format",
    }
)
#: keywords decided here; ``nullable`` only ever adds ``null``, which is never decided here
_DECIDED = frozenset({"type", "enum", "minimum", "maximum", "minLength", "maxLength", "items", "nullable"})
_KNOWN = _ANNOTATIONS | _DECIDED
#: numbers compared here are exact both as Python numbers and as doubles
_SAFE_NUMBER = 2**53


def plainly_valid(schema: Any, value: Any) -> bool:
    """Whether ``schema`` (a plain Schema Object) certainly accepts ``value``; False when it
    may not, or when deciding needs a validator."""
    if not isinstance(schema, dict) or value is None:
        return False
    for key in schema:
        if key not in _KNOWN and not (isinstance(key, str) and key.startswith("x-")):
            return False
    kind = schema.get("type")
    if kind is not None and not (isinstance(kind, str) and _has_type(kind, value)):
        return False
    if "enum" in schema and not _in_enum(schema["enum"], value):
        return False
    if ("minimum" in schema or "maximum" in schema) and not _within(schema, value):
        return False
    if ("minLength" in schema or "maxLength" in schema) and not _length_within(schema, value):
        return False
    if "items" in schema:
        items = schema["items"]
        if not isinstance(value, list):
            return False
        return all(plainly_valid(items, item) for item in value)
    return True


def _has_type(kind: str, value: Any) -> bool:
    kinds = type(value)
    if kind == "string":
        return kinds is str
    if kind == "boolean":
        return kinds is bool
    if kind == "integer":
        return kinds is int and abs(value) < _SAFE_NUMBER
    if kind == "number":
        return _is_number(value)
    if kind == "array":
        return kinds is list
    if kind == "object":
        return kinds is dict
    return False


def _is_number(value: Any) -> bool:
    if type(value) is int:
        return abs(value) < _SAFE_NUMBER
    return type(value) is float and math.isfinite(value) and abs(value) < _SAFE_NUMBER


def _in_enum(enum: Any, value: Any) -> bool:
    """A scalar ``value`` equal to an entry of the same Python type (so ``1`` never matches
    ``true``, nor ``1.0``: those are left to the validator)."""
    if not isinstance(enum, list) or type(value) not in (str, bool, int, float):
        return False
    return any(type(entry) is type(value) and entry == value for entry in enum)


def _within(schema: dict[str, Any], value: Any) -> bool:
    if not _is_number(value):
        return False
    low, high = schema.get("minimum"), schema.get("maximum")
    if low is not None and not (_is_number(low) and value >= low):
        return False
    return high is None or (_is_number(high) and value <= high)


def _length_within(schema: dict[str, Any], value: Any) -> bool:
    """Lengths in code points, as JSON Schema counts them (and Python's ``len``)."""
    if type(value) is not str:
        return False
    low, high = schema.get("minLength"), schema.get("maxLength")
    if low is not None and not (type(low) is int and len(value) >= low):
        return False
    return high is None or (type(high) is int and len(value) <= high)
