"""The Sales Layer error vocabulary: documented status codes and the API key header.

Source: Sales Layer's "Error responses" page. The canonical 400 (``validationFailures``) and
401 (problem details) bodies are declared in ``rulesets/saleslayer.yaml`` (``error-bodies``).
"""

from __future__ import annotations

import re
from dataclasses import field
from typing import Any

API_KEY_HEADER = "X-API-KEY"
#: headers that never call for a 400: OpenAPI 3 ignores them as parameters, and a bad
#: value gets its own code (406 Accept, 415 Content-Type, 401 Authorization)
PROTOCOL_HEADERS = frozenset({"accept", "content-type", "authorization"})
DOCUMENTED_CODES = ("400", "401", "403", "404", "409", "500")
#: last word of a parameter name that names the resource it reads (`fileId`, `product_code`)
IDENTIFIER_WORDS = ("id", "name", "code", "key", "slug", "sku", "reference", "ref")
WORD_RE = re.compile(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+|\d+")


def api_key_header_field() -> Any:
    """The `api_key_header` option of the rules that read the API key header."""
    return field(
        default=API_KEY_HEADER,
        metadata={"help": "name of the API key header (compared case-insensitively)"},
    )
