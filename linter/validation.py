"""Validate example values against the OpenAPI schemas declared for them.

Declared schemas are OpenAPI Schema Objects whose ``$ref``s may point into any loaded
file, so each spec gets one ``referencing`` registry holding every loaded document
under its file URI, and one validator per schema node. jsonschema is imported
only when a spec has an example to check.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

from linter import pointer as jp
from linter.resolver import Node, SpecSet

_CACHE_KEY = "schema-validators"
_MESSAGE_LIMIT = 200
NodeKey = tuple[int, tuple[str, ...]]


def is_json_media_type(name: str) -> bool:
    """``application/json``, ``text/json`` and any ``+json`` type, parameters ignored."""
    base = name.split(";", 1)[0].strip().lower()
    return base.endswith(("/json", "+json"))


def example_value(example: Node) -> Node | None:
    """The example's value node; a lone ``{$ref: ...}`` is followed (None when broken).

    Examples are literal values in OpenAPI, but ``example: {$ref: examples.yml#/x}`` is
    common and resolved by bundlers; validating the ``$ref`` mapping itself would only
    produce noise.
    """
    value = example.value
    if isinstance(value, dict) and len(value) == 1 and isinstance(value.get("$ref"), str):
        return example.deref()
    return example


@dataclass(frozen=True, slots=True)
class ExampleFailure:
    """Why an example does not match its schema: the most relevant error and how many there were."""

    member: str
    message: str
    count: int

    def __str__(self) -> str:
        more = f" (and {self.count - 1} more)" if self.count > 1 else ""
        return f"{self.member or 'the body'}: {self.message}{more}"


class SchemaValidators:
    """Validators for one spec, built once per schema node; results cached per (schema, example)."""

    def __init__(self, spec: SpecSet, version: str | None) -> None:
        self.spec = spec
        self.version = version
        self._base: Any = None
        self._uris = {id(doc): _uri(key) for key, doc in spec.docs.items()}
        self._validators: dict[NodeKey, Any] = {}
        self._results: dict[tuple[NodeKey, NodeKey], ExampleFailure | None] = {}

    @classmethod
    def of(cls, spec: SpecSet, version: str | None) -> SchemaValidators:
        """The spec's shared instance (kept in ``spec.cache`` so every operation reuses it)."""
        found = spec.cache.get(_CACHE_KEY)
        if not isinstance(found, cls):
            found = spec.cache[_CACHE_KEY] = cls(spec, version)
        return found

    def failure(self, schema: Node, example: Node) -> ExampleFailure | None:
        """Why ``example`` does not validate against ``schema``; None when it does or cannot be checked."""
        key = (_key(schema), _key(example))
        if key not in self._results:
            self._results[key] = self._validate(schema, example.value)
        return self._results[key]

    def _validate(self, schema: Node, instance: Any) -> ExampleFailure | None:
        from jsonschema.exceptions import UnknownType, best_match
        from referencing.exceptions import Unresolvable

        try:
            errors = list(self._validator(schema).iter_errors(instance))
        except (Unresolvable, UnknownType, re.error, RecursionError, AttributeError, TypeError, ValueError):
            # a broken $ref (reported by ref-unresolved), a 2.0 `type: file`, a bad
            # `pattern`, a self-referencing anchor, a list or number where a schema
            # belongs, or a $ref through a list by name (jsonschema and referencing fail
            # with Attribute/Type/ValueError; spec-structure reports the spec): the schema
            # cannot judge the example
            return None
        if not errors:
            return None
        best = best_match(errors)
        assert best is not None
        return ExampleFailure(_member(best.absolute_path), _shorten(best.message), len(errors))

    def _validator(self, schema: Node) -> Any:
        key = _key(schema)
        if key not in self._validators:
            uri = self._uris.get(id(schema.doc), "")
            fragment = quote(jp.to_str(schema.pointer), safe="/~")
            self._validators[key] = self._base_validator().evolve(schema={"$ref": f"{uri}#{fragment}"})
        return self._validators[key]

    def _base_validator(self) -> Any:
        if self._base is None:
            from jsonschema import Draft202012Validator
            from referencing import Registry, Resource, Specification
            from referencing.jsonschema import DRAFT202012

            is_31 = self.version in ("3.1", "3.2")
            # 2.0 and 3.0 Schema Objects have no `$id`: refs resolve against the file only
            specification = DRAFT202012 if is_31 else Specification.OPAQUE
            resources = [
                (_uri(key), Resource(contents=doc.data, specification=specification))
                for key, doc in self.spec.docs.items()
                if doc.ok
            ]
            validator_class = Draft202012Validator if is_31 else _schema_object_validator()
            self._base = validator_class({}, registry=Registry().with_resources(resources))
        return self._base


def _schema_object_validator() -> Any:
    """JSON Schema draft 4 as OpenAPI 2.0/3.0 Schema Objects use it, plus ``nullable: true``.

    (openapi-schema-validator offers the same, but importing it costs ~0.25 s of pydantic
    on every run that has an example; unknown keywords such as ``discriminator`` or
    ``readOnly`` are ignored by draft 4 anyway.)
    """
    from jsonschema import Draft4Validator, validators

    check_type = Draft4Validator.VALIDATORS["type"]

    def type_or_null(validator: Any, types: Any, instance: Any, schema: dict[str, Any]) -> Any:
        if instance is None and schema.get("nullable") is True:
            return
        yield from check_type(validator, types, instance, schema)

    return validators.extend(Draft4Validator, {"type": type_or_null})


def _uri(key: str) -> str:
    """A loaded document's URI: remote documents are keyed by URL, local ones by resolved path."""
    return key if key.startswith(("http://", "https://")) else Path(key).as_uri()


def _key(node: Node) -> NodeKey:
    return id(node.doc), node.pointer


def _member(path: Any) -> str:
    """``errors[0].status`` from a jsonschema path deque."""
    return "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in path).lstrip(".")


def _shorten(message: str) -> str:
    message = " ".join(message.split())
    return message if len(message) <= _MESSAGE_LIMIT else message[: _MESSAGE_LIMIT - 1] + "…"
