"""A compact Markdown summary for pull-request comments and CI job summaries.

Counts by severity and by rule, then one table row per finding with ``file:line``.
Everything taken from specs or messages is escaped, so a ``|`` or ``<b>`` in a
message cannot break the table or inject markup.
"""

from __future__ import annotations

import re
from collections import Counter
from typing import ClassVar, TextIO

from linter.model import Finding, LintResult
from linter.report.base import RepositoryReporter
from linter.report.escape import printable
from linter.report.fingerprint import relative_path
from linter.report.sarif import help_uri

#: Characters with inline meaning in GitHub/GitLab Markdown (block markers are inert in cells;
#: ``$`` starts math on GitHub, ``&`` an entity, ``<`` HTML).
_ACTIVE = re.compile(r"([\\`*_\[\]<>|~$&])")


def escape(text: str) -> str:
    """Plain text that renders as itself inside a Markdown table cell."""
    return _ACTIVE.sub(r"\\\1", printable(" ".join(text.split())))


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 or noun == 'info' else 's'}"


class MarkdownReporter(RepositoryReporter):
    name: ClassVar[str] = "markdown"

    def render(self, result: LintResult, out: TextIO) -> None:
        blocks = [self._headline(result)]
        if result.findings:
            if not self.quiet:
                blocks += [_severity_table(result), _rule_table(result.findings)]
            blocks.append(self._findings_table(result.findings))
        out.write("\n\n".join(blocks) + "\n")

    def _headline(self, result: LintResult) -> str:
        files = _plural(len(result.files), "file")
        if not result.findings:
            return f"### errlint: no problems in {files}"
        counts = ", ".join(_plural(n, label) for label, n in result.counts().items())
        return f"### errlint: {_plural(len(result.findings), 'problem')} ({counts}) in {files}"

    def _findings_table(self, findings: list[Finding]) -> str:
        rows = ["| Severity | Location | Rule | Message |", "| --- | --- | --- | --- |"]
        for finding in findings:
            where = f"{relative_path(finding.location.file, self.root)}:{finding.location.line}"
            rows.append(
                f"| {finding.severity.label} | {escape(where)} | `{finding.rule}` "
                f"| {escape(finding.message)} |"
            )
        return "\n".join(rows)


def _severity_table(result: LintResult) -> str:
    rows = ["| Severity | Count |", "| --- | ---: |"]
    rows += [f"| {label} | {count} |" for label, count in result.counts().items()]
    return "\n".join(rows)


def _rule_table(findings: list[Finding]) -> str:
    counts = Counter((finding.rule, finding.severity) for finding in findings)
    ordered = sorted(counts.items(), key=lambda item: (-item[0][1], -item[1], item[0][0]))
    rows = ["| Rule | Severity | Count |", "| --- | --- | ---: |"]
    rows += [f"| {_rule_link(rule)} | {sev.label} | {n} |" for (rule, sev), n in ordered]
    return "\n".join(rows)


def _rule_link(rule_id: str) -> str:
    uri = help_uri(rule_id)
    return f"[{escape(rule_id)}]({uri})" if uri else escape(rule_id)
