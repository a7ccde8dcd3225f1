"""``--explain-scope``: which API family and conventions each operation got, and why."""

from __future__ import annotations

from collections.abc import Iterator

from linter.report.escape import printable
from linter.resolve.resolver import SpecSet
from linter.spec.openapi import iter_operations
from linter.spec.scope import detect_family, is_jsonapi


def explain_scopes(spec: SpecSet | None) -> Iterator[str]:
    if spec is None:
        return
    for op in iter_operations(spec):
        family, why = detect_family(op)
        jsonapi = "JSON:API" if is_jsonapi(op) else "not JSON:API"
        name = family.upper() if family == "dam" else (family.capitalize() if family else "no family")
        yield printable(f"{spec.root.display}: {op.label}: {name} ({why}); {jsonapi}")
