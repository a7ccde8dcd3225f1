"""Run the configured rules over one spec: the rule loop and scoping.

The engine decides which rule runs where (scopes, per-path overrides, severities, rule
options), contains rules that crash or overrun their time budget (:mod:`linter.check.watchdog`),
and may run the costliest rules in a helper process (:mod:`linter.check.helper`). What the
rules yield goes to a :class:`~linter.check.collector.Collector`, which owns suppressions,
deduplication of shared definitions and positions.

A run has two steps, so that the caller can visit every ``$ref`` in between (see
:func:`linter.api.check_spec`): :meth:`Engine.begin` starts the helper process, if any, and
:meth:`Run.finish` runs the other rules and gathers the findings.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from functools import partial
from types import TracebackType
from typing import TYPE_CHECKING, Any, Protocol

from linter import fastpath, registry
from linter.check.collector import (
    Collector,
    Suppression,
    collect_suppressions,
    unknown_ignore_findings,
    unused_ignore_findings,
)
from linter.check.ruleset import Config, RuleSetting, effective_settings
from linter.check.watchdog import DEFAULT_RULE_TIMEOUT, RuleTimeout, Watchdog
from linter.model import Finding, Severity
from linter.resolve.resolver import SpecSet
from linter.rules.base import Context, DocumentRule, OperationRule, Problem, Rule
from linter.spec.openapi import Operation, iter_all_operations, spec_version
from linter.spec.scope import Scope

if TYPE_CHECKING:
    from linter.check import helper as helper_process

#: specs (their root file) at least this big run their ``costly`` rules in a helper process
#: when the engine may use two: below it, forking and sending results back cost more than
#: the rules (measured: the GitHub REST spec, 13 MB, saves 0.15 s of 0.75 s)
OFFLOAD_MIN_BYTES = 2_000_000


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
        report_unused_ignores: bool = False,
    ) -> None:
        self.config = config
        #: add an ``unused-ignore`` finding for each suppression that matched nothing
        self.report_unused_ignores = report_unused_ignores
        #: processes one spec may use: with 2 or more, the costliest rules run in a helper
        #: process on big specs (see :mod:`linter.check.helper`)
        self.workers = workers
        self.raise_errors = raise_errors
        self.rule_timeout = rule_timeout
        self._classes: dict[str, type[Rule]] = dict(rules or {})
        self._instances: dict[str, Rule] = {}
        self._options: dict[tuple[str, str], Any] = {}
        #: :meth:`rules_for`'s candidates for the spec it was last asked about
        self._prepared: tuple[SpecSet, list[tuple[ScopedRule, Scope | None]]] | None = None

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
        """All findings of the enabled rules on ``spec``, which must be loaded whole (every
        ``$ref`` visited: ``load_spec(..., load_all=True)``); each rule gets ``rule_timeout``
        seconds in all on it (see :mod:`linter.check.watchdog`). Raises ``ValueError`` for a
        spec not loaded whole: :func:`linter.api.check_spec` visits the ``$ref``s between
        :meth:`begin` and :meth:`Run.finish`."""
        if not spec.loaded_all:
            raise ValueError("Engine.run needs every $ref visited first (SpecSet.load_all)")
        with self.begin(spec) as run:
            return run.finish()

    def begin(self, spec: SpecSet) -> Run:
        """Start a run on ``spec``: the helper process, if ``spec`` is big enough and ``workers``
        allows one, starts now with what is loaded so far and resolves the ``$ref``s it meets."""
        return Run(self, spec)

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
    ) -> list[helper_process.Record]:
        """In the helper: the problems of ``rules``, as plain records for :meth:`Collector.replay`
        (operations by their index in document order, the same in both processes)."""
        from linter.check import helper as helper_process

        operations = list(iter_all_operations(spec))
        recorder = helper_process.Recorder(spec, operations)
        watchdog = Watchdog(self.rule_timeout)
        with watchdog.armed():
            self._execute(spec, settings, operations, watchdog, recorder, rules.__contains__)
        return recorder.records

    # -- for callers that ask rules questions without running them (coverage, fix) ---
    def rules_for(self, op: Operation) -> Iterator[ScopedRule]:
        """The enabled operation rules that apply to ``op``: overrides, severity and scope
        decided exactly as :meth:`run` decides them."""
        if self._has_path_overrides():
            candidates = self._operation_candidates(op.spec, op.method, op.path)
        else:  # the same for every operation of the spec: prepared once
            prepared = self._prepared
            if prepared is None or prepared[0] is not op.spec:
                prepared = self._prepared = (op.spec, self._operation_candidates(op.spec, None, None))
            candidates = prepared[1]
        for scoped, scope in candidates:
            if op.kind not in scoped.rule.operation_kinds:
                continue
            if scope is not None and not scope.matches(op):
                continue
            yield scoped

    def _operation_candidates(
        self, spec: SpecSet, method: str | None, path: str | None
    ) -> list[tuple[ScopedRule, Scope | None]]:
        """The enabled operation rules of ``spec`` (for ``method`` and ``path`` when overrides
        name paths), each with the scope it applies in (None: everywhere)."""
        candidates: list[tuple[ScopedRule, Scope | None]] = []
        for rule_id, setting in effective_settings(self.config, spec.root.display, method, path).items():
            if setting.severity is None:
                continue
            rule = self._rule(rule_id)
            if not isinstance(rule, OperationRule):
                continue
            scope = setting.scope if setting.scope is not None else rule.default_scope
            scoped = ScopedRule(rule_id, rule, setting.severity, self._context(rule, setting, spec))
            candidates.append((scoped, _scope(scope) if scope else None))
        return candidates

    def _operation_rules(self, settings: dict[str, RuleSetting]) -> list[str]:
        return [
            rule_id
            for rule_id, setting in settings.items()
            if setting.severity is not None and isinstance(self._rule(rule_id), OperationRule)
        ]

    def _has_path_overrides(self) -> bool:
        return any(o.paths for o in self.config.overrides)


class Run:
    """One run of an :class:`Engine` on one spec, begun (see :meth:`Engine.begin`); use it as a
    context manager so that a helper process is stopped if :meth:`finish` is never reached."""

    def __init__(self, engine: Engine, spec: SpecSet) -> None:
        self.engine = engine
        self.spec = spec
        self.settings = effective_settings(engine.config, spec.root.display, None, None)
        self.offloaded = engine._offloadable(spec, self.settings)
        # the helper starts first: what it does is the longest part of the run
        work = partial(engine._offloaded_records, spec, self.settings, self.offloaded)
        self.helper: helper_process.Helper | None = None
        if self.offloaded:  # imported here: most runs (small specs) never fork
            from linter.check import helper as helper_process

            self.helper = helper_process.start(work)

    def __enter__(self) -> Run:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        self.cancel()

    def cancel(self) -> None:
        """Stop the helper process, if one still runs."""
        if self.helper is not None:
            self.helper.cancel()
            self.helper = None

    def finish(self) -> EngineResult:
        """Run the rules (those the helper does not run) and gather every finding, sorted."""
        watchdog = Watchdog(self.engine.rule_timeout)
        try:
            with watchdog.armed():
                return self._finish(watchdog)
        finally:
            self.cancel()

    def _finish(self, watchdog: Watchdog) -> EngineResult:
        engine, spec, settings, offloaded = self.engine, self.spec, self.settings, self.offloaded
        has_operation_rules = bool(engine.config.overrides or engine._operation_rules(settings))
        suppressions = collect_suppressions(spec)
        operations = list(iter_all_operations(spec)) if has_operation_rules else []
        skipped = offloaded if self.helper is not None else frozenset()
        own = Collector(spec, suppressions)
        engine._execute(spec, settings, operations, watchdog, own, lambda rule_id: rule_id not in skipped)
        # positions of this share are found while the helper still works on its own
        findings = own.findings()
        crashes = len(own.crashed)
        if self.helper is not None:
            records, self.helper = self.helper.result(), None
            rest = Collector(spec, suppressions)
            if records is None or not rest.replay(records, operations):
                rest = Collector(spec, suppressions)
                engine._execute(spec, settings, operations, watchdog, rest, offloaded.__contains__)
            findings += rest.findings()
            crashes += len(rest.crashed)
        unknown = unknown_ignore_findings(suppressions, engine.config)
        findings += unknown.values()
        if engine.report_unused_ignores:
            findings += unused_ignore_findings(suppressions, unknown)
        findings.sort(key=Finding.sort_key)
        return EngineResult(findings, suppressions, crashes, len(operations))


class _Sink(Protocol):
    """Where :meth:`Engine._execute` puts what the rules say."""

    def add(self, rule_id: str, severity: Severity, problem: Problem, op: Operation | None) -> None: ...

    def crash(self, rule_id: str, op: Operation | None, what: str, why: str) -> None: ...


_SCOPES: dict[str, Scope] = {}


def _scope(raw: dict[str, Any]) -> Scope:
    key = repr(raw)
    if key not in _SCOPES:
        _SCOPES[key] = Scope.parse(raw)
    return _SCOPES[key]
