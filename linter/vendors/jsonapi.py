"""JSON:API applicability as the ``jsonapi`` scope key.

Source: JSON:API 1.1, "Content Negotiation": JSON:API documents are exchanged as
``application/vnd.api+json``.
"""

from __future__ import annotations

from typing import Any

from linter.spec.openapi import Operation, iter_operations
from linter.spec.scope import ScopePredicate, parse_flag

JSONAPI_MEDIA_TYPE = "application/vnd.api+json"


def _document_is_jsonapi_only(op: Operation) -> bool:
    cache = op.spec.cache
    if "jsonapi-only" not in cache:
        bases = {
            m.split(";", 1)[0].strip().lower()
            for other in iter_operations(op.spec)
            for m in other.all_media_types()
        }
        cache["jsonapi-only"] = bases == {JSONAPI_MEDIA_TYPE}
    return bool(cache["jsonapi-only"])


def is_jsonapi(op: Operation) -> bool:
    """JSON:API applies: a vnd.api+json media type, ``x-jsonapi: true``, or no media type at all
    in a document whose media types are all vnd.api+json."""
    if op.extension("x-jsonapi") is True:
        return True
    media = [m.split(";", 1)[0].strip().lower() for m in op.all_media_types()]
    if JSONAPI_MEDIA_TYPE in media:
        return True
    return not media and _document_is_jsonapi_only(op)


def _parse(value: Any) -> bool | None:
    return None if value is None else parse_flag("jsonapi")(value)


def _test(op: Operation, wanted: bool | None) -> bool:
    return wanted is None or is_jsonapi(op) == wanted


JSONAPI = ScopePredicate(
    "jsonapi",
    _parse,
    _test,
    "JSON:API applies: a vnd.api+json media type, x-jsonapi: true, or a document served only as JSON:API",
)
