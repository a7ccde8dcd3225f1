"""Sales Layer REST APIs (Catalog and DAM): the documented error vocabulary and its bodies.

Source: Sales Layer's "Error responses" page. Both API families share 400, 401, 404
and 500; 403 is documented for Catalog only and 409 for DAM only. A 400 body carries
``validationFailures`` (field name -> messages), a 401 body is a problem-details object.
Family detection (``x-api-family``, ``/rest/Catalog/`` or ``/rest/DAM/`` prefix, tag,
title) lives in :func:`linter.spec.scope.detect_family`; rules here use ``family`` scopes.
"""

from __future__ import annotations

import fnmatch
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, ClassVar

from linter.model import Severity
from linter.resolve.resolver import Node, Site, SpecSet
from linter.rules.base import EVERY_OPERATION, Context, DocumentRule, OperationRule, Problem
from linter.rules.examples import body_examples, example_related
from linter.rules.shapes import example_errors, flatten, match
from linter.rules.status import StatusOptions, StatusRule
from linter.rules.validation import is_json_media_type
from linter.spec.openapi import MUTATING_METHODS, STATUS_RE, MediaType, Operation, Response, iter_operations

API_KEY_HEADER = "X-API-KEY"
#: headers that never call for a 400: OpenAPI 3 ignores them as parameters, and a bad
#: value gets its own code (406 Accept, 415 Content-Type, 401 Authorization)
PROTOCOL_HEADERS = frozenset({"accept", "content-type", "authorization"})
DOCUMENTED_CODES = ("400", "401", "403", "404", "409", "500")
#: last word of a parameter name that names the resource it reads (`fileId`, `product_code`)
IDENTIFIER_WORDS = ("id", "name", "code", "key", "slug", "sku", "reference", "ref")
WORD_RE = re.compile(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+|\d+")

VALIDATION_FAILURES_LABEL = "Sales Layer validationFailures"
VALIDATION_FAILURES: dict[str, Any] = {
    "type": "object",
    "required": ["validationFailures"],
    "properties": {
        "validationFailures": {
            "type": "object",
            "additionalProperties": {"type": "array", "items": {"type": "string"}},
        }
    },
}
PROBLEM_DETAILS_LABEL = "Sales Layer problem details"
PROBLEM_DETAILS: dict[str, Any] = {
    "type": "object",
    "required": ["type", "title", "status", "detail", "instance"],
    "properties": {
        "type": {"type": "string", "format": "uri-reference"},
        "title": {"type": "string"},
        # `const` only binds examples: shapes.match reads types, not values
        "status": {"type": "integer", "const": 401},
        "detail": {"type": "string"},
        "instance": {"type": "string", "format": "uri-reference"},
    },
}
PROBLEM_MEDIA_TYPES = ("application/problem+json", "application/json")
PROBLEM_MEDIA_TYPES_TEXT = " or ".join(PROBLEM_MEDIA_TYPES)


def _api_key_header_field() -> Any:
    return field(
        default=API_KEY_HEADER,
        metadata={"help": "name of the API key header (compared case-insensitively)"},
    )


# -- status codes that must (or must not) be declared ------------------------------------
class SalesLayer400Declared(StatusRule):
    """Declare 400 on operations that take query, header or cookie parameters or a body.

    Why: Sales Layer answers 400 to malformed queries, invalid body fields, unsupported
    values and missing data (Sales Layer "Error responses" page). A path parameter
    alone does not call for 400: a wrong identifier is a 404. The API key header and
    Accept/Content-Type/Authorization headers do not count either.

    Bad:
        /rest/Catalog/Products:
          get:
            parameters:
              - {name: $filter, in: query, schema: {type: string}}
            responses:
              "200": {description: Products}

    Good:
        /rest/Catalog/Products:
          get:
            parameters:
              - {name: $filter, in: query, schema: {type: string}}
            responses:
              "200": {description: Products}
              "400": {$ref: "#/components/responses/BadRequest"}
    """

    id = "saleslayer-400-declared"
    default_severity = Severity.ERROR
    status = "400"

    @dataclass(frozen=True)
    class Options(StatusOptions):
        api_key_header: str = _api_key_header_field()

    def applies(self, op: Operation, ctx: Context) -> bool:
        return bool(_request_inputs(op, ctx.options.api_key_header))

    def why(self, op: Operation, ctx: Context) -> str:
        inputs = " and ".join(_request_inputs(op, ctx.options.api_key_header))
        return f"it takes {inputs}, which can be malformed or invalid"


def _request_inputs(op: Operation, api_key_header: str) -> list[str]:
    """What a client sends besides the path and the API key: parameters by location, then the body."""
    ignored_headers = PROTOCOL_HEADERS | {api_key_header.lower()}
    names: dict[str, list[str]] = {}
    for param in op.parameters:
        if param.location in ("query", "cookie") or (
            param.location == "header" and param.name.lower() not in ignored_headers
        ):
            names.setdefault(param.location, []).append(repr(param.name))
    inputs = [
        f"{location} parameter{'s' if len(found) > 1 else ''} {', '.join(found)}"
        for location, found in names.items()
    ]
    if op.has_body:
        inputs.append("a request body")
    return inputs


class SalesLayer401Declared(StatusRule):
    """Declare 401 on every secured operation.

    Why: Sales Layer answers 401 when the `X-API-KEY` header is missing, empty or
    invalid (Sales Layer "Error responses" page); clients need the documented
    problem-details body to tell a configuration error from other failures.

    Bad:
        security: [{ApiKey: []}]
        paths:
          /rest/Catalog/Products:
            get:
              responses:
                "200": {description: Products}

    Good:
        security: [{ApiKey: []}]
        paths:
          /rest/Catalog/Products:
            get:
              responses:
                "200": {description: Products}
                "401": {$ref: "#/components/responses/Unauthorized"}
    """

    id = "saleslayer-401-declared"
    default_severity = Severity.ERROR
    status = "401"
    reason = "the operation is secured, and a missing or invalid API key gets 401"

    def applies(self, op: Operation, ctx: Context) -> bool:
        return op.is_secured


class SalesLayer403Declared(StatusRule):
    """Declare 403 on secured Catalog operations.

    Why: the Sales Layer "Error responses" page documents 403 (authenticated but not
    allowed) in Catalog API operations. An operation without security cannot tell an
    authenticated client from another, so it is not asked for 403.

    Bad:
        /rest/Catalog/Products:
          get:
            responses:
              "200": {description: Products}
              "401": {$ref: "#/components/responses/Unauthorized"}

    Good:
        /rest/Catalog/Products:
          get:
            responses:
              "200": {description: Products}
              "401": {$ref: "#/components/responses/Unauthorized"}
              "403": {$ref: "#/components/responses/Forbidden"}
    """

    id = "saleslayer-403-declared"
    default_severity = Severity.WARNING
    default_scope: ClassVar[dict[str, Any] | None] = {"family": "catalog"}
    status = "403"
    reason = "Catalog operations document 403 for authenticated clients that are not allowed"

    def applies(self, op: Operation, ctx: Context) -> bool:
        return op.is_secured


class SalesLayer403Forbidden(StatusRule):
    """Do not declare 403 on DAM operations.

    Why: the Sales Layer "Error responses" page says "DAM API endpoints do not return
    403"; declaring it makes clients and generated SDKs handle a case that never
    happens, and hides that permission problems surface differently in DAM.

    Bad:
        /rest/DAM/files/{fileId}:
          get:
            responses:
              "200": {description: File}
              "403": {$ref: "#/components/responses/Forbidden"}

    Good:
        /rest/DAM/files/{fileId}:
          get:
            responses:
              "200": {description: File}
              "404": {$ref: "#/components/responses/NotFound"}
    """

    id = "saleslayer-403-forbidden"
    default_severity = Severity.ERROR
    default_scope: ClassVar[dict[str, Any] | None] = {"family": "dam"}
    status = "403"
    kind = "forbidden"
    reason = "DAM API endpoints do not return 403"


class SalesLayer404Declared(StatusRule):
    """Declare 404 on id paths and on reads of a resource named by a query parameter.

    Why: Sales Layer answers 404 when an identifier is wrong, the resource was deleted,
    or it is not available to the current account (Sales Layer "Error responses"
    page). That happens on every path with a templated segment, and on a GET or HEAD
    whose required query parameter names the resource (`fileId`, `name`, `code`).

    Bad:
        /rest/Catalog/Products/{productId}:
          get:
            responses:
              "200": {description: Product}

    Good:
        /rest/Catalog/Products/{productId}:
          get:
            responses:
              "200": {description: Product}
              "404": {$ref: "#/components/responses/NotFound"}
    """

    id = "saleslayer-404-declared"
    default_severity = Severity.ERROR
    status = "404"

    @dataclass(frozen=True)
    class Options(StatusOptions):
        identifier_words: tuple[str, ...] = field(
            default=IDENTIFIER_WORDS,
            metadata={
                "help": "a required query parameter of a GET/HEAD whose name ends in one of these "
                "words (camelCase, snake_case or kebab-case) names the resource read"
            },
        )

    def applies(self, op: Operation, ctx: Context) -> bool:
        return op.is_id_path or _naming_parameter(op, ctx.options.identifier_words) is not None

    def why(self, op: Operation, ctx: Context) -> str:
        if op.is_id_path:
            return "the identifier in the path can be wrong, deleted or not available to the account"
        name = _naming_parameter(op, ctx.options.identifier_words)
        return f"the resource named by query parameter {name!r} may not exist"


def _naming_parameter(op: Operation, identifier_words: tuple[str, ...]) -> str | None:
    """The required query parameter of a read that names the resource it reads, if any."""
    if op.method not in ("get", "head"):
        return None
    words = {w.lower() for w in identifier_words}
    for param in op.parameters:
        if param.location == "query" and param.node.value.get("required") is True:
            parts = WORD_RE.findall(param.name)
            if parts and parts[-1].lower() in words:
                return param.name
    return None


class SalesLayer409Declared(StatusRule):
    """Declare 409 on DAM operations that modify or delete a processed resource.

    Why: the Sales Layer "Error responses" page documents 409 in DAM operations, "for
    example when an image cannot be modified or deleted while it is being processed".
    The rule applies to PUT, PATCH, POST and DELETE on an id path whose path or tag
    matches the processed-resource patterns (images, files and assets by default).

    Bad:
        /rest/DAM/images/{imageId}:
          delete:
            responses:
              "204": {description: Deleted}

    Good:
        /rest/DAM/images/{imageId}:
          delete:
            responses:
              "204": {description: Deleted}
              "409": {$ref: "#/components/responses/Conflict"}
    """

    id = "saleslayer-409-declared"
    default_severity = Severity.ERROR
    default_scope: ClassVar[dict[str, Any] | None] = {"family": "dam"}
    status = "409"
    reason = "the resource can be in a conflicting state while it is being processed"

    @dataclass(frozen=True)
    class Options(StatusOptions):
        processed_paths: tuple[str, ...] = field(
            default=("*/images/*", "*/files/*", "*/assets/*"),
            metadata={"help": "path globs (case-insensitive) of resources that are processed"},
        )
        processed_tags: tuple[str, ...] = field(
            default=("images", "files", "assets"),
            metadata={"help": "tag globs (case-insensitive) of operations on processed resources"},
        )

    def applies(self, op: Operation, ctx: Context) -> bool:
        if op.method not in MUTATING_METHODS or not op.is_id_path:
            return False
        options = ctx.options
        return _any_glob(op.path, options.processed_paths) or any(
            _any_glob(tag, options.processed_tags) for tag in op.tags
        )


def _any_glob(text: str, patterns: tuple[str, ...]) -> bool:
    lowered = text.lower()
    return any(fnmatch.fnmatchcase(lowered, pattern.lower()) for pattern in patterns)


class SalesLayer409OutsideDam(StatusRule):
    """Do not declare 409 on Catalog operations.

    Why: the Sales Layer "Error responses" page documents 409 (state conflict) in DAM
    operations only; a 409 on a Catalog operation is outside the documented
    vocabulary, so clients have no documented meaning or retry policy for it.

    Bad:
        /rest/Catalog/Products/{productId}:
          patch:
            responses:
              "200": {description: Updated}
              "409": {$ref: "#/components/responses/Conflict"}

    Good:
        /rest/Catalog/Products/{productId}:
          patch:
            responses:
              "200": {description: Updated}
              "404": {$ref: "#/components/responses/NotFound"}
    """

    id = "saleslayer-409-outside-dam"
    default_severity = Severity.WARNING
    default_scope: ClassVar[dict[str, Any] | None] = {"family": "catalog"}
    status = "409"
    kind = "forbidden"
    reason = "409 is documented only for DAM operations"


class SalesLayer500Declared(StatusRule):
    """Declare 500 on every operation.

    Why: every Sales Layer operation can fail with an unexpected server-side error, and
    the "Error responses" page asks clients to retry it with bounded backoff; they can
    only do so if the spec documents it.

    Bad:
        /rest/DAM/files:
          get:
            responses:
              "200": {description: Files}

    Good:
        /rest/DAM/files:
          get:
            responses:
              "200": {description: Files}
              "500": {$ref: "#/components/responses/InternalServerError"}
    """

    id = "saleslayer-500-declared"
    default_severity = Severity.WARNING
    status = "500"
    reason = "any operation can fail with an unexpected server-side error"


# -- the vocabulary as a whole ------------------------------------------------------------
class SalesLayerUnknownStatus(OperationRule):
    """Declare only the documented 4xx/5xx codes: 400, 401, 403, 404, 409 and 500.

    Why: the Sales Layer "Error responses" page lists the error status codes the
    APIs return; another code (422, 429, 503, ...) is not part of that vocabulary,
    so clients have no documented meaning for it. Range keys (`4XX`) and `default`
    are not codes and are left alone.

    Bad:
        responses:
          "200": {description: Products}
          "422": {description: Unprocessable}

    Good:
        responses:
          "200": {description: Products}
          "400": {$ref: "#/components/responses/BadRequest"}
    """

    id = "saleslayer-unknown-status"
    default_severity = Severity.WARNING

    @dataclass(frozen=True)
    class Options:
        documented_codes: tuple[str, ...] = field(
            default=DOCUMENTED_CODES, metadata={"help": "the 4xx/5xx codes that are documented"}
        )

    def check(self, op: Operation, ctx: Context) -> Iterator[Problem]:
        responses = op.responses_node
        if responses is None:
            return
        documented = ctx.options.documented_codes
        for key in op.status_keys:
            if STATUS_RE.match(key) and key[0] in "45" and key not in documented:
                yield Problem(
                    responses.child(key) or op.anchor,
                    f"{key} is not a documented Sales Layer error code ({', '.join(documented)})",
                    key,
                )


# -- bodies -----------------------------------------------------------------------------
class _BodyShapeRule(OperationRule):
    """Base: the body of one declared status has a documented shape, and so do its examples."""

    operation_kinds = EVERY_OPERATION

    status: ClassVar[str]
    canonical: ClassVar[dict[str, Any]]
    convention: ClassVar[str]
    #: what the response must carry, for the message when it carries nothing usable
    wanted_body: ClassVar[str]

    def accepts(self, media: MediaType) -> bool:
        raise NotImplementedError

    def media_type_problems(self, response: Response) -> Iterator[Problem]:
        """Problems with the media types themselves; none unless a subclass says so."""
        return iter(())

    def schema_problems(self, schema: Node) -> Iterator[Problem]:
        """Checks beyond :func:`linter.rules.shapes.match`; none unless a subclass adds some."""
        return iter(())

    def check(self, op: Operation, ctx: Context) -> Iterator[Problem]:
        response = op.response(self.status)
        if response is None:
            return
        media_type_problems = list(self.media_type_problems(response))
        yield from media_type_problems
        bodies = [media for media in response.media_types() if self.accepts(media)]
        if not bodies and not media_type_problems:
            yield Problem(response.node, f"{self.status} response has no {self.wanted_body}", self.status)
        for media in bodies:
            yield from self._body_problems(response, media)

    def _body_problems(self, response: Response, media: MediaType) -> Iterator[Problem]:
        if media.schema is None:
            yield Problem(
                media.node or response.node,
                f"{self.status} response body has no schema ({self.convention} expected)",
                self.status,
            )
        else:
            for issue in match(media.schema, self.canonical, self.convention):
                yield Problem(issue.node, f"{self.status} response body: {issue.message}", self.status)
            yield from self.schema_problems(media.schema)
        for example in body_examples(response, media):
            messages = "; ".join(example_errors(example.value.value, self.canonical))
            if messages:
                yield Problem(
                    example.at,
                    f"{self.status} {example.label} does not match {self.convention}: {messages}",
                    self.status,
                    example_related(example),
                    f"the example does not match {self.convention}: {messages}",
                )


class SalesLayer400Shape(_BodyShapeRule):
    """Give every 400 a JSON body with `validationFailures`: field name -> list of messages.

    Why: the Sales Layer "Error responses" page documents the 400 body as
    `{"validationFailures": {"field": ["Validation message"]}}`; clients map each
    message to the offending field. The schema must require `validationFailures`,
    declare it as an object, and declare its values as arrays of strings
    (`additionalProperties`); examples must have that shape too.

    Bad:
        BadRequest:
          description: Invalid request
          content:
            application/json:
              schema:
                type: object
                properties:
                  message: {type: string}

    Good:
        BadRequest:
          description: Invalid request
          content:
            application/json:
              schema:
                type: object
                required: [validationFailures]
                properties:
                  validationFailures:
                    type: object
                    additionalProperties:
                      type: array
                      items: {type: string}
    """

    id = "saleslayer-400-shape"
    default_severity = Severity.ERROR
    status = "400"
    canonical = VALIDATION_FAILURES
    convention = VALIDATION_FAILURES_LABEL
    wanted_body = "JSON body with validationFailures"

    def accepts(self, media: MediaType) -> bool:
        return is_json_media_type(media.name)

    def schema_problems(self, schema: Node) -> Iterator[Problem]:
        failures = flatten(schema).properties.get("validationFailures")
        if failures is None:
            return
        flat = flatten(failures)
        # a non-object validationFailures is already reported by shapes.match
        if flat.types in (None, {"object"}) and flat.additional is None and not flat.properties:
            yield Problem(
                failures,
                "400 response body: validationFailures does not declare its values "
                "(additionalProperties: arrays of strings)",
                self.status,
            )


class SalesLayer401Shape(_BodyShapeRule):
    """Give every 401 a problem-details body as application/problem+json or application/json.

    Why: the Sales Layer "Error responses" page documents the 401 body as problem
    details: `type` (URI), `title`, `status` (integer), `detail` and `instance`. The
    schema must require all five with those types, other media types are not
    documented, and examples must match (with `status` 401).

    Bad:
        Unauthorized:
          description: Missing or invalid API key
          content:
            text/plain:
              schema: {type: string}

    Good:
        Unauthorized:
          description: Missing or invalid API key
          content:
            application/problem+json:
              schema: {$ref: "#/components/schemas/Problem"}
    """

    id = "saleslayer-401-shape"
    default_severity = Severity.ERROR
    status = "401"
    canonical = PROBLEM_DETAILS
    convention = PROBLEM_DETAILS_LABEL
    wanted_body = f"{PROBLEM_MEDIA_TYPES_TEXT} body"

    def accepts(self, media: MediaType) -> bool:
        return media.base in PROBLEM_MEDIA_TYPES

    def media_type_problems(self, response: Response) -> Iterator[Problem]:
        for media in response.media_types():
            if not self.accepts(media):
                yield Problem(
                    media.node or response.node,
                    f"401 response media type {media.name} is not {PROBLEM_MEDIA_TYPES_TEXT}",
                    self.status,
                )


# -- the document -------------------------------------------------------------------------
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

    Good:
        components:
          securitySchemes:
            ApiKey: {type: apiKey, in: header, name: X-API-KEY}
        security: [{ApiKey: []}]
    """

    id = "saleslayer-api-key-scheme"
    default_severity = Severity.WARNING

    @dataclass(frozen=True)
    class Options:
        api_key_header: str = _api_key_header_field()

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


RULES = (
    SalesLayer400Declared,
    SalesLayer400Shape,
    SalesLayer401Declared,
    SalesLayer401Shape,
    SalesLayer403Declared,
    SalesLayer403Forbidden,
    SalesLayer404Declared,
    SalesLayer409Declared,
    SalesLayer409OutsideDam,
    SalesLayer500Declared,
    SalesLayerUnknownStatus,
    SalesLayerApiKeyScheme,
)
