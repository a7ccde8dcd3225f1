"""Problems -> findings: suppressions, deduplication of shared definitions, unused ignores.

The collector owns everything between what a rule yields and the finding a report shows:

* ``x-errlint-ignore`` suppressions on the root, path items, operations and responses
  (:func:`collect_suppressions`), and the ``unused-ignore`` findings for those that
  suppressed nothing (:func:`unused_ignore_findings`), and the ``ignore-rule-unknown``
  findings for entries whose rule id no rule has, or that name no rule at all
  (``- 42``, ``- {reason: x}``) (:func:`unknown_ignore_findings`);
* one finding per defect in a shared (``$ref``'d) definition, reported where it is defined,
  with the ``$ref`` sites that use it in ``related`` (at most :data:`MAX_RELATED`): one place
  (through YAML aliases and merge keys, the anchor's) and one defect (``Problem.defect``,
  whatever status or media type reached it) make one finding, whose status is the uses'
  common one, if any;
* ``internal-error`` findings for rules that crashed or ran out of time.
"""

from __future__ import annotations

import json
from collections.abc import Container, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from linter.jsonvalue import excerpt
from linter.model import Finding, Location, Related, Severity
from linter.resolve.resolver import Node, Site, SpecSet
from linter.rules.base import Problem
from linter.spec.openapi import Operation, iter_all_operations

if TYPE_CHECKING:
    from linter.check.helper import Record
    from linter.check.ruleset import Config

IGNORE_KEY = "x-errlint-ignore"
INTERNAL_ERROR = "internal-error"
UNUSED_IGNORE = "unused-ignore"
IGNORE_RULE_UNKNOWN = "ignore-rule-unknown"
#: related locations kept per finding: one per using operation, up to this many
MAX_RELATED = 50


@dataclass
class Suppression:
    """One ``x-errlint-ignore`` entry: the node it sits on, the rule id (or ``all``), and
    the entry's own place (``.../x-errlint-ignore/0``), where findings about it land."""

    site: Site
    rule: str
    used: bool = False
    entry: Site | None = None
    #: for an entry that names no rule (``- 42``, ``- {reason: x}``): what it holds, as
    #: JSON; its ``rule`` is ``""``, which matches no finding
    malformed: str | None = None


@dataclass
class _Pending:
    rule: str
    severity: Severity
    message: str
    site: Site
    status: str | None
    #: Problem.defect: the message when the uses' own messages differ
    defect: str | None = None
    #: dicts used as ordered sets (operations and related): a definition shared by 50,000
    #: operations made list membership tests quadratic
    operations: dict[str, None] = field(default_factory=dict)
    #: a dict used as an ordered set: a definition shared by hundreds of operations collects
    #: thousands of entries, and a list membership test made that quadratic
    related: dict[tuple[Site, str, str | None], None] = field(default_factory=dict)


