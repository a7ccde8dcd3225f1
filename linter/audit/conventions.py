"""What a new shared error response looks like under the config's error convention (used by ``fix``).

For each status, in this order: the body of the first enabled policy whose ``body`` has a
schema and covers the status; else the body the ``error-bodies:`` in effect declare for it
(the config's, else the last ruleset's it extends: :mod:`linter.policies.error_bodies`), the
canonical body the built-in shape rules check, so a response ``fix`` writes passes them;
else the error schema most of the spec's error responses already use, if any.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from http import HTTPStatus
from typing import Any

from linter.check.ruleset import Config, RuleSetting, effective_settings
from linter.pointer import Pointer
from linter.resolve.resolver import Node, SpecSet
from linter.spec.openapi import iter_operations

#: status -> name of the shared response (``components/responses/<name>``)
RESPONSE_NAMES = {
    "400": "BadRequest",
    "401": "Unauthorized",
    "403": "Forbidden",
    "404": "NotFound",
    "405": "MethodNotAllowed",
    "406": "NotAcceptable",
    "409": "Conflict",
    "410": "Gone",
    "412": "PreconditionFailed",
    "413": "PayloadTooLarge",
    "415": "UnsupportedMediaType",
    "422": "UnprocessableEntity",
    "423": "Locked",
    "429": "TooManyRequests",
    "500": "InternalServerError",
    "501": "NotImplemented",
    "502": "BadGateway",
    "503": "ServiceUnavailable",
    "504": "GatewayTimeout",
    "4XX": "ClientError",
    "5XX": "ServerError",
    "DEFAULT": "Error",
}


def response_name(status: str) -> str:
    """``404`` -> ``NotFound``; codes without a table entry use the HTTP reason phrase."""
    upper = status.upper()
    if upper in RESPONSE_NAMES:
        return RESPONSE_NAMES[upper]
    try:
        phrase = HTTPStatus(int(upper)).phrase
    except ValueError:
        return f"Error{upper}"
    return "".join(word[:1].upper() + word[1:] for word in phrase.replace("-", " ").replace("'", "").split())


def description(status: str) -> str:
    upper = status.upper()
    if upper.isdigit():
        try:
            return HTTPStatus(int(upper)).phrase
        except ValueError:
            pass
    return {"4XX": "Client error", "5XX": "Server error"}.get(upper, "Error")


@dataclass(frozen=True)
class Body:
    """The body of a new shared response: a media type and a schema, either a new named
    schema (``schema_name`` + ``schema``) or one the spec already has (``existing``)."""

    media_type: str
    schema_name: str | None = None
    schema: dict[str, Any] | None = None
    existing: Node | None = None


@dataclass(frozen=True)
class Convention:
    name: str
    body_for: Callable[[str], Body | None]

    def body(self, status: str) -> Body | None:
        return self.body_for(status)


def convention_for(config: Config, spec: SpecSet) -> Convention:
    """The error convention of ``config`` for ``spec``: enabled policies' bodies, then the
    declared error bodies, then the spec's prevailing error body."""
    settings = {
        rule_id: setting
        for rule_id, setting in effective_settings(config, spec.root.display, None, None).items()
        if setting.enabled
    }
    fallback = _declared_convention(config, spec, settings)
    bodies = _policy_bodies(config, settings)
    if not bodies:
        return fallback

    def body_for(status: str) -> Body | None:
        for _, covers, body in bodies:
            if covers(status):
                return body
        return fallback.body(status)

    return Convention(", ".join(f"policy {policy_id}" for policy_id, _, _ in bodies), body_for)


def _policy_bodies(
    config: Config, settings: dict[str, RuleSetting]
) -> list[tuple[str, Callable[[str], bool], Body]]:
    """``(policy id, covers, body)`` of each enabled policy with a body schema, in config order:
    ``fix`` creates shared responses with the schema of the first policy that covers a code."""
    found = []
    for rule_id in settings:
        rule_class = config.policies.get(rule_id)
        policy = getattr(rule_class, "policy", None)
        body = getattr(policy, "body", None)
        if body is None or body.schema is None:
            continue
        name = body.component or "".join(part.capitalize() for part in rule_id.split("-"))
        media_type = body.media_types[0] if body.media_types else "application/json"
        found.append((rule_id, body.covers, Body(media_type, name, _publishable(body.schema))))
    return found


def _declared_convention(config: Config, spec: SpecSet, settings: dict[str, RuleSetting]) -> Convention:
    """The bodies ``config.error_bodies`` declare, each adapted to the options of the enabled
    rules that check that convention (:meth:`~linter.rules.base.Rule.tailor_error_body`: the
    JSON:API rules' ``required-members``, ``problem-details-shape``'s ``members``); a status
    they do not cover (or every status, without a declaration) gets the spec's prevailing
    error body."""
    prevailing: list[Body | None] = []

    def existing(status: str) -> Body | None:
        if not prevailing:
            prevailing.append(prevailing_error_body(spec))
        return prevailing[0]

    declared = config.error_bodies
    if declared is None:
        return Convention("generic", existing)
    checkers = [
        (rule_class, rule_class.make_options(setting.options))
        for rule_id, setting in settings.items()
        if (rule_class := config.rule_class(rule_id)).error_bodies == declared.name
    ]
    bodies = {}
    for body in declared.bodies:
        schema = body.schema
        for rule_class, options in checkers:
            schema = rule_class.tailor_error_body(schema, options)
        bodies[id(body)] = Body(body.media_type, body.component, _publishable(schema))

    def body_for(status: str) -> Body | None:
        body = declared.body_for(status)
        return bodies[id(body)] if body is not None else existing(status)

    return Convention(declared.name, body_for)


def _publishable(schema: Any) -> Any:
    """``schema`` as it may appear in a spec: without the checker-only ``x-`` keys (such as
    ``x-forbidden``) and without empty ``required`` lists, which OpenAPI 3.0 rejects."""
    if isinstance(schema, list):
        return [_publishable(item) for item in schema]
    if not isinstance(schema, dict):
        return schema
    return {
        key: _publishable(value)
        for key, value in schema.items()
        if not str(key).startswith("x-") and not (key == "required" and value == [])
    }


def _named(pointer: Pointer) -> bool:
    """A schema others can refer to: a whole file, or a member of a schemas/definitions map."""
    return not pointer or (len(pointer) >= 2 and pointer[-2] in ("schemas", "definitions"))


def prevailing_error_body(spec: SpecSet) -> Body | None:
    """The (media type, schema definition) most 4xx/5xx responses of ``spec`` use, if any
    of them refers to a named schema."""
    counts: Counter[tuple[str, int, Pointer]] = Counter()
    nodes: dict[tuple[str, int, Pointer], Node] = {}
    for op in iter_operations(spec):
        for response in op.error_responses():
            for media in response.media_types():
                schema = media.schema
                if schema is None or not schema.via or not _named(schema.pointer):
                    continue
                key = (media.base, id(schema.doc), schema.pointer)
                counts[key] += 1
                nodes[key] = schema
    if not counts:
        return None
    key = counts.most_common(1)[0][0]
    return Body(key[0], existing=nodes[key])
