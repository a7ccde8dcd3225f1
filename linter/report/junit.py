"""JUnit XML for CI dashboards (GitLab, Jenkins, Azure DevOps, CircleCI).

One ``<testsuite>`` per root spec; in it one ``<testcase>`` per operation, failing with
that operation's findings, and a ``document`` case for findings tied to no operation
(parse errors, ``$ref`` problems, shared definitions used by several operations).
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import ClassVar, TextIO

from linter.model import Finding, LintResult
from linter.report.base import RepositoryReporter
from linter.report.escape import printable
from linter.report.fingerprint import relative_path

DOCUMENT_CASE = "document"
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def xml_safe(text: str) -> str:
    """``text`` with the characters XML 1.0 cannot carry at all shown as ``\\xNN``."""
    return _NOT_XML.sub(lambda match: f"\\x{ord(match.group()):02x}", text)


@dataclass
class _Suite:
    file: str
    cases: dict[str, list[Finding]] = field(default_factory=dict)

    def case(self, name: str) -> list[Finding]:
        return self.cases.setdefault(name, [])


class JunitReporter(RepositoryReporter):
    name: ClassVar[str] = "junit"

    def render(self, result: LintResult, out: TextIO) -> None:
        suites = _suites(result)
        total = sum(len(suite.cases) for suite in suites)
        failing = sum(1 for suite in suites for findings in suite.cases.values() if findings)
        top = ET.Element("testsuites", name="errlint", tests=str(total), failures=str(failing), errors="0")
        for suite in suites:
            top.append(self._suite(suite))
        ET.indent(top)
        out.write('<?xml version="1.0" encoding="UTF-8"?>\n')
        # ElementTree leaves CR raw in text, where XML parsers would turn it into LF
        out.write(ET.tostring(top, encoding="unicode").replace("\r", "&#13;"))
        out.write("\n")

    def _suite(self, suite: _Suite) -> ET.Element:
        path = xml_safe(relative_path(suite.file, self.root))
        failing = sum(1 for findings in suite.cases.values() if findings)
        element = ET.Element(
            "testsuite",
            name=path,
            tests=str(len(suite.cases)),
            failures=str(failing),
            errors="0",
            skipped="0",
        )
        for name, findings in suite.cases.items():
            case = ET.SubElement(element, "testcase", name=xml_safe(name), classname=path, file=path)
            if findings:
                failure = ET.SubElement(
                    case, "failure", message=xml_safe(_headline(findings)), type=findings[0].rule
                )
                failure.text = xml_safe("\n".join(self._line(f) for f in findings))
        return element

    def _line(self, finding: Finding) -> str:
        loc = finding.location
        where = f"{relative_path(loc.file, self.root)}:{loc.line}:{loc.column}"
        # one line per finding: a line break from a spec (a path key) is shown, never sent,
        # so no line of the output can start a CI log command (``::error``)
        return printable(f"{finding.severity.label} [{finding.rule}] {where} {finding.message}")


def _headline(findings: list[Finding]) -> str:
    if len(findings) == 1:
        return findings[0].message
    return f"{len(findings)} findings, first: {findings[0].message}"


def _suites(result: LintResult) -> list[_Suite]:
    """Suites in run order, each with its operations (clean ones too) and their findings."""
    suites: dict[str, _Suite] = {}
    owners: dict[str, str] = {}
    for root_file, documents, operations in _spec_outlines(result):
        suite = suites.setdefault(root_file, _Suite(root_file))
        suite.case(DOCUMENT_CASE)
        for label in operations:
            suite.case(label)
        for display in documents:
            owners.setdefault(display, root_file)
    for finding in result.findings:
        owner = owners.get(finding.location.file, finding.location.file)
        suite = suites.setdefault(owner, _Suite(owner))
        suite.case(finding.operation or DOCUMENT_CASE).append(finding)
    return list(suites.values())


def _spec_outlines(result: LintResult) -> Iterator[tuple[str, list[str], list[str]]]:
    """``(root file, every document it loaded, its operation labels)`` per linted spec."""
    reports = {report.display: report for report in getattr(result, "specs", [])}
    for file in result.files:
        report = reports.get(file)
        if report is None:
            yield file, [file], []
            continue
        yield file, list(report.documents) or [file], list(report.operations_seen)