class Collector:
    """Problems -> findings for one spec: suppressions applied, shared definitions reported once."""

    def __init__(self, spec: SpecSet, suppressions: list[Suppression]) -> None:
        self.spec = spec
        self.suppressions = suppressions
        self.pending: dict[tuple[str, int, tuple[str, ...], str], _Pending] = {}
        self.crashed: dict[str, _Pending] = {}

    def add(self, rule_id: str, severity: Severity, problem: Problem, op: Operation | None) -> None:
        origin, via = problem.origin()
        explained = problem.explained_sites()
        self.record(rule_id, severity, problem.message, problem.status, origin, via, op, explained, problem.defect)

    def record(
        self,
        rule_id: str,
        severity: Severity,
        message: str,
        status: str | None,
        origin: Site,
        via: tuple[Site, ...],
        op: Operation | None,
        explained: tuple[tuple[Site, str], ...] = (),
        defect: str | None = None,
    ) -> None:
        if _suppressed(self.suppressions, rule_id, op, status, origin):
            return
        use_site = _use_site(via, op)
        how = "uses the definition through this $ref"
        if use_site is None and op is not None and origin.doc.shares_values:
            prefix = origin.doc.use_pointer(origin.pointer)
            if prefix is not None:  # reached through a YAML alias or merge key: where it is used
                use_site, how = Site(origin.doc, prefix), "uses the definition through this YAML alias or merge key"
        origin = origin.written()  # one defect, one finding: where it is written, whatever the use
        key = (rule_id, id(origin.doc), origin.pointer, defect or message)
        entry = self.pending.get(key)
        if entry is None:
            entry = self.pending[key] = _Pending(rule_id, severity, message, origin, status, defect)
        elif entry.message != message and defect is not None:
            entry.message = defect
        # a shared definition reported for several operations takes the highest severity
        # that any of them (through per-operation overrides) gives the rule
        entry.severity = max(entry.severity, severity)
        if entry.status != status:  # a definition used under several statuses has no single one
            entry.status = None
        label = op.label if op is not None else None
        if label is not None:
            entry.operations.setdefault(label)
        if use_site is not None and len(entry.related) < MAX_RELATED:
            entry.related.setdefault((use_site, how, label))
        for site, what in explained[: MAX_RELATED - len(entry.related)]:
            entry.related.setdefault((site, what, None))

    def crash(self, rule_id: str, op: Operation | None, what: str, why: str) -> None:
        """Record the first failure of a rule: "rule 'x' <what>[ on GET /a]<why>"."""
        if rule_id not in self.crashed:
            where = f" on {op.label}" if op is not None else ""
            message = f"rule {excerpt(rule_id)} {what}{where}{why}"
            self.crashed[rule_id] = _Pending(
                INTERNAL_ERROR, Severity.ERROR, message, Site(self.spec.root, ()), None
            )

    def replay(self, records: Sequence[Record], operations: list[Operation]) -> bool:
        """Take the records a helper process sent (:mod:`linter.check.helper`), as if its rules
        had run here; False (and nothing taken for certain) when they name a file this process
        has not loaded or an operation it does not have."""
        from linter.check.helper import CrashRecord

        docs = self.spec.docs

        def site(where: tuple[str, tuple[str, ...]]) -> Site:
            return Site(docs[where[0]], where[1])

        def operation(index: int) -> Operation | None:
            if index >= len(operations):
                raise IndexError(index)
            return operations[index] if index >= 0 else None

        try:
            for record in records:
                if isinstance(record, CrashRecord):
                    self.crash(record.rule, operation(record.operation), record.what, record.why)
                    continue
                origin, via = site(record.origin), tuple(map(site, record.via))
                op = operation(record.operation)
                explained = tuple((site(where), what) for where, what in record.explained)
                self.record(
                    record.rule, record.severity, record.message, record.status, origin, via, op, explained,
                    record.defect,
                )
        except (KeyError, IndexError, ValueError, TypeError, AttributeError):
            return False
        return True

    def findings(self) -> list[Finding]:
        return [_finalise(entry) for entry in (*self.pending.values(), *self.crashed.values())]


def _use_site(via: tuple[Site, ...], op: Operation | None) -> Site | None:
    """The one ``$ref`` that names where an operation uses a shared definition: the first
    ``$ref`` written inside the operation itself (refs that lead to the operation don't count)."""
    if not via:
        return None
    own = len(op.node.via) if op is not None else 0
    return via[own] if own < len(via) else via[-1]


def site_location(site: Site) -> Location:
    """The reported location (display path, pointer, 1-based line and column) of ``site``."""
    line, column = site.position()
    return Location(site.doc.display, site.pointer, line, column)


def _finalise(entry: _Pending) -> Finding:
    operation = next(iter(entry.operations)) if len(entry.operations) == 1 else None
    related = tuple(
        Related(site_location(site), message, op_label) for site, message, op_label in entry.related
    )
    return Finding(
        entry.rule,
        entry.severity,
        entry.message,
        site_location(entry.site),
        operation,
        entry.status,
        related,
        entry.defect,
    )


# -- suppression ---------------------------------------------------------------------
def collect_suppressions(spec: SpecSet) -> list[Suppression]:
    """Every ``x-errlint-ignore`` on the root, path items, operations and responses (a
    response's own node and the shared definition it refers to), once per node and rule."""
    found: list[Suppression] = []
    root = spec.root_node()
    _read_ignores(root, found)
    for op in iter_all_operations(spec):
        for node in (op.path_item, op.node):
            _read_ignores(node, found)
        for response in op.responses:
            _read_ignores(response.node, found)
            if response.ref_node is not response.node:
                _read_ignores(response.ref_node, found)
    unique: dict[tuple[int, tuple[str, ...], str], Suppression] = {}
    for item in found:
        where = item.site if item.malformed is None else (item.entry or item.site)
        unique.setdefault((id(where.doc), where.pointer, item.rule), item)
    return list(unique.values())


def is_suppressed(suppressions: list[Suppression], rule_id: str, op: Operation, problem: Problem) -> bool:
    """Whether the engine would drop ``problem`` of ``rule_id`` on ``op`` (marks what matched as used)."""
    origin, _ = problem.origin()
    return _suppressed(suppressions, rule_id, op, problem.status, origin)


