"""RFC 9457 problem details (the ``problem-details`` ruleset): error bodies are served as
``application/problem+json`` and have the problem details members with their types."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from linter.model import Severity
from linter.rules.base import Context, OperationRule, Problem, rules_defined_in
from linter.rules.shapes import example_errors, match
from linter.rules.validation import example_value, is_json_media_type
from linter.spec.openapi import MediaType, Response

if TYPE_CHECKING:
    from linter.spec.openapi import Operation

PROBLEM_MEDIA_TYPE = "application/problem+json"
#: RFC 9457 section 3.1: the members and their JSON types
PROBLEM_MEMBERS = {
    "type": "string",
    "title": "string",
    "status": "integer",
    "detail": "string",
    "instance": "string",
}
LABEL = "the problem-details ruleset"


def _status_error_responses(op: Operation) -> list[Response]:
    """4xx/5xx codes and ranges, and ``default``, with a body declared."""
    return [response for response in op.error_responses() if response.has_content]


class ProblemDetailsMediaType(OperationRule):
    """Error response bodies must be served as `application/problem+json`.

    Why: RFC 9457 defines the `application/problem+json` media type so that clients can
    recognise a problem details body from the Content-Type alone and handle every error
    of every API the same way; `application/json` does not tell them. Applies to 4xx/5xx
    codes, `4XX`/`5XX` ranges and `default` that declare a body (a missing body is
    error-response-content's finding). Other media types may sit beside it.

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
    default_severity = Severity.WARNING

    @dataclass(frozen=True)
    class Options:
        media_types: tuple[str, ...] = field(
            default=(PROBLEM_MEDIA_TYPE,),
            metadata={"help": "media types that count as problem details (add application/problem+xml)"},
        )

    def check(self, op: Operation, ctx: Context) -> Iterator[Problem]:
        accepted = {name.lower() for name in ctx.options.media_types}
        for response in _status_error_responses(op):
            media_types = response.media_types()
            if not any(media.base in accepted for media in media_types):
                served = ", ".join(media.name for media in media_types)
                yield Problem(
                    response.node,
                    f"{response.status} error response is served as {served},"
                    f" not {' or '.join(ctx.options.media_types)}",
                    response.status,
                )


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
    members in every example). Checked: every JSON media type of a 4xx/5xx, `4XX`/`5XX`
    or `default` response with a schema (a missing schema is error-response-content's
    finding).

    Bad:
        "400":
          description: Invalid request
          content:
            application/problem+json:
              schema:
                type: object
                properties:
                  title: {type: string}
                  status: {type: string}

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
    default_severity = Severity.ERROR

    @dataclass(frozen=True)
    class Options:
        members: tuple[str, ...] = field(
            default=tuple(PROBLEM_MEMBERS),
            metadata={"help": "members the error schema must declare (RFC 9457 makes all optional)"},
        )
        require_in_schema: bool = field(
            default=False,
            metadata={"help": "the members must also be listed in `required` and present in examples"},
        )

    def check(self, op: Operation, ctx: Context) -> Iterator[Problem]:
        options = ctx.options
        declared = _canonical(options.members)
        instance_schema = _canonical(options.members if options.require_in_schema else ())
        for response in _status_error_responses(op):
            for media in response.media_types():
                if media.schema is None or not is_json_media_type(media.name):
                    continue
                for issue in match(media.schema, declared, LABEL, strict_required=options.require_in_schema):
                    yield Problem(issue.node, issue.message, response.status)
                yield from _example_problems(response, media, instance_schema)


def _example_problems(response: Response, media: MediaType, canonical: dict[str, Any]) -> Iterator[Problem]:
    """Examples of ``media`` that are not problem details objects: wrong member types, missing members."""
    for label, written in media.examples():
        example = example_value(written)
        if example is None:
            continue
        messages = example_errors(example.value, canonical)
        if messages:
            yield Problem(
                example,
                f"{response.status} {media.name} {label} is not a problem details object: "
                + "; ".join(messages),
                response.status,
            )


def _canonical(required: tuple[str, ...]) -> dict[str, Any]:
    """The JSON Schema of a problem details object requiring ``required``."""
    return {
        "type": "object",
        "properties": {name: {"type": json_type} for name, json_type in PROBLEM_MEMBERS.items()},
        "required": list(required),
    }


RULES = rules_defined_in(globals())
