"""GitHub Actions workflow commands: one ``::error``/``::warning``/``::notice`` line per finding.

GitHub turns these into annotations on the pull request's diff, so repositories without
code scanning still see findings in place. Paths are relative to the repository root, as
the runner expects. Escaping follows the runner: ``%``, CR and LF in the message; also
``:`` and ``,`` in properties; other control characters are shown as escapes.
"""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar, TextIO

from linter.model import Finding, LintResult, Severity
from linter.report.base import RepositoryReporter
from linter.report.escape import printable
from linter.report.fingerprint import relative_path

COMMANDS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}


def escape_data(text: str) -> str:
    """Escape a command's message (after the ``::``): CR and LF as the runner decodes them,
    every other control character (ESC, BEL, bidi overrides, ...) as a visible escape
    (:func:`linter.report.escape.printable`), so the log line acts on nothing."""
    return printable(text, keep="\r\n").replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """Escape a property value (``file=``, ``title=``...)."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


class GithubReporter(RepositoryReporter):
    name: ClassVar[str] = "github"

    def render(self, result: LintResult, out: TextIO) -> None:
        for finding in result.findings:
            out.write(self.command(finding) + "\n")

    def command(self, finding: Finding) -> str:
        location = finding.location
        properties = {
            "file": relative_path(location.file, self.root),
            "line": str(location.line),
            "col": str(location.column),
            "title": finding.rule,
        }
        joined = ",".join(f"{key}={escape_property(value)}" for key, value in properties.items())
        return f"::{COMMANDS[finding.severity]} {joined}::{escape_data(_message(finding, self.root))}"


def _message(finding: Finding, root: Path) -> str:
    lines = [finding.message]
    for related in finding.related:
        where = f"{relative_path(related.location.file, root)}:{related.location.line}"
        who = f"{related.operation}: " if related.operation else ""
        lines.append(f"↳ {who}{related.message} ({where})")
    return "\n".join(lines)