def unused_ignore_findings(suppressions: list[Suppression], skip: Container[int] = ()) -> list[Finding]:
    """An ``unused-ignore`` finding (info) at each suppression that matched no finding, at
    the entry's own line (``skip``: ``id()`` s of entries reported otherwise)."""
    return [
        Finding(
            UNUSED_IGNORE,
            Severity.INFO,
            f"x-errlint-ignore for {json.dumps(suppression.rule)} matches no finding",
            site_location(suppression.entry or suppression.site),
        )
        for suppression in suppressions
        if not suppression.used and id(suppression) not in skip and suppression.malformed is None
    ]


def unknown_ignore_findings(suppressions: list[Suppression], config: Config) -> dict[int, Finding]:
    """An ``ignore-rule-unknown`` finding (at the config's severity; none when it is off) for
    each entry whose rule id no rule has, at the entry's own line, with the closest id
    suggested; keyed by ``id(suppression)``."""
    from linter import registry
    from linter.errors import did_you_mean

    setting = config.rules.get(IGNORE_RULE_UNKNOWN)
    if not suppressions or setting is None or setting.severity is None:
        return {}
    known: set[str] | None = None
    found: dict[int, Finding] = {}
    for suppression in suppressions:
        if suppression.malformed is not None:
            found[id(suppression)] = Finding(
                IGNORE_RULE_UNKNOWN,
                setting.severity,
                "x-errlint-ignore entry names no rule: expected a rule id string or {rule: ID},"
                f" got {suppression.malformed}",
                site_location(suppression.entry or suppression.site),
            )
            continue
        if suppression.rule == "all" or suppression.rule in config.rules or suppression.rule in config.policies:
            continue
        if known is None:  # every registered rule: plugins and built-in rulesets' policies too
            from linter.rules.docs import builtin_policy_rulesets

            known = {*registry.rules(), *config.rules, *config.policies, *builtin_policy_rulesets()}
        if suppression.rule in known:
            continue
        message = f"x-errlint-ignore names {json.dumps(suppression.rule)}, which is no rule's id" + did_you_mean(
            suppression.rule, known
        )
        where = site_location(suppression.entry or suppression.site)
        found[id(suppression)] = Finding(IGNORE_RULE_UNKNOWN, setting.severity, message, where)
    return found


def _read_ignores(node: Node, found: list[Suppression]) -> None:
    if not isinstance(node.value, dict) or IGNORE_KEY not in node.value:
        return
    raw = node.value[IGNORE_KEY]
    entries = raw if isinstance(raw, list) else [raw]
    for index, entry in enumerate(entries):
        rule = entry.get("rule") if isinstance(entry, dict) else entry
        where = (*node.pointer, IGNORE_KEY, str(index)) if isinstance(raw, list) else (*node.pointer, IGNORE_KEY)
        if not isinstance(rule, str):
            found.append(
                Suppression(Site(node.doc, node.pointer), "", entry=Site(node.doc, where), malformed=_shown(entry))
            )
            continue
        if isinstance(entry, dict):
            where = (*where, "rule")
        found.append(Suppression(Site(node.doc, node.pointer), rule, entry=Site(node.doc, where)))


def _shown(value: object, limit: int = 60) -> str:
    """``value`` as compact JSON, cut to about ``limit`` characters."""
    text = json.dumps(value, default=str, separators=(", ", ": "))
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _suppressed(
    suppressions: list[Suppression], rule_id: str, op: Operation | None, status: str | None, origin: Site
) -> bool:
    if not suppressions:
        return False
    owners: list[Site] = [Site(origin.doc, ())]
    if op is not None:
        owners += [op.path_item.site, op.node.site]
        if status is not None:
            response = op.response(status)
            if response is not None:
                owners += [response.node.site, response.ref_node.site]
    else:
        owners.append(origin)
    hit = False
    for suppression in suppressions:
        if suppression.rule not in (rule_id, "all"):
            continue
        if any(
            suppression.site.doc is owner.doc and suppression.site.pointer == owner.pointer
            for owner in owners
        ) or _contains(suppression.site, origin):
            suppression.used = True
            hit = True
    return hit


def _contains(outer: Site, inner: Site) -> bool:
    return (
        outer.doc is inner.doc
        and inner.pointer[: len(outer.pointer)] == outer.pointer
        and bool(outer.pointer)
    )
