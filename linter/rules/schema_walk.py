"""Where a document's Schema Objects are, and the ``default`` values inside them.

A Schema Object is the value of a ``schema`` member (parameters, media types, headers,
2.0 responses and body parameters), an entry of ``components/schemas`` (3.x) or
``definitions`` (2.0), and, in OpenAPI 2.0, a non-body parameter itself (its ``type``,
``items``, ``enum``... are JSON Schema keywords; OpenAPI 2.0 section "Parameter Object").
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from linter.resolve.resolver import Node, SpecSet

#: members holding data, never a Schema Object
_OPAQUE = frozenset({"example", "examples", "default", "enum", "const", "x-errlint-ignore"})
#: schema keywords whose value is one subschema, a map of them, or a list of them
_ONE = (
    "items",
    "additionalProperties",
    "not",
    "additionalItems",
    "contains",
    "propertyNames",
    "if",
    "then",
    "else",
    "unevaluatedItems",
    "unevaluatedProperties",
)
_MAPS = ("properties", "patternProperties", "$defs", "definitions", "dependentSchemas")
_LISTS = ("allOf", "anyOf", "oneOf", "prefixItems", "items")
#: the JSON Schema keywords of an OpenAPI 2.0 non-body parameter
_PARAMETER_KEYWORDS = frozenset(
    {
        "type",
        "format",
        "items",
        "enum",
        "maximum",
        "exclusiveMaximum",
        "minimum",
        "exclusiveMinimum",
        "maxLength",
        "minLength",
        "pattern",
        "maxItems",
        "minItems",
        "uniqueItems",
        "multipleOf",
    }
)
#: every keyword under which :func:`_defaults` looks for subschemas
_SUBSCHEMA_KEYWORDS = frozenset((*_ONE, *_MAPS, *_LISTS))


def schema_objects(spec: SpecSet, version: str | None) -> Iterator[Node]:
    """Each outermost Schema Object written in the root document, in document order
    (a 2.0 parameter as a node whose value holds only its schema keywords)."""
    root = spec.root_node()
    place = _Place(root.doc, root.via, spec)
    found: list[tuple[Any, tuple[str, ...]]] = []
    _walk(root.value, version == "2.0", (), found)
    for value, pointer in found:
        yield place.node(value, pointer)


def schema_defaults(spec: SpecSet, version: str | None) -> Iterator[tuple[Node, Node]]:
    """``(schema, default)`` for each ``default`` in the root document's Schema Objects."""
    for schema in schema_objects(spec, version):
        if not _may_hold_default(schema.value):
            continue
        place = _Place(schema.doc, schema.via, spec)
        found: list[tuple[dict[str, Any], tuple[str, ...]]] = []
        if isinstance(schema.value, dict):
            _defaults(schema.value, schema.pointer, found)
        for value, pointer in found:
            yield place.node(value, pointer), place.node(value["default"], (*pointer, "default"))


def _may_hold_default(value: Any) -> bool:
    """False when no mapping inside ``value`` has a ``default`` member, told by its JSON text
    (dumped in C; in JSON only a key is followed by a colon); True when it may, or when
    ``value`` is not JSON data."""
    import orjson

    try:
        return b'"default":' in orjson.dumps(value)
    except (orjson.JSONEncodeError, TypeError):
        return True


class _Place:
    """What every node of one walk shares: its document, ``$ref`` sites and spec. The walks
    go through the plain data, gathering ``(value, pointer)`` pairs, and make a :class:`Node`
    only for what they found (a spec has tens of thousands of schema members, and most of
    them hold no ``default``)."""

    __slots__ = ("doc", "spec", "via")

    def __init__(self, doc: Any, via: tuple[Any, ...], spec: SpecSet) -> None:
        self.doc = doc
        self.via = via
        self.spec = spec

    def node(self, value: Any, pointer: tuple[str, ...]) -> Node:
        return Node(value, self.doc, pointer, self.via, self.spec)


def _walk(value: Any, is_2: bool, path: tuple[str, ...], found: list[tuple[Any, tuple[str, ...]]]) -> None:
    """Append each outermost Schema Object under ``value`` (at ``path``) to ``found``."""
    if isinstance(value, dict):
        if is_2 and _is_parameter_2(value):
            kept = {key: val for key, val in value.items() if key in _PARAMETER_KEYWORDS}
            if "default" in value and kept.get("type") != "file":
                found.append(({**kept, "default": value["default"]}, path))
        for name, child in value.items():
            if name in _OPAQUE or name.startswith("x-") or name == "$ref":
                continue
            if not isinstance(child, (dict, list)):
                continue
            if name == "schema" and isinstance(child, dict):
                found.append((child, (*path, name)))
            elif (name == "schemas" and path[-1:] == ("components",)) or (name == "definitions" and not path):
                if isinstance(child, dict):
                    for key, schema in child.items():
                        if isinstance(key, str) and isinstance(schema, dict):
                            found.append((schema, (*path, name, key)))
            else:
                _walk(child, is_2, (*path, name), found)
    elif isinstance(value, list):
        for index, child in enumerate(value):
            if isinstance(child, (dict, list)):
                _walk(child, is_2, (*path, str(index)), found)


def _is_parameter_2(value: dict[str, Any]) -> bool:
    return isinstance(value.get("name"), str) and value.get("in") in ("query", "header", "path", "formData")


def _defaults(
    value: dict[str, Any], pointer: tuple[str, ...], found: list[tuple[dict[str, Any], tuple[str, ...]]]
) -> None:
    """Append each schema under ``value`` (a schema at ``pointer``, itself included) whose
    ``default`` is judged to ``found``. Recurses only into subschemas that hold a ``default``
    or subschemas of their own: most are leaves (``{type: string}``)."""
    if "default" in value and "$ref" not in value and not _nullable_2(value):
        found.append((value, pointer))
    if _SUBSCHEMA_KEYWORDS.isdisjoint(value):
        return
    for name in _ONE:
        child = value.get(name)
        if isinstance(child, dict) and ("default" in child or not _SUBSCHEMA_KEYWORDS.isdisjoint(child)):
            _defaults(child, (*pointer, name), found)
    for name in _MAPS:
        members = value.get(name)
        if isinstance(members, dict):
            for key, child in members.items():
                if (
                    isinstance(child, dict)
                    and ("default" in child or not _SUBSCHEMA_KEYWORDS.isdisjoint(child))
                    and isinstance(key, str)
                ):
                    _defaults(child, (*pointer, name, key), found)
    for name in _LISTS:
        items = value.get(name)
        if isinstance(items, list):
            for index, child in enumerate(items):
                if isinstance(child, dict) and (
                    "default" in child or not _SUBSCHEMA_KEYWORDS.isdisjoint(child)
                ):
                    _defaults(child, (*pointer, name, str(index)), found)


def _nullable_2(value: dict[str, Any]) -> bool:
    """`x-nullable: true` (OpenAPI 2.0 extension of go-swagger and AutoRest) lets a null default through."""
    return value["default"] is None and value.get("x-nullable") is True
