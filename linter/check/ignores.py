"""``x-errlint-ignore`` entries that name no rule: a typo there silently suppresses nothing."""

from __future__ import annotations

import json

from linter import registry
from linter.check.engine import Suppression, site_location
from linter.check.ruleset import Config
from linter.model import Finding
from linter.suggest import did_you_mean

RULE_ID = "ignore-rule-unknown"


def unknown_ignores(suppressions: list[Suppression], config: Config) -> dict[int, Finding]:
    """A finding of :data:`RULE_ID` (at the config's severity; none when it is off) for each
    entry whose rule id no rule has, at the entry's own line, keyed by ``id(suppression)``."""
    setting = config.rules.get(RULE_ID)
    if not suppressions or setting is None or not setting.enabled or setting.severity is None:
        return {}
    known: set[str] | None = None
    found: dict[int, Finding] = {}
    for suppression in suppressions:
        if suppression.rule == "all" or suppression.rule in config.rules or suppression.rule in config.policies:
            continue
        if known is None:  # every registered rule: plugins too (scanning them costs a little)
            known = {*registry.rules(), *config.rules, *config.policies}
        if suppression.rule in known:
            continue
        message = f"x-errlint-ignore names {json.dumps(suppression.rule)}, which is no rule's id" + did_you_mean(
            suppression.rule, known
        )
        where = site_location(suppression.entry or suppression.site)
        found[id(suppression)] = Finding(RULE_ID, setting.severity, message, where)
    return found
