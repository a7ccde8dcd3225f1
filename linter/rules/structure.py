"""Structural validity: the OpenAPI JSON Schemas, and 3.1 Schema Objects against their dialect.

The OpenAPI schemas are the ones openapi-spec-validator ships (compiled once with
jsonschema-rs). The OpenAPI 3.1 schema leaves Schema Objects open (``type: [object,
boolean]``); OpenAPI 3.1 section 4.8.24 makes them JSON Schema 2020-12 documents (or of
the dialect ``jsonSchemaDialect`` or their own ``$schema`` names), so each one is also
validated against that dialect's meta-schema, as openapi-spec-validator does.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from linter.model import Severity
from linter.resolve.resolver import SpecSet
from linter.rules.base import Context, DocumentRule, Problem, rules_defined_in
from linter.rules.structure_errors import StructureError, python_message, structure_errors
from linter.spec.openapi import spec_version

_SCHEMA_DIRS = {"2.0": "v2.0", "3.0": "v3.0", "3.1": "v3.1"}
_DRAFT_2020_12 = "https://json-schema.org/draft/2020-12/schema"
#: dialects a 3.1 document may name, by their meta-schema's URI (without a trailing "#")
_DIALECTS = {
    "https://spec.openapis.org/oas/3.1/dialect/base": _DRAFT_2020_12,
    _DRAFT_2020_12: _DRAFT_2020_12,
    "https://json-schema.org/draft/2019-09/schema": "https://json-schema.org/draft/2019-09/schema",
    "http://json-schema.org/draft-07/schema": "http://json-schema.org/draft-07/schema#",
    "http://json-schema.org/draft-06/schema": "http://json-schema.org/draft-06/schema#",
    "http://json-schema.org/draft-04/schema": "http://json-schema.org/draft-04/schema#",
}
#: members of a 3.1 document that hold data or text, never a Schema Object
_OPAQUE = frozenset({"example", "examples", "default", "enum", "const", "x-errlint-ignore"})


@cache
def _schema(version: str) -> Any:
    """The OpenAPI JSON Schema that openapi-spec-validator ships for ``version``, or None."""
    import importlib.util
    import json
    from pathlib import Path

    found = importlib.util.find_spec("openapi_spec_validator")
    if found is None or not found.submodule_search_locations:
        return None
    base = Path(next(iter(found.submodule_search_locations))) / "resources" / "schemas"
    return json.loads((base / _SCHEMA_DIRS[version] / "schema.json").read_text(encoding="utf-8"))


@cache
def _validator(version: str) -> Any:
    """A compiled validator (jsonschema-rs) for :func:`_schema`, or None."""
    schema = _schema(version)
    if schema is None:
        return None
    import jsonschema_rs

    return jsonschema_rs.validator_for(schema)


@cache
def _meta_validator(uri: str) -> Any:
    """A validator for the meta-schema at ``uri`` (formats checked: ``pattern`` is a ``regex``),
    or None for a dialect errlint does not ship."""
    import jsonschema_rs

    if uri == _DRAFT_2020_12:
        return jsonschema_rs.validator_for({"$ref": uri}, validate_formats=True)
    try:
        from jsonschema_specifications import REGISTRY

        meta = REGISTRY.contents(uri)
        if uri.startswith("https://json-schema.org/draft/2019-09/"):
            resources = [
                (key, REGISTRY.contents(key)) for key in REGISTRY if str(key).startswith("https://json-schema.org/draft/2019-09/")
            ]
            registry = jsonschema_rs.Registry(resources)
            return jsonschema_rs.validator_for({"$ref": uri}, registry=registry, validate_formats=True)
        return jsonschema_rs.validator_for(meta, validate_formats=True)
    except (LookupError, ValueError, ImportError):  # pragma: no cover - every listed dialect is shipped
        return None


class SpecStructure(DocumentRule):
    """The root document must be valid against the OpenAPI 2.0, 3.0 or 3.1 JSON Schema.

    Why: a structurally invalid spec (a response without `description` in 3.0, a
    misspelt keyword, a wrong type) breaks generators and validators downstream. The
    schemas are the ones openapi-spec-validator ships, compiled once with jsonschema-rs;
    in OpenAPI 3.1 each Schema Object is also checked against its JSON Schema dialect
    (2020-12 unless `jsonSchemaDialect` or its `$schema` names another), and a `pattern`
    must be an ECMA-262 regular expression. Each violation is a finding at the offending
    node, naming the key: where a value fits none of the forms allowed (a Response or a
    Reference), the form it was evidently meant for is the one reported.

    Bad:
        "404":
          description: Missing
          schema: {type: object}

    Good:
        "404":
          description: Missing
          content: {application/json: {schema: {type: object}}}
    """

    id = "spec-structure"
    default_severity = Severity.ERROR

    @dataclass(frozen=True)
    class Options:
        max_findings: int = field(default=200, metadata={"help": "stop after this many violations per spec"})

    def check(self, spec: SpecSet, ctx: Context) -> Iterator[Problem]:
        root = spec.root
        version = spec_version(root.data)
        if not root.ok or version not in _SCHEMA_DIRS:
            return
        validator = _validator(version)
        if validator is None:
            return
        from linter.resolve.bundle import ValidationView

        view = ValidationView(spec)
        try:
            errors = list(structure_errors(validator.iter_errors(view.data), view.data, version))
            if version == "3.1" and isinstance(view.data, dict):
                errors += _dialect_errors(view.data)
        except (ValueError, RecursionError):
            # jsonschema-rs cannot build an error whose value nests more than about 250 levels
            # ("Recursion limit reached"); the Python validator can (repeats are dropped by site)
            errors = list(_python_errors(version, view.data))
        seen: set[tuple[int, tuple[str, ...]]] = set()
        for error in errors:
            site = view.origin(error.path)
            key = (id(site.doc), site.pointer)
            if key in seen:
                continue
            seen.add(key)
            yield Problem(site, error.message)
            if len(seen) >= ctx.options.max_findings:
                return


def _python_errors(version: str, data: Any) -> Iterator[StructureError]:
    """The violations as the Python validator finds them (no branch descent), worded as
    :func:`~linter.rules.structure_errors.structure_errors` words them (the member, the
    value abbreviated, the reason): the fallback for values nested too deep for jsonschema-rs."""
    import jsonschema

    schema = _schema(version)
    validator = jsonschema.validators.validator_for(schema)(schema)
    try:
        for found in validator.iter_errors(data):
            # a value no oneOf/anyOf branch fits: the reason inside the branch that fits best
            error = jsonschema.exceptions.best_match([found]) or found
            path = tuple(str(p) for p in error.absolute_path)
            yield StructureError(path, python_message(error, path, data))
    except RecursionError:
        yield StructureError((), "not valid against the OpenAPI schema, nested too deep for the validator to say where")


def _dialect_errors(data: dict[str, Any]) -> list[StructureError]:
    """Errors of every Schema Object of a 3.1 document against its dialect's meta-schema."""
    default = data.get("jsonSchemaDialect")
    found: list[StructureError] = []
    for path, schema in _schema_objects(data):
        named = schema.get("$schema") if isinstance(schema, dict) else None
        dialect = named if isinstance(named, str) else default if isinstance(default, str) else _DRAFT_2020_12
        meta = _DIALECTS.get(dialect.rstrip("#"))
        validator = _meta_validator(meta) if meta else None
        if validator is None:
            continue  # a dialect errlint does not know: nothing to check it against
        for error in structure_errors(validator.iter_errors(schema), schema, "3.1"):
            found.append(StructureError((*path, *error.path), error.message))
    return found


def _schema_objects(data: Any, path: tuple[str, ...] = ()) -> Iterator[tuple[tuple[str, ...], Any]]:
    """``(path, value)`` of each outermost Schema Object: a ``schema`` member, and the entries
    of ``components/schemas``; schemas inside them are the meta-schema's to check."""
    if isinstance(data, dict):
        for name, child in data.items():
            if name in _OPAQUE or name.startswith("x-") or not isinstance(child, (dict, list, bool)):
                continue
            where = (*path, name)
            if name == "schema" and isinstance(child, (dict, bool)):
                yield where, child
            elif name == "schemas" and path[-1:] == ("components",) and isinstance(child, dict):
                for key, schema in child.items():
                    yield (*where, key), schema
            elif isinstance(child, (dict, list)):
                yield from _schema_objects(child, where)
    elif isinstance(data, list):
        for index, child in enumerate(data):
            yield from _schema_objects(child, (*path, str(index)))


RULES = rules_defined_in(globals())
