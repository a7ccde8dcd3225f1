"""Rulesets and user configs: which rules run, at what severity, with which options and scope.

```yaml
extends: [recommended]            # built-in names or relative files; later wins
rules:
  operation-4xx-declared: error   # off | info | warning | error
  saleslayer-409-declared:
    severity: warning
    options: {processed-paths: ["/rest/DAM/images/**"]}
    scope: {family: dam}
overrides:                        # in order; the last matching one wins
  - files: ["legacy/**"]
    paths: ["/internal/**", "GET /health"]
    rules: {operation-4xx-declared: off}
```
Mistakes (unknown rule, option, severity, scope key) raise :class:`ConfigError` naming file and line.
``policies:`` define rules as data (see :mod:`linter.policies`); a policy's id is a rule id
for ``rules:`` and ``overrides`` from then on. ``error-bodies:`` declares the error-body
convention (:mod:`linter.policies.error_bodies`); a file's replaces the ones it extends.
"""

from __future__ import annotations

import fnmatch
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from linter import registry
from linter.errors import ConfigError, did_you_mean
from linter.jsonvalue import excerpt, string_tuple
from linter.load.document import Document
from linter.load.reader import load_document
from linter.model import Severity
from linter.rules.base import Rule
from linter.spec.scope import Scope

if TYPE_CHECKING:
    from linter.policies.error_bodies import ErrorBodies

_TOP_KEYS = ("extends", "policies", "error-bodies", "rules", "overrides", "description")
_RULE_KEYS = ("severity", "options", "scope")


@dataclass(frozen=True)
class RuleSetting:
    severity: Severity | None
    options: dict[str, Any] = field(default_factory=dict)
    scope: dict[str, Any] | None = None

    @property
    def enabled(self) -> bool:
        return self.severity is not None


def path_matches(display: str, pattern: str) -> bool:
    """``pattern`` matches the path as given or any trailing part of it that starts at a folder,
    so ``legacy/*`` matches ``legacy/a.yaml``, ``./legacy/a.yaml`` and ``/repo/legacy/a.yaml``."""
    parts = os.path.normpath(display).replace(os.sep, "/").split("/")
    return any(fnmatch.fnmatch("/".join(parts[index:]), pattern) for index in range(len(parts)))


@dataclass(frozen=True)
class Override:
    files: tuple[str, ...]
    paths: tuple[str, ...]
    rules: dict[str, Any]
    origin: str

    def matches_file(self, display: str) -> bool:
        return not self.files or any(path_matches(display, p) for p in self.files)

    def matches_operation(self, method: str, path: str) -> bool:
        if not self.paths:
            return True
        for selector in self.paths:
            method_glob, _, path_glob = selector.partition(" ") if " " in selector else ("*", "", selector)
            if fnmatch.fnmatch(method.upper(), method_glob.upper()) and fnmatch.fnmatchcase(path, path_glob):
                return True
        return False


@dataclass
class Config:
    rules: dict[str, RuleSetting] = field(default_factory=dict)
    overrides: list[Override] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)
    #: rules defined by ``policies:`` in the files loaded, by id
    policies: dict[str, type[Rule]] = field(default_factory=dict)
    #: the ``error-bodies:`` in effect: the last file's that declares one
    error_bodies: ErrorBodies | None = None

    def enabled_rules(self) -> dict[str, RuleSetting]:
        return {rule_id: s for rule_id, s in self.rules.items() if s.enabled}

    def rule_class(self, rule_id: str) -> type[Rule]:
        """The rule ``rule_id`` names here: one of this config's policies, else a registered rule."""
        found = self.policies.get(rule_id)
        return found if found is not None else registry.rule(rule_id)


def parse_severity(value: Any, where: str) -> Severity | None:
    if value == "off" or value is False:
        return None
    severity = Severity.named(value)
    if severity is None:
        raise ConfigError(f"{where}: severity must be off, info, warning or error, got {excerpt(value)}")
    return severity


