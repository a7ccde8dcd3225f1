"""Does a declared schema have a convention's shape? And does an example fit the convention?

A convention is a small canonical JSON Schema (``type``, ``properties``, ``required``,
``items``, ``additionalProperties``, plus ``x-forbidden``: members that must not be
declared). A declared schema matches when, after ``$ref``s and ``allOf`` merges, it
requires the convention's required members with compatible types; ``oneOf``/``anyOf``
match when every branch does. Issues name the member as ``errors[].status``. In OpenAPI
3.1 the keywords beside a ``$ref`` are merged with its target (JSON Schema 2020-12); in
3.0 and 2.0 they are ignored. Members (``properties``, ``items``, ``additionalProperties``)
keep the place where they are written, so an issue with ``status: {$ref: Code}`` lands at
``status``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from linter.resolve.resolver import Node
from linter.spec.openapi import ref_siblings_apply

MAX_DEPTH = 32


@dataclass(frozen=True, slots=True)
class ShapeIssue:
    member: str
    message: str
    node: Node


@dataclass
class FlatSchema:
    """A schema with ``$ref``s followed and ``allOf`` merged."""

    node: Node
    types: set[str] | None = None
    properties: dict[str, Node] = field(default_factory=dict)
    required: set[str] = field(default_factory=set)
    items: Node | None = None
    additional: Node | None = None
    branches: list[Node] = field(default_factory=list)


def flatten(node: Node, _depth: int = 0) -> FlatSchema:
    """``node`` flattened. ``flat.node``, where issues with the schema as a whole land (a
    member it lacks), is the ``$ref``'s target, unless keywords beside the ``$ref`` apply."""
    target = node.deref() if node.is_ref and (len(node.value) == 1 or not ref_siblings_apply(node)) else node
    flat = FlatSchema(target or node)
    _merge_into(flat, node, _depth, set())
    return flat


def _merge_into(flat: FlatSchema, node: Node, depth: int, seen: set[tuple[int, tuple[str, ...]]]) -> None:
    key = (id(node.doc), node.pointer)
    if depth > MAX_DEPTH or key in seen or not node.is_mapping:
        return
    seen.add(key)
    if node.is_ref:
        # the target applies; in 3.1 the keywords beside the $ref apply too (ref_siblings_apply)
        target = node.deref()
        if target is not None:
            _merge_into(flat, target, depth + 1, seen)
        if target is None or len(node.value) == 1 or not ref_siblings_apply(node):
            return
    value = node.value
    types = _types_of(value)
    if types is not None:
        flat.types = types if flat.types is None else (flat.types & types) or types
    # members are kept as written (a `status: {$ref: Code}` member is reported at `status`,
    # where the convention is broken, not at `Code`, which may serve elsewhere rightly)
    properties = node.get("properties")
    if properties is not None and properties.is_mapping:
        for name in properties.keys():
            prop = properties.child(name)
            if prop is not None and (not prop.is_ref or prop.deref() is not None):
                flat.properties.setdefault(name, prop)
    required = value.get("required")
    if isinstance(required, list):
        flat.required.update(r for r in required if isinstance(r, str))
    items = _member(node, "items")
    if items is not None and flat.items is None:
        flat.items = items
    additional = _member(node, "additionalProperties")
    if additional is not None and additional.is_mapping and flat.additional is None:
        flat.additional = additional
    for keyword in ("oneOf", "anyOf"):
        branches = node.get(keyword)
        if branches is not None:
            flat.branches.extend(branches.elements())
    all_of = node.get("allOf")
    if all_of is not None and isinstance(all_of.value, list):
        for index in range(len(all_of.value)):
            part = all_of.child(index)
            if part is not None:
                _merge_into(flat, part, depth + 1, seen)


def _member(node: Node, keyword: str) -> Node | None:
    """A subschema as written (a ``$ref`` kept, so findings land where it is used); None when
    absent or its ``$ref`` is broken."""
    child = node.child(keyword)
    if child is None or (child.is_ref and child.deref() is None):
        return None
    return child


def _types_of(value: dict[str, Any]) -> set[str] | None:
    declared = value.get("type")
    if isinstance(declared, str):
        return {declared}
    if isinstance(declared, list):
        return {t for t in declared if isinstance(t, str)} - {"null"} or None
    if "properties" in value or "additionalProperties" in value:
        return {"object"}
    if "items" in value:
        return {"array"}
    return None


