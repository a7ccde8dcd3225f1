"""A policy as a rule: :func:`compile_policy` makes a :class:`PolicyRule` subclass whose id,
severity, scope and documentation are the policy's, so the engine, overrides,
``x-errlint-ignore``, baselines, every report format, ``coverage`` and ``fix`` treat it like
a built-in rule.

What it reports, per operation in scope:

* ``require``: a listed status the operation does not declare (at ``responses``);
* ``forbid``: a listed status it declares (at that status key);
* ``only``: a declared 4xx/5xx code or range that is not listed (``default`` is not judged);
* ``body``: a covered response that offers none of ``media-types``, lacks a listed header,
  whose JSON schema does not have the policy schema's shape (through ``$ref``, ``allOf``,
  ``oneOf``; :mod:`linter.rules.shapes`), or whose examples do not validate against it.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any, ClassVar

from linter.policies.conditions import _shown, option_fields
from linter.policies.model import BodyPolicy, Policy
from linter.rules.base import Context, Problem
from linter.rules.error_bodies import served_as_other
from linter.rules.examples import body_examples, example_related
from linter.rules.shapes import example_errors, match
from linter.rules.status import Expectation, StatusOptions, StatusRule
from linter.rules.validation import is_json_media_type
from linter.spec.openapi import MediaType, Response, is_error_status

if TYPE_CHECKING:
    from linter.spec.openapi import Operation


class PolicyRule(StatusRule):
    """Base of compiled policies (never registered itself)."""

    policy: ClassVar[Policy]
    status = ""

    def reason_for(self, op: Operation, ctx: Context) -> str | None:
        """The reason findings on ``op`` give, or None where ``when:`` rules ``op`` out."""
        policy = self.policy
        if not policy.when:
            return policy.reason
        for alternative in policy.when:
            if alternative.holds(op, ctx.options):
                return alternative.reason(op, ctx.options, policy.reason)
        return None

    def expectations(self, op: Operation, ctx: Context) -> tuple[Expectation, ...]:
        """The codes this policy requires or forbids on ``op`` (``only`` forbids, per
        operation, each declared error code it does not list)."""
        policy = self.policy
        reason = self.reason_for(op, ctx)
        if reason is None:
            return ()
        found = [Expectation(status, "required", self.id, reason) for status in policy.require]
        found += [Expectation(status, "forbidden", self.id, reason) for status in policy.forbid]
        found += [Expectation(key, "forbidden", self.id, reason) for key in self._not_allowed(op)]
        return tuple(found)

    def expectation(self, op: Operation, ctx: Context) -> Expectation | None:
        found = self.expectations(op, ctx)
        return found[0] if found else None

    def check(self, op: Operation, ctx: Context) -> Iterator[Problem]:
        reason = self.reason_for(op, ctx)
        if reason is None:
            return
        yield from self._status_problems(op, ctx, reason)
        if self.policy.body is not None:
            yield from self._body_problems(op, self.policy.body, reason)

    def status_problems(self, op: Operation, ctx: Context) -> Iterator[Problem]:
        """The findings of ``require``, ``forbid`` and ``only``."""
        reason = self.reason_for(op, ctx)
        if reason is None:
            return iter(())
        return self._status_problems(op, ctx, reason)

    def _status_problems(self, op: Operation, ctx: Context, why: str) -> Iterator[Problem]:
        policy = self.policy
        reason = f": {why}" if why else ""
        allow_ranges = getattr(ctx.options, "allow_ranges", False)
        allow_default = getattr(ctx.options, "allow_default", False)
        for status in policy.require:
            if not op.declares(status, ranges=allow_ranges, default=allow_default):
                yield Problem(op.anchor, f"{op} does not declare a {status} response{reason}", status)
        for status in policy.forbid:
            if op.declares(status):
                yield Problem(_status_node(op, status), f"{op} declares {status}{reason}", status)
        if policy.only is not None:
            allowed = ", ".join(policy.only) or "none"
            for key in self._not_allowed(op):
                yield Problem(
                    _status_node(op, key),
                    f"{op} declares {key}, which is not among the allowed codes ({allowed}){reason}",
                    key,
                )

    def _not_allowed(self, op: Operation) -> list[str]:
        only = self.policy.only
        if only is None:
            return []
        allowed = {status.upper() for status in only}
        return [
            key
            for key in op.status_keys
            if is_error_status(key)
            and key.upper() != "DEFAULT"
            and key.upper() not in allowed
            and f"{key[0]}XX".upper() not in allowed
        ]

    # -- body -------------------------------------------------------------------------
    def _body_problems(self, op: Operation, body: BodyPolicy, why: str) -> Iterator[Problem]:
        policy = self.policy
        reason = f": {why}" if why else ""
        label = f"policy {policy.id}"
        for response in op.responses:
            if not body.covers(response.status):
                continue
            yield from _header_problems(response, body, reason)
            media_types = response.media_types()
            if not media_types:
                continue
            if body.media_types and not any(media.base in body.media_types for media in media_types):
                yield served_as_other(response, media_types, body.media_types, why=reason)
            if body.schema is None:
                continue
            for media in media_types:
                if not _checked_media(media, body):
                    continue
                if media.schema is not None:
                    for issue in match(media.schema, body.schema, label):
                        yield Problem(issue.node, issue.message, response.status)
                if body.examples:
                    yield from _example_problems(response, media, body.schema, label)


def _checked_media(media: MediaType, body: BodyPolicy) -> bool:
    """The policy's media types when it lists any, else every JSON media type."""
    if body.media_types:
        return media.base in body.media_types and is_json_media_type(media.name)
    return is_json_media_type(media.name)


