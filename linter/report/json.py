"""JSON for tools: ``{"version": 1, "findings": [...], "summary": {...}}`` (a stable contract)."""

from __future__ import annotations

import json
from typing import Any, ClassVar, TextIO

from linter import __version__
from linter.model import Finding, LintResult, Location
from linter.report.base import BaseReporter

JSON_FORMAT_VERSION = 1


def location_fields(location: Location) -> dict[str, Any]:
    return {
        "file": location.file,
        "line": location.line,
        "column": location.column,
        "pointer": location.pointer_str,
    }


def finding_to_dict(finding: Finding) -> dict[str, Any]:
    return {
        "rule": finding.rule,
        "severity": finding.severity.label,
        "message": finding.message,
        **location_fields(finding.location),
        "operation": finding.operation,
        "status": finding.status,
        "related": [
            {**location_fields(r.location), "operation": r.operation, "message": r.message}
            for r in finding.related
        ],
    }


class JsonReporter(BaseReporter):
    name: ClassVar[str] = "json"

    def render(self, result: LintResult, out: TextIO) -> None:
        document = {
            "version": JSON_FORMAT_VERSION,
            "tool": {"name": "errlint", "version": __version__},
            "findings": [finding_to_dict(f) for f in result.findings],
            "summary": {**result.counts(), "total": len(result.findings), "files": len(result.files)},
        }
        json.dump(document, out, indent=2, ensure_ascii=False)
        out.write("\n")
