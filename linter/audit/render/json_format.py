"""The matrix as JSON (``schema_version`` 1): summary, columns, rows with cells and findings."""

from __future__ import annotations

import json
from typing import Any, TextIO

from linter import __version__
from linter.audit.coverage import COVERAGE_DEFINITION, Cell, Mark, Matrix, Row, Totals
from linter.model import Finding, Location
from linter.report.json import finding_to_dict, location_fields

SCHEMA_VERSION = 1


def render(matrix: Matrix, out: TextIO, width: int = 120) -> None:
    columns = matrix.columns
    document = {
        "schema_version": SCHEMA_VERSION,
        "tool": {"name": "errlint", "version": __version__},
        "coverage_definition": COVERAGE_DEFINITION,
        "marks": {mark.value: mark.help for mark in Mark},
        "summary": {
            **totals_json(matrix.totals),
            "files": matrix.files,
            "rulesets": matrix.rulesets,
            "operations": len(matrix.rows),
            "group_by": matrix.group_by,
        },
        "columns": [{"status": c, **totals_json(matrix.column_totals(c))} for c in columns],
        "rows": [_row(row) for row in matrix.rows],
        "document_findings": [finding_json(f) for f in matrix.document_findings],
        "errors": matrix.errors,
    }
    json.dump(document, out, indent=2)
    out.write("\n")


def totals_json(totals: Totals) -> dict[str, Any]:
    coverage = None if totals.coverage is None else round(totals.coverage, 2)
    return {
        "required": totals.required,
        "covered": totals.covered,
        "missing": totals.missing,
        "forbidden": totals.forbidden,
        "optional": totals.optional,
        "coverage": coverage,
    }


def location_json(location: Location | None) -> dict[str, Any] | None:
    if location is None:
        return None
    return location_fields(location)


#: the members of a document-level finding in the coverage JSON, in order
_FINDING_KEYS = ("rule", "severity", "message", "status", "file", "line", "column", "pointer")


def finding_json(finding: Finding) -> dict[str, Any]:
    """A finding as the lint JSON report writes it (:func:`linter.report.json.finding_to_dict`),
    without its operation and related places."""
    full = finding_to_dict(finding)
    return {key: full[key] for key in _FINDING_KEYS}


def _row(row: Row) -> dict[str, Any]:
    return {
        "file": row.file,
        "group": row.group,
        "operation": row.op_label,
        "method": row.method,
        "path": row.path,
        "tags": list(row.tags),
        "family": row.family,
        "jsonapi": row.jsonapi,
        "location": location_json(row.location),
        "cells": {status: _cell(cell) for status, cell in row.cells.items()},
        "findings": [finding_json(f) for f in row.other_findings],
        "totals": totals_json(row.totals),
    }


def _cell(cell: Cell) -> dict[str, Any]:
    return {
        "mark": cell.mark.value,
        "declared_as": cell.declared_as,
        "declared_at": location_json(cell.declared_at),
        "expectations": [
            {
                "rule": o.expectation.rule,
                "kind": o.expectation.kind,
                "reason": o.expectation.reason,
                "severity": o.severity.label,
                "violated": o.violated,
                "waived": o.waived,
            }
            for o in cell.outcomes
        ],
        "findings": [finding_json(f) for f in cell.findings],
    }
