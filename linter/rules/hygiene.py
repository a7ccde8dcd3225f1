"""Generic hygiene of documented responses (the ``recommended`` ruleset): client errors are
declared, error responses describe their body, and examples match their schemas."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from linter.model import Severity
from linter.rules.base import EVERY_OPERATION, Context, OperationRule, Problem, rules_defined_in
from linter.rules.examples import body_examples, example_related
from linter.rules.validation import SchemaValidators, is_json_media_type
from linter.spec.openapi import MediaType, Response

if TYPE_CHECKING:
    from linter.spec.openapi import Operation


class Operation4xxDeclared(OperationRule):
    """Every operation must declare at least one 4xx response.

    Why: every HTTP API answers some requests with a client error (RFC 9110 section
    15.5: a malformed request, a missing resource, missing credentials), and a client
    can only handle the errors it knows of. A `4XX` range key counts; `default` alone
    does not, because it says nothing about which failures are the client's to fix.

    Bad:
        responses:
          "200": {description: The pet}
          default: {description: Something went wrong}

    Good:
        responses:
          "200": {description: The pet}
          "404": {description: No such pet}
    """

    id = "operation-4xx-declared"
    default_severity = Severity.WARNING

    def check(self, op: Operation, ctx: Context) -> Iterator[Problem]:
        keys = {key.upper() for key in op.status_keys}
        if any(key.startswith("4") for key in keys):
            return
        hint = (
            " (`default` alone does not count: name the client errors or use 4XX)"
            if "DEFAULT" in keys
            else ""
        )
        yield Problem(op.anchor, f"{op} declares no 4xx response{hint}", "4XX")


class ErrorResponseContent(OperationRule):
    """Error responses must describe their body: content with a schema.

    Why: a client that gets a 4xx or 5xx needs to know what the body looks like to show
    or act on the error; a response with only a description leaves every SDK to guess.
    Applies to 4xx/5xx codes, `4XX`/`5XX` ranges and `default`. In 3.x each media type
    under `content` needs a `schema`; in 2.0 the response needs a `schema`. Responses
    to HEAD never have a body and are skipped. By default 401 and 403 may go without a
    body: they are often answered by a gateway or auth layer with only a
    `WWW-Authenticate` header, and RFC 9110 gives them meaning without one. Set
    `allow-empty: []` to require bodies on them too. A `default` that is the operation's
    success response (the operation declares no 1xx, 2xx or 3xx code: `default` then
    documents the answer to a request that works) is not an error response;
    `operation-4xx-declared` still asks such an operation for its client errors. Webhook and
    callback operations are checked too.

    Bad:
        responses:
          "404":
            description: Not found
          "500":
            description: Server error
            content:
              application/json: {}

    Good:
        responses:
          "404":
            description: Not found
            content:
              application/json:
                schema: {$ref: "#/components/schemas/Error"}
    """

    id = "error-response-content"
    operation_kinds = EVERY_OPERATION
    default_severity = Severity.WARNING

    @dataclass(frozen=True)
    class Options:
        allow_empty: tuple[str, ...] = field(
            default=("401", "403"),
            metadata={"help": "status keys whose responses may have no body (codes, 4XX ranges, default)"},
        )

    def check(self, op: Operation, ctx: Context) -> Iterator[Problem]:
        if op.method == "head":
            return
        allowed = {status.upper() for status in ctx.options.allow_empty}
        for response in op.error_responses():
            media_types = response.media_types()
            if not media_types and response.status.upper() not in allowed:
                yield Problem(response.node, _no_body_message(response), response.status)
            for media in media_types:
                if _lacks_schema(media):
                    yield Problem(
                        media.node or response.node,
                        f"{response.status} response: {media.name} has no schema describing the error body",
                        response.status,
                    )


def _lacks_schema(media: MediaType) -> bool:
    """No schema declared (a broken `$ref` counts as declared: ref-unresolved reports it)."""
    return media.schema is None and media.node is not None and media.node.child("schema") is None


def _no_body_message(response: Response) -> str:
    what = "a schema" if response.version == "2.0" else "content with a schema"
    return f"{response.status} error response has no body: give it {what} so clients can read the error"


class ResponseExampleValid(OperationRule):
    """Response examples must validate against the schema declared beside them.

    Why: examples are what readers copy and what mock servers return; an example that
    contradicts its schema (a string `status` where an integer is declared, a missing
    required member) misleads both, and usually means one of the two is out of date.
    Checked: `example` and `examples.*.value` of each 3.x media type, and each 2.0
    `examples` entry, against the schema as OpenAPI defines it (3.0 and 2.0 with
    `nullable`, 3.1 as JSON Schema 2020-12), following `$ref`s into every loaded file.
    Formats are not asserted. A string example under a non-JSON media type is a literal
    body (XML, CSV) and is not validated. An `example: {$ref: ...}` is followed, as
    bundlers do, and the finding lands on its target; a `value: {$ref: ...}` is followed
    too, and the finding lands on that `value`, the target in `related`. When a body has
    no example of its own, its schema's `example` is checked. The finding lands on the
    example and names the failing member; an example shared by several responses is
    reported once. Examples of webhook (3.1) and callback (3.x) operations are checked too.

    Bad:
        "422":
          description: Unprocessable
          content:
            application/json:
              schema: {type: object, required: [code], properties: {code: {type: integer}}}
              example: {code: "E42"}

    Good:
        "422":
          description: Unprocessable
          content:
            application/json:
              example: {code: 42}
              schema: {type: object, required: [code], properties: {code: {type: integer}}}
    """

    id = "response-example-valid"
    operation_kinds = EVERY_OPERATION
    default_severity = Severity.ERROR
    costly = True  # a compiled validator per schema: the costliest rule on big specs

    def check(self, op: Operation, ctx: Context) -> Iterator[Problem]:
        for response in op.responses:
            for media in response.media_types():
                if media.schema is None:
                    continue
                for example in body_examples(response, media):
                    if _is_literal_body(media, example.value.value):
                        continue
                    failure = SchemaValidators.of(ctx.spec, ctx.version).failure(media.schema, example.value)
                    if failure is not None:
                        yield Problem(
                            example.at,
                            f"{example.describe(response, media)} does not match its schema: {failure}",
                            response.status,
                            example_related(example),
                            f"the example does not match its schema: {failure}",
                        )


def _is_literal_body(media: MediaType, value: Any) -> bool:
    """A string example of a non-JSON media type is the serialized body itself, not data."""
    return isinstance(value, str) and not is_json_media_type(media.name)


RULES = rules_defined_in(globals())
