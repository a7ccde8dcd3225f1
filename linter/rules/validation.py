"""Validate example values against the OpenAPI schemas declared for them.

Declared schemas are OpenAPI Schema Objects whose ``$ref``s may point into any loaded
file, so each spec gets one ``referencing`` registry holding every loaded document
under its file URI, and one compiled validator (jsonschema-rs) per schema node.
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

from linter import pointer as jp
from linter.resolve.resolver import Node, SpecSet
from linter.rules.plain_schema import plainly_valid

_CACHE_KEY = "schema-validators"
#: Compiled validators kept at once. Each holds the compiled closure of its schema's $refs,
#: so keeping all of them held 120 MB on the GitHub REST spec; a schema is mostly used by
#: the examples of one or two operations in a row, and compiling one again takes 0.1 ms.
_VALIDATORS_KEPT = 64
_MESSAGE_LIMIT = 200
NodeKey = tuple[int, tuple[str, ...]]


def is_json_media_type(name: str) -> bool:
    """``application/json``, ``text/json`` and any ``+json`` type, parameters ignored."""
    base = name.split(";", 1)[0].strip().lower()
    return base.endswith(("/json", "+json"))


@dataclass(frozen=True, slots=True)
class ExampleFailure:
    """Why an example does not match its schema: the most relevant error and how many there were.

    ``message`` is the validator's reason with the offending value first (``null is not of
    type "string"``), values in JSON; ``reason`` is that reason alone and ``value`` a short
    JSON excerpt of the value (both empty when the reason does not start with the value,
    as in ``"code" is a required property``)."""

    member: str
    message: str
    count: int
    reason: str = ""
    value: str = ""

    def __str__(self) -> str:
        """``errors[0].status is not of type "string" (value: 404)``: the member, the whole
        reason, then the value abbreviated."""
        more = f" (and {self.count - 1} more)" if self.count > 1 else ""
        where = self.member or "the body"
        if self.reason:
            return f"{where} {self.reason} (value: {self.value}){more}"
        return f"{where}: {self.message}{more}"


class SchemaValidators:
    """Validators for one spec, built once per schema node; results cached per (schema, example)."""

    def __init__(self, spec: SpecSet, version: str | None) -> None:
        self.spec = spec
        self.version = version
        self._base: Any = None
        self._uris = {id(doc): _uri(key) for key, doc in spec.docs.items()}
        #: the most recently used compiled validators (see :data:`_VALIDATORS_KEPT`)
        self._validators: OrderedDict[Any, Any] = OrderedDict()
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
            # a plain schema's verdict needs no compiled validator (nor the registry)
            plain = plainly_valid(schema.value, example.value)
            self._results[key] = None if plain else self._validate(schema, example.value)
        return self._results[key]

    def _validate(self, schema: Node, instance: Any) -> ExampleFailure | None:
        validator = self._validator(schema)
        if validator is None:
            return None
        try:
            errors = list(validator.iter_errors(instance))
        except (ValueError, RecursionError):
            return None
        if not errors:
            return None
        # like jsonschema's best_match: the shallowest error says most about the example
        best = min(errors, key=lambda error: len(error.instance_path))
        reason, value = split_reason(best.message, best.instance)
        if reason:  # the excerpt as written: validators may hand back the value with keys sorted
            from linter.rules.structure_errors import excerpt

            value = excerpt(_value_at(instance, best.instance_path, best.instance))
        return ExampleFailure(_member(best.instance_path), _shorten(best.message), len(errors), reason, value)

    def _validator(self, schema: Node) -> Any:
        """A compiled validator for ``schema``, or None when the schema cannot judge examples:
        a broken ``$ref`` (reported by ref-unresolved), a 2.0 ``type: file``, a bad
        ``pattern``, or a list or number where a schema belongs (spec-structure's business).

        Validators are kept by what they compile: a registered schema by its URI, an inline
        one by its JSON text (and document), so the same inline schema written under many
        operations (``{type: array, items: {$ref: ...}}``) is compiled once."""
        import orjson

        uri = self._uris.get(id(schema.doc), "")
        blob: bytes | None = None
        if self._registered(schema):
            key: Any = f"{uri}#{quote(jp.to_str(schema.pointer), safe='/~')}"
        else:
            try:
                blob = orjson.dumps(schema.value)
                key = (uri, blob)
            except orjson.JSONEncodeError:  # not JSON data (e.g. a YAML date): kept by node
                key = _key(schema)
        if key in self._validators:
            self._validators.move_to_end(key)
            return self._validators[key]
        import jsonschema_rs

        if isinstance(key, str):
            root: Any = {"$ref": key}
        else:
            # an inline schema outside the root's schema sections: validate a copy whose
            # $refs are absolute, so they resolve in the registry
            root = self._inline_root(schema.value, blob, uri)
        validator_class = jsonschema_rs.Draft202012Validator if self._is_31 else jsonschema_rs.Draft4Validator
        try:
            validator = validator_class(root, registry=self._registry(), offline=True, validate_formats=False)
        except (ValueError, RecursionError):
            validator = None
        self._validators[key] = validator
        if len(self._validators) > _VALIDATORS_KEPT:
            self._validators.popitem(last=False)
        return validator

    @property
    def _is_31(self) -> bool:
        return self.version in ("3.1", "3.2")

    def _inline_root(self, schema: Any, blob: bytes | None, uri: str) -> Any:
        """``schema`` (dumped as ``blob`` when it is JSON data) as a validator's root: nullable
        rewritten, ``$ref``s made absolute; the schema itself when neither is needed."""
        import orjson

        if blob is None:
            return schema
        if not self._is_31 and b'"nullable":true' in blob:
            schema = _with_null_types(schema)
            blob = orjson.dumps(schema)
        if b'"$ref":"' not in blob:
            return schema
        return _absolute_refs(blob, uri)

    def _registered(self, schema: Node) -> bool:
        """Whether ``schema`` lies in what the registry holds of its document."""
        if schema.doc is not self.spec.root:
            return True
        return any(schema.pointer[: len(section)] == section for section in _ROOT_SCHEMA_SECTIONS)

    def _registry(self) -> Any:
        """Every loaded document under its file URI, the root reduced to its schema sections
        (a big spec's paths and examples would double the memory of a run for nothing);
        2.0/3.0 ``nullable`` rewritten as JSON Schema."""
        if self._base is None:
            import jsonschema_rs

            resources = []
            for key, doc in self.spec.docs.items():
                if not doc.ok:
                    continue
                data = _schema_sections(doc.data) if doc is self.spec.root else doc.data
                needs_rewrite = not self._is_31 and doc.contains("nullable")
                resources.append((_uri(key), _with_null_types(data) if needs_rewrite else data))
            draft = jsonschema_rs.Draft202012 if self._is_31 else jsonschema_rs.Draft4
            self._base = jsonschema_rs.Registry(resources, draft=draft)
        return self._base


#: where a root document keeps its reusable schemas (3.x, 2.0)
_ROOT_SCHEMA_SECTIONS: tuple[tuple[str, ...], ...] = (("components", "schemas"), ("definitions",))


def _schema_sections(data: Any) -> Any:
    """The parts of a root document that schema ``$ref``s point into."""
    if not isinstance(data, dict):
        return data
    kept: dict[str, Any] = {}
    components = data.get("components")
    if isinstance(components, dict) and "schemas" in components:
        kept["components"] = {"schemas": components["schemas"]}
    if "definitions" in data:
        kept["definitions"] = data["definitions"]
    return kept


def _absolute_refs(blob: bytes, base: str) -> Any:
    """The schema dumped as ``blob``, its ``$ref``s resolved against ``base`` (the document's
    URI): rewritten as JSON text, in C but for the references themselves."""
    import re
    from urllib.parse import urljoin

    import orjson

    def absolute(match: re.Match[bytes]) -> bytes:
        return b'"$ref":' + orjson.dumps(urljoin(base, orjson.loads(match.group(1))))

    return orjson.loads(re.sub(rb'"\$ref":("(?:[^"\\]|\\.)*")', absolute, blob))


def _with_null_types(data: Any) -> Any:
    """``data`` where ``nullable: true`` Schema Objects (OpenAPI 2.0 extension, 3.0) also accept
    null, as JSON Schema draft 4 can express it: ``type: [T, "null"]``.

    Copy on write: containers with no such schema inside are the originals, so a spec whose
    schemas are mostly not nullable is walked, not copied.
    """
    memo: dict[int, Any] = {}

    def rewrite(value: Any) -> Any:
        known = memo.get(id(value))
        if known is not None:
            return known
        memo[id(value)] = value
        result = value
        is_dict = isinstance(value, dict)
        copy, children = (dict, value.items()) if is_dict else (list, enumerate(value))
        for key, child in children:
            if isinstance(child, (dict, list)):
                new = rewrite(child)
                if new is not child:
                    if result is value:
                        result = copy(value)
                    result[key] = new
        if is_dict and value.get("nullable") is True:
            result = _nullable_schema(result if result is not value else dict(value))
        memo[id(value)] = result
        return result

    return rewrite(data) if isinstance(data, (dict, list)) else data


def _nullable_schema(schema: dict[str, Any]) -> dict[str, Any]:
    """``schema`` (a copy, changed in place) made to accept null as well.

    An ``enum`` is left as written: ``nullable: true`` does not add null to an enum that lacks
    it (OpenAPI 3.0.3, section 4.7.24.1, ``nullable``: "A true value adds "null" to the allowed
    types" and the 3.0.3 clarification of how it combines with ``enum``), so such a schema
    still refuses null."""
    if isinstance(schema.get("type"), str):
        schema["type"] = [schema["type"], "null"]
    elif "type" not in schema:
        # e.g. `nullable: true` beside `allOf: [$ref]`: null, or what the rest says
        return {"anyOf": [{"type": "null"}, schema]}
    return schema


def _uri(key: str) -> str:
    """A loaded document's URI: remote documents are keyed by URL, local ones by resolved path."""
    return key if key.startswith(("http://", "https://")) else Path(key).as_uri()


def _key(node: Node) -> NodeKey:
    return id(node.doc), node.pointer


def _member(path: Any) -> str:
    """``errors[0].status`` from an instance path."""
    return "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in path).lstrip(".")


def _value_at(instance: Any, path: Any, fallback: Any) -> Any:
    """The member of ``instance`` at a validator's instance path; ``fallback`` if it is not there."""
    for token in path:
        try:
            instance = instance[token]
        except (KeyError, IndexError, TypeError):
            return fallback
    return instance


def split_reason(message: str, instance: Any) -> tuple[str, str]:
    """``(reason, excerpt)`` of a jsonschema-rs message that starts with the instance as JSON
    (compact, keys sorted or not); ``("", "")`` when it does not."""
    import json

    message = " ".join(message.split())
    for sort_keys in (True, False):
        try:
            shown = json.dumps(instance, separators=(",", ":"), ensure_ascii=False, sort_keys=sort_keys)
        except (TypeError, ValueError):
            return "", ""
        if message.startswith(shown + " "):
            from linter.jsonvalue import excerpt

            return message[len(shown) + 1 :], excerpt(instance)
    return "", ""


def _shorten(message: str) -> str:
    message = " ".join(message.split())
    return message if len(message) <= _MESSAGE_LIMIT else message[: _MESSAGE_LIMIT - 1] + "…"
