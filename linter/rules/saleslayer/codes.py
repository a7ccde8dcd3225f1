"""Sales Layer rules on which error status codes an operation declares (or must not declare)."""

from __future__ import annotations

import fnmatch
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, ClassVar

from linter.jsonvalue import excerpt
from linter.model import Severity
from linter.rules.base import Context, OperationRule, Problem
from linter.rules.saleslayer.vocabulary import (
    DOCUMENTED_CODES,
    IDENTIFIER_WORDS,
    PROTOCOL_HEADERS,
    WORD_RE,
    api_key_header_field,
)
from linter.rules.status import StatusOptions, StatusRule
from linter.spec.openapi import MUTATING_METHODS, STATUS_RE, Operation


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
        api_key_header: str = api_key_header_field()

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
            names.setdefault(param.location, []).append(excerpt(param.name))
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
            security: [{ApiKey: []}]
            responses:
              "200": {description: Products}
              "401": {$ref: "#/components/responses/Unauthorized"}

    Good:
        /rest/Catalog/Products:
          get:
            security: [{ApiKey: []}]
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
        return f"the resource named by query parameter {excerpt(name)} may not exist"


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
