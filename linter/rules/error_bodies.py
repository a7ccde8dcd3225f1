"""What the body-shape rules share: the declared error body of their ruleset, the schema
check and the example check.

A ruleset declares its error bodies once (``error-bodies:`` in its YAML file, read by
:func:`linter.policies.error_bodies.declared`); the rules of ``saleslayer``, ``jsonapi`` and
``problem-details`` take their canonical schema, media types and label from there, and so
does ``errlint fix``. Examples are read as every rule reads them
(:func:`linter.rules.examples.body_examples`).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from linter.policies.error_bodies import ErrorBody, declared
from linter.resolve.resolver import Node
from linter.rules.base import Problem
from linter.rules.examples import Example, body_examples, example_related
from linter.rules.shapes import example_errors, match
from linter.spec.openapi import MediaType, Response

__all__ = [
    "ErrorBody", "declared", "example_finding", "mismatched_examples", "served_as_other", "shape_problems",
]  # fmt: skip


def served_as_other(
    response: Response,
    media_types: list[MediaType],
    wanted: tuple[str, ...],
    noun: str = "response",
    why: str = "",
) -> Problem:
    """The finding for a response whose body is offered only as ``media_types``, none of
    them ``wanted``: ``404 response is served as application/json, not application/problem+json``
    (``why`` appended), at the response."""
    served = ", ".join(media.name for media in media_types)
    return Problem(
        response.node,
        f"{response.status} {noun} is served as {served}, not {' or '.join(wanted)}{why}",
        response.status,
    )


def shape_problems(
    schema: Node,
    canonical: dict[str, Any],
    label: str,
    status: str,
    prefix: str = "",
    *,
    strict_required: bool = True,
) -> Iterator[Problem]:
    """What keeps ``schema`` from having the shape of ``canonical``, one problem per issue at
    the member concerned, its message after ``prefix`` (:func:`linter.rules.shapes.match`)."""
    for issue in match(schema, canonical, label, strict_required=strict_required):
        yield Problem(issue.node, f"{prefix}{issue.message}", status)


def mismatched_examples(
    response: Response, media: MediaType, canonical: dict[str, Any], *, forbidden_beside: str | None = None
) -> Iterator[tuple[Example, list[str]]]:
    """Each example of ``media`` that does not validate against ``canonical``, with the
    validator's messages, then (when ``forbidden_beside`` names the member they may not sit
    beside) one per member of the example that ``canonical``'s ``x-forbidden`` lists."""
    for example in body_examples(response, media):
        messages = example_errors(example.value.value, canonical)
        instance = example.value.value
        if forbidden_beside is not None and isinstance(instance, dict):
            messages += [
                f"{name}: must not appear beside {forbidden_beside}"
                for name in canonical.get("x-forbidden", ())
                if name in instance
            ]
        if messages:
            yield example, messages


def example_finding(
    example: Example, status: str, subject: str, verdict: str, messages: list[str]
) -> Problem:
    """``<subject> <verdict>: <messages>`` at the example; the defect apart from its use reads
    ``the example <verdict>: <messages>``."""
    text = "; ".join(messages)
    return Problem(
        example.at,
        f"{subject} {verdict}: {text}",
        status,
        example_related(example),
        f"the example {verdict}: {text}",
    )
