"""Conditions of a policy's ``when:``: which operations in scope a policy applies to, and the
per-operation words its message may quote.

```yaml
when:                                   # one mapping, or alternatives: the first that holds wins
  - {query-parameters: true, message: "query parameters ({query-parameters}) can be malformed"}
  - {request-body: true, message: "the body can be invalid"}
```

Unlike ``scope`` (which a config's ``rules: {id: {scope: ...}}`` replaces), ``when`` is part
of what the policy means, so narrowing or widening a policy's scope keeps its conditions.
Every scope key registered with :func:`linter.spec.scope.register_predicate` is a condition
(``request-body``, ``path-parameter``, ``item-path``, ``secured``, and those rulesets
register such as ``family`` and ``jsonapi``); so are ``methods`` and the conditions below.
A convention whose test is genuinely not declarative registers its own through the
``errlint.conditions`` entry point group (see :mod:`linter.vendors`); a condition may carry
options, which join the policy rule's ``options:`` (so ``rules: {id: {options: ...}}`` tunes
it), and may describe the operation (``{key}`` in a ``message`` is replaced by that text).
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from linter.jsonvalue import excerpt
from linter.spec.openapi import Operation
from linter.spec.scope import known_methods, parse_flag, predicate


@dataclass(frozen=True)
class Condition:
    """A ``when:`` key. ``parse`` turns the YAML value into what ``test`` takes (raising
    ValueError naming the key); ``test(op, value, options)`` decides per operation, with the
    policy rule's options (an instance with this condition's ``options`` fields);
    ``describe(op, value, options)`` is the text ``{key}`` stands for in a message."""

    key: str
    parse: Callable[[Any], Any]
    test: Callable[[Operation, Any, Any], bool]
    describe: Callable[[Operation, Any, Any], str] | None = None
    #: a frozen dataclass whose fields (with defaults and ``help`` metadata) become options
    options: type | None = None
    help: str = ""


def flag_condition(
    key: str, find: Callable[[Operation, Any], str | None], options: type | None = None, help: str = ""
) -> Condition:
    """A ``key: true|false`` condition from ``find(op, options)``: the text the operation
    gives for ``{key}`` in a message, or None when it has nothing to show (``false``)."""
    return Condition(
        key,
        parse_flag(key),
        lambda op, wanted, opts: (find(op, opts) is not None) == wanted,
        lambda op, wanted, opts: find(op, opts) or "",
        options,
        help,
    )


_CONDITIONS: dict[str, Condition] = {}


def register_condition(condition: Condition) -> None:
    """Make ``condition.key`` a ``when:`` key (a convention's module registers its own)."""
    _CONDITIONS[condition.key] = condition


def condition(key: str) -> Condition | None:
    """The condition named ``key``: registered here, through ``errlint.conditions``, or a
    scope predicate (tested without options)."""
    if key in _CONDITIONS:
        return _CONDITIONS[key]
    from linter import registry
    from linter.spec.scope import scope_keys

    # a generic or built-in scope key is never a plugin's condition: asking would scan every
    # installed distribution for errlint.conditions, on each run that reads such a policy
    scope_key = key in scope_keys() or key in registry.BUILTINS[registry.SCOPES_GROUP]
    found = None if scope_key else registry.condition(key)
    if found is not None:
        register_condition(found)
        return found
    scope_predicate = predicate(key)
    if scope_predicate is None:
        return None
    wrapped = Condition(
        key,
        scope_predicate.parse,
        lambda op, value, options: scope_predicate.test(op, value),
        help=scope_predicate.help,
    )
    register_condition(wrapped)
    return wrapped


def condition_keys() -> tuple[str, ...]:
    """Every ``when:`` key known without loading plugins: the built-in ones, then scope keys."""
    from linter import registry
    from linter.spec.scope import scope_keys

    builtin = {"paths", "tags", "media-types", "extensions", "titles", "files"}
    scopes = (*scope_keys(), *registry.scope_keys())
    keys = {*_CONDITIONS, *registry.condition_keys(), *(k for k in scopes if k not in builtin)}
    return tuple(sorted(keys))


@dataclass(frozen=True)
class Alternative:
    """One mapping of ``when:``: every condition holds; ``message`` replaces the policy's."""

    conditions: tuple[tuple[Condition, Any], ...]
    message: str | None = None
    #: the conditions as written (``request-body true, methods [post]``), for the docs
    text: str = ""

    def holds(self, op: Operation, options: Any) -> bool:
        return all(cond.test(op, value, options) for cond, value in self.conditions)

    def reason(self, op: Operation, options: Any, default: str) -> str:
        """``message`` (or ``default``) with each ``{key}`` of a describing condition replaced."""
        text = default if self.message is None else self.message
        if "{" not in text:
            return text
        described = {cond.key: (cond, value) for cond, value in self.conditions if cond.describe is not None}

        def fill(found: re.Match[str]) -> str:
            cond, value = described[found.group(1)]
            assert cond.describe is not None
            return cond.describe(op, value, options)

        keys = "|".join(re.escape(key) for key in described)
        return re.sub(r"\{(" + keys + r")\}", fill, text) if keys else text


def parse_when(raw: Any, here: Callable[..., str]) -> tuple[Alternative, ...]:
    """``when:`` as alternatives; a mistake raises ValueError whose text starts with the
    ``file:line:column`` of the entry at fault (``here(*keys)`` gives it)."""
    items = raw if isinstance(raw, list) else [raw]
    if not items:
        raise ValueError(f"{here()}: when must be a mapping of conditions, or a list of them")
    alternatives = []
    for index, item in enumerate(items):

        def at(*keys: str, index: int = index) -> str:
            return here(str(index), *keys) if isinstance(raw, list) else here(*keys)

        if not isinstance(item, dict) or not item:
            raise ValueError(
                f"{at()}: each when entry is a mapping of conditions (such as request-body: true)"
            )
        message = item.get("message")
        if message is not None and not isinstance(message, str):
            raise ValueError(f"{at('message')}: message must be text")
        conditions = []
        for key, value in item.items():
            if key == "message":
                continue
            found = condition(key) if isinstance(key, str) else None
            if found is None:
                raise ValueError(
                    f"{at(str(key))}: unknown condition {excerpt(key)} (known: {', '.join(condition_keys())})"
                )
            try:
                conditions.append((found, found.parse(value)))
            except ValueError as exc:
                raise ValueError(f"{at(str(key))}: {exc}") from None
        if message is not None:
            _check_placeholders(message, conditions, at("message"))
        text = ", ".join(f"{key} {_shown(value)}" for key, value in item.items() if key != "message")
        alternatives.append(Alternative(tuple(conditions), message, text))
    return tuple(alternatives)


def _check_placeholders(message: str, conditions: list[tuple[Condition, Any]], at: str) -> None:
    """A ``{key}`` naming a known condition must be one of this entry's describing ones, or
    the message would show the braces to users."""
    from linter import registry
    from linter.spec.scope import scope_keys

    described = {cond.key for cond, _ in conditions if cond.describe is not None}
    # the conditions known without scanning installed distributions for plugins
    known = {*_CONDITIONS, *registry.BUILTINS[registry.CONDITIONS_GROUP], *scope_keys()}
    for name in re.findall(r"\{([A-Za-z0-9_-]+)\}", message):
        if name in known and name not in described:
            have = ", ".join(sorted(described)) or "none"
            raise ValueError(
                f"{at}: {{{name}}} names no describing condition of this entry (it has: {have})"
            )


def _shown(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return "[" + ", ".join(_shown(item) for item in value) + "]"
    return str(value)


def option_fields(alternatives: tuple[Alternative, ...]) -> list[tuple[str, Any, dataclasses.Field[Any]]]:
    """The options the conditions bring, as ``make_dataclass`` field specs (first one wins)."""
    fields: dict[str, tuple[str, Any, dataclasses.Field[Any]]] = {}
    for alternative in alternatives:
        for cond, _ in alternative.conditions:
            if cond.options is None:
                continue
            for item in dataclasses.fields(cond.options):
                copy = dataclasses.field(
                    default=item.default, default_factory=item.default_factory, metadata=item.metadata
                ) if item.default_factory is not dataclasses.MISSING else dataclasses.field(
                    default=item.default, metadata=item.metadata
                )  # fmt: skip
                fields.setdefault(item.name, (item.name, item.type, copy))
    return list(fields.values())


# -- generic conditions ----------------------------------------------------------------------------
def _methods(value: Any) -> frozenset[str]:
    items = value if isinstance(value, list) else [value]
    if not items or not all(isinstance(item, str) for item in items):
        raise ValueError("methods must be a method name or a list of them")
    return frozenset(known_methods(items))


def _query_names(op: Operation) -> list[str]:
    return [param.name for param in op.parameters if param.location == "query"]


register_condition(
    Condition(
        "methods", _methods, lambda op, methods, options: op.method in methods, help="the operation's method"
    )
)
register_condition(
    flag_condition(
        "query-parameters",
        lambda op, options: ", ".join(_query_names(op)) or None,
        help="the operation takes query parameters; {query-parameters} in a message lists their names",
    )
)
