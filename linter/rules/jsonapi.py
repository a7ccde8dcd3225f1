"""JSON:API error responses (the `jsonapi` ruleset): the error media type and the error
document (`{"errors": [...]}`), in schemas and in examples. Its status codes (406, 415) are
policies of ``rulesets/jsonapi.yaml``.

All rules default to the JSON:API operations (the `jsonapi` scope key, :func:`linter.vendors.jsonapi.is_jsonapi`); the `commercelayer`
ruleset widens them to every operation.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from linter.model import Severity
from linter.resolve.resolver import Node
from linter.rules.base import EVERY_OPERATION, Context, OperationRule, Problem, rules_defined_in
from linter.rules.error_bodies import ErrorBody, declared, mismatched_examples, shape_problems
from linter.rules.examples import body_examples, example_related
from linter.rules.shapes import ShapeIssue, flatten, match
from linter.spec.openapi import MediaType, Operation, Response

JSONAPI_SCOPE = {"jsonapi": True}


def declared_body(status: str) -> ErrorBody:
    """The JSON:API error document ``rulesets/jsonapi.yaml`` declares (``error-bodies``)."""
    return declared("jsonapi").body(status)


def requiring(canonical: dict[str, Any], members: tuple[str, ...]) -> dict[str, Any]:
    """``canonical`` (an error document) whose ``errors[]`` items require ``members``: JSON:API
    itself requires none of them, a ruleset may (Commerce Layer always sends four)."""
    errors = canonical["properties"]["errors"]
    items = {**errors["items"], "required": list(members)}
    return {**canonical, "properties": {**canonical["properties"], "errors": {**errors, "items": items}}}


class _ErrorDocumentRule(OperationRule):
    """Base of the rules that hold error bodies to the declared JSON:API error document."""

    operation_kinds = EVERY_OPERATION
    default_severity = Severity.ERROR
    default_scope = JSONAPI_SCOPE
    error_bodies = "jsonapi"

    @classmethod
    def tailor_error_body(cls, schema: dict[str, Any], options: Any) -> dict[str, Any]:
        """The declared document whose ``errors[]`` items also require ``required-members``."""
        members = getattr(options, "required_members", ())
        errors = schema.get("properties", {}).get("errors")
        if not members or not isinstance(errors, dict) or not isinstance(errors.get("items"), dict):
            return schema
        declared = errors["items"].get("required", [])
        return requiring(schema, (*declared, *(name for name in members if name not in declared)))


@dataclass(frozen=True)
class ErrorObjectOptions:
    required_members: tuple[str, ...] = field(
        default=(),
        metadata={"help": "members every errors[] item must declare as required (JSON:API requires none)"},
    )


def is_json(media: MediaType) -> bool:
    """A JSON body (``application/json``, ``application/vnd.api+json``, any ``+json``)."""
    return media.base == "application/json" or media.base.endswith("+json")


def json_error_bodies(op: Operation) -> Iterator[tuple[Response, MediaType]]:
    """Every JSON body of every error response (4xx, 5xx, ranges, ``default``) of ``op``."""
    for response in op.error_responses():
        for media in response.media_types():
            if is_json(media):
                yield response, media


def media_site(response: Response, media: MediaType) -> Node:
    """Where a finding about one body lands: its ``content`` entry (3.x), else the response (2.0)."""
    return media.node if response.version != "2.0" and media.node is not None else response.node


# -- error bodies ------------------------------------------------------------------------
class JsonApiErrorMediaType(OperationRule):
    """Send every error body of a JSON:API operation as application/vnd.api+json.

    Why: JSON:API 1.1 ("Content Negotiation") makes `application/vnd.api+json` the media
    type of every JSON:API document, error documents included; Commerce Layer answers 406
    to any other Accept header, so an error documented as `application/json` is one the
    client can never ask for. Media type parameters (`; charset=utf-8`) are tolerated.
    Error responses without content are left to the hygiene rules.

    Bad:
        /skus/{id}:
          get:
            responses:
              "200": {description: The SKU, content: {application/vnd.api+json: {schema: {$ref: "#/components/schemas/Sku"}}}}
              "404":
                description: Not found
                content:
                  application/json:
                    schema: {$ref: "#/components/schemas/Errors"}

    Good:
        /skus/{id}:
          get:
            responses:
              "200": {description: The SKU, content: {application/vnd.api+json: {schema: {$ref: "#/components/schemas/Sku"}}}}
              "404":
                description: Not found
                content:
                  application/vnd.api+json:
                    schema: {$ref: "#/components/schemas/Errors"}
    """

    id = "jsonapi-error-media-type"
    operation_kinds = EVERY_OPERATION
    default_severity = Severity.ERROR
    default_scope = JSONAPI_SCOPE

    def check(self, op: Operation, ctx: Context) -> Iterator[Problem]:
        for response in op.error_responses():
            body = declared_body(response.status)
            for media in response.media_types():
                if media.base not in body.media_types:
                    yield Problem(
                        media_site(response, media),
                        f"error body is {media.name}, not {' or '.join(body.media_types)} ({body.label})",
                        response.status,
                    )


class JsonApiErrorDocument(_ErrorDocumentRule):
    """Give every JSON error body of a JSON:API operation the shape of a JSON:API error document.

    Why: JSON:API 1.1 ("Top Level", "Error Objects"): an error document has a top-level
    `errors` array and no `data` (nor `included`) beside it; each error object's `id`,
    `status`, `code`, `title` and `detail` are strings (`status` is the HTTP code as a
    string, `"422"`), `source` is an object of `pointer`/`parameter`/`header` strings and
    `meta` is an object. Commerce Layer's error object follows it
    (Commerce Layer, "Handling errors"). `errors` must be declared *and* required. Inside
    `errors[]` nothing is required by default, because JSON:API makes every member
    optional: a member is checked only when declared. The option `required-members`
    makes members mandatory (declared and required); the `commercelayer` ruleset sets it to
    `title`, `detail`, `code` and `status`, which Commerce Layer always sends. Bodies
    without a schema are left to the hygiene rules; non-JSON bodies to
    `jsonapi-error-media-type`. A member given by `$ref` is reported where it is written
    (`errors: {$ref: ...}` at `errors`).

    Bad:
        "422":
          description: Validation failed
          content:
            application/vnd.api+json:
              schema:
                type: object
                properties:
                  errors:
                    type: array
                    items:
                      type: object
                      properties:
                        status: {type: integer}

    Good:
        "422":
          description: Validation failed
          content:
            application/vnd.api+json:
              schema:
                type: object
                required: [errors]
                properties:
                  errors:
                    type: array
                    items:
                      type: object
                      properties:
                        status: {type: string}
                        code: {type: string}
                        title: {type: string}
                        detail: {type: string}
    """

    id = "jsonapi-error-document"
    Options = ErrorObjectOptions

    def check(self, op: Operation, ctx: Context) -> Iterator[Problem]:
        required_members = ctx.options.required_members
        for response, media in json_error_bodies(op):
            if media.schema is None:
                continue
            body = declared_body(response.status)
            yield from shape_problems(media.schema, body.schema, body.label, response.status)
            for issue in _required_member_issues(media.schema, required_members) if required_members else ():
                yield Problem(issue.node, issue.message, response.status)


def _required_member_issues(schema: Node | None, members: tuple[str, ...]) -> list[ShapeIssue]:
    """What keeps ``errors[]`` items from requiring ``members``: the ruleset's demand, not JSON:API's."""
    errors = flatten(schema).properties.get("errors") if schema is not None else None
    items = flatten(errors).items if errors is not None else None
    return match(items, {"properties": {}, "required": list(members)}, "this ruleset", member="errors[]")


class JsonApiErrorExample(_ErrorDocumentRule):
    """Make every example of a JSON:API error body a valid JSON:API error document.

    Why: examples are what readers copy and what mock servers send; an example that
    breaks JSON:API 1.1 ("Error Objects": a top-level `errors` array, no `data` beside it,
    string members, `status` as a string) teaches clients the wrong parser. Examples are
    validated against the same canonical schema as `jsonapi-error-document`, with the
    same `required-members` option. Examples are read as every ruleset reads them: media
    type `example` and `examples` (`$ref`s followed), else the schema's own `example`.

    Bad:
        "404":
          description: Not found
          content:
            application/vnd.api+json:
              example:
                errors:
                  - {status: 404, title: Record not found}

    Good:
        "404":
          description: Not found
          content:
            application/vnd.api+json:
              example:
                errors:
                  - {status: "404", title: Record not found}
    """

    id = "jsonapi-error-example"
    Options = ErrorObjectOptions

    def check(self, op: Operation, ctx: Context) -> Iterator[Problem]:
        for response, media in json_error_bodies(op):
            body = declared_body(response.status)
            if not body.check_examples:
                continue
            canonical = requiring(body.schema, ctx.options.required_members)
            for example, messages in mismatched_examples(
                response, media, canonical, forbidden_beside="errors"
            ):
                for message in messages:
                    yield Problem(
                        example.at,
                        f"the example is not a JSON:API error document: {message}",
                        response.status,
                        example_related(example),
                    )


class JsonApiErrorStatusMatches(OperationRule):
    """Make `errors[].status` in an error example equal the response's status code.

    Why: JSON:API 1.1 ("Error Objects") defines `status` as the HTTP status code
    applicable to the problem; Commerce Layer's examples send `"422"` under 422
    (Commerce Layer, "Handling errors"). An example whose `status` says `"404"` under
    the 422 response was copied from elsewhere. Under a range key (`4XX`) the code must
    be in that range; under `default` any 4xx or 5xx code fits. A `status` that is not a
    string is reported by `jsonapi-error-example`. Examples are read as every ruleset reads
    them: an `example: {$ref: ...}` is followed, and the schema's own `example` counts
    when the body has none.

    Bad:
        "422":
          content:
            application/vnd.api+json:
              example:
                errors: [{status: "404", title: Record not found}]

    Good:
        "422":
          content:
            application/vnd.api+json:
              example:
                errors: [{status: "422", title: can't be blank}]
    """

    id = "jsonapi-error-status-matches"
    operation_kinds = EVERY_OPERATION
    default_severity = Severity.ERROR
    default_scope = JSONAPI_SCOPE

    def check(self, op: Operation, ctx: Context) -> Iterator[Problem]:
        for response, media in json_error_bodies(op):
            for example in body_examples(response, media):
                for index, status in _example_statuses(example.value):
                    if not _status_fits(status.value, response.status):
                        yield Problem(
                            status,
                            f'errors[{index}].status is "{status.value}" under the {response.status} '
                            f"response: it must be {_expected_status(response.status)}",
                            response.status,
                        )


def _example_statuses(example: Node) -> Iterator[tuple[int, Node]]:
    """(index, node) of each string ``errors[].status`` in an example."""
    errors = example.child("errors")
    if errors is None or not isinstance(errors.value, list):
        return
    for index in range(len(errors.value)):
        item = errors.child(index)
        status = item.child("status") if item is not None else None
        if status is not None and isinstance(status.value, str):
            yield index, status


def _status_fits(status: str, key: str) -> bool:
    if not (len(status) == 3 and status.isdigit()):
        return False
    upper = key.upper()
    if upper == "DEFAULT":
        return status[0] in "45"
    if upper.endswith("XX"):
        return status[0] == upper[0]
    return status == key


def _expected_status(key: str) -> str:
    upper = key.upper()
    if upper == "DEFAULT":
        return "a 4xx or 5xx code"
    if upper.endswith("XX"):
        return f"a {upper[0]}xx code"
    return f'"{key}"'


RULES = rules_defined_in(globals())