def apply_rule_entry(
    base: RuleSetting | None,
    rule_id: str,
    entry: Any,
    where: str,
    policies: dict[str, type[Rule]] | None = None,
) -> RuleSetting:
    """Merge one ``rules:`` entry onto what earlier rulesets said of the rule (a registered
    rule, or one of ``policies``). A built-in ruleset's policy named without its ruleset
    (``rules: {saleslayer-500-declared: warning}``) is added to ``policies``."""
    rule_class = (policies or {}).get(rule_id) or registry.find_rule(rule_id)
    if rule_class is None and policies is not None:
        rule_class = _builtin_policy(rule_id)
        if rule_class is not None:
            policies[rule_id] = rule_class
    if rule_class is None:
        from linter.rules.docs import builtin_policy_rulesets

        hint = registry.suggest_rule(str(rule_id), [*(policies or ()), *builtin_policy_rulesets()])
        raise ConfigError(f"{where}: unknown rule {excerpt(rule_id)}{hint} (see 'errlint rules')")
    current = base or RuleSetting(rule_class.default_severity)
    if not isinstance(entry, dict):
        return replace(current, severity=parse_severity(entry, where))
    unknown = set(entry) - set(_RULE_KEYS)
    if unknown:
        key = sorted(map(str, unknown))[0]
        raise ConfigError(
            f"{where}: unknown key {excerpt(key)} for rule {excerpt(rule_id)}{did_you_mean(key, _RULE_KEYS)} "
            "(use severity, options, scope)"
        )
    severity = (
        parse_severity(entry["severity"], where)
        if "severity" in entry
        else (current.severity if base is not None else rule_class.default_severity)
    )
    options = dict(current.options)
    raw_options = entry.get("options") or {}
    if not isinstance(raw_options, dict):
        raise ConfigError(f"{where}: options of rule {excerpt(rule_id)} must be a mapping")
    options.update(raw_options)
    try:
        rule_class.make_options(options)
    except ValueError as exc:
        raise ConfigError(f"{where}: {exc}") from None
    scope = current.scope
    if "scope" in entry:
        try:
            Scope.parse(entry["scope"])
        except ValueError as exc:
            raise ConfigError(f"{where}: {exc} (rule {excerpt(rule_id)})") from None
        scope = entry["scope"]
    return RuleSetting(severity, options, scope)


def _builtin_policy(rule_id: Any) -> type[Rule] | None:
    """The policy ``rule_id`` of the built-in ruleset that writes it, or None (only that
    ruleset is loaded, and only for an id no rule has)."""
    from linter.rules.docs import builtin_policy_rulesets

    name = builtin_policy_rulesets().get(str(rule_id))
    path = registry.ruleset(name) if name is not None else None
    return load_ruleset(path, Config()).policies.get(str(rule_id)) if path is not None else None


def resolve_name(name: str, relative_to: Path | None) -> Path:
    """A built-in or plugin ruleset name, or a file path (relative to the including file)."""
    registered = registry.ruleset(name)
    if registered is not None:
        return registered
    path = Path(name)
    if not path.is_absolute() and relative_to is not None:
        path = relative_to / path
    if path.is_file():
        return path
    names = sorted(registry.rulesets())
    raise ConfigError(
        f"ruleset {excerpt(name)}{did_you_mean(name, names)} is neither a built-in ({', '.join(names)}) "
        "nor a readable file"
    )


def load_ruleset(path: Path, config: Config | None = None, _stack: tuple[Path, ...] = ()) -> Config:
    """Load ``path`` (and what it extends) onto ``config``."""
    config = config if config is not None else Config()
    real = path.resolve()
    if real in _stack:
        raise ConfigError(f"{path}: 'extends' loops back to itself")
    try:
        doc = load_document(path, str(path))
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read ruleset ({exc.strerror or exc})") from None
    if doc.problems:
        problem = doc.problems[0]
        raise ConfigError(f"{path}:{problem.line}:{problem.column}: {problem.message}")
    data = doc.data if doc.data is not None else {}
    apply_data(data, doc, config, (*_stack, real))
    config.sources.append(str(path))
    return config


