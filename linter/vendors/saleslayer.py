"""Sales Layer API families (Catalog, DAM) as the ``family`` scope key.

Source: Sales Layer's "Error responses" page documents 403 for the Catalog API only and
409 for the DAM API only, so the Sales Layer ruleset scopes those rules by family.
"""

from __future__ import annotations

from typing import Any

from linter.jsonvalue import excerpt
from linter.spec.openapi import Operation
from linter.spec.scope import ScopePredicate, spec_title

FAMILIES = ("catalog", "dam")


def detect_family(op: Operation) -> tuple[str | None, str]:
    """The Sales Layer API family of ``op`` (``"catalog"``, ``"dam"`` or None) and why; first
    match wins, as the catalogue orders them: ``x-api-family`` (operation, path item, root),
    a ``/rest/Catalog/`` or ``/rest/DAM/`` path, a Catalog/DAM tag, the ``info.title``."""
    for owner, where in ((op.node, "operation"), (op.path_item, "path item"), (op.root, "root")):
        value = owner.value.get("x-api-family") if isinstance(owner.value, dict) else None
        if isinstance(value, str) and value.lower() in FAMILIES:
            return value.lower(), f"x-api-family: {value} on the {where}"
    lowered = op.path.lower()
    for family, prefix in (("catalog", "/rest/catalog/"), ("dam", "/rest/dam/")):
        if lowered.startswith(prefix) or lowered == prefix.rstrip("/"):
            return family, f"path starts with {prefix}"
    for tag in op.tags:
        if tag.lower() in FAMILIES:
            return tag.lower(), f"tag {excerpt(tag)}"
    title = spec_title(op)
    words = title.lower().replace("-", " ").replace("_", " ").split()
    for family in FAMILIES:
        if family in words:
            return family, f"info.title {excerpt(title)} names {'DAM' if family == 'dam' else 'Catalog'}"
    return None, "no x-api-family, /rest/Catalog|DAM/ path, Catalog/DAM tag or title matched"


def _parse(value: Any) -> tuple[str, ...]:
    if value is None:
        return ()
    items = value if isinstance(value, list) else [value]
    if not all(isinstance(item, str) for item in items):
        raise ValueError("scope key 'family' must be a string or a list of strings")
    for name in items:
        if name.lower() not in (*FAMILIES, "none"):
            raise ValueError(f"scope family must be catalog, dam or none, got {excerpt(name)}")
    return tuple(name.lower() for name in items)


def _test(op: Operation, families: tuple[str, ...]) -> bool:
    return not families or (detect_family(op)[0] or "none") in families


FAMILY = ScopePredicate(
    "family",
    _parse,
    _test,
    "the Sales Layer API family: catalog, dam or none (x-api-family, /rest/Catalog|DAM/ path, tag, title)",
)
