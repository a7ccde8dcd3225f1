"""Commerce Layer's status codes (the `commercelayer` ruleset, which extends `jsonapi`).

Source: Commerce Layer's "Handling errors" page, with its error examples and its
2xx table. Every rule here is a :class:`StatusRule`; the ruleset applies them (and the
JSON:API rules) to every operation, since every Commerce Layer endpoint speaks JSON:API.
405 is never required: declaring it is fine.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from linter.model import Severity
from linter.rules.base import Context, rules_defined_in
from linter.rules.status import StatusOptions, StatusRule
from linter.spec.openapi import WRITE_METHODS, Operation


def is_collection_post(op: Operation) -> bool:
    """A POST that creates a resource: its path has no id (`POST /skus`).

    Commerce Layer creates resources on top-level collections only; a POST under an id
    (`/memberships/{membershipId}/resend`) is an action on that resource.
    """
    return op.method == "post" and not op.is_id_path


def query_parameter_names(op: Operation) -> list[str]:
    return [p.name for p in op.parameters if p.location == "query"]


@dataclass(frozen=True)
class SecurityOptions(StatusOptions):
    secured_when_undeclared: bool = field(
        default=True,
        metadata={
            "help": "treat operations as secured when neither they nor the root declare `security` "
            "(every Commerce Layer call needs an access token); an explicit `security: []` stays public"
        },
    )


class CommerceLayer401Declared(StatusRule):
    """Declare 401 on every operation that needs an access token.

    Why: Commerce Layer answers 401 when "the access token was not present in the
    request, was expired, or didn't have enough permissions" (Commerce Layer, "Handling errors").
    An operation is secured when its effective `security` is non-empty. Every Commerce
    Layer call needs a token, yet a spec may say nothing about security: by default an
    operation counts as secured when neither it nor the root declares `security` (option
    `secured-when-undeclared`); only an explicit `security: []` (or `[{}]`) makes it public.

    Bad:
        security: [{bearerAuth: []}]
        paths:
          /skus:
            get:
              responses:
                "200": {$ref: "#/components/responses/Skus"}

    Good:
        security: [{bearerAuth: []}]
        paths:
          /skus:
            get:
              responses:
                "200": {$ref: "#/components/responses/Skus"}
                "401": {$ref: "#/components/responses/Unauthorized"}
    """

    id = "commercelayer-401-declared"
    default_severity = Severity.ERROR
    status = "401"
    Options = SecurityOptions

    def applies(self, op: Operation, ctx: Context) -> bool:
        return op.is_secured or (op.security is None and ctx.options.secured_when_undeclared)

    def why(self, op: Operation, ctx: Context) -> str:
        if op.is_secured:
            return "the operation needs an access token"
        return "no security is declared, and every Commerce Layer call needs an access token"


class CommerceLayer404Declared(StatusRule):
    """Declare 404 on every operation whose path has an id.

    Why: Commerce Layer answers 404 when "the requested resource was not found, often due
    to a wrong resource's ID" (Commerce Layer, "Handling errors", `RECORD_NOT_FOUND`). Any
    templated path segment (`/skus/{skuId}`, `/orders/{orderId}/line_items`) names a
    resource that may not exist.

    Bad:
        /skus/{skuId}:
          get:
            responses:
              "200": {$ref: "#/components/responses/Sku"}

    Good:
        /skus/{skuId}:
          get:
            responses:
              "200": {$ref: "#/components/responses/Sku"}
              "404": {$ref: "#/components/responses/NotFound"}
    """

    id = "commercelayer-404-declared"
    default_severity = Severity.ERROR
    status = "404"
    reason = "the id in the path may match no resource (RECORD_NOT_FOUND)"

    def applies(self, op: Operation, ctx: Context) -> bool:
        return op.is_id_path


class CommerceLayer422Declared(StatusRule):
    """Declare 422 on every write operation (POST, PUT, PATCH) with a request body.

    Why: Commerce Layer answers 422 when "the request body was well-formed but contains
    semantical errors, often due to validation constraints" (Commerce Layer, "Handling errors",
    `VALIDATION_ERROR` with `source.pointer`). Every body it validates can fail.

    Bad:
        /line_items/{lineItemId}:
          patch:
            requestBody: {content: {application/vnd.api+json: {schema: {$ref: "#/components/schemas/LineItemUpdate"}}}}
            responses:
              "200": {$ref: "#/components/responses/LineItem"}

    Good:
        /line_items/{lineItemId}:
          patch:
            requestBody: {content: {application/vnd.api+json: {schema: {$ref: "#/components/schemas/LineItemUpdate"}}}}
            responses:
              "200": {$ref: "#/components/responses/LineItem"}
              "422": {$ref: "#/components/responses/UnprocessableEntity"}
    """

    id = "commercelayer-422-declared"
    default_severity = Severity.ERROR
    status = "422"
    reason = "the request body is validated (VALIDATION_ERROR)"

    def applies(self, op: Operation, ctx: Context) -> bool:
        return op.method in WRITE_METHODS and op.has_body


class CommerceLayer400Declared(StatusRule):
    """Declare 400 on every operation with query parameters or a request body.

    Why: Commerce Layer answers 400 when "the request was unacceptable, often due to
    sending an unsupported parameter", and when the id in the body does not match the one
    in the URL (Commerce Layer, "Handling errors", `KEY_NOT_INCLUDED_IN_URL`). Any query
    parameter (`include`, `fields[...]`, `filter[...]`, `sort`, `page[...]` or another)
    and any body can be refused that way; a path parameter alone cannot (a wrong id is a
    404).

    Bad:
        /skus:
          get:
            parameters:
              - {name: include, in: query, schema: {type: string}}
            responses:
              "200": {$ref: "#/components/responses/Skus"}

    Good:
        /skus:
          get:
            parameters:
              - {name: include, in: query, schema: {type: string}}
            responses:
              "200": {$ref: "#/components/responses/Skus"}
              "400": {$ref: "#/components/responses/BadRequest"}
    """

    id = "commercelayer-400-declared"
    default_severity = Severity.ERROR
    status = "400"

    def applies(self, op: Operation, ctx: Context) -> bool:
        return op.has_body or bool(query_parameter_names(op))

    def why(self, op: Operation, ctx: Context) -> str:
        names = query_parameter_names(op)
        if names:
            return f"query parameters ({', '.join(names)}) can be unsupported or malformed"
        return "the body can be unacceptable (an id not matching the URL: KEY_NOT_INCLUDED_IN_URL)"


class CommerceLayer409Declared(StatusRule):
    """Declare 409 on every POST that creates a resource in a collection.

    Why: Commerce Layer answers 409 "Record not unique" when "the performed operation
    violates a unique constraint" (Commerce Layer, "Handling errors"). Creation is where a
    unique constraint (an SKU code, a customer email) is hit. A POST is a creation when
    its path has no id (`POST /skus`); a POST under an id (`/orders/{orderId}/_place`)
    is an action on that resource.

    Bad:
        /skus:
          post:
            responses:
              "201": {$ref: "#/components/responses/Sku"}

    Good:
        /skus:
          post:
            responses:
              "201": {$ref: "#/components/responses/Sku"}
              "409": {$ref: "#/components/responses/Conflict"}
    """

    id = "commercelayer-409-declared"
    default_severity = Severity.WARNING
    status = "409"
    reason = "creating a resource can violate a unique constraint (Record not unique)"

    def applies(self, op: Operation, ctx: Context) -> bool:
        return is_collection_post(op)


class CommerceLayer423Declared(StatusRule):
    """Declare 423 on every DELETE.

    Why: Commerce Layer answers 423 Locked when "the resource could not be deleted due to
    integrity constraints" (Commerce Layer, "Handling errors"), e.g. a market still used by
    orders.

    Bad:
        /markets/{marketId}:
          delete:
            responses:
              "204": {description: Deleted}

    Good:
        /markets/{marketId}:
          delete:
            responses:
              "204": {description: Deleted}
              "423": {$ref: "#/components/responses/Locked"}
    """

    id = "commercelayer-423-declared"
    default_severity = Severity.WARNING
    status = "423"
    reason = "integrity constraints can block the deletion (Locked)"

    def applies(self, op: Operation, ctx: Context) -> bool:
        return op.method == "delete"


class CommerceLayer429Declared(StatusRule):
    """Declare 429 on every operation.

    Why: Commerce Layer answers 429 when "you hit one of the rate limits"
    (Commerce Layer, "Handling errors"); every endpoint is rate limited, and clients need
    to know to back off and retry. A warning by default; the `commercelayer` ruleset makes
    it an error.

    Bad:
        /skus:
          get:
            responses:
              "200": {$ref: "#/components/responses/Skus"}

    Good:
        /skus:
          get:
            responses:
              "200": {$ref: "#/components/responses/Skus"}
              "429": {$ref: "#/components/responses/TooManyRequests"}
    """

    id = "commercelayer-429-declared"
    default_severity = Severity.WARNING
    status = "429"
    reason = "every endpoint is rate limited"


class CommerceLayer500Declared(StatusRule):
    """Declare 500 on every operation.

    Why: Commerce Layer lists 500 "Something went wrong on our end" among the codes every
    request may get (Commerce Layer, "Handling errors"); documenting it tells clients the
    error body is still a JSON:API error document.

    Bad:
        /skus:
          get:
            responses:
              "200": {$ref: "#/components/responses/Skus"}

    Good:
        /skus:
          get:
            responses:
              "200": {$ref: "#/components/responses/Skus"}
              "500": {$ref: "#/components/responses/InternalServerError"}
    """

    id = "commercelayer-500-declared"
    default_severity = Severity.WARNING
    status = "500"
    reason = "any request can fail on the server's side"


class CommerceLayer201Declared(StatusRule):
    """Declare 201 on every POST that creates a resource in a collection.

    Why: Commerce Layer's status table: 201 Created means "a new resource was created"
    (Commerce Layer, "Handling errors"); a creation documented as 200 misleads clients
    and generated SDKs about what comes back. A POST is a creation when its path has no
    id; a POST under an id is an action and may answer 200 or 202.

    Bad:
        /skus:
          post:
            responses:
              "200": {$ref: "#/components/responses/Sku"}

    Good:
        /skus:
          post:
            responses:
              "201": {$ref: "#/components/responses/Sku"}
    """

    id = "commercelayer-201-declared"
    default_severity = Severity.WARNING
    status = "201"
    reason = "a POST on a collection creates a resource (201 Created)"

    def applies(self, op: Operation, ctx: Context) -> bool:
        return is_collection_post(op)


class CommerceLayer204Declared(StatusRule):
    """Declare 204 on every DELETE.

    Why: Commerce Layer's status table: 204 No content means "an existing resource was
    deleted" (Commerce Layer, "Handling errors"); a DELETE documented as 200 promises a
    body that never comes.

    Bad:
        /skus/{skuId}:
          delete:
            responses:
              "200": {description: Deleted}

    Good:
        /skus/{skuId}:
          delete:
            responses:
              "204": {description: Deleted}
    """

    id = "commercelayer-204-declared"
    default_severity = Severity.WARNING
    status = "204"
    reason = "a deletion answers 204 No content"

    def applies(self, op: Operation, ctx: Context) -> bool:
        return op.method == "delete"


class CommerceLayer200Declared(StatusRule):
    """Declare 200 on every GET, and on every PATCH that updates a resource.

    Why: Commerce Layer's status table: 200 OK means "the request was successfully
    processed" (Commerce Layer, "Handling errors"); reads and updates return the resource
    with 200, so clients and SDK generators look for the body there. A PATCH updates a
    resource when its path ends with the id (`/skus/{skuId}`); a PATCH on a sub-path is
    an action (`/organizations/{organizationId}/transfer_ownership`) and may answer 202.

    Bad:
        /skus/{skuId}:
          patch:
            responses:
              "202": {$ref: "#/components/responses/Sku"}

    Good:
        /skus/{skuId}:
          patch:
            responses:
              "200": {$ref: "#/components/responses/Sku"}
    """

    id = "commercelayer-200-declared"
    default_severity = Severity.WARNING
    status = "200"
    reason = "reads and updates answer 200 OK"

    def applies(self, op: Operation, ctx: Context) -> bool:
        return op.method == "get" or (op.method == "patch" and op.ends_with_id)


RULES = rules_defined_in(globals())
