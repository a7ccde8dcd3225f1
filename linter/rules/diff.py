"""Rules about how a spec changed since a git revision (``errlint lint --diff-base REF``).

Their findings come from the diff machinery in :mod:`linter.report.diffmode`, which sees both
versions; on a single file they find nothing. They are registered like every rule so
rulesets can set their severity or turn them off, and ``errlint explain`` documents them.
"""

from __future__ import annotations

from collections.abc import Iterator

from linter.model import Severity
from linter.resolve.resolver import SpecSet
from linter.rules.base import Context, DocumentRule, Problem, rules_defined_in


class ErrorResponseRemoved(DocumentRule):
    """An operation must not drop an error response it declared at the diff base.

    Why: clients, SDK generators and gateways are built against the declared error
    responses. When a 404, a 4XX range or a `default` response disappears from an
    operation that still exists, a client that handled it loses the contract: generated
    code drops the typed error, and reviewers rarely notice a deleted block in a large
    diff. Reported only in diff mode (`errlint lint --diff-base REF`), at the operation's
    `responses`; operations removed as a whole are not reported by this rule. Set it to
    `off` (or use an override for some paths) when the removal is intended.

    Bad:
        # at the diff base
        paths:
          /pets/{id}:
            get:
              responses:
                "200": {description: The pet}
                "404": {description: No such pet}
        ---
        # now: the 404 is gone
        paths:
          /pets/{id}:
            get:
              responses:
                "200": {description: The pet}

    Good:
        # at the diff base
        paths:
          /pets/{id}:
            get: {responses: {"200": {description: The pet}, "404": {description: No such pet}}}
        ---
        # now: the 404 is still declared (its description or schema may change)
        paths:
          /pets/{id}:
            get: {responses: {"200": {description: The pet}, "404": {description: No pet has this id}}}
    """

    id = "error-response-removed"
    default_severity = Severity.ERROR

    def check(self, spec: SpecSet, ctx: Context) -> Iterator[Problem]:
        """Nothing to see in one version of a spec: the diff machinery reports this rule."""
        return iter(())


RULES = rules_defined_in(globals())
