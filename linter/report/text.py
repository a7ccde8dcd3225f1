"""Text for people: findings grouped by file, then a summary line."""

from __future__ import annotations

from itertools import groupby
from typing import ClassVar, TextIO

from linter.model import Finding, LintResult, Severity
from linter.pointer import to_str
from linter.report.base import BaseReporter
from linter.report.escape import printable

_COLORS = {Severity.ERROR: "31", Severity.WARNING: "33", Severity.INFO: "36"}


def _safe(text: str) -> str:
    """``text`` as one printable line: spec content (file names, paths, keys) reaches messages."""
    return printable(text)


def _one_line(text: str) -> str:
    return _safe(" ".join(text.split()))


#: related places listed under a finding; the rest are counted ("and 37 more")
MAX_RELATED_SHOWN = 3
#: past this column a position alone does not say where a finding is (minified JSON):
#: the finding's JSON pointer is shown too
WIDE_COLUMN = 120


class TextReporter(BaseReporter):
    """One line per finding (``line:column severity message rule``); under it, what a shared
    definition is (its pointer), a few related places, and with ``code_frame`` the line
    of the spec with a caret under the column."""

    name: ClassVar[str] = "text"
    supports_code_frame: ClassVar[bool] = True

    def __init__(self, *, color: bool = False, quiet: bool = False, code_frame: bool = False) -> None:
        super().__init__(color=color, quiet=quiet)
        self.code_frame = code_frame

    def _paint(self, text: str, code: str) -> str:
        return f"\x1b[{code}m{text}\x1b[0m" if self.color else text

    def render(self, result: LintResult, out: TextIO) -> None:
        from linter.report.codeframe import SourceLines

        sources = SourceLines()
        for file, group in groupby(result.findings, key=lambda f: f.location.file):
            out.write(self._paint(_safe(file), "1;4") + "\n")
            for finding in group:
                position = f"{finding.location.line}:{finding.location.column}"
                severity = self._paint(f"{finding.severity.label:<7}", _COLORS[finding.severity])
                rule = self._paint(finding.rule, "2")
                out.write(f"  {position:<9} {severity}  {_one_line(finding.message)}  {rule}\n")
                if self.code_frame:
                    self._frame(finding, sources, out)
                for line in _details(finding):
                    out.write(self._paint(f"            {_one_line(line)}", "2") + "\n")
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

    def _frame(self, finding: Finding, sources: object, out: TextIO) -> None:
        from linter.report.codeframe import SourceLines, frame

        assert isinstance(sources, SourceLines)
        location = finding.location
        source = sources.line(location.file, location.line)
        if source is not None:
            for line in frame(_safe(source), location.line, location.column):
                out.write(self._paint(line, "2") + "\n")


def _details(finding: Finding) -> list[str]:
    """What a finding is about when its position alone does not say (a shared definition,
    a place deep in a minified file), then up to :data:`MAX_RELATED_SHOWN` related places."""
    lines: list[str] = []
    location = finding.location
    if location.pointer and (finding.related or location.column > WIDE_COLUMN):
        lines.append(f"in #{to_str(location.pointer)}")
    shown: list[str] = []
    for related in finding.related:
        where = f"{related.location.file}:{related.location.line}:{related.location.column}"
        who = f"{related.operation}: " if related.operation else ""
        line = f"↳ {who}{related.message} ({where})"
        if line not in shown:
            shown.append(line)
    lines += shown[:MAX_RELATED_SHOWN]
    if len(shown) > MAX_RELATED_SHOWN:
        lines.append(f"↳ and {len(shown) - MAX_RELATED_SHOWN} more (see the JSON or SARIF report for all)")
    return lines
