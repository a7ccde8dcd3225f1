"""Value types shared by every stage: severities, locations, findings, results."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import IntEnum

from linter.jsonvalue import excerpt
from linter.pointer import Pointer, to_str


class Severity(IntEnum):
    INFO = 1
    WARNING = 2
    ERROR = 3

    @property
    def label(self) -> str:
        return self.name.lower()

    @classmethod
    def named(cls, value: object) -> Severity | None:
        """The severity ``value`` names, in any case (``"Warning"``), or None when it is not
        the text of one."""
        return cls.__members__.get(value.upper()) if isinstance(value, str) else None

    @classmethod
    def parse(cls, text: str) -> Severity:
        """The severity ``text`` names; ValueError naming the choices when it names none."""
        found = cls.named(text)
        if found is None:
            raise ValueError(f"unknown severity {excerpt(text)} (use error, warning or info)")
        return found


@dataclass(frozen=True, slots=True)
class Location:
    """A place in one loaded file: its path as given, a JSON pointer, and a 1-based position."""

    file: str
    pointer: Pointer
    line: int = 1
    column: int = 1

    @property
    def pointer_str(self) -> str:
        return to_str(self.pointer)


@dataclass(frozen=True, slots=True)
class Related:
    """Another place that explains a finding: a ``$ref`` target or an operation using it."""

    location: Location
    message: str = ""
    operation: str | None = None


@dataclass(frozen=True, slots=True)
class Finding:
    rule: str
    severity: Severity
    message: str
    location: Location
    operation: str | None = None
    status: str | None = None
    related: tuple[Related, ...] = ()
    #: what the defect is apart from the use that reached it (a rule's ``Problem.defect``),
    #: when the message names a use; reports show ``message`` only
    defect: str | None = field(default=None, compare=False)

    def sort_key(self) -> tuple[str, int, int, str, str]:
        loc = self.location
        return (loc.file, loc.line, loc.column, self.rule, self.message)


@dataclass(frozen=True, slots=True)
class RuleInfo:
    """What reporters need to know of a rule that ran."""

    id: str
    severity: Severity
    summary: str
    doc: str


@dataclass
class LintResult:
    findings: list[Finding] = field(default_factory=list)
    files: list[str] = field(default_factory=list)
    rules: list[RuleInfo] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        counts = {s.label: 0 for s in sorted(Severity, reverse=True)}
        for finding in self.findings:
            counts[finding.severity.label] += 1
        return counts
