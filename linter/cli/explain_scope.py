"""``--explain-scope``: which API family and conventions each operation got, and why."""

from __future__ import annotations

from collections.abc import Iterator

from linter.report.escape import printable
from linter.resolve.resolver import SpecSet
from linter.spec.openapi import iter_operations


def explain_scopes(spec: SpecSet | None) -> Iterator[str]:
    if spec is None:
        return
    from linter.vendors.jsonapi import is_jsonapi  # only when asked: a plain lint needs neither
    from linter.vendors.saleslayer import detect_family

    for op in iter_operations(spec):
        family, why = detect_family(op)
        jsonapi = "JSON:API" if is_jsonapi(op) else "not JSON:API"
        name = family.upper() if family == "dam" else (family.capitalize() if family else "no family")
        yield printable(f"{spec.root.display}: {op.label}: {name} ({why}); {jsonapi}")
