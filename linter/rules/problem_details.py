"""RFC 9457 problem details (the ``problem-details`` ruleset): error bodies are served as
``application/problem+json`` and have the problem details members with their types."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from linter.model import Severity
from linter.rules.base import EVERY_OPERATION, Context, OperationRule, Problem, rules_defined_in
from linter.rules.error_bodies import (
    ErrorBody,
    declared,
    example_finding,
    mismatched_examples,
    served_as_other,
    shape_problems,
)
from linter.rules.validation import is_json_media_type
from linter.spec.openapi import MediaType, Response

if TYPE_CHECKING:
    from linter.spec.openapi import Operation


def declared_body(status: str = "default") -> ErrorBody:
    """The problem details body ``rulesets/problem-details.yaml`` declares (``error-bodies``):
    its media types, and its members (RFC 9457 section 3.1) with their JSON types."""
    return declared("problem-details").body(status)


def member_types() -> dict[str, str]:
    """Each declared member and its JSON type (``status`` -> ``integer``)."""
    return {name: member["type"] for name, member in declared_body().schema["properties"].items()}


def _status_error_responses(op: Operation) -> list[Response]:
    """4xx/5xx codes and ranges, and ``default`` unless it is the operation's only (success)
    response (:meth:`~linter.spec.openapi.Operation.error_responses`), with a body declared."""
    return [response for response in op.error_responses() if response.has_content]


def problem_bodies(response: Response, media_types: tuple[str, ...]) -> tuple[list[MediaType], bool]:
    """(the bodies of ``response`` held to the problem details shape, whether one of its media
    types is a problem details type).

    The one reading both rules share: when a response offers a problem details type
    (``media_types``, by default ``application/problem+json``), that body is the problem, and
    alternatives beside it (``application/json`` for older clients, ``text/html``) are other
    representations chosen by content negotiation (RFC 9110 section 12), not held to RFC 9457;
    when it offers none, every body is taken for the error body.
    """
    accepted = {name.lower() for name in media_types}
    bodies = response.media_types()
    offered = [media for media in bodies if media.base in accepted]
    return (offered or bodies), bool(offered)


class ProblemDetailsMediaType(OperationRule):
    """Error response bodies must be served as `application/problem+json`.

    Why: RFC 9457 defines the `application/problem+json` media type so that clients can
    recognise a problem details body from the Content-Type alone and handle every error
    of every API the same way; `application/json` does not tell them. Applies to 4xx/5xx
    codes, `4XX`/`5XX` ranges and `default` that declare a body (a missing body is
    error-response-content's finding). Other media types may sit beside it (and are then
    not held to the problem shape by `problem-details-shape`). A `default` that is the
    operation's success response (the operation declares no 1xx, 2xx or 3xx) is not an
    error response. Webhook and callback operations are checked too.

    Bad:
        responses:
          "404":
            description: Not found
            content:
              application/json:
                schema: {$ref: "#/components/schemas/Problem"}

    Good:
        responses:
          "404":
            description: Not found
            content:
              application/problem+json:
                schema: {$ref: "#/components/schemas/Problem"}
    """

    id = "problem-details-media-type"
    operation_kinds = EVERY_OPERATION
    default_severity = Severity.WARNING

    @dataclass(frozen=True)
    class Options:
        media_types: tuple[str, ...] = field(
            default=declared_body().media_types,
            metadata={"help": "media types that count as problem details (add application/problem+xml)"},
        )

    def check(self, op: Operation, ctx: Context) -> Iterator[Problem]:
        for response in _status_error_responses(op):
            media_types, offered = problem_bodies(response, ctx.options.media_types)
            if not offered:
                yield served_as_other(response, media_types, ctx.options.media_types, "error response")


class ProblemDetailsShape(OperationRule):
    """Error response schemas and examples must have the shape of RFC 9457 problem details.

    Why: a problem details body is an object whose `type` (a URI reference), `title`,
    `status` (the HTTP status code, an integer), `detail` and `instance` (a URI
    reference) members mean the same thing in every API (RFC 9457 section 3.1), so one
    client routine can handle them all. Extra members are allowed (section 3.2). RFC
    9457 makes every member optional; this rule asks the schema to *declare* all five
    by default so clients know which ones to expect, but not to list them under
    `required`, and examples need only give them the right types. Narrow `members` to
    relax it, or set `require-in-schema: true` to also demand `required` (and the
    members in every example). Checked: the JSON media types of a 4xx/5xx, `4XX`/`5XX`
    or `default` response with a schema (a missing schema is error-response-content's
    finding). When the response offers `application/problem+json` (the `media-types`
    option, as in `problem-details-media-type`), only that body is held to the shape:
    alternatives beside it are other representations. A `default` that is the operation's
    success response (the operation declares no 1xx, 2xx or 3xx) is not an error
    response. Webhook and callback operations are checked too. In OpenAPI 3.1, members
    declared beside a `$ref` count (JSON Schema 2020-12); in 3.0 they are ignored.

    Bad:
        "400":
          description: Invalid request
          content:
            application/problem+json:
              schema: {type: object, properties: {title: {type: string}, status: {type: string}}}

    Good:
        "400":
          description: Invalid request
          content:
            application/problem+json:
              schema:
                type: object
                properties:
                  type: {type: string, format: uri-reference}
                  title: {type: string}
                  status: {type: integer}
                  detail: {type: string}
                  instance: {type: string, format: uri-reference}
    """

    id = "problem-details-shape"
    operation_kinds = EVERY_OPERATION
    default_severity = Severity.ERROR
    error_bodies = "problem-details"

    @dataclass(frozen=True)
    class Options:
        members: tuple[str, ...] = field(
            default=tuple(member_types()),
            metadata={"help": "members the error schema must declare (RFC 9457 makes all optional)"},
        )
        require_in_schema: bool = field(
            default=False,
            metadata={"help": "the members must also be listed in `required` and present in examples"},
        )
        media_types: tuple[str, ...] = field(
            default=declared_body().media_types,
            metadata={"help": "problem details media types: when one is offered, only it is checked"},
        )

    @classmethod
    def tailor_error_body(cls, schema: dict[str, Any], options: Any) -> dict[str, Any]:
        """The declared problem with the ``members`` option's members only (a member the
        declaration lacks is a string), all of them ``required`` under ``require-in-schema``."""
        declared = schema.get("properties", {})
        if tuple(declared) == options.members and not options.require_in_schema:
            return schema
        tailored = {key: value for key, value in schema.items() if key not in ("required", "properties")}
        if options.require_in_schema:
            tailored["required"] = list(options.members)
        elif "required" in schema:
            tailored["required"] = schema["required"]
        tailored["properties"] = {name: declared.get(name, {"type": "string"}) for name in options.members}
        return tailored

    def check(self, op: Operation, ctx: Context) -> Iterator[Problem]:
        options = ctx.options
        types = member_types()
        declared_members = _canonical(types, options.members)
        instance_schema = _canonical(types, options.members if options.require_in_schema else ())
        for response in _status_error_responses(op):
            body = declared_body(response.status)
            bodies, _ = problem_bodies(response, options.media_types)
            for media in bodies:
                if media.schema is None or not is_json_media_type(media.name):
                    continue
                yield from shape_problems(
                    media.schema,
                    declared_members,
                    body.label,
                    response.status,
                    strict_required=options.require_in_schema,
                )
                if not body.check_examples:
                    continue
                for example, messages in mismatched_examples(response, media, instance_schema):
                    subject = example.describe(response, media)
                    yield example_finding(
                        example, response.status, subject, "is not a problem details object", messages
                    )


def _canonical(types: dict[str, str], required: tuple[str, ...]) -> dict[str, Any]:
    """The JSON Schema of a problem details object (``types``: member -> JSON type) requiring ``required``."""
    return {
        "type": "object",
        "properties": {name: {"type": json_type} for name, json_type in types.items()},
        "required": list(required),
    }


RULES = rules_defined_in(globals())
