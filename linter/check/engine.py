"""Run the configured rules over one loaded spec and turn their problems into findings.

The engine owns everything rules must not do: scopes and per-path overrides,
severities, ``x-errlint-ignore`` suppressions, positions, deduplication of defects in
shared (``$ref``'d) definitions, containment of crashing rules, and ordering.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import partial
from typing import Any, Protocol

from linter import fastpath, registry
from linter.check.helper import start as offload_start
from linter.check.ruleset import Config, RuleSetting, effective_settings
from linter.check.watchdog import DEFAULT_RULE_TIMEOUT, RuleTimeout, Watchdog
from linter.model import Finding, Location, Related, Severity
from linter.resolve.resolver import Node, Site, SpecSet
from linter.rules.base import Context, DocumentRule, OperationRule, Problem, Rule
from linter.spec.openapi import Operation, iter_all_operations, spec_version
from linter.spec.scope import Scope

IGNORE_KEY = "x-errlint-ignore"
#: specs (their root file) at least this big run their ``costly`` rules in a helper process
#: when the engine may use two: below it, forking and sending results back cost more than
#: the rules (measured: the GitHub REST spec, 13 MB, saves 0.15 s of 0.75 s)
OFFLOAD_MIN_BYTES = 2_000_000
INTERNAL_ERROR = "internal-error"
#: related locations kept per finding: one per using operation, up to this many
MAX_RELATED = 50


@dataclass
class Suppression:
    site: Site
    rule: str
    used: bool = False


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


@dataclass(frozen=True, slots=True)
class ScopedRule:
    """An enabled operation rule that applies to one operation, ready to be asked."""

    rule_id: str
    rule: OperationRule
    severity: Severity
    ctx: Context


@dataclass
class EngineResult:
    findings: list[Finding]
    suppressions: list[Suppression]
    internal_errors: int
    operations: int


class Engine:
    """Runs ``config``'s rules; ``rules`` adds rule classes by id beside the registered ones
    (for library callers and tests that define a rule without an entry point)."""

    def __init__(
        self,
        config: Config,
        *,
        raise_errors: bool = False,
        rules: Mapping[str, type[Rule]] | None = None,
        rule_timeout: float | None = DEFAULT_RULE_TIMEOUT,
        workers: int = 1,
    ) -> None:
        self.config = config
        #: processes one spec may use: with 2 or more, the costliest rules run in a helper
        #: process on big specs (see :mod:`linter.check.helper`)
        self.workers = workers
        self.raise_errors = raise_errors
        self.rule_timeout = rule_timeout
        self._classes: dict[str, type[Rule]] = dict(rules or {})
        self._instances: dict[str, Rule] = {}
        self._options: dict[tuple[str, str], Any] = {}

    # -- rule plumbing -------------------------------------------------------------
    def _rule(self, rule_id: str) -> Rule:
        if rule_id not in self._instances:
            rule_class = (
                self._classes.get(rule_id) or self.config.policies.get(rule_id) or registry.rule(rule_id)
            )
            self._instances[rule_id] = rule_class()
        return self._instances[rule_id]

    def _context(self, rule: Rule, setting: RuleSetting, spec: SpecSet) -> Context:
        key = (rule.id, repr(sorted(setting.options.items())))
        if key not in self._options:
            self._options[key] = type(rule).make_options(setting.options)
        return Context(spec, self._options[key], spec_version(spec.root.data))

    # -- running -------------------------------------------------------------------
    def run(self, spec: SpecSet) -> EngineResult:
        """All findings of the enabled rules on ``spec``; each rule gets ``rule_timeout`` seconds
        in all on it (see :mod:`linter.check.watchdog`). A spec whose ``$ref``s have not all been
        visited yet (``load_spec(..., load_all=False)``) is completed here, after a helper
        process, if any, has started: the helper resolves what it meets, as it meets it."""
        watchdog = Watchdog(self.rule_timeout)
        with watchdog.armed():
            return self._run(spec, watchdog)

    def _run(self, spec: SpecSet, watchdog: Watchdog) -> EngineResult:
        settings = effective_settings(self.config, spec.root.display, None, None)
        has_operation_rules = bool(self.config.overrides or self._operation_rules(settings))
        offloaded = self._offloadable(spec, settings)
        # the helper starts first: what it does is the longest part of the run
        helper = offload_start(partial(self._offloaded_records, spec, settings, offloaded)) if offloaded else None
        if not spec.loaded_all:
            spec.load_all()
        suppressions = _collect_suppressions(spec)
        operations = list(iter_all_operations(spec)) if has_operation_rules else []
        try:
            skipped = offloaded if helper is not None else frozenset()
            own = _Collector(spec, suppressions)
            self._execute(spec, settings, operations, watchdog, own, lambda rule_id: rule_id not in skipped)
            # positions of this share are found while the helper still works on its own
            findings = own.findings()
            crashes = len(own.crashed)
            if helper is not None:
                records, helper = helper.result(), None
                rest = _Collector(spec, suppressions)
                if records is None or not rest.replay(records, operations):
                    rest = _Collector(spec, suppressions)
                    self._execute(spec, settings, operations, watchdog, rest, offloaded.__contains__)
                findings += rest.findings()
                crashes += len(rest.crashed)
        finally:
            if helper is not None:
                helper.cancel()
        findings.sort(key=Finding.sort_key)
        return EngineResult(findings, suppressions, crashes, len(operations))

    def _execute(
        self,
        spec: SpecSet,
        settings: dict[str, RuleSetting],
        operations: list[Operation],
        watchdog: Watchdog,
        sink: _Sink,
        included: Callable[[str], bool],
    ) -> None:
        """Run the enabled rules that ``included`` accepts, in order, into ``sink``."""

        def guarded(rule: Rule, check: Callable[[], Iterable[Problem]], op: Operation | None) -> Iterator[Problem]:
            # ``check`` is called inside the try: a rule whose check() raises before its first
            # yield (or is not a generator at all) is contained like any other.
            if watchdog.spent(rule.id):
                return
            try:
                yield from watchdog.timed(rule.id, check)
            except RuleTimeout:
                if self.raise_errors:
                    raise
                sink.crash(rule.id, op, f"ran out of its {watchdog.budget:g} s time budget", " (--rule-timeout)")
            except Exception as exc:
                if self.raise_errors:
                    raise
                sink.crash(rule.id, op, "crashed", f": {type(exc).__name__}: {exc}")

        for rule_id, setting in settings.items():
            if setting.severity is None or not included(rule_id):
                continue
            rule = self._rule(rule_id)
            if isinstance(rule, DocumentRule):
                ctx = self._context(rule, setting, spec)
                for problem in guarded(rule, partial(rule.check, spec, ctx), None):
                    sink.add(rule_id, setting.severity, problem, None)
        for op in operations:
            for scoped in self.rules_for(op):
                if not included(scoped.rule_id):
                    continue
                check = partial(scoped.rule.check, op, scoped.ctx)
                for problem in guarded(scoped.rule, check, op):
                    sink.add(scoped.rule_id, scoped.severity, problem, op)

    # -- a helper process for the costliest rules on big specs -----------------------
    def _offloadable(self, spec: SpecSet, settings: dict[str, RuleSetting]) -> frozenset[str]:
        """The enabled rules worth running in a helper process on ``spec``: none unless
        ``workers`` allows a second process and the spec is big enough to pay for it."""
        if self.workers < 2 or self.raise_errors or not fastpath.enabled() or spec.options.allow_remote:
            return frozenset()
        if len(spec.root.source) < OFFLOAD_MIN_BYTES:
            return frozenset()
        return frozenset(
            rule_id
            for rule_id, setting in settings.items()
            if setting.severity is not None and self._rule(rule_id).costly
        )

    def _offloaded_records(
        self, spec: SpecSet, settings: dict[str, RuleSetting], rules: frozenset[str]
    ) -> list[_Record]:
        """In the helper: the problems of ``rules``, as plain records for :meth:`_Collector.replay`
        (operations by their index in document order, the same in both processes)."""
        operations = list(iter_all_operations(spec))
        recorder = _Recorder(spec, operations)
        watchdog = Watchdog(self.rule_timeout)
        with watchdog.armed():
            self._execute(spec, settings, operations, watchdog, recorder, rules.__contains__)
        return recorder.records

    # -- for callers that ask rules questions without running them (coverage, fix) ---
    def rules_for(self, op: Operation) -> Iterator[ScopedRule]:
        """The enabled operation rules that apply to ``op``: overrides, severity and scope
        decided exactly as :meth:`run` decides them."""
        display = op.spec.root.display
        method, path = (op.method, op.path) if self._has_path_overrides() else (None, None)
        for rule_id, setting in effective_settings(self.config, display, method, path).items():
            if setting.severity is None:
                continue
            rule = self._rule(rule_id)
            if not isinstance(rule, OperationRule) or op.kind not in rule.operation_kinds:
                continue
            scope = setting.scope if setting.scope is not None else rule.default_scope
            if scope and not _scope(scope).matches(op):
                continue
            yield ScopedRule(rule_id, rule, setting.severity, self._context(rule, setting, op.spec))

    def _operation_rules(self, settings: dict[str, RuleSetting]) -> list[str]:
        return [
            rule_id
            for rule_id, setting in settings.items()
            if setting.severity is not None and isinstance(self._rule(rule_id), OperationRule)
        ]

    def _has_path_overrides(self) -> bool:
        return any(o.paths for o in self.config.overrides)


class _Sink(Protocol):
    """Where :meth:`Engine._execute` puts what the rules say."""

    def add(self, rule_id: str, severity: Severity, problem: Problem, op: Operation | None) -> None: ...

    def crash(self, rule_id: str, op: Operation | None, what: str, why: str) -> None: ...


#: a problem or crash, as plain data: ("problem", rule, severity, message, status, (doc key,
#: pointer), ((doc key, pointer), ...) via, operation index or -1, (((doc key, pointer), what),
#: ...) explained, defect or None) or ("crash", rule, operation index or -1, what, why)
_Record = tuple[Any, ...]


class _Collector:
    """Problems -> findings: suppressions applied, shared definitions reported once."""

    def __init__(self, spec: SpecSet, suppressions: list[Suppression]) -> None:
        self.spec = spec
        self.suppressions = suppressions
        self.pending: dict[tuple[str, int, tuple[str, ...], str], _Pending] = {}
        self.crashed: dict[str, _Pending] = {}

    def add(self, rule_id: str, severity: Severity, problem: Problem, op: Operation | None) -> None:
        origin, via = _origin(problem.at)
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
        use_site = _use_site(via, op)
        if use_site is not None and len(entry.related) < MAX_RELATED:
            entry.related.setdefault((use_site, "uses the definition through this $ref", label))
        for site, what in explained[: MAX_RELATED - len(entry.related)]:
            entry.related.setdefault((site, what, None))

    def crash(self, rule_id: str, op: Operation | None, what: str, why: str) -> None:
        """Record the first failure of a rule: "rule 'x' <what>[ on GET /a]<why>"."""
        if rule_id not in self.crashed:
            where = f" on {op.label}" if op is not None else ""
            message = f"rule {rule_id!r} {what}{where}{why}"
            self.crashed[rule_id] = _Pending(
                INTERNAL_ERROR, Severity.ERROR, message, Site(self.spec.root, ()), None
            )

    def replay(self, records: list[_Record], operations: list[Operation]) -> bool:
        """Take the records a helper sent, as if its rules had run here; False (and nothing
        taken for certain) when they name a file this process has not loaded."""
        docs = self.spec.docs

        def site(where: tuple[str, tuple[str, ...]]) -> Site:
            return Site(docs[where[0]], where[1])

        try:
            for record in records:
                if record[0] == "crash":
                    _, rule_id, index, what, why = record
                    self.crash(rule_id, operations[index] if index >= 0 else None, what, why)
                    continue
                _, rule_id, severity, message, status, origin, via, index, explained, defect = record
                op = operations[index] if index >= 0 else None
                also = tuple((site(where), what) for where, what in explained)
                self.record(rule_id, severity, message, status, site(origin), (*map(site, via),), op, also, defect)
        except (KeyError, IndexError, ValueError, TypeError):
            return False
        return True

    def findings(self) -> list[Finding]:
        return [_finalise(entry) for entry in (*self.pending.values(), *self.crashed.values())]


class _Recorder:
    """In a helper process: problems and crashes kept as :data:`_Record` s."""

    def __init__(self, spec: SpecSet, operations: list[Operation]) -> None:
        self.spec = spec
        self.index = {id(op): number for number, op in enumerate(operations)}
        self.keys: dict[int, str] = {}
        self.records: list[_Record] = []

    def add(self, rule_id: str, severity: Severity, problem: Problem, op: Operation | None) -> None:
        origin, via = _origin(problem.at)
        where = (self._where(origin), tuple(self._where(site) for site in via))
        explained = tuple((self._where(site), what) for site, what in problem.explained_sites())
        fields = (rule_id, severity, problem.message, problem.status, *where, self._number(op))
        self.records.append(("problem", *fields, explained, problem.defect))

    def crash(self, rule_id: str, op: Operation | None, what: str, why: str) -> None:
        self.records.append(("crash", rule_id, self._number(op), what, why))

    def _number(self, op: Operation | None) -> int:
        return self.index[id(op)] if op is not None else -1

    def _where(self, site: Site) -> tuple[str, tuple[str, ...]]:
        if id(site.doc) not in self.keys:  # documents loaded while the rules ran, too
            self.keys = {id(doc): key for key, doc in self.spec.docs.items()}
        return (self.keys[id(site.doc)], site.pointer)


_SCOPES: dict[str, Scope] = {}


def _scope(raw: dict[str, Any]) -> Scope:
    key = repr(raw)
    if key not in _SCOPES:
        _SCOPES[key] = Scope.parse(raw)
    return _SCOPES[key]


def _use_site(via: tuple[Site, ...], op: Operation | None) -> Site | None:
    """The one ``$ref`` that names where an operation uses a shared definition: the first
    ``$ref`` written inside the operation itself (refs that lead to the operation don't count)."""
    if not via:
        return None
    own = len(op.node.via) if op is not None else 0
    return via[own] if own < len(via) else via[-1]


def _origin(at: Node | Site) -> tuple[Site, tuple[Site, ...]]:
    if isinstance(at, Node):
        return at.site, at.via
    return at, ()


def site_location(site: Site) -> Location:
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
    """The ``x-errlint-ignore`` entries of ``spec``, for callers outside :meth:`Engine.run`."""
    return _collect_suppressions(spec)


def is_suppressed(suppressions: list[Suppression], rule_id: str, op: Operation, problem: Problem) -> bool:
    """Whether :meth:`Engine.run` would drop ``problem`` of ``rule_id`` on ``op``."""
    origin, _ = _origin(problem.at)
    return _suppressed(suppressions, rule_id, op, problem.status, origin)


def _collect_suppressions(spec: SpecSet) -> list[Suppression]:
    """Every ``x-errlint-ignore`` on the root, path items, operations and responses."""
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
        unique.setdefault((id(item.site.doc), item.site.pointer, item.rule), item)
    return list(unique.values())


def _read_ignores(node: Node, found: list[Suppression]) -> None:
    if not isinstance(node.value, dict) or IGNORE_KEY not in node.value:
        return
    raw = node.value[IGNORE_KEY]
    entries = raw if isinstance(raw, list) else [raw]
    for entry in entries:
        rule = entry.get("rule") if isinstance(entry, dict) else entry
        if isinstance(rule, str):
            found.append(Suppression(Site(node.doc, node.pointer), rule))


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
