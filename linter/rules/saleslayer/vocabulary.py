"""The Sales Layer error vocabulary: documented status codes, the API key header, and the
canonical 400 (``validationFailures``) and 401 (problem details) bodies.

Source: Sales Layer's "Error responses" page. Also read by ``errlint fix``
(:mod:`linter.audit.conventions`) to write the bodies it adds.
"""

from __future__ import annotations

from dataclasses import field
from typing import Any

API_KEY_HEADER = "X-API-KEY"
DOCUMENTED_CODES = ("400", "401", "403", "404", "409", "500")

VALIDATION_FAILURES_LABEL = "Sales Layer validationFailures"
VALIDATION_FAILURES: dict[str, Any] = {
    "type": "object",
    "required": ["validationFailures"],
    "properties": {
        "validationFailures": {
            "type": "object",
            "additionalProperties": {"type": "array", "items": {"type": "string"}},
        }
    },
}
PROBLEM_DETAILS_LABEL = "Sales Layer problem details"
PROBLEM_DETAILS: dict[str, Any] = {
    "type": "object",
    "required": ["type", "title", "status", "detail", "instance"],
    "properties": {
        "type": {"type": "string", "format": "uri-reference"},
        "title": {"type": "string"},
        # `const` only binds examples: shapes.match reads types, not values
        "status": {"type": "integer", "const": 401},
        "detail": {"type": "string"},
        "instance": {"type": "string", "format": "uri-reference"},
    },
}
PROBLEM_MEDIA_TYPES = ("application/problem+json", "application/json")
PROBLEM_MEDIA_TYPES_TEXT = " or ".join(PROBLEM_MEDIA_TYPES)


def api_key_header_field() -> Any:
    """The `api_key_header` option of the rules that read the API key header."""
    return field(
        default=API_KEY_HEADER,
        metadata={"help": "name of the API key header (compared case-insensitively)"},
    )
