"""The errors of a JSON Schema validation, as a user can act on them: the offending node, the key.

A validator reports a value that fits none of ``oneOf``/``anyOf``'s branches as one error
("... is not valid under any of the schemas listed in the 'oneOf' keyword") at the parent.
That says neither what is wrong nor where. jsonschema's ``best_match`` ranks errors by
depth; here the branch the value was evidently meant for is chosen first, by its
discriminating keys, then the errors inside it are reported:

- a branch that needs a key the value lacks because it is another kind of object
  (``$ref`` for a Reference Object) or whose discriminator does not match (``type``,
  ``in``: an ``enum``/``const`` failure of a direct member) or that wants another JSON
  type is a poor fit (weights below);
- each key an ``additionalProperties``/``unevaluatedProperties`` failure names is
  reported at that key ("property "schema" is not expected here"), as Redocly CLI and
  Spectral do; an ``unevaluatedProperties`` failure for a key whose own value has errors
  is dropped (the key is unevaluated only because its value failed);
- a ``format: regex`` failure says the text is not an ECMA-262 regular expression
  (OpenAPI 3.0 section 4.7.24, JSON Schema Validation 2020-12 section 7.3.8).

Values in messages are JSON (``null``, ``"404"``, ``true``), long ones abbreviated.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

#: weights of a branch error that shows the value was not meant for that branch
_WRONG_KIND = 1000  # the branch needs `$ref` and the value has none
_WRONG_TYPE = 100  # the value's JSON type or discriminator value is another
_MISFIT = 1  # a missing property or an unexpected one at the value itself
#: where the key that tells a branch from another is an enum/const member
_DISCRIMINATORS = frozenset({"type", "in", "$ref", "style", "openapi", "swagger"})
#: what a key means elsewhere, for the common mix-ups of OpenAPI versions
_HINTS: dict[tuple[str, str], str] = {
    ("3", "schema"): "in OpenAPI 3 a response or parameter puts its schema under content.<media type>.schema",
    ("2", "content"): "in OpenAPI 2.0 a response gives its schema directly, as schema",
    ("3", "produces"): "in OpenAPI 3 media types are the keys of content",
    ("3", "consumes"): "in OpenAPI 3 media types are the keys of content",
}
_EXCERPT = 60
_LIMIT = 300


@dataclass(frozen=True, slots=True)
class StructureError:
    """One error to report: ``path`` into the validated instance, and the message."""

    path: tuple[str, ...]
    message: str


def structure_errors(errors: Iterable[Any], data: Any, version: str | None = None) -> Iterator[StructureError]:
    """The actionable errors behind jsonschema-rs ``ValidationError``s of ``data``, in order,
    deduplicated. ``version`` ("2.0", "3.0", "3.1") adds hints for keys of another OpenAPI
    version."""
    leaves = [leaf for error in errors for leaf in _descend(error)]
    failing = {_path(leaf) for leaf in leaves if _kind(leaf) != "unevaluatedProperties"}
    failing |= {
        (*_path(leaf), key) for leaf in leaves if _kind(leaf) == "unevaluatedProperties" for key in _unexpected(leaf)
    }
    seen: set[tuple[tuple[str, ...], str]] = set()
    for leaf in leaves:
        for found in _phrase(leaf, failing, version, data):
            key = (found.path, found.message)
            if key not in seen:
                seen.add(key)
                yield found


def _descend(error: Any) -> list[Any]:
    """The leaf errors of the branch ``error`` (a ``oneOf``/``anyOf`` failure) was meant for."""
    branches = _branches(error)
    if not branches:
        return [error]
    base = _path(error)
    scored = sorted(enumerate(branches), key=lambda item: (_misfit(item[1], base, error.instance), item[0]))
    best = scored[0][1]
    if len(scored) > 1 and _all_at_base(branches, base):
        # nothing tells the branches apart (a value of the wrong type for every one):
        # say what each would have needed
        return [_Composed(base, _alternatives(error.instance, branches))]
    return [leaf for sub in best for leaf in _descend(sub)]


def _branches(error: Any) -> list[list[Any]]:
    if _kind(error) not in ("oneOf", "anyOf"):
        return []
    context = getattr(error.kind, "context", None)
    if not context or type(error.kind).__name__ == "OneOfMultipleValid":
        return []
    return [list(branch) for branch in context]


def _misfit(branch: list[Any], base: tuple[str, ...], instance: Any) -> int:
    score = 0
    for error in branch:
        path, kind = _path(error), _kind(error)
        if path == base:
            if kind == "required":
                missing = error.kind.as_dict().get("property")
                score += _WRONG_KIND if missing == "$ref" else _MISFIT
            elif kind in ("type", "falseSchema", "enum", "const", "not"):
                score += _WRONG_TYPE
            elif kind in ("additionalProperties", "unevaluatedProperties"):
                unexpected = _unexpected(error)
                score += _WRONG_KIND if "$ref" in unexpected else _MISFIT * len(unexpected)
            elif kind in ("oneOf", "anyOf"):
                score += min(
                    (_misfit(sub, base, instance) for sub in _branches(error)), default=_MISFIT
                )
        elif len(path) == len(base) + 1 and kind in ("enum", "const") and path[-1] in _DISCRIMINATORS:
            score += _WRONG_TYPE
    return score


def _all_at_base(branches: list[list[Any]], base: tuple[str, ...]) -> bool:
    """Whether every branch fails only on the value's own type or enum."""
    return all(
        branch and all(_path(e) == base and _kind(e) in ("type", "enum", "const") for e in branch)
        for branch in branches
    )


