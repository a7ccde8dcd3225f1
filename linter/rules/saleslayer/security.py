"""Sales Layer rule on the document: an ``apiKey`` security scheme in the API key header."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from linter.model import Severity
from linter.resolve.resolver import Node, Site, SpecSet
from linter.rules.base import Context, DocumentRule, Problem
from linter.rules.saleslayer.vocabulary import api_key_header_field
from linter.spec.openapi import iter_operations


class SalesLayerApiKeyScheme(DocumentRule):
    """Define an `apiKey` security scheme in the `X-API-KEY` header when operations are secured.

    Why: Sales Layer authenticates every request with the `X-API-KEY` header (Sales
    Layer "Error responses" page, 401). Without that scheme, generated clients do not
    send the key and every call fails with 401.

    Bad:
        components:
          securitySchemes:
            Bearer: {type: http, scheme: bearer}
        security: [{Bearer: []}]
        paths:
          /rest/Catalog/Products:
            get:
              responses:
                "200": {description: Products}

    Good:
        components:
          securitySchemes:
            ApiKey: {type: apiKey, in: header, name: X-API-KEY}
        security: [{ApiKey: []}]
        paths:
          /rest/Catalog/Products:
            get:
              responses:
                "200": {description: Products}
    """

    id = "saleslayer-api-key-scheme"
    default_severity = Severity.WARNING

    @dataclass(frozen=True)
    class Options:
        api_key_header: str = api_key_header_field()

    def check(self, spec: SpecSet, ctx: Context) -> Iterator[Problem]:
        secured = sum(1 for op in iter_operations(spec) if op.is_secured)
        if not secured:
            return
        header = ctx.options.api_key_header
        pointer = _schemes_pointer(spec)
        schemes = _node_at(spec.root_node(), pointer)
        if schemes is not None and any(_is_api_key(s, header) for _, s in schemes.items()):
            return
        yield Problem(
            Site(spec.root, pointer),
            f"{secured} operation(s) are secured but no security scheme is "
            f"an apiKey in: header, name: {header}",
        )


def _schemes_pointer(spec: SpecSet) -> tuple[str, ...]:
    data = spec.root.data
    if isinstance(data, dict) and "swagger" in data:
        return ("securityDefinitions",)
    return ("components", "securitySchemes")


def _node_at(node: Node, pointer: tuple[str, ...]) -> Node | None:
    current: Node | None = node
    for key in pointer:
        current = current.get(key) if current is not None else None
    return current


def _is_api_key(scheme: Node, header: str) -> bool:
    value = scheme.value
    return (
        isinstance(value, dict)
        and value.get("type") == "apiKey"
        and value.get("in") == "header"
        and str(value.get("name", "")).lower() == header.lower()
    )