def _header_problems(response: Response, body: BodyPolicy, reason: str) -> Iterator[Problem]:
    if not body.headers:
        return
    headers = response.node.get("headers")
    declared = {name.lower() for name in headers.keys()} if headers is not None and headers.is_mapping else set()
    for header in body.headers:
        if header.lower() not in declared:
            yield Problem(
                response.node,
                f"{response.status} response does not declare the {header} header{reason}",
                response.status,
            )


def _example_problems(
    response: Response, media: MediaType, schema: dict[str, Any], label: str
) -> Iterator[Problem]:
    for example in body_examples(response, media):
        messages = "; ".join(example_errors(example.value.value, schema))
        if messages:
            yield Problem(
                example.at,
                f"{example.describe(response, media)} does not match the {label} schema: {messages}",
                response.status,
                example_related(example),
                f"the example does not match the {label} schema: {messages}",
            )


def _status_node(op: Operation, status: str) -> Any:
    responses = op.responses_node
    if responses is None:
        return op.anchor
    for key in op.status_keys:
        if key.upper() == status.upper():
            return responses.child(key) or op.anchor
    return op.anchor


def compile_policy(policy: Policy) -> type[PolicyRule]:
    """A rule class for ``policy``: its id, severity, scope, and a docstring built from its
    description, why, reference and examples (so ``errlint explain`` and SARIF help show them)."""
    name = "Policy_" + policy.id.replace("-", "_")
    members: dict[str, Any] = {
        "__doc__": documentation(policy),
        "__module__": __name__,
        "id": policy.id,
        "default_severity": policy.severity,
        "default_scope": policy.scope,
        "policy": policy,
    }
    extra = option_fields(policy.when)
    if extra:
        # the conditions' options join allow-ranges/allow-default, tunable under `rules:`
        # (make_dataclass takes module= from Python 3.12 only)
        options = dataclasses.make_dataclass("Options", extra, bases=(StatusOptions,), frozen=True)
        options.__module__ = __name__
        members["Options"] = options
    return type(name, (PolicyRule,), members)


def documentation(policy: Policy) -> str:
    """A rule docstring: summary line, the rest of the description, what the policy checks,
    ``Why:`` (with references), ``Bad:``/``Good:``."""
    description = policy.description.strip() or _summary(policy)
    summary, _, rest = description.partition("\n")
    parts = [summary.strip(), ""]
    if rest.strip():
        parts += [rest.strip(), ""]
    if policy.description.strip():
        parts += [f"Checks: {_summary(policy)}.", ""]
    why = " ".join(policy.why.split())
    if policy.reference:
        why = f"{why} See {', '.join(policy.reference)}." if why else f"See {', '.join(policy.reference)}."
    if why:
        parts += [f"Why: {why}", ""]
    for label, text in (("Bad", policy.bad), ("Good", policy.good)):
        if text.strip():
            parts.append(f"{label}:")
            parts += ["    " + line if line.strip() else "" for line in text.rstrip().splitlines()]
            parts.append("")
    return "\n".join(parts).rstrip() + "\n"


def _summary(policy: Policy) -> str:
    said = []
    if policy.require:
        said.append(f"requires {', '.join(policy.require)}")
    if policy.forbid:
        said.append(f"forbids {', '.join(policy.forbid)}")
    if policy.only is not None:
        said.append(f"allows only {', '.join(policy.only) or 'no specific'} error codes")
    body = policy.body
    if body is not None:
        what = []
        if body.media_types:
            what.append(" or ".join(body.media_types))
        if body.schema is not None:
            what.append("the policy's schema")
        if body.headers:
            what.append(f"headers {', '.join(body.headers)}")
        said.append(f"{', '.join(body.statuses)} responses use {', '.join(what) or 'a body'}")
    scope = ", ".join(f"{key} {_shown(value)}" for key, value in (policy.scope or {}).items())
    when = "; or ".join(alternative.text for alternative in policy.when)
    return "; ".join(said) + (f" (scope: {scope})" if scope else "") + (f" (when: {when})" if when else "")
