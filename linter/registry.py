"""Rules, reporters and rulesets, built-in and third-party, found through entry point groups.

Plugins register through the entry point groups ``errlint.rules`` (a Rule class or an
iterable of them), ``errlint.reporters`` (a Reporter class) and ``errlint.rulesets`` (a
module: the ruleset is ``<name>.yaml`` beside it; or a path string). The built-ins are
registered in those groups too (``pyproject.toml``), and listed again in :data:`BUILTINS`
(a test keeps the two equal): they are loaded from that list, and the installed
distributions are scanned only when something is asked for that no built-in provides, or
when everything is listed. Importing ``importlib.metadata`` and scanning every installed
distribution costs more than linting a small spec, which needs built-ins only.

A plugin that registers an id a built-in has is reported when the group is scanned.
"""

from __future__ import annotations

import importlib
import importlib.util
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from types import ModuleType
from typing import Any

from linter.errors import ConfigError
from linter.jsonvalue import excerpt
from linter.rules.base import DocumentRule, OperationRule, Rule

RULE_ID_RE = re.compile(r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$")
ALIASES: dict[str, str] = {}
RULES_GROUP, REPORTERS_GROUP, RULESETS_GROUP = "errlint.rules", "errlint.reporters", "errlint.rulesets"
SCOPES_GROUP, CONDITIONS_GROUP = "errlint.scopes", "errlint.conditions"

#: the built-in entry points, as ``pyproject.toml`` registers them
BUILTINS: dict[str, dict[str, str]] = {
    RULES_GROUP: {
        "core": "linter.rules.core:RULES",
        "structure": "linter.rules.structure:RULES",
        "hygiene": "linter.rules.hygiene:RULES",
        "integrity": "linter.rules.integrity:RULES",
        "saleslayer": "linter.rules.saleslayer:RULES",
        "jsonapi": "linter.rules.jsonapi:RULES",
        "problem-details": "linter.rules.problem_details:RULES",
        "diff": "linter.rules.diff:RULES",
    },
    REPORTERS_GROUP: {
        "text": "linter.report.text:TextReporter",
        "json": "linter.report.json:JsonReporter",
        "sarif": "linter.report.sarif:SarifReporter",
        "github": "linter.report.github:GithubReporter",
        "junit": "linter.report.junit:JunitReporter",
        "markdown": "linter.report.markdown:MarkdownReporter",
        "gitlab": "linter.report.gitlab:GitlabReporter",
    },
    RULESETS_GROUP: {
        "recommended": "linter.rulesets",
        "saleslayer": "linter.rulesets",
        "jsonapi": "linter.rulesets",
        "commercelayer": "linter.rulesets",
        "problem-details": "linter.rulesets",
        "zalando": "linter.rulesets",
        "azure": "linter.rulesets",
    },
    SCOPES_GROUP: {
        "family": "linter.vendors.saleslayer:FAMILY",
        "jsonapi": "linter.vendors.jsonapi:JSONAPI",
    },
    CONDITIONS_GROUP: {
        "request-inputs": "linter.vendors.saleslayer:REQUEST_INPUTS",
        "resource-query-parameter": "linter.vendors.saleslayer:RESOURCE_QUERY_PARAMETER",
        "processed-resource": "linter.vendors.saleslayer:PROCESSED_RESOURCE",
        "secured-when-undeclared": "linter.vendors.commercelayer:SECURED_WHEN_UNDECLARED",
    },
}


#: a rule id as a rule class writes it, at class-body indentation
_RULE_ID_LINE = re.compile(r'^    id = "([a-z0-9-]+)"$', re.MULTILINE)


@cache
def builtin_rule_ids(name: str) -> frozenset[str]:
    """The rule ids the built-in ``errlint.rules`` entry ``name`` provides, read from the
    ``id = "..."`` lines of its module's (or package's) source without importing it, so that
    a run imports the rule modules its rulesets use and no other. Where the source cannot be
    read, the module is imported and its ``RULES`` asked. (A test keeps both answers equal.)"""
    module = BUILTINS[RULES_GROUP][name].partition(":")[0]
    found = importlib.util.find_spec(module)
    if found is not None and found.origin and found.origin.endswith(".py"):
        sources = [Path(found.origin)]
        if found.submodule_search_locations:
            sources = sorted(
                Path(folder, file)
                for folder in found.submodule_search_locations
                for file in os.listdir(folder)
                if file.endswith(".py")
            )
        try:
            return frozenset(
                rule_id for source in sources for rule_id in _RULE_ID_LINE.findall(source.read_text("utf-8"))
            )
        except OSError:
            pass
    return frozenset(_builtin_entry_rules(name))


@dataclass(frozen=True)
class Entry:
    """One entry point: ``name = module:attribute``, and where it came from."""

    name: str
    value: str
    origin: str = "errlint itself"

    def load(self) -> Any:
        module, _, attribute = self.value.partition(":")
        loaded: Any = importlib.import_module(module.strip())
        for part in filter(None, attribute.strip().split(".")):
            loaded = getattr(loaded, part)
        return loaded

    def describe(self) -> str:
        return f"entry point {excerpt(self.name)} ({self.value}) from {self.origin}"


def _builtin(group: str) -> list[Entry]:
    return [Entry(name, value) for name, value in BUILTINS[group].items()]


@cache
def _plugins(group: str) -> list[Entry]:
    """Third-party entry points of ``group`` (the installed errlint's own are skipped), in a
    stable order."""
    from importlib.metadata import entry_points

    builtins = BUILTINS[group].items()
    found = [
        Entry(ep.name, ep.value, f"{ep.dist.name} {ep.dist.version}" if ep.dist else "unknown distribution")
        for ep in entry_points(group=group)
        if (ep.name, ep.value) not in builtins
    ]
    return sorted(found, key=lambda entry: (entry.name, entry.value))


def _entry(group: str, name: str) -> Entry | None:
    """The entry ``name`` of ``group``, built-in first (the installed distributions are
    scanned only when no built-in has the name), or None."""
    for entries in (_builtin, _plugins):
        entry = next((e for e in entries(group) if e.name == name), None)
        if entry is not None:
            return entry
    return None


def _names(group: str) -> list[str]:
    """The names registered in ``group`` (built-in and plugins), sorted, none loaded."""
    return sorted({entry.name for entry in (*_builtin(group), *_plugins(group))})


# -- rules -----------------------------------------------------------------------------------
def _load_rules(entries: Iterable[Entry], into: dict[str, type[Rule]]) -> dict[str, type[Rule]]:
    for entry in entries:
        try:
            loaded = entry.load()
        except Exception as exc:
            raise ConfigError(f"failed to load rule plugin {entry.describe()}: {exc}") from exc
        candidates: Iterable[Any] = loaded if isinstance(loaded, (list, tuple)) else (loaded,)
        for rule in candidates:
            _check_rule(rule, entry)
            if rule.id in into and into[rule.id] is not rule:
                raise ConfigError(f"rule id {excerpt(rule.id)} is registered twice (again by {entry.describe()})")
            into[rule.id] = rule
    return into


@cache
def _builtin_rules() -> dict[str, type[Rule]]:
    return _load_rules(_builtin(RULES_GROUP), {})


@cache
def _builtin_entry_rules(name: str) -> dict[str, type[Rule]]:
    return _load_rules([Entry(name, BUILTINS[RULES_GROUP][name])], {})


@cache
def rules() -> dict[str, type[Rule]]:
    """Every registered rule class by id, built-in and third-party."""
    found = _load_rules(_plugins(RULES_GROUP), dict(_builtin_rules()))
    return dict(sorted(found.items()))


def _check_rule(rule: Any, entry: Entry) -> None:
    if not (isinstance(rule, type) and issubclass(rule, (OperationRule, DocumentRule))):
        raise ConfigError(
            f"{entry.describe()} does not provide an OperationRule or DocumentRule subclass: {rule!r}"
        )
    rule_id = getattr(rule, "id", None)
    if not isinstance(rule_id, str) or not RULE_ID_RE.match(rule_id):
        raise ConfigError(f"{entry.describe()}: rule id {excerpt(rule_id)} is not kebab-case")
    if not (rule.__doc__ or "").strip():
        raise ConfigError(f"{entry.describe()}: rule {excerpt(rule_id)} has no docstring")


def find_rule(rule_id: str) -> type[Rule] | None:
    """The rule class registered as ``rule_id`` (or an alias of it), or None."""
    rule_id = ALIASES.get(rule_id, rule_id)
    for name in BUILTINS[RULES_GROUP]:
        if rule_id in builtin_rule_ids(name):
            return _builtin_entry_rules(name).get(rule_id)
    return rules().get(rule_id)


#: rules defined by the ``policies:`` of the configs loaded in this process, last one wins:
#: reports that name a rule by id only (SARIF help) find them here
_POLICIES: dict[str, type[Rule]] = {}


def define_policy(rule_class: type[Rule]) -> None:
    """Remember a rule compiled from a policy (see :mod:`linter.policies`)."""
    _POLICIES[rule_class.id] = rule_class


def rule(rule_id: str) -> type[Rule]:
    found = find_rule(rule_id) or _POLICIES.get(rule_id)
    if found is None:
        raise ConfigError(f"unknown rule {excerpt(rule_id)}{suggest_rule(rule_id)} (see 'errlint rules')")
    return found


def suggest_rule(rule_id: str, extra: Iterable[str] = ()) -> str:
    """``' (did you mean "x"?)'`` naming the registered rule (or one of ``extra``) closest
    to ``rule_id``, or ``""``."""
    from linter.errors import did_you_mean

    return did_you_mean(rule_id, [*rules(), *_POLICIES, *extra])


# -- reporters ---------------------------------------------------------------------------------
def reporter_names() -> list[str]:
    return _names(REPORTERS_GROUP)


def reporter(name: str) -> Any:
    entry = _entry(REPORTERS_GROUP, name)
    if entry is None:
        raise ConfigError(f"unknown format {excerpt(name)} (choose from {', '.join(reporter_names())})")
    try:
        return entry.load()
    except Exception as exc:
        raise ConfigError(f"failed to load reporter plugin {entry.describe()}: {exc}") from exc


# -- scope keys and policy conditions ---------------------------------------------------------
def _keyed(group: str, key: str, plugin: str, provides: str) -> Any:
    """The object registered under ``key`` in ``group``, built-in first, or None.

    Raises ConfigError when the entry fails to load (``failed to load <plugin> plugin ...``)
    or names an object whose ``key`` is not ``key`` (``... must name <provides> with key ...``).
    """
    entry = _entry(group, key)
    if entry is None:
        return None
    try:
        found = entry.load()
    except Exception as exc:
        raise ConfigError(f"failed to load {plugin} plugin {entry.describe()}: {exc}") from exc
    if getattr(found, "key", None) != key:
        raise ConfigError(f"{entry.describe()} must name {provides} with key {key!r}")
    return found


def scope_predicate(key: str) -> Any:
    """The scope predicate (:class:`linter.spec.scope.ScopePredicate`) registered under ``key``
    in ``errlint.scopes``, built-in first, or None. Loading it is what makes the key known."""
    return _keyed(SCOPES_GROUP, key, "scope key", "a scope predicate")


def scope_keys() -> list[str]:
    """The scope keys registered in ``errlint.scopes`` (built-in and plugins), not loaded."""
    return _names(SCOPES_GROUP)


def condition(key: str) -> Any:
    """The policy condition (:class:`linter.policies.conditions.Condition`) registered under
    ``key`` in ``errlint.conditions``, built-in first, or None."""
    return _keyed(CONDITIONS_GROUP, key, "condition", "a condition")


def condition_keys() -> list[str]:
    """The conditions registered in ``errlint.conditions`` (built-in and plugins), not loaded."""
    return _names(CONDITIONS_GROUP)


# -- rulesets ----------------------------------------------------------------------------------
def _ruleset_path(entry: Entry) -> Path:
    try:
        loaded = entry.load()
    except Exception as exc:
        raise ConfigError(f"failed to load ruleset plugin {entry.describe()}: {exc}") from exc
    if isinstance(loaded, ModuleType) and loaded.__file__:
        return Path(loaded.__file__).with_name(f"{entry.name}.yaml")
    if isinstance(loaded, (str, Path)):
        return Path(loaded)
    raise ConfigError(f"{entry.describe()} must name a module or a path")


def ruleset(name: str) -> Path | None:
    """The YAML file of the built-in or plugin ruleset ``name``, or None."""
    entry = _entry(RULESETS_GROUP, name)
    return None if entry is None else _ruleset_path(entry)


@cache
def rulesets() -> dict[str, Path]:
    """Built-in and plugin rulesets: name -> YAML file."""
    found: dict[str, Path] = {}
    for entry in (*_plugins(RULESETS_GROUP), *_builtin(RULESETS_GROUP)):
        found[entry.name] = _ruleset_path(entry)
    return found
