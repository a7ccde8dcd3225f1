"""Ask the enabled status rules what each operation must (or must not) declare.

Shared by ``errlint coverage`` and ``errlint fix``: every "N declared" / "N forbidden" rule
is a :class:`~linter.rules.status.StatusRule`, so one loop over the engine's scoped rules
answers "which codes are required or forbidden here, and is the rule satisfied?" for
every ruleset, built-in or plugin, exactly as ``errlint lint`` would decide it.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from linter.api import LintOptions, expand_paths, load_spec
from linter.check.collector import collect_suppressions, is_suppressed
from linter.check.config import build_config
from linter.check.engine import Engine
from linter.check.ruleset import Config
from linter.model import Severity
from linter.resolve.resolver import SpecSet
from linter.rules.status import Expectation, StatusRule
from linter.spec.openapi import Operation, iter_operations


@dataclass(frozen=True, slots=True)
class Outcome:
    """One status rule's verdict on one operation."""

    expectation: Expectation
    severity: Severity
    #: lint reports it: a required code is not declared, or a forbidden one is
    violated: bool
    #: the rule is not satisfied but an ``x-errlint-ignore`` silences it
    waived: bool = False

    @property
    def status(self) -> str:
        return self.expectation.status

    @property
    def required(self) -> bool:
        return self.expectation.kind == "required"


@dataclass(frozen=True, slots=True)
class OperationOutcomes:
    op: Operation
    outcomes: tuple[Outcome, ...]


@dataclass
class LoadedSpec:
    """One root spec with the configuration and engine that apply to it."""

    display: str
    spec: SpecSet
    config: Config
    engine: Engine


def iter_loaded_specs(
    paths: list[str], options: LintOptions, errors: list[str]
) -> Iterator[tuple[int, int, LoadedSpec | None]]:
    """``(index, total, loaded)`` per spec file under ``paths``, configured as ``lint`` would.

    ``loaded`` is None for a file that could not be read (the reason goes to ``errors``);
    ``index``/``total`` let callers show progress.
    """
    files = list(
        expand_paths(
            paths,
            errors,
            options.only_openapi,
            allow_outside_root=options.allow_outside_root,
            stdin_filename=options.stdin_filename,
        )
    )
    configs: dict[Path, Config] = {}
    for index, (path, display) in enumerate(files):
        folder = path.resolve().parent
        if folder not in configs:
            configs[folder] = build_config(folder, options.config_file, options.rulesets)
        try:
            spec = load_spec(path, display, options)
        except OSError as exc:
            errors.append(f"{display}: cannot read ({exc.strerror or exc})")
            yield index, len(files), None
            continue
        config = configs[folder]
        engine = Engine(config, raise_errors=options.raise_errors, rule_timeout=options.rule_timeout)
        yield (index, len(files), LoadedSpec(display, spec, config, engine))


def evaluate(engine: Engine, spec: SpecSet) -> Iterator[OperationOutcomes]:
    """Per operation (document order), the verdict of every enabled status rule in scope.

    A finding that an ``x-errlint-ignore`` suppresses is not a violation (``lint`` would
    not report it) but is marked ``waived``. A rule that crashes is skipped here; ``lint``
    reports it as an internal error.
    """
    suppressions = collect_suppressions(spec)
    for op in iter_operations(spec):
        outcomes: list[Outcome] = []
        for scoped in engine.rules_for(op):
            if not isinstance(scoped.rule, StatusRule):
                continue
            try:
                expectations = scoped.rule.expectations(op, scoped.ctx)
                problems = list(scoped.rule.status_problems(op, scoped.ctx)) if expectations else []
            except Exception:
                if engine.raise_errors:
                    raise
                continue
            for expectation in expectations:
                mine = [p for p in problems if (p.status or "").upper() == expectation.status.upper()]
                kept = [p for p in mine if not is_suppressed(suppressions, scoped.rule_id, op, p)]
                waived = bool(mine) and not kept
                outcomes.append(Outcome(expectation, scoped.severity, bool(kept), waived))
        yield OperationOutcomes(op, tuple(outcomes))


def status_rule_ids(config: Config) -> list[str]:
    """The enabled rules of ``config`` that require or forbid status codes (:class:`StatusRule`)."""
    return [
        rule_id
        for rule_id in config.enabled_rules()
        if isinstance(config.rule_class(rule_id), type) and issubclass(config.rule_class(rule_id), StatusRule)
    ]


def no_expectations_hint() -> str:
    """Why an audit found nothing to do when no status rule is active, naming the rulesets
    that have some: "... choose one with --ruleset (commercelayer, jsonapi, saleslayer)"."""
    from linter import registry
    from linter.check.ruleset import load_ruleset

    names = []
    for name, path in sorted(registry.rulesets().items()):
        try:
            if status_rule_ids(load_ruleset(path)):
                names.append(name)
        except Exception:  # a broken plugin ruleset only leaves the hint shorter
            continue
    offer = f" ({', '.join(names)})" if names else ""
    return (
        "no active rule requires or forbids a status code, so there are no status expectations: "
        f"choose a ruleset that sets them with --ruleset{offer}"
    )
