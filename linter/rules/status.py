"""Base class for rules that require or forbid one status code on the operations they apply to.

Every "N declared" / "N forbidden" rule of every ruleset is a :class:`StatusRule`, so the
coverage matrix and the autofix can ask any of them, per operation, what is expected
(:meth:`StatusRule.expectation`) without knowing the rule.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, ClassVar, Literal

from linter.rules.base import Context, OperationRule, Problem

if TYPE_CHECKING:
    from linter.spec.openapi import Operation

Kind = Literal["required", "forbidden"]


@dataclass(frozen=True)
class StatusOptions:
    allow_ranges: bool = field(default=False, metadata={"help": "a range key such as 4XX satisfies the rule"})
    allow_default: bool = field(default=False, metadata={"help": "a `default` response satisfies the rule"})


@dataclass(frozen=True, slots=True)
class Expectation:
    status: str
    kind: Kind
    rule: str
    reason: str


class StatusRule(OperationRule):
    """Subclasses set ``status``, ``kind`` and ``reason`` and may narrow :meth:`applies`."""

    status: ClassVar[str]
    kind: ClassVar[Kind] = "required"
    #: why the code is expected or forbidden, shown in the message (``"the page says ..."``)
    reason: ClassVar[str] = ""
    Options: ClassVar[type] = StatusOptions

    def applies(self, op: Operation, ctx: Context) -> bool:
        """Whether this operation needs (or must not have) the status, beyond the scope."""
        return True

    def why(self, op: Operation, ctx: Context) -> str:
        return self.reason

    def expectation(self, op: Operation, ctx: Context) -> Expectation | None:
        if not self.applies(op, ctx):
            return None
        return Expectation(self.status, self.kind, self.id, self.why(op, ctx))

    def expectations(self, op: Operation, ctx: Context) -> tuple[Expectation, ...]:
        """Every code this rule requires or forbids on ``op`` (a policy may name several)."""
        expectation = self.expectation(op, ctx)
        return () if expectation is None else (expectation,)

    def status_problems(self, op: Operation, ctx: Context) -> Iterator[Problem]:
        """The findings about declared or missing codes (what coverage and fix act on)."""
        return self.check(op, ctx)

    def check(self, op: Operation, ctx: Context) -> Iterator[Problem]:
        expectation = self.expectation(op, ctx)
        if expectation is None:
            return
        options = ctx.options
        allow_ranges = getattr(options, "allow_ranges", False)
        allow_default = getattr(options, "allow_default", False)
        declared = op.declares(self.status, ranges=allow_ranges, default=allow_default)
        reason = f": {expectation.reason}" if expectation.reason else ""
        if self.kind == "required" and not declared:
            yield Problem(op.anchor, f"{op} does not declare a {self.status} response{reason}", self.status)
        elif self.kind == "forbidden" and op.declares(self.status):
            response = op.responses_node.child(_key(op, self.status)) if op.responses_node else None
            yield Problem(response or op.anchor, f"{op} declares {self.status}{reason}", self.status)


def _key(op: Operation, status: str) -> str:
    for key in op.status_keys:
        if key.upper() == status.upper():
            return key
    return status
