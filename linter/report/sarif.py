"""SARIF 2.1.0 for code-scanning services (GitHub, GitLab, Azure DevOps).

Paths are relative to the repository root (``uriBaseId: %SRCROOT%``); fingerprints
come from :mod:`linter.report.fingerprint`, so alerts survive unrelated edits. Nothing
depends on the time or the machine, so reports are byte-stable.
"""

from __future__ import annotations

import json
from typing import Any, ClassVar, TextIO
from urllib.parse import quote

from linter import __version__, homepage, registry
from linter.errors import ConfigError
from linter.model import Finding, LintResult, Location, RuleInfo, Severity
from linter.report.base import RepositoryReporter
from linter.report.fingerprint import FINGERPRINT_KEY, fingerprints, relative_path
from linter.rules.docs import _sections, rule_page

SARIF_VERSION = "2.1.0"
SARIF_SCHEMA = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
SRCROOT = "%SRCROOT%"
LEVELS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}


def help_uri(rule_id: str) -> str | None:
    """Where a rule's documentation lives online (``<homepage>/blob/main/docs/rules.md#<id>``),
    or None when errlint's homepage is not known (:func:`linter.homepage`)."""
    home = homepage()
    return f"{home}/blob/main/docs/rules.md#{rule_id}" if home else None


def rule_infos(result: LintResult) -> list[RuleInfo]:
    """The rules that ran, plus any rule a finding names that the run did not list."""
    infos = {info.id: info for info in result.rules}
    for finding in result.findings:
        if finding.rule not in infos:
            infos[finding.rule] = _registered_info(finding.rule, finding.severity)
    return list(infos.values())


def _registered_info(rule_id: str, severity: Severity) -> RuleInfo:
    try:
        rule = registry.rule(rule_id)
    except ConfigError:
        return RuleInfo(rule_id, severity, rule_id, "")
    return RuleInfo(rule_id, rule.default_severity, rule.summary(), rule.documentation())


def _why(doc: str) -> str:
    _, _, body = doc.partition("\n")
    return dict(_sections(body)).get("Why", "")


def _help_markdown(info: RuleInfo) -> str:
    try:
        return rule_page(registry.rule(info.id))
    except ConfigError:
        return info.doc or info.summary


def rule_descriptor(info: RuleInfo) -> dict[str, Any]:
    descriptor = {
        "id": info.id,
        "shortDescription": {"text": info.summary},
        "fullDescription": {"text": _why(info.doc) or info.summary},
        "help": {"text": info.doc or info.summary, "markdown": _help_markdown(info)},
        "helpUri": help_uri(info.id),
        "defaultConfiguration": {"level": LEVELS[info.severity]},
    }
    return {key: value for key, value in descriptor.items() if value is not None}


class SarifReporter(RepositoryReporter):
    name: ClassVar[str] = "sarif"

    def render(self, result: LintResult, out: TextIO) -> None:
        json.dump(self.log(result), out, indent=2, ensure_ascii=False)
        out.write("\n")

    def log(self, result: LintResult) -> dict[str, Any]:
        """The whole SARIF log as plain data."""
        infos = rule_infos(result)
        index = {info.id: position for position, info in enumerate(infos)}
        prints = fingerprints(result.findings, self.root)
        driver: dict[str, Any] = {"name": "errlint", "version": __version__, "semanticVersion": __version__}
        if homepage():  # SARIF 2.1.0 section 3.19.17: optional; omitted rather than guessed
            driver["informationUri"] = homepage()
        driver["rules"] = [rule_descriptor(info) for info in infos]
        run = {
            "tool": {"driver": driver},
            "columnKind": "unicodeCodePoints",
            "invocations": [self._invocation(result)],
            "results": [
                self._result(finding, index[finding.rule], fingerprint)
                for finding, fingerprint in zip(result.findings, prints, strict=True)
            ],
        }
        return {"$schema": SARIF_SCHEMA, "version": SARIF_VERSION, "runs": [run]}

    def _invocation(self, result: LintResult) -> dict[str, Any]:
        errors: list[str] = getattr(result, "errors", [])
        invocation: dict[str, Any] = {"executionSuccessful": not errors}
        if errors:
            invocation["toolExecutionNotifications"] = [
                {"level": "error", "message": {"text": error}} for error in errors
            ]
        return invocation

    def _result(self, finding: Finding, rule_index: int, fingerprint: str) -> dict[str, Any]:
        result: dict[str, Any] = {
            "ruleId": finding.rule,
            "ruleIndex": rule_index,
            "level": LEVELS[finding.severity],
            "message": {"text": finding.message},
            "locations": [{"physicalLocation": self._physical(finding.location)}],
            "partialFingerprints": {FINGERPRINT_KEY: fingerprint},
        }
        if finding.operation:
            result["locations"][0]["logicalLocations"] = [
                {"fullyQualifiedName": finding.operation, "kind": "function"}
            ]
        if finding.related:
            result["relatedLocations"] = [
                {
                    "id": number,
                    "physicalLocation": self._physical(related.location),
                    "message": {"text": _related_text(related.message, related.operation)},
                }
                for number, related in enumerate(finding.related, start=1)
            ]
        properties = {
            key: value
            for key, value in (
                ("pointer", finding.location.pointer_str),
                ("operation", finding.operation),
                ("status", finding.status),
            )
            if value
        }
        if properties:
            result["properties"] = properties
        return result

    def _physical(self, location: Location) -> dict[str, Any]:
        return {
            "artifactLocation": _artifact(relative_path(location.file, self.root)),
            "region": {"startLine": max(location.line, 1), "startColumn": max(location.column, 1)},
        }


def _artifact(path: str) -> dict[str, Any]:
    if path.startswith(("http://", "https://")):
        return {"uri": path}
    if path.startswith("/"):
        return {"uri": "file://" + quote(path)}
    return {"uri": quote(path), "uriBaseId": SRCROOT}


def _related_text(message: str, operation: str | None) -> str:
    text = f"{operation}: {message}" if operation else message
    return text or "related location"
