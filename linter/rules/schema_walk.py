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
_ONE = ("items", "additionalProperties", "not", "additionalItems", "contains", "propertyNames",
        "if", "then", "else", "unevaluatedItems", "unevaluatedProperties")
_MAPS = ("properties", "patternProperties", "$defs", "definitions", "dependentSchemas")
_LISTS = ("allOf", "anyOf", "oneOf", "prefixItems", "items")
#: the JSON Schema keywords of an OpenAPI 2.0 non-body parameter
_PARAMETER_KEYWORDS = frozenset({
    "type", "format", "items", "enum", "maximum", "exclusiveMaximum", "minimum", "exclusiveMinimum",
    "maxLength", "minLength", "pattern", "maxItems", "minItems", "uniqueItems", "multipleOf",
})


def schema_objects(spec: SpecSet, version: str | None) -> Iterator[Node]:
    """Each outermost Schema Object written in the root document, in document order
    (a 2.0 parameter as a node whose value holds only its schema keywords)."""
    root = spec.root_node()
    yield from _walk(root, version, ())


def schema_defaults(spec: SpecSet, version: str | None) -> Iterator[tuple[Node, Node]]:
    """``(schema, default)`` for each ``default`` in the root document's Schema Objects."""
    for schema in schema_objects(spec, version):
        yield from _defaults(schema)


def _walk(node: Node, version: str | None, path: tuple[str, ...]) -> Iterator[Node]:
    value = node.value
    if isinstance(value, dict):
        if version == "2.0" and _is_parameter_2(value):
            kept = {key: val for key, val in value.items() if key in _PARAMETER_KEYWORDS}
            if "default" in value and kept.get("type") != "file":
                yield Node({**kept, "default": value["default"]}, node.doc, node.pointer, node.via, node.spec)
        for name in value:
            if name in _OPAQUE or name.startswith("x-") or name == "$ref":
                continue
            child = node.child(name)
            if child is None or not isinstance(child.value, (dict, list)):
                continue
            if name == "schema" and isinstance(child.value, dict):
                yield child
            elif (name == "schemas" and path[-1:] == ("components",)) or (name == "definitions" and not path):
                for key in child.keys():
                    schema = child.child(key)
                    if schema is not None and isinstance(schema.value, dict):
                        yield schema
            else:
                yield from _walk(child, version, (*path, name))
    elif isinstance(value, list):
        for index in range(len(value)):
            child = node.child(index)
            if child is not None and isinstance(child.value, (dict, list)):
                yield from _walk(child, version, (*path, str(index)))


def _is_parameter_2(value: dict[str, Any]) -> bool:
    return isinstance(value.get("name"), str) and value.get("in") in ("query", "header", "path", "formData")


def _defaults(schema: Node) -> Iterator[tuple[Node, Node]]:
    value = schema.value
    if not isinstance(value, dict):
        return
    default = schema.child("default")
    # `x-nullable: true` (OpenAPI 2.0 extension of go-swagger and AutoRest) lets null through
    nullable_2 = value.get("x-nullable") is True and default is not None and default.value is None
    if default is not None and "$ref" not in value and not nullable_2:
        yield schema, Node(default.value, schema.doc, (*schema.pointer, "default"), schema.via, schema.spec)
    for name in _ONE:
        child = schema.child(name)
        if child is not None and isinstance(child.value, dict):
            yield from _defaults(child)
    for name in _MAPS:
        members = schema.child(name)
        if members is not None and isinstance(members.value, dict):
            for key in members.keys():
                child = members.child(key)
                if child is not None:
                    yield from _defaults(child)
    for name in _LISTS:
        items = schema.child(name)
        if items is not None and isinstance(items.value, list):
            for index in range(len(items.value)):
                child = items.child(index)
                if child is not None:
                    yield from _defaults(child)
