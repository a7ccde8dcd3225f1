"""Which operations a rule applies to: path globs, methods, tags, media types, extensions,
``info.title`` patterns and file globs, plus the conditions registered with
:func:`register_predicate`: generic ones below (whether the operation has a request body, a
path parameter, security requirements) and those a convention registers by name through the
``errlint.scopes`` entry point group (Sales Layer's ``family``, JSON:API's ``jsonapi``; see
:mod:`linter.vendors`), loaded the first time a scope names them."""

from __future__ import annotations

import fnmatch
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from linter.jsonvalue import excerpt
from linter.spec.openapi import METHODS_3_2, Operation

_SCOPE_KEYS = (
    "paths",
    "methods",
    "tags",
    "media-types",
    "extensions",
    "titles",
    "files",
)


@dataclass(frozen=True)
class ScopePredicate:
    """A scope key beyond the built-in ones: ``parse`` turns the YAML value into what ``test``
    takes (raising ValueError with a message naming the key), ``test`` decides per operation."""

    key: str
    parse: Callable[[Any], Any]
    test: Callable[[Operation, Any], bool]
    help: str = ""


_PREDICATES: dict[str, ScopePredicate] = {}


def register_predicate(predicate: ScopePredicate) -> None:
    """Make ``predicate.key`` a scope key everywhere (rules, policies, overrides). A ruleset's
    Python module registers its own keys on import; a key cannot shadow a built-in one."""
    if predicate.key in _SCOPE_KEYS:
        raise ValueError(f"scope key {excerpt(predicate.key)} is built in")
    _PREDICATES[predicate.key] = predicate


def scope_keys() -> tuple[str, ...]:
    """Every scope key: the built-in ones, then the registered ones."""
    return (*_SCOPE_KEYS, *sorted(_PREDICATES))


def _known(key: Any) -> bool:
    """Whether ``key`` is a scope key, loading the predicate registered under that name
    (``errlint.scopes``) the first time it is asked for."""
    if key in _SCOPE_KEYS or key in _PREDICATES:
        return True
    if not isinstance(key, str):
        return False
    from linter import registry

    predicate = registry.scope_predicate(key)
    if predicate is None:
        return False
    if key not in _PREDICATES:
        register_predicate(predicate)
    return True


def predicate(key: str) -> ScopePredicate | None:
    """The scope predicate named ``key`` (a generic one, or one registered by name), or None."""
    return _PREDICATES.get(key) if _known(key) else None


def parse_flag(key: str) -> Callable[[Any], bool]:
    def parse(value: Any) -> bool:
        if not isinstance(value, bool):
            raise ValueError(f"scope key {excerpt(key)} must be true or false")
        return value

    return parse


def _as_list(value: Any, key: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, (str, int, bool)):
        return (str(value),)
    if isinstance(value, list) and all(isinstance(v, (str, int, bool)) for v in value):
        return tuple(str(v) for v in value)
    raise ValueError(f"scope key {excerpt(key)} must be a string or a list of strings")


def known_methods(names: tuple[str, ...] | list[str]) -> tuple[str, ...]:
    """``names`` lower-cased; a name that is no OpenAPI operation key (``gett``) raises
    ValueError, since it could never match and would silently turn the rule off."""
    for name in names:
        if name.lower() not in METHODS_3_2:
            raise ValueError(f"{excerpt(name)} is not a method (use {', '.join(METHODS_3_2)})")
    return tuple(name.lower() for name in names)


@dataclass(frozen=True)
class Scope:
    paths: tuple[str, ...] = ()
    methods: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    media_types: tuple[str, ...] = ()
    extensions: tuple[tuple[str, tuple[str, ...]], ...] = ()
    titles: tuple[str, ...] = ()
    files: tuple[str, ...] = ()
    #: registered predicates and their parsed values, in the order written
    conditions: tuple[tuple[str, Any], ...] = ()

    @classmethod
    def parse(cls, raw: Any) -> Scope:
        if raw is None:
            return cls()
        if not isinstance(raw, dict):
            raise ValueError("scope must be a mapping")
        unknown = sorted(str(key) for key in raw if not _known(key))
        if unknown:
            from linter import registry

            known = (*_SCOPE_KEYS, *sorted({*_PREDICATES, *registry.scope_keys()}))
            raise ValueError(f"unknown scope key {excerpt(unknown[0])} (known: {', '.join(known)})")
        conditions = tuple(
            (str(key), _PREDICATES[key].parse(value)) for key, value in raw.items() if key in _PREDICATES
        )
        extensions = raw.get("extensions") or {}
        if not isinstance(extensions, dict):
            raise ValueError("scope key 'extensions' must map extension names to values")
        return cls(
            paths=_as_list(raw.get("paths"), "paths"),
            methods=known_methods(_as_list(raw.get("methods"), "methods")),
            tags=tuple(t.lower() for t in _as_list(raw.get("tags"), "tags")),
            media_types=tuple(m.lower() for m in _as_list(raw.get("media-types"), "media-types")),
            extensions=tuple((str(k), _as_list(v, f"extensions.{k}")) for k, v in extensions.items()),
            titles=_as_list(raw.get("titles"), "titles"),
            files=_as_list(raw.get("files"), "files"),
            conditions=conditions,
        )

    def matches(self, op: Operation) -> bool:
        if self.paths and not any(fnmatch.fnmatchcase(op.path, p) for p in self.paths):
            return False
        if self.methods and op.method not in self.methods:
            return False
        if self.tags and not {t.lower() for t in op.tags} & set(self.tags):
            return False
        if self.media_types:
            bases = {m.split(";", 1)[0].strip().lower() for m in op.all_media_types()}
            if not any(fnmatch.fnmatchcase(b, p) for b in bases for p in self.media_types):
                return False
        for name, values in self.extensions:
            actual = op.extension(name)
            if actual is None or (values and str(actual).lower() not in {v.lower() for v in values}):
                return False
        if self.titles:
            title = spec_title(op).lower()
            if not any(fnmatch.fnmatch(title, p.lower()) for p in self.titles):
                return False
        if self.files and not any(fnmatch.fnmatch(op.spec.root.display, p) for p in self.files):
            return False
        return all(_PREDICATES[key].test(op, value) for key, value in self.conditions)


def spec_title(op: Operation) -> str:
    info = op.root.value.get("info") if isinstance(op.root.value, dict) else None
    title = info.get("title") if isinstance(info, dict) else None
    return title if isinstance(title, str) else ""


register_predicate(
    ScopePredicate(
        "request-body",
        parse_flag("request-body"),
        lambda op, wanted: op.has_body == wanted,
        "the operation takes a request body (3.x requestBody, 2.0 body or formData parameter)",
    )
)
register_predicate(
    ScopePredicate(
        "path-parameter",
        parse_flag("path-parameter"),
        lambda op, wanted: op.is_id_path == wanted,
        "the path has a template parameter such as {id}",
    )
)
register_predicate(
    ScopePredicate(
        "item-path",
        parse_flag("item-path"),
        lambda op, wanted: op.ends_with_id == wanted,
        "the path ends with a template parameter (one item, such as /pets/{id})",
    )
)
register_predicate(
    ScopePredicate(
        "secured",
        parse_flag("secured"),
        lambda op, wanted: op.is_secured == wanted,
        "the operation has a non-empty security requirement (its own or the root's)",
    )
)
