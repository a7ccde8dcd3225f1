"""Rules, reporters and rulesets, built-in and third-party, found through entry point groups.

Built-ins register through the same groups as plugins (see ``pyproject.toml``):
``errlint.rules`` (a Rule class or an iterable of them), ``errlint.reporters`` (a
Reporter class) and ``errlint.rulesets`` (a module: the ruleset is ``<name>.yaml``
beside it; or a path string).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cache
from importlib.metadata import EntryPoint, entry_points
from pathlib import Path
from types import ModuleType
from typing import Any

from linter.errors import ConfigError
from linter.rules.base import DocumentRule, OperationRule, Rule

RULE_ID_RE = re.compile(r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$")
ALIASES: dict[str, str] = {}


def _group(name: str) -> list[EntryPoint]:
    return sorted(entry_points(group=name), key=lambda ep: (ep.dist.name if ep.dist else "", ep.name))


def _origin(ep: EntryPoint) -> str:
    dist = f"{ep.dist.name} {ep.dist.version}" if ep.dist else "unknown distribution"
    return f"entry point {ep.name!r} ({ep.value}) from {dist}"


@cache
def rules() -> dict[str, type[Rule]]:
    """Every registered rule class by id."""
    found: dict[str, type[Rule]] = {}
    for ep in _group("errlint.rules"):
        try:
            loaded = ep.load()
        except Exception as exc:
            raise ConfigError(f"failed to load rule plugin {_origin(ep)}: {exc}") from exc
        candidates: Iterable[Any] = loaded if isinstance(loaded, (list, tuple)) else (loaded,)
        for rule in candidates:
            _check_rule(rule, ep)
            if rule.id in found and found[rule.id] is not rule:
                raise ConfigError(f"rule id {rule.id!r} is registered twice (again by {_origin(ep)})")
            found[rule.id] = rule
    return dict(sorted(found.items()))


def _check_rule(rule: Any, ep: EntryPoint) -> None:
    if not (isinstance(rule, type) and issubclass(rule, (OperationRule, DocumentRule))):
        raise ConfigError(
            f"{_origin(ep)} does not provide an OperationRule or DocumentRule subclass: {rule!r}"
        )
    rule_id = getattr(rule, "id", None)
    if not isinstance(rule_id, str) or not RULE_ID_RE.match(rule_id):
        raise ConfigError(f"{_origin(ep)}: rule id {rule_id!r} is not kebab-case")
    if not (rule.__doc__ or "").strip():
        raise ConfigError(f"{_origin(ep)}: rule {rule_id!r} has no docstring")


def rule(rule_id: str) -> type[Rule]:
    rule_id = ALIASES.get(rule_id, rule_id)
    known = rules()
    if rule_id not in known:
        raise ConfigError(f"unknown rule {rule_id!r} (see 'errlint rules')")
    return known[rule_id]


@cache
def reporters() -> dict[str, Any]:
    found: dict[str, Any] = {}
    for ep in _group("errlint.reporters"):
        try:
            found[ep.name] = ep.load()
        except Exception as exc:
            raise ConfigError(f"failed to load reporter plugin {_origin(ep)}: {exc}") from exc
    return found


def reporter_names() -> list[str]:
    return sorted(ep.name for ep in _group("errlint.reporters"))


def reporter(name: str) -> Any:
    found = {ep.name: ep for ep in _group("errlint.reporters")}
    if name not in found:
        raise ConfigError(f"unknown format {name!r} (choose from {', '.join(sorted(found))})")
    try:
        return found[name].load()
    except Exception as exc:
        raise ConfigError(f"failed to load reporter plugin {_origin(found[name])}: {exc}") from exc


@cache
def rulesets() -> dict[str, Path]:
    """Built-in and plugin rulesets: name -> YAML file."""
    found: dict[str, Path] = {}
    for ep in _group("errlint.rulesets"):
        try:
            loaded = ep.load()
        except Exception as exc:
            raise ConfigError(f"failed to load ruleset plugin {_origin(ep)}: {exc}") from exc
        if isinstance(loaded, ModuleType) and loaded.__file__:
            found[ep.name] = Path(loaded.__file__).with_name(f"{ep.name}.yaml")
        elif isinstance(loaded, (str, Path)):
            found[ep.name] = Path(loaded)
        else:
            raise ConfigError(f"{_origin(ep)} must name a module or a path")
    return found
