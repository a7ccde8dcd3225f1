"""Sales Layer rules on error bodies: the 400 ``validationFailures`` and 401 problem-details shapes."""

from __future__ import annotations

from collections.abc import Iterator
from typing import ClassVar

from linter.model import Severity
from linter.resolve.resolver import Node
from linter.rules.base import EVERY_OPERATION, Context, OperationRule, Problem
from linter.rules.error_bodies import (
    ErrorBody,
    declared,
    example_finding,
    mismatched_examples,
    shape_problems,
)
from linter.rules.shapes import flatten
from linter.rules.validation import is_json_media_type
from linter.spec.openapi import MediaType, Operation, Response


class _BodyShapeRule(OperationRule):
    """Base: the body of one declared status has the shape the ruleset's ``error-bodies``
    declare for that status (``rulesets/saleslayer.yaml``), and so do its examples."""

    operation_kinds = EVERY_OPERATION
    error_bodies = "saleslayer"

    status: ClassVar[str]
    #: what the response must carry, for the message when it carries nothing usable
    wanted_body: ClassVar[str]

    @classmethod
    def declared_body(cls) -> ErrorBody:
        """The error body ``rulesets/saleslayer.yaml`` declares for :attr:`status`."""
        return declared("saleslayer").body(cls.status)

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
        body = self.declared_body()
        if media.schema is None:
            yield Problem(
                media.node or response.node,
                f"{self.status} response body has no schema ({body.label} expected)",
                self.status,
            )
        else:
            prefix = f"{self.status} response body: "
            yield from shape_problems(media.schema, body.schema, body.label, self.status, prefix)
            yield from self.schema_problems(media.schema)
        if not body.check_examples:
            return
        for example, messages in mismatched_examples(response, media, body.example_schema(self.status)):
            subject = f"{self.status} {example.label}"
            yield example_finding(example, self.status, subject, f"does not match {body.label}", messages)


class SalesLayer400Shape(_BodyShapeRule):
    """Give every 400 a JSON body with `validationFailures`: field name -> list of messages.

    Why: the Sales Layer "Error responses" page documents the 400 body as
    `{"validationFailures": {"field": ["Validation message"]}}`; clients map each
    message to the offending field. The schema must require `validationFailures`,
    declare it as an object, and declare its values as arrays of strings
    (`additionalProperties`); examples must have that shape too.

    Bad:
        "400":
          description: Invalid request
          content:
            application/json:
              schema: {type: object, properties: {message: {type: string}}}

    Good:
        "400":
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
        "401":
          description: Missing or invalid API key
          content:
            text/plain:
              schema: {type: string}

    Good:
        "401":
          description: Missing or invalid API key
          content:
            application/problem+json:
              schema:
                type: object
                required: [type, title, status, detail, instance]
                properties:
                  type: {type: string}
                  title: {type: string}
                  status: {type: integer}
                  detail: {type: string}
                  instance: {type: string}
    """

    id = "saleslayer-401-shape"
    default_severity = Severity.ERROR
    status = "401"

    @property
    def wanted_body(self) -> str:  # type: ignore[override]
        return f"{self._media_types_text()} body"

    def _media_types_text(self) -> str:
        return " or ".join(self.declared_body().media_types)

    def accepts(self, media: MediaType) -> bool:
        return media.base in self.declared_body().media_types

    def media_type_problems(self, response: Response) -> Iterator[Problem]:
        for media in response.media_types():
            if not self.accepts(media):
                yield Problem(
                    media.node or response.node,
                    f"401 response media type {media.name} is not {self._media_types_text()}",
                    self.status,
                )