def apply_data(data: Any, doc: Document, config: Config, stack: tuple[Path, ...]) -> None:
    def where(*pointer: str) -> str:
        line, column = doc.locate(pointer)
        return f"{doc.display}:{line}:{column}"

    if not isinstance(data, dict):
        raise ConfigError(f"{where()}: a ruleset must be a mapping")
    mistakes: list[str] = []
    for name in sorted(map(str, set(data) - set(_TOP_KEYS))):
        mistakes.append(f"{where(name)}: unknown key {excerpt(name)}{did_you_mean(name, _TOP_KEYS)} (use {', '.join(_TOP_KEYS)})")
    with _collecting(mistakes):
        _apply_sections(data, doc, config, stack, where, mistakes)
    if mistakes:
        # every mistake of the file, one per line (the CLI prints each as its own line)
        raise ConfigError("\n".join(mistakes))


@contextmanager
def _collecting(mistakes: list[str]) -> Iterator[None]:
    try:
        yield
    except ConfigError as exc:
        mistakes.append(str(exc))


def _apply_sections(
    data: dict[str, Any], doc: Document, config: Config, stack: tuple[Path, ...], where: Any, mistakes: list[str]
) -> None:
    """``extends``, ``error-bodies``, ``policies``, ``rules`` and ``overrides`` of one file;
    each bad entry is added to ``mistakes`` and the others still applied."""
    extends = data.get("extends") or []
    if not isinstance(extends, (str, list)):
        raise ConfigError(f"{where('extends')}: extends must be a name or a list of names")
    for index, name in enumerate([extends] if isinstance(extends, str) else extends):
        if not isinstance(name, str):
            raise ConfigError(f"{where('extends')}: extends must be a name or a list of names")
        at = where("extends") if isinstance(extends, str) else where("extends", str(index))
        with _collecting(mistakes):
            try:
                path = resolve_name(name, doc.path.parent)
            except ConfigError as exc:
                raise ConfigError(f"{at}: {exc}") from None
            if path.resolve() in stack:
                raise ConfigError(
                    f"{at}: extends {excerpt(name)}, which is already being loaded (extends loops back)"
                )
            load_ruleset(path, config, stack)
    if "error-bodies" in data:
        with _collecting(mistakes):
            config.error_bodies = _error_bodies(data["error-bodies"], doc, where)
    policies = data.get("policies") or {}
    if not isinstance(policies, dict):
        raise ConfigError(f"{where('policies')}: policies must be a mapping of policy id to policy")
    for policy_id, raw in policies.items():
        define_policy(config, policy_id, raw, where, doc.path.parent)
    rules = data.get("rules") or {}
    if not isinstance(rules, dict):
        raise ConfigError(f"{where('rules')}: rules must be a mapping of rule id to severity or settings")
    for rule_id, entry in rules.items():
        with _collecting(mistakes):
            config.rules[rule_id] = apply_rule_entry(
                config.rules.get(rule_id), rule_id, entry, where("rules", rule_id), config.policies
            )
    overrides = data.get("overrides") or []
    if not isinstance(overrides, list):
        raise ConfigError(f"{where('overrides')}: overrides must be a list")
    for index, item in enumerate(overrides):
        at = where("overrides", str(index))
        if not isinstance(item, dict) or not isinstance(item.get("rules"), dict):
            raise ConfigError(f"{at}: each override needs 'rules' and optional 'files' and 'paths'")
        extra = set(item) - {"files", "paths", "rules"}
        if extra:
            key = sorted(map(str, extra))[0]
            hint = did_you_mean(key, ("files", "paths", "rules"))
            mistakes.append(f"{at}: unknown key {excerpt(key)} in override{hint}")
        for rule_id, entry in item["rules"].items():
            with _collecting(mistakes):
                apply_rule_entry(config.rules.get(rule_id), rule_id, entry, at, config.policies)
        config.overrides.append(
            Override(_str_tuple(item.get("files"), at), _str_tuple(item.get("paths"), at), item["rules"], at)
        )


