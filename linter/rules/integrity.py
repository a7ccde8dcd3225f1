"""Checks beyond the OpenAPI JSON Schemas that openapi-spec-validator also makes: unique
``operationId``s, path template parameters declared, ``default`` values valid."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import TYPE_CHECKING

from linter.model import Severity
from linter.resolve.resolver import Node, Site, SpecSet
from linter.rules.base import Context, DocumentRule, OperationRule, Problem, rules_defined_in
from linter.rules.schema_walk import schema_defaults
from linter.rules.validation import ExampleFailure, SchemaValidators
from linter.spec.openapi import TEMPLATE_RE, iter_operations

if TYPE_CHECKING:
    from linter.spec.openapi import Operation


class OperationIdUnique(DocumentRule):
    """Each `operationId` must be unique in the spec.

    Why: OpenAPI 3.1 section 4.8.10 says the id "MUST be unique among all operations
    described in the API"; code generators name methods after it, and links and
    callbacks find operations by it. Each repeat is reported at its `operationId`, with
    the other uses in `related` (openapi-spec-validator reports the same).

    Bad:
        paths:
          /pets:
            get: {operationId: listPets, responses: {"200": {description: OK}}}
          /cats:
            get: {operationId: listPets, responses: {"200": {description: OK}}}

    Good:
        /cats:
          get: {operationId: listCats, responses: {"200": {description: OK}}}
    """

    id = "operation-id-unique"
    default_severity = Severity.ERROR

    def check(self, spec: SpecSet, ctx: Context) -> Iterator[Problem]:
        uses: dict[str, list[tuple[Operation, Node]]] = {}
        for op in iter_operations(spec):
            node = op.node.child("operationId")
            if node is not None and isinstance(node.value, str):
                uses.setdefault(node.value, []).append((op, node))
        for operation_id, found in uses.items():
            for index in range(1, len(found)):
                op, node = found[index]
                first = found[0][0]
                others = tuple(
                    (other_node, f"operationId {json.dumps(operation_id)} of {other}")
                    for position, (other, other_node) in enumerate(found)
                    if position != index
                )
                yield Problem(
                    node,
                    f"operationId {json.dumps(operation_id)} of {op} is already used by {first}",
                    related=others,
                )


class PathParametersDefined(OperationRule):
    """Path template parameters must be declared, and declared path parameters templated.

    Why: each `{name}` of the path must be an `in: path` parameter of the operation or
    its path item, and each `in: path` parameter must appear in the path (OpenAPI 3.1
    section 4.8.2.1: "each template expression in the path MUST correspond to a path
    parameter"). Clients generated from a spec with an undeclared `{id}` cannot fill it in, and
    a declared parameter missing from the template is never sent.

    Bad:
        paths:
          /pets/{petId}/toys/{toyId}:
            parameters:
              - {name: petId, in: path, required: true, schema: {type: string}}
            get:
              responses: {"200": {description: OK}}

    Good:
        paths:
          /pets/{petId}/toys/{toyId}:
            parameters:
              - {name: petId, in: path, required: true, schema: {type: string}}
              - {name: toyId, in: path, required: true, schema: {type: string}}
            get:
              responses: {"200": {description: OK}}
    """

    id = "path-parameters-defined"
    default_severity = Severity.ERROR

    def check(self, op: Operation, ctx: Context) -> Iterator[Problem]:
        template = [match.group(0)[1:-1] for match in TEMPLATE_RE.finditer(op.path)]
        # each parameter dereferenced once, for both directions (what Operation.parameters
        # declares is the same set of path parameter names)
        params = list(_parameters(op))
        declared = {param.value.get("name") for _, param in params if _in_path(param)}
        for name in dict.fromkeys(template):
            if name not in declared:
                yield Problem(
                    op.node,
                    f"path parameter {json.dumps(name)} of {op.path} is declared neither by "
                    f"{op.method.upper()} nor by its path item",
                )
        for raw, param in params:
            name = param.value.get("name")
            if _in_path(param) and name not in template:
                at: Node | Site = raw if raw.is_ref else Site(raw.doc, (*raw.pointer, "name"))
                yield Problem(at, f"path parameter {json.dumps(name)} is not in the path template {op.path}")


def _in_path(param: Node) -> bool:
    """Whether ``param`` (a dereferenced mapping) is a path parameter with a name."""
    return param.value.get("in") == "path" and isinstance(param.value.get("name"), str)


def _parameters(op: Operation) -> Iterator[tuple[Node, Node]]:
    """``(as written, dereferenced)`` for each parameter of ``op``'s path item, then of ``op``,
    that is a mapping (broken ``$ref`` s are ref-unresolved's business)."""
    for owner in (op.path_item, op.node):
        params = owner.get("parameters")
        if params is None or not isinstance(params.value, list):
            continue
        for index in range(len(params.value)):
            raw = params.child(index)
            param = raw.deref() if raw is not None else None
            if raw is not None and param is not None and param.is_mapping:
                yield raw, param


class SchemaDefaultValid(DocumentRule):
    """A schema's `default` must be valid against that schema.

    Why: JSON Schema says `default` "SHOULD be valid against the associated schema"
    (Validation 2020-12 section 9.2), and clients and servers that apply it send or
    store a value the API itself rejects. Checked in `components/schemas` (and 2.0
    `definitions`), parameter schemas (2.0 parameters themselves), request and response
    bodies and headers; a `default` is judged by the schema it sits in, `$ref`s and
    `allOf` followed, 3.0 `nullable` honoured.

    Bad:
        components:
          schemas:
            Limit: {type: integer, default: "ten"}

    Good:
        components:
          schemas:
            Limit: {type: integer, default: 10}
    """

    id = "schema-default-valid"
    default_severity = Severity.ERROR

    def check(self, spec: SpecSet, ctx: Context) -> Iterator[Problem]:
        validators = SchemaValidators.of(spec, ctx.version)
        for schema, default in schema_defaults(spec, ctx.version):
            failure = validators.failure(schema, default)
            if failure is not None:
                yield Problem(default, _default_message(failure))


def _default_message(failure: ExampleFailure) -> str:
    """``default "ten" is not of type "integer"``; a member's failure after the member."""
    more = f" (and {failure.count - 1} more)" if failure.count > 1 else ""
    if failure.member:
        return f"default's {failure}"
    if failure.reason:
        return f"default {failure.value} {failure.reason}{more}"
    return f"default: {failure.message}{more}"


RULES = rules_defined_in(globals())
