"""Text for people: findings grouped by file, then a summary line."""

from __future__ import annotations

from itertools import groupby
from typing import ClassVar, TextIO

from linter.model import LintResult, Severity
from linter.report.base import BaseReporter
from linter.report.escape import printable

_COLORS = {Severity.ERROR: "31", Severity.WARNING: "33", Severity.INFO: "36"}


def _safe(text: str) -> str:
    """``text`` as one printable line: spec content (file names, paths, keys) reaches messages."""
    return printable(text)


def _one_line(text: str) -> str:
    return _safe(" ".join(text.split()))


class TextReporter(BaseReporter):
    name: ClassVar[str] = "text"

    def _paint(self, text: str, code: str) -> str:
        return f"\x1b[{code}m{text}\x1b[0m" if self.color else text

    def render(self, result: LintResult, out: TextIO) -> None:
        for file, group in groupby(result.findings, key=lambda f: f.location.file):
            out.write(self._paint(_safe(file), "1;4") + "\n")
            for finding in group:
                position = f"{finding.location.line}:{finding.location.column}"
                severity = self._paint(f"{finding.severity.label:<7}", _COLORS[finding.severity])
                rule = self._paint(finding.rule, "2")
                out.write(f"  {position:<9} {severity}  {_one_line(finding.message)}  {rule}\n")
                for related in finding.related:
                    where = f"{related.location.file}:{related.location.line}:{related.location.column}"
                    who = f"{related.operation}: " if related.operation else ""
                    line = _one_line(f"↳ {who}{related.message} ({where})")
                    out.write(self._paint(f"            {line}", "2") + "\n")
            out.write("\n")
        if self.quiet:
            return
        counts = result.counts()
        total = sum(counts.values())
        files = len(result.files)
        parts = ", ".join(f"{n} {label}{'s' if n != 1 else ''}" for label, n in counts.items())
        noun = "problem" if total == 1 else "problems"
        summary = f"{total} {noun} ({parts}) in {files} file{'s' if files != 1 else ''}"
        code = "1;31" if counts["error"] else "1;33" if total else "1;32"
        out.write(self._paint(summary, code) + "\n")