def _error_bodies(raw: Any, doc: Document, where: Any) -> ErrorBodies:
    """The ``error-bodies:`` of one file; named after the file unless it says ``name``."""
    from linter.policies.error_bodies import parse_error_bodies

    return parse_error_bodies(raw, where, doc.path.parent, doc.path.stem.lstrip(".") or "config")


def define_policy(config: Config, policy_id: Any, raw: Any, where: Any, base: Path) -> None:
    """Parse one ``policies:`` entry into a rule of ``config``, enabled at its severity.

    The id must not be a registered rule's; the same policy reached twice (two files extend
    one ruleset) is kept once, but a different policy under an id already defined is an error.
    """
    from linter.policies.model import parse_policy
    from linter.policies.rule import compile_policy

    policy = parse_policy(policy_id, raw, where, base)
    # built-in rulesets' ids are kept apart from every rule's by a test: checking them here
    # would scan the installed plugins on every run that uses them
    if not _is_builtin_folder(base) and registry.find_rule(policy.id) is not None:
        raise ConfigError(f"{policy.origin}: policy id {excerpt(policy.id)} is already a rule id (choose another)")
    if not _is_builtin_folder(base):
        _not_a_builtin_policy(policy)
    known = config.policies.get(policy.id)
    if known is not None:
        earlier = known.policy  # type: ignore[attr-defined]
        if earlier.definition() != policy.definition():
            raise ConfigError(
                f"{policy.origin}: policy {excerpt(policy.id)} is already defined at {earlier.origin}"
                " (change its severity or scope under rules:, or choose another id)"
            )
        return
    rule_class = compile_policy(policy)
    config.policies[policy.id] = rule_class
    registry.define_policy(rule_class)
    config.rules[policy.id] = RuleSetting(policy.severity)


def _not_a_builtin_policy(policy: Any) -> None:
    """Raise when a config defines, differently, a policy a built-in ruleset writes: that id is
    named under ``rules:`` without extending the ruleset, so it means the built-in one. Only ids
    that start with a built-in ruleset's name (as every built-in policy's does) load that ruleset."""
    prefixes = tuple(f"{name}-" for name in registry.BUILTINS[registry.RULESETS_GROUP])
    if not policy.id.startswith(prefixes):
        return
    from linter.rules.docs import builtin_policy_rulesets

    ruleset = builtin_policy_rulesets().get(policy.id)
    builtin = _builtin_policy(policy.id) if ruleset is not None else None
    if builtin is not None and builtin.policy.definition() != policy.definition():  # type: ignore[attr-defined]
        raise ConfigError(
            f"{policy.origin}: policy id {excerpt(policy.id)} is a policy of the built-in ruleset {ruleset}"
            " (change its severity, options or scope under rules:, or choose another id)"
        )


def _is_builtin_folder(folder: Path) -> bool:
    builtin = registry.ruleset("recommended")
    return builtin is not None and folder.resolve() == builtin.resolve().parent


def _str_tuple(value: Any, where: str) -> tuple[str, ...]:
    strings = string_tuple(value)
    if strings is None:
        raise ConfigError(f"{where}: expected a string or a list of strings")
    return strings


def effective_settings(
    config: Config, display: str, method: str | None, path: str | None
) -> dict[str, RuleSetting]:
    """The rule settings for one operation (or the whole file when method/path are None)."""
    settings = dict(config.rules)
    for override in config.overrides:
        if not override.matches_file(display):
            continue
        if override.paths and (
            method is None or path is None or not override.matches_operation(method, path)
        ):
            continue
        for rule_id, entry in override.rules.items():
            settings[rule_id] = apply_rule_entry(
                settings.get(rule_id), rule_id, entry, override.origin, config.policies
            )
    return settings