def _alternatives(instance: Any, branches: list[list[Any]]) -> str:
    shown = excerpt(instance)
    reasons: list[str] = []
    for branch in branches:
        for error in branch:
            reason = _reason(error, shown)
            if reason not in reasons:
                reasons.append(reason)
    if len(reasons) == 1:
        return f"{shown} {reasons[0]}"
    return f"{shown} matches none of the allowed forms: it " + "; it ".join(reasons)


@dataclass(frozen=True, slots=True)
class _Composed:
    """An error made here (several branches' reasons in one)."""

    path_: tuple[str, ...]
    message: str


def _phrase(
    error: Any, failing: set[tuple[str, ...]], version: str | None, data: Any
) -> Iterator[StructureError]:
    path, kind = _path(error), _kind(error)
    label = _label(path, data)
    if isinstance(error, _Composed):
        yield StructureError(path, _clip(label + error.message))
        return
    if kind in ("additionalProperties", "unevaluatedProperties"):
        for key in _unexpected(error):
            inner = (*path, key)
            if kind == "unevaluatedProperties" and any(len(p) > len(inner) and p[: len(inner)] == inner for p in failing):
                continue  # unevaluated because its own value failed: that failure says why
            message = f"property {json.dumps(key)} is not expected here"
            hint = _HINTS.get(((version or "3")[0], key))
            yield StructureError((*path, key), f"{message} ({hint})" if hint else message)
        return
    if kind == "format" and error.kind.as_dict().get("format") == "regex":
        yield StructureError(
            path, f"{label}{excerpt(error.instance)} is not a valid regular expression (ECMA-262)"
        )
        return
    if kind == "required":  # at the object that lacks it: "description" is a required property
        yield StructureError(path, _clip(f"{json.dumps(error.kind.as_dict().get('property'))} is a required property"))
        return
    yield StructureError(path, _clip(f"{label}{excerpt(error.instance)} {_reason(error, None)}"))


def _label(path: tuple[str, ...], data: Any) -> str:
    """``"minLength: "``, ``"items[0]: "``: the member of ``data`` an error is about, or
    nothing at the root. (jsonschema-rs gives digit-only keys as ints, so whether a part
    is an array index is read from the data.)"""
    if not path:
        return ""
    parent = data
    for part in path[:-1]:
        if isinstance(parent, dict):
            parent = parent.get(part)
        elif isinstance(parent, list) and part.isdigit() and int(part) < len(parent):
            parent = parent[int(part)]
        else:
            break
    if isinstance(parent, list) and len(path) > 1:
        return f"{path[-2]}[{path[-1]}]: "
    return f"{path[-1]}: "


def _reason(error: Any, shown: str | None) -> str:
    """The message without the instance it starts with: "is not of type "string""."""
    message = " ".join(str(error.message).split())
    full = json.dumps(error.instance, separators=(",", ":"), ensure_ascii=False, default=str)
    for prefix in (full, shown or "", "the value"):
        if prefix and message.startswith(prefix + " "):
            return message[len(prefix) + 1 :]
    return message


def _unexpected(error: Any) -> list[str]:
    found = error.kind.as_dict().get("unexpected") or []
    return [str(key) for key in found]


def _kind(error: Any) -> str:
    if isinstance(error, _Composed):
        return "composed"
    return str(error.kind.name)


def _path(error: Any) -> tuple[str, ...]:
    if isinstance(error, _Composed):
        return error.path_
    return tuple(str(part) for part in error.instance_path)


def excerpt(value: Any, limit: int = _EXCERPT) -> str:
    """``value`` as compact JSON, cut to about ``limit`` characters (``{"a":1,…}``)."""
    text = json.dumps(value, separators=(",", ":"), ensure_ascii=False, default=str)
    if len(text) <= limit:
        return text
    closer = {"{": "}", "[": "]"}.get(text[0], "")
    return text[: limit - 1 - len(closer)] + "…" + closer


def _clip(message: str) -> str:
    return message if len(message) <= _LIMIT else message[: _LIMIT - 1] + "…"