def _compatible(expected: str, declared: set[str]) -> bool:
    if expected in declared:
        return True
    return expected == "number" and "integer" in declared


def _article(type_name: str) -> str:
    return ("an " if type_name[0] in "aeiou" else "a ") + type_name


def match(
    declared: Node | None,
    canonical: dict[str, Any],
    label: str,
    *,
    strict_required: bool = True,
    member: str = "",
    _depth: int = 0,
) -> list[ShapeIssue]:
    """Issues that keep ``declared`` from having the shape of ``canonical``."""
    if declared is None:
        return []
    flat = flatten(declared)
    if flat.branches and not flat.properties and flat.types in (None, {"object"}):
        issues: list[ShapeIssue] = []
        for branch in flat.branches:
            for issue in match(
                branch, canonical, label, strict_required=strict_required, member=member, _depth=_depth + 1
            ):
                if issue not in issues:
                    issues.append(issue)
        return issues
    where = member or "the body"
    expected = canonical.get("type")
    if isinstance(expected, str) and flat.types is not None and not _compatible(expected, flat.types):
        got = "/".join(sorted(flat.types))
        return [ShapeIssue(member, f"{where} must be {_article(expected)} ({label}), got {got}", declared)]
    if _depth > MAX_DEPTH:
        return []
    issues = []
    if expected == "object" or "properties" in canonical:
        issues.extend(_match_object(flat, canonical, label, strict_required, member, _depth))
    if expected == "array" and isinstance(canonical.get("items"), dict) and flat.items is not None:
        issues.extend(
            match(
                flat.items,
                canonical["items"],
                label,
                strict_required=strict_required,
                member=f"{member}[]",
                _depth=_depth + 1,
            )
        )
    return issues


def _match_object(
    flat: FlatSchema, canonical: dict[str, Any], label: str, strict: bool, member: str, depth: int
) -> list[ShapeIssue]:
    issues: list[ShapeIssue] = []
    prefix = f"{member}." if member else ""
    properties: dict[str, Any] = canonical.get("properties", {})
    required = canonical.get("required", [])
    for name in required:
        if name not in flat.properties:
            issues.append(
                ShapeIssue(
                    f"{prefix}{name}", f"{prefix}{name} is not declared ({label} requires it)", flat.node
                )
            )
        elif strict and name not in flat.required:
            issues.append(
                ShapeIssue(f"{prefix}{name}", f"{prefix}{name} must be required ({label})", flat.node)
            )
    for name, sub in properties.items():
        if name in flat.properties and isinstance(sub, dict):
            issues.extend(
                match(
                    flat.properties[name],
                    sub,
                    label,
                    strict_required=strict,
                    member=f"{prefix}{name}",
                    _depth=depth + 1,
                )
            )
    for name in canonical.get("x-forbidden", []):
        if name in flat.properties:
            issues.append(
                ShapeIssue(
                    f"{prefix}{name}",
                    f"{prefix}{name} must not be declared ({label} forbids it here)",
                    flat.properties[name],
                )
            )
    extra = canonical.get("additionalProperties")
    if isinstance(extra, dict):
        if flat.additional is not None:
            issues.extend(
                match(
                    flat.additional,
                    extra,
                    label,
                    strict_required=strict,
                    member=f"{prefix}*",
                    _depth=depth + 1,
                )
            )
        for name, prop in flat.properties.items():
            if name not in properties:
                issues.extend(
                    match(
                        prop, extra, label, strict_required=strict, member=f"{prefix}{name}", _depth=depth + 1
                    )
                )
    return issues


def example_errors(instance: Any, canonical: dict[str, Any], limit: int = 5) -> list[str]:
    """Validator messages for ``instance`` against ``canonical``, each naming where it failed,
    values shown as JSON (``detail: null is not of type "string"``)."""
    from jsonschema_rs import Draft202012Validator

    messages = []
    validator = Draft202012Validator(canonical)
    errors = sorted(validator.iter_errors(instance), key=lambda e: [str(p) for p in e.instance_path])
    for error in errors[:limit]:
        where = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in error.instance_path).lstrip(".")
        messages.append(f"{where or 'the body'}: {error.message}")
    return messages
