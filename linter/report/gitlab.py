"""GitLab code quality: the Code Climate JSON report that merge requests show.

The report is a JSON array with one issue per finding::

    [{"type": "issue", "check_name": "ref-unresolved", "description": "...",
      "categories": ["Bug Risk"], "severity": "critical", "fingerprint": "3f9c…e1:1",
      "location": {"path": "api/openapi.yaml", "lines": {"begin": 12}}}]

GitLab reads ``description``, ``check_name``, ``fingerprint``, ``severity`` (``info``,
``minor``, ``major``, ``critical`` or ``blocker``), ``location.path`` (relative to the
repository root) and ``location.lines.begin``; ``type`` and ``categories`` complete the
Code Climate issue. Source: GitLab documentation, "Code Quality", section "Code Quality
report format" (docs.gitlab.com/ci/testing/code_quality/), and the Code Climate engine
specification (SPEC.md of codeclimate/platform), "Issues".

Severities follow Spectral's GitLab formatter: ``error`` is ``critical``, ``warning``
``major``, ``info`` ``minor``. The fingerprint is the one SARIF carries in
``partialFingerprints`` (:mod:`linter.report.fingerprint`): stable across unrelated edits
and unique within a report, so GitLab can tell new findings from old ones.
"""

from __future__ import annotations

import json
from typing import Any, ClassVar, TextIO

from linter.model import Finding, LintResult, Severity
from linter.report.fingerprint import fingerprints, relative_path, repository_root

SEVERITIES = {Severity.ERROR: "critical", Severity.WARNING: "major", Severity.INFO: "minor"}
#: every errlint finding is a defect in the API contract, which Code Climate calls a bug risk
CATEGORY = "Bug Risk"


class GitlabReporter:
    name: ClassVar[str] = "gitlab"

    def __init__(self, *, color: bool = False, quiet: bool = False) -> None:
        self.color = color
        self.quiet = quiet
        self.root = repository_root()

    def render(self, result: LintResult, out: TextIO) -> None:
        json.dump(self.issues(result), out, indent=2, ensure_ascii=False)
        out.write("\n")

    def issues(self, result: LintResult) -> list[dict[str, Any]]:
        """The report as plain data: one issue per finding, in the findings' order."""
        prints = fingerprints(result.findings, self.root)
        return [self.issue(f, p) for f, p in zip(result.findings, prints, strict=True)]

    def issue(self, finding: Finding, fingerprint: str) -> dict[str, Any]:
        return {
            "type": "issue",
            "check_name": finding.rule,
            "description": _description(finding),
            "categories": [CATEGORY],
            "severity": SEVERITIES[finding.severity],
            "fingerprint": fingerprint,
            "location": {
                "path": relative_path(finding.location.file, self.root),
                "lines": {"begin": max(finding.location.line, 1)},
            },
        }


def _description(finding: Finding) -> str:
    """The message on one line (GitLab shows it in a list), after the operation if any."""
    message = " ".join(finding.message.split())
    return f"{finding.operation}: {message}" if finding.operation else message
