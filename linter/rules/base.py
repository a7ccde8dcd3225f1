"""The rule API: what a rule is, what it sees, and what it yields.

A rule is a class with an ``id``, a ``default_severity``, an optional ``Options``
dataclass and a docstring (summary line, ``Why:``, ``Bad:``/``Good:`` examples). An
:class:`OperationRule` is called once per operation in its scope; a
:class:`DocumentRule` once per spec. Both yield :class:`Problem`s and never print.
"""

from __future__ import annotations

import dataclasses
import inspect
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar

from linter.jsonvalue import excerpt
from linter.model import Severity
from linter.resolve.resolver import Node, Site

if TYPE_CHECKING:
    from linter.resolve.resolver import SpecSet
    from linter.spec.openapi import Operation


@dataclass(frozen=True, slots=True)
class Problem:
    """What a rule reports: where (a node or a site), what, optionally which response, other
    places that explain it, each ``(node or site, what it is)`` (the engine lists them in the
    finding's ``related`` after the ``$ref`` sites that use ``at``), and the defect apart
    from its use."""

    at: Node | Site
    message: str
    status: str | None = None
    related: tuple[tuple[Node | Site, str], ...] = ()
    #: what the defect is without naming the use that reached it (``message`` may name the
    #: status and media type); one place reached by several uses whose messages differ is
    #: then one finding, with this as its message. None: ``message`` names no use.
    defect: str | None = None

    def explained_sites(self) -> tuple[tuple[Site, str], ...]:
        """``related`` with every place as a site."""
        return tuple((at.site if isinstance(at, Node) else at, what) for at, what in self.related)

    def origin(self) -> tuple[Site, tuple[Site, ...]]:
        """Where the problem is, and the ``$ref`` sites followed to get there (outermost first;
        empty for a problem reported at a :class:`~linter.resolve.resolver.Site`)."""
        if isinstance(self.at, Node):
            return self.at.site, self.at.via
        return self.at, ()


@dataclass(frozen=True)
class NoOptions:
    pass


@dataclass(frozen=True)
class Context:
    """Read-only inputs of one rule run."""

    spec: SpecSet
    options: Any
    version: str | None


class Rule:
    id: ClassVar[str]
    default_severity: ClassVar[Severity] = Severity.WARNING
    Options: ClassVar[type] = NoOptions
    #: Whether the rule costs enough on big specs to be run in a helper process, beside the
    #: others, when the engine may use two (its results are the same either way).
    costly: ClassVar[bool] = False
    #: Which operations the rule applies to unless a ruleset or config says otherwise
    #: (same keys as a ruleset's ``scope``: paths, methods, tags, family, jsonapi, ...).
    default_scope: ClassVar[dict[str, Any] | None] = None
    #: The ``error-bodies:`` convention (by its name) whose bodies this rule checks, if any:
    #: ``errlint fix`` lets :meth:`tailor_error_body` adapt those bodies to the rule's options.
    error_bodies: ClassVar[str | None] = None

    @classmethod
    def tailor_error_body(cls, schema: dict[str, Any], options: Any) -> dict[str, Any]:
        """The body schema ``errlint fix`` writes when this rule runs with ``options``, from
        the declared ``schema`` (unchanged unless a rule's options demand more of it)."""
        return schema

    @classmethod
    def summary(cls) -> str:
        return doc_of(cls).split("\n", 1)[0].strip()

    @classmethod
    def documentation(cls) -> str:
        return doc_of(cls)

    @classmethod
    def option_fields(cls) -> list[dataclasses.Field[Any]]:
        return list(dataclasses.fields(cls.Options))

    @classmethod
    def make_options(cls, raw: dict[str, Any] | None, where: str = "") -> Any:
        """Build ``Options`` from kebab-case YAML keys; unknown keys or wrong types raise ValueError."""
        raw = raw or {}
        fields = {f.name: f for f in dataclasses.fields(cls.Options)}
        values: dict[str, Any] = {}
        for key, value in raw.items():
            name = str(key).replace("-", "_")
            if name not in fields:
                known = ", ".join(sorted(f.replace("_", "-") for f in fields)) or "none"
                raise ValueError(f'unknown option "{key}" for rule "{cls.id}" (known: {known})')
            values[name] = _coerce(value, fields[name], cls.id, str(key))
        return cls.Options(**values)


#: the operations an :class:`OperationRule` sees unless it says otherwise: those under ``paths``
PATHS_ONLY: frozenset[str] = frozenset({"paths"})
#: every operation: under ``paths``, ``webhooks`` (3.1) and ``callbacks`` (3.x)
EVERY_OPERATION: frozenset[str] = frozenset({"paths", "webhooks", "callbacks"})


class OperationRule(Rule):
    #: where the operations this rule checks are declared (:data:`PATHS_ONLY` or
    #: :data:`EVERY_OPERATION`): rules about bodies and examples read webhooks and callbacks
    #: too; rules that demand status codes by an API's conventions read ``paths`` only, since
    #: a webhook's or callback's responses are sent by the API's consumer
    operation_kinds: ClassVar[frozenset[str]] = PATHS_ONLY

    def check(self, op: Operation, ctx: Context) -> Iterator[Problem]:
        raise NotImplementedError


class DocumentRule(Rule):
    def check(self, spec: SpecSet, ctx: Context) -> Iterator[Problem]:
        raise NotImplementedError


def doc_of(cls: type) -> str:
    return inspect.cleandoc(cls.__doc__ or "")


def _coerce(value: Any, field: dataclasses.Field[Any], rule_id: str, key: str) -> Any:
    default = field.default if field.default is not dataclasses.MISSING else None
    if default is None and field.default_factory is not dataclasses.MISSING:  # type: ignore[misc]
        default = field.default_factory()  # type: ignore[misc]
    problem = f'option "{key}" of rule "{rule_id}"'
    if isinstance(default, bool):
        if not isinstance(value, bool):
            raise ValueError(f"{problem} must be true or false, got {excerpt(value)}")
        return value
    if isinstance(default, int):
        if not isinstance(value, int) or isinstance(value, bool):
            raise ValueError(f"{problem} must be an integer, got {excerpt(value)}")
        return value
    if isinstance(default, str):
        if not isinstance(value, str):
            raise ValueError(f"{problem} must be a string, got {excerpt(value)}")
        return value
    if isinstance(default, (tuple, list, frozenset)):
        if isinstance(value, (str, int)):
            value = [value]
        if not isinstance(value, list):
            raise ValueError(f"{problem} must be a list, got {excerpt(value)}")
        for item in value:  # names, globs and codes (404 unquoted); null or a mapping is a slip
            if isinstance(item, bool) or not isinstance(item, (str, int)):
                raise ValueError(f"{problem} must list strings, got {excerpt(item)} in {excerpt(value)}")
        return tuple(str(v) for v in value)
    return value


def rules_defined_in(namespace: Mapping[str, Any]) -> tuple[type[Rule], ...]:
    """The rule classes a module defines, in the order it defines them: pass the module's
    ``globals()`` (or ``vars(module)``) to make its ``RULES``. A rule class is an
    :class:`OperationRule` or :class:`DocumentRule` subclass with its own ``id``; imported
    classes and id-less bases are left out, so a new rule needs no list of its own."""
    module = namespace["__name__"]
    return tuple(
        value
        for value in namespace.values()
        if isinstance(value, type)
        and issubclass(value, (OperationRule, DocumentRule))
        and value.__module__ == module
        and "id" in vars(value)
    )
