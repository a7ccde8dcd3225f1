"""Sales Layer rules on which error status codes an operation declares.

The rules on single codes (``saleslayer-400-declared``, ``-403-forbidden``, ...) are policies
of ``rulesets/saleslayer.yaml``; the conditions they need that are not declarative are
registered in :mod:`linter.vendors.saleslayer`. What stays here judges the declared codes as
a whole.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from linter.model import Severity
from linter.rules.base import Context, OperationRule, Problem
from linter.rules.saleslayer.vocabulary import DOCUMENTED_CODES
from linter.spec.openapi import STATUS_RE, Operation


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
