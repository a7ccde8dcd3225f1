"""Commerce Layer's access tokens as the ``secured-when-undeclared`` policy condition.

Source: Commerce Layer's "Handling errors" page: 401 when "the access token was not present
in the request, was expired, or didn't have enough permissions"; every Commerce Layer call
needs an access token, yet a spec may say nothing about ``security``. The
``commercelayer-401-declared`` policy (``rulesets/commercelayer.yaml``) counts such an
operation as secured, unless its option ``secured-when-undeclared`` is false; an explicit
``security: []`` (or ``[{}]``) stays public.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from linter.policies.conditions import Condition
from linter.spec.openapi import Operation
from linter.spec.scope import parse_flag


@dataclass(frozen=True)
class SecurityOptions:
    secured_when_undeclared: bool = field(
        default=True,
        metadata={
            "help": "treat operations as secured when neither they nor the root declare `security` "
            "(every Commerce Layer call needs an access token); an explicit `security: []` stays public"
        },
    )


def secured_when_undeclared(op: Operation, options: Any) -> bool:
    """Neither ``op`` nor the root declares ``security``, and the policy's option
    ``secured-when-undeclared`` (default true) counts that as secured."""
    return op.security is None and bool(getattr(options, "secured_when_undeclared", True))


SECURED_WHEN_UNDECLARED = Condition(
    "secured-when-undeclared",
    parse_flag("secured-when-undeclared"),
    lambda op, wanted, options: secured_when_undeclared(op, options) == wanted,
    options=SecurityOptions,
    help="neither the operation nor the root declares security, and the option secured-when-undeclared "
    "(default true) counts such an operation as secured",
)
