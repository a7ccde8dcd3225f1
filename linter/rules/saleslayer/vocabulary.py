"""The Sales Layer error vocabulary: documented status codes and the API key header.

Source: Sales Layer's "Error responses" page. The canonical 400 (``validationFailures``) and
401 (problem details) bodies are declared in ``rulesets/saleslayer.yaml`` (``error-bodies``).
"""

from __future__ import annotations

from dataclasses import field
from typing import Any

API_KEY_HEADER = "X-API-KEY"
DOCUMENTED_CODES = ("400", "401", "403", "404", "409", "500")


def api_key_header_field() -> Any:
    """The `api_key_header` option of the rules that read the API key header."""
    return field(
        default=API_KEY_HEADER,
        metadata={"help": "name of the API key header (compared case-insensitively)"},
    )
